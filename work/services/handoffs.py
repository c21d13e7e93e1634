"""The handoff lifecycle. Each move is one service: it locks the handoff, checks the
move is legal (``work.access.MOVES``) and the person may make it (the same rule the
page asks for its buttons), stamps who and when, records an event and marks the
affected teams dirty for the collaboration score."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from accounts.services import DEACTIVATE_MEMBERS
from outbox.models import DirtyScope
from outbox.services import mark_dirty
from teamhub.lib.actors import is_system, person, require_grant
from teamhub.lib.tenancy import Role, require_same_org
from teams.models import Team, TeamMembership
from teams.selectors import functions_of
from work import access, notices
from work.access import MOVES
from work.models import Handoff, HandoffEvent

S = Handoff.Status


def _team_for(someone: Membership | None, account) -> Team | None:
    """The team a person's part in a handoff counts for: the customer's own team when
    they are on it, else the first of their teams by name (None when on no team)."""
    if someone is None:
        return None
    team_ids = list(TeamMembership.objects.filter(membership=someone).values_list("team_id", flat=True))
    if account.owning_team_id in team_ids:
        return account.owning_team
    return Team.objects.filter(pk__in=team_ids).order_by("name").first()


def _mark(handoff: Handoff, *, at, also_teams=()) -> None:
    """Mark its teams, the functions of its people and its customer dirty, for the day it
    was sent (where it counts) and the day of this move."""
    mark_dirty(
        organization=handoff.organization,
        at=[handoff.created_at, at],
        teams=[handoff.sender_team_id, handoff.receiving_team_id, *also_teams],
        functions=functions_of([handoff.sender_id, handoff.to_member_id, handoff.accepted_by_id]),
        accounts=[handoff.account_id],
        kind=DirtyScope.Kind.ACTIVITY,
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
    require_same_org(actor, account, to_member, to_team)
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
        sender_team=_team_for(actor, account),
        to_member=to_member,
        to_team=to_team,
        # Where it was received: the team, or the person's team (set again on acceptance).
        receiving_team=to_team or _team_for(to_member, account),
        created_at=now,
        sla_hours=actor.organization.handoff_sla_hours,
    )
    handoff.full_clean()
    handoff.save()
    HandoffEvent.objects.create(handoff=handoff, from_status="", to_status=S.OPEN, by=actor, created_at=now)
    _mark(handoff, at=now)
    notices.handoff_sent(handoff)
    return handoff


def _move(
    actor: Membership, handoff: Handoff, move: str, *, reason: str = "", at=None, for_someone_leaving=False
) -> Handoff:
    # Only the handoff's row is locked (of=self): the organisation and the customer are
    # read with it, and locking them would queue every move in the organisation.
    handoff = (
        Handoff.objects.select_for_update(of=("self",)).select_related("organization", "account").get(pk=handoff.pk)
    )
    require_same_org(actor, handoff)
    starts, target = MOVES[move]
    verb = target.label.lower()
    if handoff.status not in starts:
        raise ValidationError({"status": f"A handoff that is {handoff.get_status_display().lower()} cannot be {verb}."})
    if not for_someone_leaving:  # else it is moved for the person, who no longer can
        access.require_may_make(actor, handoff, move)
    if move in ("decline", "return") and not (reason or "").strip():
        raise ValidationError({"reason": f"Say why it is {verb}, so the sender knows what to do next."})
    now = at or timezone.now()
    before, received_by = handoff.status, handoff.receiving_team_id
    handoff.status = target
    fields = ["status"]
    if move == "accept":
        handoff.accepted_at, handoff.accepted_by = now, person(actor)
        # The team that took it on: the one handed it, or the accepting person's team now.
        handoff.receiving_team = handoff.to_team or _team_for(actor, handoff.account)
        fields += ["accepted_at", "accepted_by", "receiving_team"]
    else:
        handoff.closed_at = now
        fields.append("closed_at")
    if reason:
        handoff.reason = reason.strip()
        fields.append("reason")
    handoff.save(update_fields=fields)
    HandoffEvent.objects.create(
        handoff=handoff,
        from_status=before,
        to_status=handoff.status,
        by=person(actor),
        by_system=actor.name if is_system(actor) else "",
        reason=reason.strip(),
        created_at=now,
    )
    _mark(handoff, at=now, also_teams=[received_by])
    if move in ("decline", "return"):
        notices.handoff_refused(handoff, by=actor)
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
def handoffs_release(*, actor, leaving: Membership) -> int:
    """Someone leaves: what was handed to them and not yet taken is declined, and what
    they had taken on is returned, each with the reason, so every sender hears of it
    and hands it on. Called when they are deactivated — by an admin, or by an
    integration granted DEACTIVATE_MEMBERS. Returns how many moved."""
    require_grant(actor, DEACTIVATE_MEMBERS, role=Role.ADMIN)
    require_same_org(actor, leaving)
    reason = f"{leaving.user.display_name} has left {leaving.organization.name}: please hand it to someone else."
    waiting = Handoff.objects.filter(to_member=leaving, status=S.OPEN)
    taken = Handoff.objects.filter(accepted_by=leaving, status=S.ACCEPTED)
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
