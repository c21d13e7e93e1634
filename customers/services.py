"""Writes for customers: one function per use case, each its own transaction.

Pages, the API, the admin and the CSV import all go through these.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Q, When
from django.utils import timezone

from accounts.models import Membership
from customers.access import require_account_manager, require_full_access
from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from outbox.models import DirtyScope
from outbox.services import mark_dirty
from teamhub.lib.actors import is_system, person, require_grant
from teamhub.lib.tenancy import Role, has_role, require_same_org
from teams.access import manages_team
from teams.models import Team

# What an integration or one of TeamHub's own jobs may be granted (teamhub.lib.actors):
# a CRM sync keeps accounts current; the NPS loop opens a follow-up for a detractor.
UPDATE_ACCOUNTS = "customers.update_accounts"
CREATE_FOLLOW_UPS = "customers.create_follow_ups"

ACCOUNT_FIELDS = ("name", "external_ref", "segment", "status", "annual_revenue", "lead")
CONTACT_FIELDS = (
    "name",
    "email",
    "phone",
    "title",
    "preferred_channel",
    "preferences",
    "personal_notes",
    "survey_opt_out",
    "last_interaction_at",
)
# Editing these counts as reviewing what the team remembers about the person.
REMEMBERED_FIELDS = {"preferences", "personal_notes"}


def _apply(instance, changes: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(instance, field, value)
    return list(changes)


def _check_team(actor: Membership, team: Team, field: str = "owning_team") -> None:
    if team is None or team.organization_id != actor.organization_id:
        raise ValidationError({field: "Choose a team of your organisation."})


def _check_lead(account: CustomerAccount) -> None:
    lead = account.lead
    if lead is not None and (lead.organization_id != account.organization_id or not lead.is_active):
        raise ValidationError({"lead": "The account lead must be an active person of your organisation."})


def _check_external_ref(account: CustomerAccount) -> None:
    account.external_ref = (account.external_ref or "").strip()
    if not account.external_ref:
        return
    clash = CustomerAccount.objects.filter(organization_id=account.organization_id, external_ref=account.external_ref)
    if clash.exclude(pk=account.pk).exists():
        raise ValidationError({"external_ref": "Another account already has this external reference."})


# --- Accounts -----------------------------------------------------------------------------------


@transaction.atomic
def account_create(*, actor: Membership, name: str, owning_team: Team, **fields) -> CustomerAccount:
    """A new account for a team: its managers (or an admin) add it."""
    _check_team(actor, owning_team)
    if not manages_team(actor, owning_team):
        raise PermissionDenied(f"Only the managers of {owning_team.name} (or an admin) can add its accounts.")
    account = CustomerAccount(organization=actor.organization, name=name, owning_team=owning_team)
    _apply(account, fields, ACCOUNT_FIELDS)
    _check_external_ref(account)
    _check_lead(account)
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def account_update(*, actor: Membership, account: CustomerAccount, **changes) -> CustomerAccount:
    """The owning team's managers (or an admin) change an account; so may an integration
    granted UPDATE_ACCOUNTS."""
    if is_system(actor):
        require_grant(actor, UPDATE_ACCOUNTS)
        require_same_org(actor, account)
    else:
        require_account_manager(actor, account)
    fields = _apply(account, changes, ACCOUNT_FIELDS)
    _check_external_ref(account)
    _check_lead(account)
    account.full_clean()
    account.save(update_fields=[*fields, "updated_at"] if fields else None)
    return account


@transaction.atomic
def account_transfer(*, actor: Membership, account: CustomerAccount, to_team: Team, reason: str) -> OwnershipChange:
    """Hand the account to another team, recording from, to, who, when and why.

    The owning team's managers (or an admin) decide. The lead stays only if they are on
    the new team.
    """
    require_account_manager(actor, account)
    _check_team(actor, to_team, field="to_team")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the account moves; the history keeps it."})
    account = CustomerAccount.objects.select_for_update().get(pk=account.pk)
    if to_team.pk == account.owning_team_id:
        raise ValidationError({"to_team": f"{to_team.name} already owns this account."})
    change = OwnershipChange.objects.create(
        account=account, from_team_id=account.owning_team_id, to_team=to_team, reason=reason.strip(), changed_by=actor
    )
    account.owning_team = to_team
    fields = ["owning_team", "updated_at"]
    lead_on_new_team = (
        to_team.memberships.filter(membership_id=account.lead_id).exists()
        or to_team.managers.filter(pk=account.lead_id).exists()
    )
    if account.lead_id and not lead_on_new_team:
        account.lead = None
        fields.append("lead")
    account.save(update_fields=fields)
    # From today its customers' feedback counts for the new team: both teams' scores move.
    mark_dirty(
        organization=account.organization,
        at=change.created_at,
        teams=[change.from_team_id, to_team.pk],
        accounts=[account.pk],
        kind=DirtyScope.Kind.ACTIVITY,
    )
    return change


# --- Contacts -------------------------------------------------------------------------------------


@transaction.atomic
def contact_create(*, actor: Membership, account: CustomerAccount, name: str, **fields) -> Contact:
    require_full_access(actor, account)
    contact = Contact(account=account, name=name)
    _apply(contact, fields, CONTACT_FIELDS)
    if REMEMBERED_FIELDS & {f for f, v in fields.items() if v}:
        contact.notes_reviewed_at = timezone.now()
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, actor: Membership, contact: Contact, **changes) -> Contact:
    """Edit a contact. Touching what the team remembers about them marks it reviewed."""
    require_full_access(actor, contact.account)
    fields = _apply(contact, changes, CONTACT_FIELDS)
    if REMEMBERED_FIELDS & set(changes):
        contact.notes_reviewed_at = timezone.now()
        fields.append("notes_reviewed_at")
    contact.full_clean()
    contact.save(update_fields=fields or None)
    return contact


@transaction.atomic
def contact_mark_reviewed(*, actor: Membership, contact: Contact) -> Contact:
    """The notes were read and are still right."""
    require_full_access(actor, contact.account)
    contact.notes_reviewed_at = timezone.now()
    contact.save(update_fields=["notes_reviewed_at"])
    return contact


@transaction.atomic
def contact_delete(*, actor: Membership, contact: Contact) -> None:
    require_full_access(actor, contact.account)
    contact.delete()


# --- Follow-ups ---------------------------------------------------------------------------------------

# Follow-ups that must say what was done before they are closed (done or cancelled).
# customers cannot know where a follow-up came from — surveys, above it, opens them for
# detractors — so the app that opens them registers a condition on FollowUp rows and
# why; a condition, not a function, so a page marks them all in the query it makes.
_outcome_rules: list[tuple[Q, str]] = []


def register_outcome_required(condition: Q, reason: str) -> None:
    if all(existing != condition for existing, _ in _outcome_rules):
        _outcome_rules.append((condition, reason))


def outcome_required_condition() -> Q:
    """Matches the follow-ups that need an outcome to close (none when nothing registered)."""
    condition = Q(pk__in=[])
    for rule, _ in _outcome_rules:
        condition |= rule
    return condition


def with_outcome_required(follow_ups):
    """The follow-ups annotated ``needs_outcome``, for a page to ask for one up front."""
    flag = Case(When(outcome_required_condition(), then=True), default=False, output_field=BooleanField())
    return follow_ups.annotate(needs_outcome=flag)


def outcome_required(follow_up: FollowUp) -> str | None:
    """Why this follow-up needs an outcome to close, or None."""
    for rule, reason in _outcome_rules:
        if FollowUp.objects.filter(rule, pk=follow_up.pk).exists():
            return reason
    return None


def _check_outcome(follow_up: FollowUp) -> None:
    if follow_up.is_closed and not (follow_up.outcome or "").strip():
        reason = outcome_required(follow_up)
        if reason:
            raise ValidationError({"outcome": reason})


TRANSITIONS = {
    FollowUp.Status.OPEN: {FollowUp.Status.IN_PROGRESS, FollowUp.Status.DONE, FollowUp.Status.CANCELLED},
    FollowUp.Status.IN_PROGRESS: {FollowUp.Status.OPEN, FollowUp.Status.DONE, FollowUp.Status.CANCELLED},
    FollowUp.Status.DONE: {FollowUp.Status.IN_PROGRESS},  # reopened: the need came back
    FollowUp.Status.CANCELLED: {FollowUp.Status.OPEN},
}


def _check_follow_up_people(follow_up: FollowUp) -> None:
    owner = follow_up.owner
    if owner is not None and (owner.organization_id != follow_up.account.organization_id or not owner.is_active):
        raise ValidationError({"owner": "The owner must be an active person of your organisation."})
    if follow_up.contact is not None and follow_up.contact.account_id != follow_up.account_id:
        raise ValidationError({"contact": "Choose a contact of this account."})


@transaction.atomic
def follow_up_create(*, actor: Membership, account: CustomerAccount, summary: str, at=None, **fields) -> FollowUp:
    """The owning team's people open a follow-up (theirs unless they name an owner); so
    may TeamHub itself when granted CREATE_FOLLOW_UPS (the account's lead owns it then)."""
    if is_system(actor):
        require_grant(actor, CREATE_FOLLOW_UPS)
        require_same_org(actor, account)
    else:
        require_full_access(actor, account)
    follow_up = FollowUp(
        account=account,
        summary=summary,
        team_id=account.owning_team_id,
        created_at=at or timezone.now(),
        created_by=person(actor),
        owner=fields.pop("owner", None) or person(actor) or account.lead,
    )
    _apply(follow_up, fields, ("contact", "due_date"))
    _check_follow_up_people(follow_up)
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_update(*, actor: Membership, follow_up: FollowUp, **changes) -> FollowUp:
    """Edit the summary, contact, owner or due date; status changes go through
    :func:`follow_up_set_status`."""
    require_full_access(actor, follow_up.account)
    fields = _apply(follow_up, changes, ("summary", "contact", "owner", "due_date", "outcome"))
    _check_follow_up_people(follow_up)
    if "outcome" in changes:
        _check_outcome(follow_up)
    follow_up.full_clean()
    follow_up.save(update_fields=fields or None)
    return follow_up


@transaction.atomic
def follow_up_set_status(
    *, actor: Membership, follow_up: FollowUp, status: str, outcome: str | None = None, at=None
) -> FollowUp:
    """Move a follow-up along, stamping the turnaround times.

    The first move out of *open* is the first response; *done* is the resolution (and
    the first response too, if nothing came before). Reopening clears the resolution.
    """
    require_full_access(actor, follow_up.account)
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("account").get(pk=follow_up.pk)
    if status not in FollowUp.Status.values:
        raise ValidationError({"status": f"“{status}” is not a follow-up status."})
    if status not in TRANSITIONS[follow_up.status]:
        current, wanted = follow_up.get_status_display().lower(), FollowUp.Status(status).label.lower()
        raise ValidationError({"status": f"A follow-up that is {current} cannot become {wanted}."})
    now = at or timezone.now()
    if status != FollowUp.Status.OPEN and follow_up.first_response_at is None and status != FollowUp.Status.CANCELLED:
        follow_up.first_response_at = now
    follow_up.resolved_at = now if status == FollowUp.Status.DONE else None
    follow_up.status = status
    if outcome is not None:
        follow_up.outcome = outcome
    _check_outcome(follow_up)
    follow_up.full_clean()
    follow_up.save(update_fields=["status", "first_response_at", "resolved_at", "outcome"])
    return follow_up


def can_import(actor: Membership) -> bool:
    """Managers and admins import accounts (for the teams they manage)."""
    return has_role(actor, Role.MANAGER)
