"""The surveys app's models, a module per part: pulse surveys for employees
(``pulse``), customer feedback — NPS and CSAT — with the rounds that ask for it
(``feedback``), and the score snapshots computed from all of it (``scores``)."""

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
from surveys.models.runs import ScoreRun
from surveys.models.scores import ScoreSnapshot

__all__ = [
    "Answer",
    "NpsFeedback",
    "NpsInvitation",
    "NpsRound",
    "Question",
    "Response",
    "RoundQuestion",
    "ScoreRun",
    "ScoreSnapshot",
    "Survey",
    "SurveyInvitation",
    "SurveyRound",
]
