"""Answering a round: once, anonymously, in one transaction.

The response is written with the round, the team and function the person had when it
opened, and the day — nothing that names them. Their invitation is then marked
answered by a conditional update that only one submission can win, so a double click
or two tabs give one response. No log line, task argument or cache key in this path
names the person.
"""

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from surveys.models import Answer, Question, Response, SurveyInvitation, SurveyRound

TEXT_LIMIT = 4000
RANGES = {Question.Kind.AGREEMENT: (1, 5), Question.Kind.SCALE: (0, 10)}


def _value(question: Question, raw) -> tuple[int | None, str]:
    """An answer as stored: (value, text). Raises ValidationError naming the question."""
    field = f"q{question.pk}"
    if question.kind == Question.Kind.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_LIMIT:
            raise ValidationError({field: f"Keep it under {TEXT_LIMIT} characters."})
        return None, text
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({field: "Choose one of the answers."}) from None
    if question.kind == Question.Kind.CHOICE:
        if not 0 <= value < len(question.choices):
            raise ValidationError({field: "Choose one of the options."})
        return value, question.choices[value]
    low, high = RANGES[question.kind]
    if not low <= value <= high:
        raise ValidationError({field: f"Choose a number from {low} to {high}."})
    return value, ""


def _answers(round_: SurveyRound, given: dict) -> list[tuple[Question, int | None, str]]:
    asked = {q.pk: q for q in round_.questions.all()}
    unknown = [key for key in given if key not in asked]
    if unknown:
        raise ValidationError("Answer only the questions of this round.")
    answers = []
    for question_id, raw in given.items():
        question = asked[question_id]
        if raw is None or str(raw).strip() == "":
            continue  # every question may be skipped
        value, text = _value(question, raw)
        answers.append((question, value, text))
    if not answers:
        raise ValidationError("Answer at least one question.")
    return answers


@transaction.atomic
def response_submit(*, actor, invitation: SurveyInvitation, answers: dict, now=None) -> bool:
    """Record the person's answers to their invitation's round (question id → value or
    text). Returns True, and no more: not even the caller learns the response's id."""
    round_ = invitation.round
    if invitation.membership_id != getattr(actor, "pk", None):
        raise ValidationError("Answer your own survey.")
    if round_.status != SurveyRound.Status.OPEN or (now or timezone.now()) >= round_.closes_at:
        raise ValidationError("This round is closed: answers are no longer taken.")
    try:
        given = {int(key): value for key, value in answers.items()}
    except (TypeError, ValueError):
        raise ValidationError("Answer only the questions of this round.") from None
    checked = _answers(round_, given)
    # One submission per invitation: only one caller turns it from unanswered to answered.
    if not SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True):
        raise ValidationError("You have already answered this round. Answers cannot be changed afterwards.")
    organization = round_.organization
    today = timezone.localtime(now or timezone.now(), ZoneInfo(organization.timezone)).date()
    response = Response.objects.create(
        organization=organization,
        round=round_,
        team_id=invitation.team_id,
        function_id=invitation.function_id,
        submitted_on=today,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value, text=text) for question, value, text in checked
    )
    # Nothing to recompute yet: scores count a round's answers once it has closed
    # (round_close marks their periods), so no figure moves with each answer.
    return True
