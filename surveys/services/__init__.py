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
from surveys.services.loop import feedback_close_loop, feedback_thank
from surveys.services.nps_public import nps_link_answer, nps_link_opt_out
from surveys.services.nps_rounds import nps_invitations_send, nps_round_close, nps_round_create, nps_round_send
from surveys.services.responses import response_submit
from surveys.services.rounds import round_close, round_open, round_remind, rounds_plan, rounds_run
from surveys.services.score_runs import score_recompute_request, score_run_execute

__all__ = [
    "feedback_close_loop",
    "feedback_record",
    "feedback_thank",
    "nps_invitations_send",
    "nps_link_answer",
    "nps_link_opt_out",
    "nps_round_close",
    "nps_round_create",
    "nps_round_send",
    "question_add",
    "question_remove",
    "questions_add_from_bank",
    "response_submit",
    "round_close",
    "round_open",
    "round_remind",
    "rounds_plan",
    "rounds_run",
    "score_recompute_request",
    "score_run_execute",
    "survey_activate",
    "survey_create",
    "survey_end",
    "survey_update",
]
