"""The handoff lifecycle. Each move is one service: it locks the handoff, checks the
move is legal and the person may make it, stamps who and when, records an event and
marks the affected teams dirty for the collaboration score."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from surveys.services import mark_dirty
from teamhub.lib.tenancy import Role, require_role
from teams.access import manages_team
from teams.models import Handoff, HandoffEvent, Team, TeamMembership
from teams.services import notifications
from teams.services._common import functions_of

S = Handoff.Status
# Each move: the statuses it may start from, and where it leads.
MOVES = {
    "accept": ({S.OPEN}, S.ACCEPTED),
    "decline": ({S.OPEN}, S.DECLINED),
    "complete": ({S.ACCEPTED}, S.COMPLETED),
    "return": ({S.ACCEPTED}, S.RETURNED),
    "cancel": ({S.OPEN, S.ACCEPTED}, S.CANCELLED),
}


def is_recipient(membership: Membership, handoff: Handoff) -> bool:
    """The person it was handed to, or anyone on (or managing) the team it was handed to."""
    if handoff.to_member_id is not None:
        return handoff.to_member_id == membership.pk
    on_team = TeamMembership.objects.filter(team_id=handoff.to_team_id, membership=membership).exists()
    return on_team or manages_team(membership, handoff.to_team)


def _sender_team(actor: Membership, account) -> Team | None:
    """The sender's team it counts for: the account's team if they are on it, else their first."""
    team_ids = list(TeamMembership.objects.filter(membership=actor).values_list("team_id", flat=True))
    if account.owning_team_id in team_ids:
        return account.owning_team
    return Team.objects.filter(pk__in=team_ids).order_by("name").first()


def _receiving_team_ids(handoff: Handoff) -> list[int]:
    if handoff.to_team_id:
        return [handoff.to_team_id]
    return list(TeamMembership.objects.filter(membership_id=handoff.to_member_id).values_list("team_id", flat=True))


def _mark(handoff: Handoff) -> None:
    mark_dirty(
        organization_id=handoff.organization_id,
        teams=[handoff.sender_team_id, *_receiving_team_ids(handoff)],
        functions=functions_of([handoff.sender_id, handoff.to_member_id, handoff.accepted_by_id]),
        accounts=[handoff.account_id],
    )


@transaction.atomic
def handoff_create(
    *,
    actor: Membership,
    account,
    subject: str,
    to_member: Membership | None = None,
    to_team: Team | None = None,
    context: str = "",
    customer_expects: str = "",
    due_date=None,
    follow_up=None,
    at=None,
) -> Handoff:
    """Hand a customer need to one colleague or to a team."""
    if account.organization_id != actor.organization_id:
        raise ValidationError({"account": "Choose a customer of your organisation."})
    if (to_member is None) == (to_team is None):
        raise ValidationError({"to_member": "Hand it to one person or to one team."})
    if to_member is not None:
        if to_member.organization_id != actor.organization_id or not to_member.is_active:
            raise ValidationError({"to_member": "Choose an active colleague of your organisation."})
        if to_member.pk == actor.pk:
            raise ValidationError({"to_member": "Hand it to someone else: it is already yours."})
    if to_team is not None and to_team.organization_id != actor.organization_id:
        raise ValidationError({"to_team": "Choose a team of your organisation."})
    if follow_up is not None and follow_up.account_id != account.pk:
        raise ValidationError({"follow_up": "Choose a follow-up of this customer."})
    now = at or timezone.now()
    handoff = Handoff(
        organization=actor.organization,
        account=account,
        follow_up=follow_up,
        subject=subject,
        context=context,
        customer_expects=customer_expects,
        due_date=due_date,
        sender=actor,
        sender_team=_sender_team(actor, account),
        to_member=to_member,
        to_team=to_team,
        created_at=now,
        sla_hours=actor.organization.handoff_sla_hours,
    )
    handoff.full_clean()
    handoff.save()
    HandoffEvent.objects.create(handoff=handoff, from_status="", to_status=S.OPEN, by=actor, created_at=now)
    _mark(handoff)
    notifications.handoff_sent(handoff)
    return handoff


def _check_person(actor: Membership, handoff: Handoff, move: str) -> None:
    if move in ("accept", "decline") and not is_recipient(actor, handoff):
        raise PermissionDenied("Only the person or team it was handed to can accept or decline it.")
    if move in ("complete", "return") and handoff.accepted_by_id != actor.pk:
        raise PermissionDenied("Only the person who accepted it can complete or return it.")
    if move == "cancel" and handoff.sender_id != actor.pk:
        raise PermissionDenied("Only the sender can cancel it.")


def _move(
    actor: Membership, handoff: Handoff, move: str, *, reason: str = "", at=None, for_someone_leaving=False
) -> Handoff:
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if handoff.organization_id != actor.organization_id:
        raise PermissionDenied("This handoff belongs to another organisation.")
    starts, target = MOVES[move]
    verb = target.label.lower()
    if handoff.status not in starts:
        raise ValidationError({"status": f"A handoff that is {handoff.get_status_display().lower()} cannot be {verb}."})
    if not for_someone_leaving:  # else an admin moves it for the person, who no longer can
        _check_person(actor, handoff, move)
    if move in ("decline", "return") and not (reason or "").strip():
        raise ValidationError({"reason": f"Say why it is {verb}, so the sender knows what to do next."})
    now = at or timezone.now()
    before = handoff.status
    handoff.status = target
    fields = ["status"]
    if move == "accept":
        handoff.accepted_at, handoff.accepted_by = now, actor
        fields += ["accepted_at", "accepted_by"]
    else:
        handoff.closed_at = now
        fields.append("closed_at")
    if reason:
        handoff.reason = reason.strip()
        fields.append("reason")
    handoff.save(update_fields=fields)
    HandoffEvent.objects.create(
        handoff=handoff, from_status=before, to_status=handoff.status, by=actor, reason=reason.strip(), created_at=now
    )
    _mark(handoff)
    if move in ("decline", "return"):
        notifications.handoff_refused(handoff, by=actor)
    return handoff


@transaction.atomic
def handoff_accept(*, actor: Membership, handoff: Handoff, at=None) -> Handoff:
    """Take it on; for a handoff to a team, whoever of the team claims it first."""
    return _move(actor, handoff, "accept", at=at)


@transaction.atomic
def handoff_decline(*, actor: Membership, handoff: Handoff, reason: str, at=None) -> Handoff:
    return _move(actor, handoff, "decline", reason=reason, at=at)


@transaction.atomic
def handoff_complete(*, actor: Membership, handoff: Handoff, at=None) -> Handoff:
    return _move(actor, handoff, "complete", at=at)


@transaction.atomic
def handoff_return(*, actor: Membership, handoff: Handoff, reason: str, at=None) -> Handoff:
    return _move(actor, handoff, "return", reason=reason, at=at)


@transaction.atomic
def handoff_cancel(*, actor: Membership, handoff: Handoff, at=None) -> Handoff:
    return _move(actor, handoff, "cancel", at=at)


@transaction.atomic
def handoffs_release(*, actor: Membership, person: Membership) -> int:
    """Someone leaves: what was handed to them and not yet taken is declined, and what
    they had taken on is returned, each with the reason, so every sender hears of it
    and hands it on. Called when an admin deactivates them. Returns how many moved."""
    require_role(actor, Role.ADMIN)
    reason = f"{person.user.display_name} has left {person.organization.name}: please hand it to someone else."
    waiting = Handoff.objects.filter(to_member=person, status=S.OPEN)
    taken = Handoff.objects.filter(accepted_by=person, status=S.ACCEPTED)
    moved = 0
    for move, handoffs in (("decline", waiting), ("return", taken)):
        # Locked before reading, in a fixed order: a sender cancelling one meanwhile waits.
        for handoff in handoffs.select_for_update().order_by("pk"):
            _move(actor, handoff, move, reason=reason, for_someone_leaving=True)
            moved += 1
    return moved


# --- The SLA -------------------------------------------------------------------------------


def time_to_accept(handoff: Handoff) -> timedelta | None:
    return handoff.accepted_at - handoff.created_at if handoff.accepted_at else None


def is_breached(handoff: Handoff, now=None) -> bool:
    """Accepted later than the SLA allowed, or still open past it."""
    allowed = timedelta(hours=handoff.sla_hours)
    if handoff.accepted_at is not None:
        return handoff.accepted_at - handoff.created_at > allowed
    if handoff.status == S.OPEN:
        return (now or timezone.now()) - handoff.created_at > allowed
    return False
