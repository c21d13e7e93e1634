"""Rounds run themselves: a beat job plans the next round of each running survey, opens
rounds whose time has come (freezing who is asked, with their team and function then),
tells each person once, reminds once those who have not answered, and closes rounds.

Every step is safe to run twice at once — two beat processes, a message delivered
twice, a worker killed half-way: a round is planned once (unique number), opened once
(a conditional update only one caller wins), each person invited once (unique per
round) and told once, and reminded once (each a conditional update on their own
invitation, in the same transaction as the message it causes).
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import Membership
from outbox.services import mark_dirty
from surveys import notices
from surveys.models import Response, RoundQuestion, Survey, SurveyInvitation, SurveyRound
from surveys.schedule import questions_for_round, timing
from teams.models import TeamMembership

S = SurveyRound.Status


@dataclass
class Ran:
    planned: int = 0
    opened: int = 0
    invited: int = 0
    reminded: int = 0
    closed: int = 0


def rounds_run(*, now=None) -> Ran:
    """One pass of the beat job over every organisation. Returns what it did."""
    now = now or timezone.now()
    ran = Ran()
    # A round whose whole time passed while no beat ran is missed, not opened late:
    # nobody is asked to answer a round that is already over.
    ran.closed += SurveyRound.objects.filter(status=S.SCHEDULED, closes_at__lte=now).update(
        status=S.CLOSED, closed_at=now
    )
    for round_id in SurveyRound.objects.filter(status=S.SCHEDULED, opens_at__lte=now).values_list("pk", flat=True):
        invited = round_open(round_id=round_id, now=now)
        if invited is not None:
            ran.opened += 1
            ran.invited += invited
    for round_id in SurveyRound.objects.filter(status=S.OPEN, remind_at__lte=now, reminded_at__isnull=True).values_list(
        "pk", flat=True
    ):
        ran.reminded += round_remind(round_id=round_id, now=now)
    for round_id in SurveyRound.objects.filter(status=S.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        ran.closed += round_close(round_id=round_id, now=now)
    ran.planned = rounds_plan(now=now)
    return ran


def rounds_plan(*, now) -> int:
    """Plan the next round of each running, recurring survey whose latest round has
    opened (one with a round still waiting to open needs nothing). One query finds them.
    Returns how many were planned."""
    waiting = SurveyRound.objects.filter(survey=OuterRef("pk"), status=S.SCHEDULED)
    due = (
        Survey.objects.filter(status=Survey.Status.ACTIVE)
        .exclude(cadence=Survey.Cadence.ONCE)
        .annotate(top=Max("rounds__number"), waiting=Exists(waiting))
        .filter(top__isnull=False, waiting=False)
        .select_related("organization")
    )
    return sum(_plan(survey, survey.top + 1) for survey in due)


def _plan(survey: Survey, number: int) -> bool:
    when = timing(survey, number, ZoneInfo(survey.organization.timezone))
    try:
        with transaction.atomic():
            SurveyRound.objects.create(
                organization_id=survey.organization_id,
                survey=survey,
                number=number,
                opens_at=when.opens_at,
                remind_at=when.remind_at,
                closes_at=when.closes_at,
            )
    except IntegrityError:
        return False  # the other beat planned it first
    return True


def _audience(survey: Survey):
    """Who a survey asks now, each with the seat (team, and function through their role)
    their answers count for: the first of their teams by name among those asked."""
    people = Membership.objects.filter(organization_id=survey.organization_id, is_active=True)
    seats = TeamMembership.objects.filter(team__organization_id=survey.organization_id).select_related("job_role")
    if survey.audience == Survey.Audience.TEAMS:
        seats = seats.filter(team__in=survey.teams.all())
        people = people.filter(team_memberships__team__in=survey.teams.all())
    elif survey.audience == Survey.Audience.FUNCTIONS:
        seats = seats.filter(job_role__function__in=survey.functions.all())
        people = people.filter(team_memberships__job_role__function__in=survey.functions.all())
    first_seat: dict[int, TeamMembership] = {}
    for seat in seats.order_by("team__name", "team_id"):
        first_seat.setdefault(seat.membership_id, seat)
    return [(person_id, first_seat.get(person_id)) for person_id in people.values_list("pk", flat=True).distinct()]


@transaction.atomic
def round_open(*, round_id: int, now=None) -> int | None:
    """Open a due round: freeze its audience and questions, and tell each person. None
    when another caller opened it first (nothing is done twice)."""
    now = now or timezone.now()
    claimed = SurveyRound.objects.filter(pk=round_id, status=S.SCHEDULED, opens_at__lte=now, closes_at__gt=now).update(
        status=S.OPEN, opened_at=now
    )
    if not claimed:
        return None
    round_ = SurveyRound.objects.select_related("survey__organization").get(pk=round_id)
    survey = round_.survey
    asked = questions_for_round(survey, list(survey.questions.order_by("order", "pk")), round_.number)
    RoundQuestion.objects.bulk_create(
        [RoundQuestion(round=round_, question=q, order=n) for n, q in enumerate(asked)], ignore_conflicts=True
    )
    SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(
                round=round_,
                membership_id=person_id,
                team_id=seat.team_id if seat else None,
                function_id=seat.job_role.function_id if seat and seat.job_role_id else None,
            )
            for person_id, seat in _audience(survey)
        ],
        ignore_conflicts=True,
    )
    # The invitations are the response rate's denominator; like the answers, they count
    # in the scores once the round has closed (round_close marks them then).
    return _tell(round_, now, reminder=False)


def _tell(round_: SurveyRound, now, *, reminder: bool) -> int:
    """Tell each invited person once (or remind once each who has not answered). Each
    is claimed by a conditional update before their message is written, in this
    transaction: a second caller finds nobody left to tell."""
    stamp = "reminded_at" if reminder else "notified_at"
    waiting = SurveyInvitation.objects.filter(round=round_, **{f"{stamp}__isnull": True})
    if reminder:
        waiting = waiting.filter(answered=False)
    told = 0
    for invitation in waiting.select_related("membership__user").order_by("pk"):
        if SurveyInvitation.objects.filter(pk=invitation.pk, **{f"{stamp}__isnull": True}).update(**{stamp: now}):
            notices.round_invitation(round_, invitation.membership, reminder=reminder)
            told += 1
    return told


@transaction.atomic
def round_remind(*, round_id: int, now=None) -> int:
    """Remind, once, those who have not answered an open round. Returns how many."""
    now = now or timezone.now()
    claimed = SurveyRound.objects.filter(
        pk=round_id, status=S.OPEN, reminded_at__isnull=True, remind_at__lte=now
    ).update(reminded_at=now)
    if not claimed:
        return 0
    return _tell(SurveyRound.objects.select_related("survey").get(pk=round_id), now, reminder=True)


@transaction.atomic
def round_close(*, round_id: int, now=None) -> int:
    """Close a round whose time is up: no answer is taken after this. 1 if it closed."""
    now = now or timezone.now()
    closed = SurveyRound.objects.filter(Q(pk=round_id, status=S.OPEN, closes_at__lte=now)).update(
        status=S.CLOSED, closed_at=now
    )
    if closed:
        # Its answers count in the scores from now on: in the periods they were given
        # in, and its response rate in the periods it opened in.
        round_ = SurveyRound.objects.select_related("organization").get(pk=round_id)
        groups = Response.objects.filter(round=round_).values_list("submitted_on", "team_id", "function_id").distinct()
        days, teams, functions = {round_.opens_at}, set(), set()
        for day, team_id, function_id in groups:
            days.add(day)
            teams.add(team_id)
            functions.add(function_id)
        mark_dirty(organization=round_.organization, at=list(days), teams=teams, functions=functions)
    return closed
