"""The surveys app's models, a module per part: pulse surveys for employees
(``pulse``) and customer feedback — NPS and CSAT — with the rounds that ask for it
(``feedback``)."""

from surveys.models.feedback import NpsFeedback, NpsInvitation, NpsRound
from surveys.models.pulse import (
    Answer,
    Question,
    Response,
    RoundQuestion,
    Survey,
    SurveyInvitation,
    SurveyRound,
)

__all__ = [
    "Answer",
    "NpsFeedback",
    "NpsInvitation",
    "NpsRound",
    "Question",
    "Response",
    "RoundQuestion",
    "Survey",
    "SurveyInvitation",
    "SurveyRound",
]
