"""Who may do what in teams/: one place per entity, as teamhub.lib.tenancy describes.

Reads are open to everyone in the organisation (the directory, goals and teams are how
people learn whom to ask). Writes: admins configure organisation-wide things; a
team's managers run that team; people edit their own strengths and, with their
manager, their own excellence criteria.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Membership
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role
from teams.models import ExcellenceCriterion, Goal, KeyResult, Team, TeamMembership


def manages_team(membership: Membership, team: Team) -> bool:
    if membership.organization_id != team.organization_id:
        return False
    if has_role(membership, Role.ADMIN):
        return True
    if not has_role(membership, Role.MANAGER):
        return False
    return team.managers.filter(pk=membership.pk).exists()


def require_team_manager(membership: Membership, team: Team) -> None:
    if not manages_team(membership, team):
        raise PermissionDenied("Only this team's managers (or an admin) can do this.")


def can_edit_goal(membership: Membership, goal: Goal) -> bool:
    """Admins edit every goal, managers their teams' goals, owners their own."""
    if membership.organization_id != goal.organization_id:
        return False
    if has_role(membership, Role.ADMIN) or goal.owner_id == membership.pk:
        return True
    return goal.team_id is not None and manages_team(membership, goal.team)


def require_goal_editor(membership: Membership, goal: Goal) -> None:
    if not can_edit_goal(membership, goal):
        raise PermissionDenied("Only the goal's owner, its team's managers or an admin can change it.")


def can_edit_excellence(membership: Membership, team_membership: TeamMembership) -> bool:
    """The person themselves and their team's managers adapt their criteria."""
    if membership.organization_id != team_membership.team.organization_id:
        return False
    return team_membership.membership_id == membership.pk or manages_team(membership, team_membership.team)


def require_excellence_editor(membership: Membership, team_membership: TeamMembership) -> None:
    if not can_edit_excellence(membership, team_membership):
        raise PermissionDenied("Only this person and their team's managers can change their excellence criteria.")


# --- Lookups that answer 404 for another organisation's rows, then 403 for a refusal ---


def access_team(*, membership: Membership, team_id, write: bool = False) -> Team:
    team = get_visible_or_404(Team.objects.all(), membership, pk=team_id)
    if write:
        require_team_manager(membership, team)
    return team


def access_goal(*, membership: Membership, goal_id, write: bool = False) -> Goal:
    goal = get_visible_or_404(Goal.objects.select_related("team"), membership, pk=goal_id)
    if write:
        require_goal_editor(membership, goal)
    return goal


def access_key_result(*, membership: Membership, key_result_id, write: bool = False) -> KeyResult:
    key_result = get_visible_or_404(KeyResult.objects.select_related("goal__team"), membership, pk=key_result_id)
    if write:
        require_goal_editor(membership, key_result.goal)
    return key_result


def access_team_membership(*, membership: Membership, team_membership_id, write: bool = False) -> TeamMembership:
    queryset = TeamMembership.objects.select_related("team", "membership__user", "job_role__function")
    team_membership = get_visible_or_404(queryset, membership, pk=team_membership_id)
    if write:
        require_team_manager(membership, team_membership.team)
    return team_membership


def access_criterion(*, membership: Membership, criterion_id, write: bool = False) -> ExcellenceCriterion:
    queryset = ExcellenceCriterion.objects.select_related("team_membership__team")
    criterion = get_visible_or_404(queryset, membership, pk=criterion_id)
    if write:
        require_excellence_editor(membership, criterion.team_membership)
    return criterion
