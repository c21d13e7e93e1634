"""Closing the loop on customer feedback.

A detractor's answer opens a follow-up on the account for the team that owned it when
the answer arrived, owned by the account's lead (or, without one, the team's first
manager, all its managers told), due within the organisation's detractor SLA in
working days, and tells them in the app, by e-mail and on the team's chat. A
promoter is flagged as a possible reference, for a thank-you.

``feedback_close_loop`` is called by ``feedback_record`` inside its transaction, for
new feedback and when a contact changes their score. However often it runs for one
row — a retried webhook, a re-imported file, two deliveries at once — it opens one
follow-up at most: the row is locked, and the link is set by a conditional update
that only a row without one takes. Feedback received more than HISTORY_DAYS before
it reaches TeamHub (an import of past years) is flagged but opens no follow-up: it is
too late to call back, and nobody wants a flood of them.

The follow-up's due date counts the SLA's working days from the day it opens, in the
organisation's time zone, Saturdays and Sundays skipped (public holidays are not
known to TeamHub).

Who counts as what:

- NPS (0 to 10): detractor 0 to 6, promoter 9 or 10 (the NPS definition).
- CSAT (1 to 5): detractor 1 or 2 ("dissatisfied" and "very dissatisfied"; a 3 is
  neutral, not a complaint), promoter 5 ("very satisfied").
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.access import has_full_access
from customers.models import FollowUp
from customers.services import CREATE_FOLLOW_UPS, follow_up_create, register_outcome_required
from surveys import notices
from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from teamhub.lib.actors import system_actor
from teamhub.lib.tenancy import require_same_org

DETRACTOR_AT_MOST = {FeedbackKind.NPS: 6, FeedbackKind.CSAT: 2}
PROMOTER_AT_LEAST = {FeedbackKind.NPS: 9, FeedbackKind.CSAT: 5}
SUMMARY_LENGTH = 200  # FollowUp.summary
LOOP_ACTOR = "the NPS loop"
# Older feedback is history when it reaches TeamHub: it counts, but opens no follow-up.
HISTORY_DAYS = 30

# A follow-up the loop opened must say what was done before it is closed. customers
# sits below surveys and cannot ask it, so surveys registers which follow-ups those are,
# as a condition on FollowUp rows (a page can then mark them all in its one query).
register_outcome_required(
    Q(nps_feedback__isnull=False),
    "This follow-up came from a customer's feedback: say what was done (or why it is dropped) before closing it.",
)


def is_detractor(*, kind: str, score: int) -> bool:
    return score <= DETRACTOR_AT_MOST[FeedbackKind(kind)]


def is_promoter(*, kind: str, score: int) -> bool:
    return score >= PROMOTER_AT_LEAST[FeedbackKind(kind)]


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, Saturdays and Sundays skipped; with none,
    the day itself, or the Monday after a weekend."""
    day = start
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    if day != start:
        days = max(days - 1, 0)  # the Monday after a weekend is the first working day
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def detractor_due_date(organization, opened_at: dt.datetime) -> dt.date:
    """The organisation's SLA in working days from the day the follow-up opens, in the
    organisation's time zone."""
    opened = timezone.localtime(opened_at, ZoneInfo(organization.timezone)).date()
    return add_working_days(opened, organization.detractor_sla_days)


def _owners(feedback: NpsFeedback) -> tuple:
    """(owner, people to tell): the account's lead, or else the owning team's active
    managers, the first of them owning it."""
    lead = feedback.account.lead
    if lead is not None and lead.is_active:
        return lead, [lead]
    team = feedback.team
    managers = list(team.managers.filter(is_active=True).select_related("user").order_by("pk")) if team else []
    return (managers[0] if managers else None), managers


def _summary(feedback: NpsFeedback) -> str:
    who = feedback.contact.name if feedback.contact_id else "A contact"
    scale = "10" if feedback.kind == FeedbackKind.NPS else "5"
    head = f"{feedback.get_kind_display().split(' ')[0]} {feedback.score}/{scale} from {who}"
    if not feedback.comment:
        return f"{head} (no comment): call them back"[:SUMMARY_LENGTH]
    text = f"{head}: “{' '.join(feedback.comment.split())}”"
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 2] + "…”"


class _AlreadyLinked(Exception):
    """Another delivery of the same feedback linked its follow-up first."""


def _open_follow_up(feedback: NpsFeedback, at: dt.datetime) -> FollowUp | None:
    owner, told = _owners(feedback)
    actor = system_actor(feedback.account.organization, LOOP_ACTOR, CREATE_FOLLOW_UPS)
    try:
        # A savepoint: a follow-up that lost the race to be linked is rolled back with it.
        with transaction.atomic():
            follow_up = follow_up_create(
                actor=actor,
                account=feedback.account,
                summary=_summary(feedback),
                at=at,
                owner=owner,
                contact=feedback.contact,
                due_date=detractor_due_date(feedback.account.organization, at),
            )
            linked = NpsFeedback.objects.filter(pk=feedback.pk, follow_up__isnull=True).update(follow_up=follow_up)
            if not linked:
                raise _AlreadyLinked
    except _AlreadyLinked:
        return None
    feedback.follow_up = follow_up
    notices.detractor_follow_up(feedback, follow_up, told)
    return follow_up


@transaction.atomic
def feedback_close_loop(*, feedback: NpsFeedback, at: dt.datetime | None = None) -> FollowUp | None:
    """Open the detractor's follow-up (once) and flag a promoter. Returns the follow-up
    opened now, or None: not a detractor, one was opened before, or the feedback is
    history (received more than HISTORY_DAYS before ``at``, e.g. an import of past
    years: flagged, but too late to call back, and no flood of follow-ups and e-mails).
    ``at`` is when the loop runs (now; the demo seed runs it in the past)."""
    at = at or timezone.now()
    # Locked: two deliveries of the same feedback take turns, and the second sees the
    # link the first made.
    current = (
        NpsFeedback.objects.select_for_update(of=("self",))
        .select_related("account__organization", "account__lead__user", "contact", "team")
        .get(pk=feedback.pk)
    )
    promoter = is_promoter(kind=current.kind, score=current.score)
    if current.possible_reference != promoter:
        NpsFeedback.objects.filter(pk=current.pk).update(possible_reference=promoter)
    feedback.possible_reference = promoter
    if current.follow_up_id is not None or not is_detractor(kind=current.kind, score=current.score):
        return None
    if current.received_at < at - dt.timedelta(days=HISTORY_DAYS):
        return None
    follow_up = _open_follow_up(current, at)
    if follow_up is not None:
        feedback.follow_up = follow_up
    return follow_up


@transaction.atomic
def feedback_thank(*, actor, feedback: NpsFeedback) -> NpsFeedback:
    """Record that a promoter was thanked (the owning team's people, or an admin). Once:
    thanking again keeps the first time."""
    require_same_org(actor, feedback.account)
    if not has_full_access(actor, feedback.account):
        raise PermissionDenied(
            f"Only {feedback.account.owning_team.name}, which owns this account, thanks its contacts."
        )
    if not is_promoter(kind=feedback.kind, score=feedback.score):
        raise ValidationError({"feedback": "Only promoters are thanked here; a detractor gets a follow-up instead."})
    now = timezone.now()
    if NpsFeedback.objects.filter(pk=feedback.pk, thanked_at__isnull=True).update(thanked_at=now):
        feedback.thanked_at = now
    else:
        feedback.refresh_from_db(fields=["thanked_at"])
    return feedback
