"""Demo data for pulse surveys: a monthly engagement pulse of every team at Northwind
Outfitters with six past rounds, answered by most people, with trends that differ by team.

Made through the same services a real pulse goes through (created, started, each round
opened, answered and closed at its own time, passed in as ``now``), so invitations,
anonymous responses, reminders and outbox marks are what they would be. Deterministic
(a seeded generator) and idempotent: skipped when the organisation has a survey.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Membership, Organization
from accounts.services import organization_update
from notifications.models import Delivery, Notification
from surveys import services
from surveys.models import Question, Survey, SurveyInvitation, SurveyRound
from surveys.notices import Kind
from surveys.schedule import timing
from surveys.selectors import round_questions
from teamhub.lib.tenancy import Role
from teams.models import Team

ROUNDS = 6
BANK_KEYS = [
    "engagement.proud",
    "engagement.motivated",
    "engagement.stay",
    "collaboration.help",
    "collaboration.handoffs",
    "collaboration.share",
    "values.know",
    "role_clarity.expected",
    "recognition.noticed",
    "enablement.tools",
    "customer_focus.first",
    "growth.learn",
]
COMMENT_QUESTION = "What one thing would make your work better next month?"
COMMENTS = [
    "Fewer status meetings, more time with customers.",
    "A shared place to see which shop has which order in progress.",
    "Quicker answers from the warehouse on stock for wholesale orders.",
    "More chances to shadow the repair workshop.",
    "Recognition for the people who fix things quietly.",
    "Clearer priorities when two teams ask for the same thing.",
    "A proper handover when someone goes on holiday.",
    "Better laptops for the people on the road.",
    "Knowing earlier when a big customer is unhappy.",
    "Keep the Friday show-and-tell going, it helps.",
    "Training on the new returns process.",
    "Less copying between the CRM and spreadsheets.",
]
# How favourably each team answers (1 to 5, mean) in round 1, and its change per round:
# Trailhead improving, Online Direct steady and high, Corporate Outfitting sliding.
TEAM_MOODS = {
    "Trailhead Wholesale": (3.3, 0.16),
    "Expeditions & Schools": (3.9, 0.0),
    "Corporate Outfitting": (3.9, -0.14),
    "Online Direct": (4.2, 0.02),
    "Rental & Repair Partners": (3.5, 0.05),
}
DEFAULT_MOOD = (3.6, 0.05)


def seed(organization: Organization) -> str:
    if Survey.objects.for_org(organization.pk).exists():
        return "Pulse survey demo data: already there."
    admin = Membership.objects.filter(organization=organization, role=Role.ADMIN).order_by("pk").first()
    # Northwind's teams are small (four to seven seats each): it shows results from three
    # respondents, and comments from five, as a small organisation would choose.
    organization = organization_update(
        actor=admin, organization=organization, anonymity_threshold=3, comment_threshold=5
    )
    zone = ZoneInfo(organization.timezone)
    today = timezone.localdate(timezone=zone)
    first_day = _first_monday(_months_before(today, ROUNDS))
    rng = random.Random(2611)  # noqa: S311 (demo data, not security)
    survey = services.survey_create(
        actor=admin,
        title="Monthly engagement pulse",
        intro="Five minutes once a month: how work is going, team by team. Anonymous, and read by the teams "
        "it is about.",
        first_opens_on=first_day,
        opens_at=dt.time(9, 0),
        # Every team's people: Priya, the admin, sits on no team, and a "no team" group
        # of one would be hidden each round with the smallest team beside it.
        audience=Survey.Audience.TEAMS,
        teams=list(Team.objects.for_org(organization.pk).order_by("name")),
        cadence=Survey.Cadence.MONTHLY,
        open_days=7,
        bank_keys=BANK_KEYS,
    )
    services.question_add(actor=admin, survey=survey, kind=Question.Kind.TEXT, text=COMMENT_QUESTION)
    first = timing(survey, 1, zone)
    services.survey_activate(actor=admin, survey=survey, now=first.opens_at - dt.timedelta(days=1))
    answered = 0
    for number in range(1, ROUNDS + 1):
        round_ = SurveyRound.objects.get(survey=survey, number=number)
        services.round_open(round_id=round_.pk, now=round_.opens_at)
        answered += _answer(round_, number, rng)
        services.round_remind(round_id=round_.pk, now=round_.remind_at)
        services.round_close(round_id=round_.pk, now=round_.closes_at)
        services.rounds_plan(now=round_.closes_at)
    _quiet_the_past(organization)
    return f"Pulse survey demo data: a monthly pulse with {ROUNDS} past rounds and {answered} anonymous responses."


def _answer(round_: SurveyRound, number: int, rng: random.Random) -> int:
    """Most of the invited answer, a day or two after opening, as their team feels."""
    questions = round_questions(round_=round_)
    invitations = SurveyInvitation.objects.filter(round=round_).select_related("membership", "team")
    count = 0
    for invitation in invitations.order_by("pk"):
        if rng.random() < 0.1:
            continue  # about one in ten does not answer
        base, drift = TEAM_MOODS.get(invitation.team.name if invitation.team else "", DEFAULT_MOOD)
        mood = base + drift * (number - 1) + rng.uniform(-0.5, 0.5)
        answers = {}
        for question in questions:
            if question.kind == Question.Kind.AGREEMENT:
                answers[question.pk] = _clamp(round(rng.gauss(mood, 0.8)), 1, 5)
            elif question.kind == Question.Kind.SCALE:
                answers[question.pk] = _clamp(round(rng.gauss(mood * 2.1, 1.4)), 0, 10)
            elif question.kind == Question.Kind.TEXT and rng.random() < 0.6:
                answers[question.pk] = rng.choice(COMMENTS)
        when = round_.opens_at + dt.timedelta(hours=rng.randint(2, 60))
        services.response_submit(actor=invitation.membership, invitation=invitation, answers=answers, now=when)
        count += 1
    return count


def _quiet_the_past(organization: Organization) -> None:
    """The past rounds' invitations and reminders count as sent and read, dated when
    their round opened: seeding the demo e-mails nobody."""
    now = timezone.now()
    kinds = [Kind.SURVEY_OPEN, Kind.SURVEY_REMINDER]
    Delivery.objects.filter(organization=organization, kind__in=kinds).update(status=Delivery.Status.SENT, sent_at=now)
    notices = Notification.objects.filter(organization=organization, about_type="survey_round")
    notices.update(
        read_at=now,
        created_at=Subquery(SurveyRound.objects.filter(pk=OuterRef("about_id")).values("opens_at")[:1]),
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 - months, 12)
    return dt.date(day.year + year, month + 1, 1)


def _first_monday(first_of_month: dt.date) -> dt.date:
    return first_of_month + dt.timedelta(days=(7 - first_of_month.weekday()) % 7)
