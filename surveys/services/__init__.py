"""Writes for surveys: one function per use case, each its own transaction.

Split by area (building, running rounds, answering); every public service is
importable from here.
"""

from surveys.services.builder import (
    question_add,
    question_remove,
    questions_add_from_bank,
    survey_activate,
    survey_create,
    survey_end,
    survey_update,
)
from surveys.services.feedback import feedback_record
from surveys.services.responses import response_submit
from surveys.services.rounds import round_close, round_open, round_remind, rounds_plan, rounds_run

__all__ = [
    "feedback_record",
    "question_add",
    "question_remove",
    "questions_add_from_bank",
    "response_submit",
    "round_close",
    "round_open",
    "round_remind",
    "rounds_plan",
    "rounds_run",
    "survey_activate",
    "survey_create",
    "survey_end",
    "survey_update",
]
