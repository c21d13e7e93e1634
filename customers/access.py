"""Who may do what with customers: one place per entity.

Everyone in the organisation may find an account and see its name, owning team and
lead, so they know whom to ask. Its details (contacts with their preferences,
follow-ups, ownership history) belong to the people of the owning team — its members
and managers — and to admins. Those people keep contacts and follow-ups up to date;
the owning team's managers and admins change the account itself, transfer it, and
import accounts.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Membership
from customers.models import Contact, CustomerAccount, FollowUp
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role
from teams.access import manages_team
from teams.models import TeamMembership


def has_full_access(membership: Membership, account: CustomerAccount) -> bool:
    if membership.organization_id != account.organization_id:
        return False
    if has_role(membership, Role.ADMIN) or manages_team(membership, account.owning_team):
        return True
    return TeamMembership.objects.filter(team_id=account.owning_team_id, membership=membership).exists()


def can_manage_account(membership: Membership, account: CustomerAccount) -> bool:
    return membership.organization_id == account.organization_id and manages_team(membership, account.owning_team)


def require_full_access(membership: Membership, account: CustomerAccount) -> None:
    if not has_full_access(membership, account):
        raise PermissionDenied(f"Only {account.owning_team.name}, which owns this account, works on its details.")


def require_account_manager(membership: Membership, account: CustomerAccount) -> None:
    if not can_manage_account(membership, account):
        raise PermissionDenied(f"Only the managers of {account.owning_team.name} (or an admin) can do this.")


# --- Lookups: 404 for another organisation's rows (or details the role may not see) --------


def access_account(*, membership: Membership, account_id, full: bool = False, manage: bool = False):
    """The account by id: 404 outside the organisation; with ``full``, 403 unless the
    membership works on its details; with ``manage``, 403 unless they manage it."""
    queryset = CustomerAccount.objects.select_related("owning_team", "lead__user")
    account = get_visible_or_404(queryset, membership, pk=account_id)
    if manage:
        require_account_manager(membership, account)
    elif full:
        require_full_access(membership, account)
    return account


def access_contact(*, membership: Membership, contact_id) -> Contact:
    """Contacts exist only for people with full access to their account (else 404)."""
    return get_visible_or_404(Contact.objects.select_related("account__owning_team"), membership, pk=contact_id)


def access_follow_up(*, membership: Membership, follow_up_id) -> FollowUp:
    queryset = FollowUp.objects.select_related("account__owning_team", "contact", "owner__user")
    return get_visible_or_404(queryset, membership, pk=follow_up_id)
