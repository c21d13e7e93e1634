"""Reads for surveys, shaped for the pages and endpoints that use them."""

from django.db.models import Count, Q

from accounts.models import Membership
from surveys import bank
from surveys.models import Question, RoundQuestion, Survey, SurveyRound


def survey_list(*, membership: Membership):
    """The organisation's surveys for admins and managers, newest first, each with how
    many rounds it has run and its audience."""
    return (
        Survey.objects.visible_to(membership)
        .annotate(round_count=Count("rounds", filter=~Q(rounds__status=SurveyRound.Status.SCHEDULED)))
        .prefetch_related("teams", "functions")
        .order_by("-created_at", "-pk")
    )


def survey_questions(*, survey: Survey):
    return survey.questions.order_by("order", "pk")


def survey_rounds(*, survey: Survey):
    """A survey's rounds, newest first, each with how many were asked. How many answered
    is a result, shown (suppressed below the threshold) with the results."""
    return survey.rounds.annotate(invited=Count("invitations")).order_by("-number")


def bank_by_driver(*, organization_name: str, chosen=()) -> list[dict]:
    """The question bank, driver by driver, each statement as people will read it and
    marked when already chosen."""
    chosen = set(chosen)
    return [
        {
            "driver": driver,
            "label": bank.Driver(driver).label,
            "questions": [
                {"key": q.key, "text": bank.render(q.text, organization_name), "chosen": q.key in chosen}
                for q in questions
            ],
        }
        for driver, questions in bank.by_driver().items()
    ]


def pending_rounds(*, membership: Membership):
    """The open rounds the person was invited to and has not answered, closing soonest
    first: the home page's and the API's "surveys waiting for you"."""
    return (
        SurveyRound.objects.filter(
            organization_id=membership.organization_id,
            status=SurveyRound.Status.OPEN,
            invitations__membership=membership,
            invitations__answered=False,
        )
        .select_related("survey")
        .annotate(question_count=Count("round_questions", distinct=True))
        .order_by("closes_at", "pk")
    )


def round_questions(*, round_: SurveyRound) -> list[Question]:
    """The questions a round asks, in its order (one query)."""
    asked = RoundQuestion.objects.filter(round=round_).select_related("question").order_by("order")
    return [row.question for row in asked]


def preview_questions(*, survey: Survey) -> list[Question]:
    """What the first round of a draft would ask, for its preview."""
    from surveys.schedule import questions_for_round

    return questions_for_round(survey, list(survey_questions(survey=survey)), 1)
