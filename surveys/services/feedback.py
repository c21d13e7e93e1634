"""Recording customer feedback: one service for every way it arrives.

A contact's link, the bulk API, a signed webhook and a CSV import all call
``feedback_record``, so a score is checked, attributed to the team owning the account
at that moment and marked for scoring the same way whatever brought it. A response
the sender already delivered (same channel and external id) is found, not doubled.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.access import can_manage_account
from customers.models import Contact, CustomerAccount
from outbox.models import DirtyScope
from outbox.services import mark_dirty
from surveys.models import NpsFeedback, NpsRound
from surveys.models.feedback import SCORE_RANGES, FeedbackKind
from surveys.services.loop import feedback_close_loop
from teamhub.lib.actors import is_system, require_grant
from teamhub.lib.tenancy import Role, require_same_org

# TeamHub itself records feedback for a contact's link, a webhook and an import.
RECORD_FEEDBACK = "surveys.record_feedback"
COMMENT_LIMIT = 4000


def _check(*, kind, score, comment, account, contact, round_) -> int:
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of feedback (nps or csat)."})
    low, high = SCORE_RANGES[FeedbackKind(kind)]
    if isinstance(score, bool):
        raise ValidationError({"score": f"The score must be a whole number from {low} to {high}."})
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise ValidationError({"score": f"The score must be a whole number from {low} to {high}."}) from None
    if value != score and str(score).strip() != str(value):
        raise ValidationError({"score": f"The score must be a whole number from {low} to {high}."})
    if not low <= value <= high:
        raise ValidationError({"score": f"The score must be from {low} to {high}."})
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError({"comment": f"Keep the comment under {COMMENT_LIMIT} characters."})
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": "The contact is not one of this account's."})
    if round_ is not None and round_.kind != kind:
        raise ValidationError({"kind": "The feedback's kind must be the round's."})
    return value


def _require_may_record(actor, account: CustomerAccount) -> None:
    """Admins and the managers of the owning team record feedback by hand or API; the
    system needs RECORD_FEEDBACK. Either way, only for its own organisation."""
    require_grant(actor, RECORD_FEEDBACK, role=Role.MANAGER)
    require_same_org(actor, account)
    if not is_system(actor) and not can_manage_account(actor, account):
        raise PermissionDenied(f"Only an admin or a manager of {account.owning_team.name} records its feedback.")


@transaction.atomic
def feedback_record(
    *,
    actor,
    account: CustomerAccount,
    score,
    channel: str,
    kind: str = FeedbackKind.NPS,
    contact: Contact | None = None,
    comment: str = "",
    round_: NpsRound | None = None,
    external_id: str = "",
    received_at=None,
) -> tuple[NpsFeedback, bool]:
    """Store one answer; returns (feedback, created). The same external id on the same
    channel returns the stored row unchanged (a retried webhook, a re-imported file)."""
    _require_may_record(actor, account)
    require_same_org(actor, round_)
    if channel not in NpsFeedback.Channel.values:
        raise ValidationError({"channel": f"“{channel}” is not a feedback channel."})
    comment = (comment or "").strip()
    external_id = (external_id or "").strip()
    value = _check(kind=kind, score=score, comment=comment, account=account, contact=contact, round_=round_)
    changed = _change_answer(round_=round_, contact=contact, score=value, comment=comment)
    if changed is not None:
        _mark(changed)
        feedback_close_loop(feedback=changed)  # a 7 changed to a 3 is a detractor now
        return changed, False
    if external_id:
        existing = NpsFeedback.objects.filter(
            organization_id=account.organization_id, channel=channel, external_id=external_id
        ).first()
        if existing is not None:
            return existing, False
    received_at = received_at or timezone.now()
    feedback = NpsFeedback(
        organization_id=account.organization_id,
        account=account,
        contact=contact,
        team_id=account.owning_team_id,
        kind=kind,
        score=value,
        comment=comment,
        channel=channel,
        round=round_,
        external_id=external_id,
        received_at=received_at,
    )
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        # Delivered twice at once: the other delivery's row stands.
        existing = NpsFeedback.objects.filter(
            organization_id=account.organization_id, channel=channel, external_id=external_id
        ).first()
        if external_id and existing is not None:
            return existing, False
        raise
    _mark(feedback)
    # A detractor opens its follow-up, a promoter is flagged (surveys.services.loop);
    # call it again whenever a score changes: it opens one follow-up at most.
    feedback_close_loop(feedback=feedback)
    return feedback, True


def _change_answer(*, round_, contact, score: int, comment: str) -> NpsFeedback | None:
    """A contact answering a round they answered already changes that answer, in place
    (one row per round and contact; the round's page lets them until it closes). It
    keeps the team and time of the first answer. None when there is nothing to change."""
    if round_ is None or contact is None:
        return None
    feedback = NpsFeedback.objects.select_for_update().filter(round=round_, contact=contact).first()
    if feedback is None:
        return None
    feedback.score, feedback.comment = score, comment
    feedback.save(update_fields=["score", "comment", "updated_at"])
    return feedback


def _mark(feedback: NpsFeedback) -> None:
    mark_dirty(
        organization=feedback.account.organization,
        at=feedback.received_at,
        teams=[feedback.team_id],
        accounts=[feedback.account_id],
        kind=DirtyScope.Kind.ACTIVITY,
    )
