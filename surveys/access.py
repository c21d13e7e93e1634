"""Who may see and change surveys, and who may answer a round: one place per entity.

Admins build and run any survey. Managers see the organisation's surveys and build and
run those addressed only to teams they manage. Members do not browse surveys: they
answer the rounds they were invited to, and nobody sees anyone's answers.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Membership
from surveys.models import Question, Survey, SurveyInvitation, SurveyRound
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role, require_role
from teams.models import Team


def managed_team_ids(membership: Membership) -> set[int]:
    return set(Team.objects.filter(managers=membership).values_list("pk", flat=True))


def may_address(membership: Membership, audience: str, team_ids) -> bool:
    """Whether the person may send a survey to this audience: admins to anyone, managers
    to teams they manage (at least one, all of them theirs)."""
    if has_role(membership, Role.ADMIN):
        return True
    if not has_role(membership, Role.MANAGER) or audience != Survey.Audience.TEAMS:
        return False
    team_ids = set(team_ids)
    return bool(team_ids) and team_ids <= managed_team_ids(membership)


def can_manage_survey(membership: Membership, survey: Survey) -> bool:
    if survey.organization_id != membership.organization_id:
        return False
    return may_address(membership, survey.audience, survey.teams.values_list("pk", flat=True))


def require_survey_manager(membership: Membership, survey: Survey) -> None:
    if not can_manage_survey(membership, survey):
        raise PermissionDenied("Only an admin, or the managers of every team it is for, can change this survey.")


def access_survey(*, membership: Membership, survey_id, write: bool = False) -> Survey:
    """Another organisation's survey is not found; members, who answer surveys but do not
    browse them, are refused one of theirs (403); ``write`` needs a manager of it."""
    survey = get_visible_or_404(Survey.objects.all(), membership, pk=survey_id)
    require_role(membership, Role.MANAGER)
    if write:
        require_survey_manager(membership, survey)
    return survey


def access_question(*, membership: Membership, question_id, write: bool = False) -> Question:
    question = get_visible_or_404(Question.objects.select_related("survey"), membership, pk=question_id)
    require_role(membership, Role.MANAGER)
    if write:
        require_survey_manager(membership, question.survey)
    return question


def access_invitation(*, membership: Membership, round_id) -> SurveyInvitation:
    """The person's own invitation to a round that has opened: the only way to a round's
    questions for someone answering. Anyone else's round is not found."""
    invitation = (
        SurveyInvitation.objects.select_related("round__survey", "round__organization")
        .filter(membership=membership, round_id=round_id, round__organization_id=membership.organization_id)
        .exclude(round__status=SurveyRound.Status.SCHEDULED)
        .first()
    )
    if invitation is None:
        raise Http404("No survey round matches the given query.")
    return invitation


def may_read_results(membership: Membership, survey: Survey) -> bool:
    """Admins read every survey's results. A manager reads those of a survey for everyone
    or for functions (the organisation's figures are then an organisation-wide
    aggregate), or for teams they all manage — not one for another manager's team,
    whose organisation figure would simply be that team's."""
    if has_role(membership, Role.ADMIN):
        return True
    if not has_role(membership, Role.MANAGER):
        return False
    return survey.audience != Survey.Audience.TEAMS or can_manage_survey(membership, survey)


def require_results_reader(membership: Membership, survey: Survey) -> None:
    if not may_read_results(membership, survey):
        raise PermissionDenied("Only an admin, or the managers of every team it asked, can read these results.")


def access_round(*, membership: Membership, round_id) -> SurveyRound:
    """A round of the organisation, for reading its results (see ``may_read_results``;
    what each reader sees of them is narrowed in surveys.results). Members are refused
    (403); another organisation's round is not found."""
    round_ = get_visible_or_404(SurveyRound.objects.select_related("survey", "organization"), membership, pk=round_id)
    require_role(membership, Role.MANAGER)
    require_results_reader(membership, round_.survey)
    return round_


# --- Scores -------------------------------------------------------------------------------


def _teams_on(membership: Membership):
    return Team.objects.filter(memberships__membership=membership).values("pk")


def _score_scope_visible(membership: Membership, scope_type: str, scope_id: int) -> bool:
    from customers.models import CustomerAccount
    from surveys.models.scores import ScopeType
    from teams.models import Function

    org_id = membership.organization_id
    if scope_type == ScopeType.ORGANIZATION:
        return scope_id == org_id
    if scope_type == ScopeType.ACCOUNT:
        return CustomerAccount.objects.in_full_for(membership).filter(pk=scope_id).exists()
    if scope_type == ScopeType.FUNCTION:
        return has_role(membership, Role.MANAGER) and Function.objects.for_org(org_id).filter(pk=scope_id).exists()
    teams = Team.objects.for_org(org_id).filter(pk=scope_id)
    if not has_role(membership, Role.ADMIN):
        teams = teams.filter(pk__in=_teams_on(membership)) | (
            teams.filter(managers=membership) if has_role(membership, Role.MANAGER) else teams.none()
        )
    return teams.exists()


def access_scores(*, membership: Membership, scope_type: str | None = None, scope_id: int | None = None):
    """The score snapshots the person may read, narrowed to one scope if given: the one
    rule every scores endpoint and page uses (README, "Who may do what").

    Admins read everything. Managers read the teams they manage, the organisation's
    aggregates and the functions (a suppressed one as "not enough responses"). Members
    read their own teams' and the organisation's scores that are not suppressed — a
    suppressed one does not exist for them. Everyone reads the customer accounts they
    have full access to. A scope of another organisation, or one the person may not
    read, is not found (404)."""
    from django.db.models import Q

    from customers.models import CustomerAccount
    from surveys.models import ScoreSnapshot
    from surveys.models.scores import ScopeType

    org_id = membership.organization_id
    snapshots = ScoreSnapshot.objects.for_org(org_id)
    if not has_role(membership, Role.ADMIN):
        in_full = CustomerAccount.objects.in_full_for(membership).values("pk")
        visible = Q(scope_type=ScopeType.ACCOUNT, scope_id__in=in_full)
        visible |= Q(suppressed=False) & (
            Q(scope_type=ScopeType.ORGANIZATION, scope_id=org_id)
            | Q(scope_type=ScopeType.TEAM, scope_id__in=_teams_on(membership))
        )
        if has_role(membership, Role.MANAGER):
            managed = Team.objects.filter(managers=membership).values("pk")
            visible |= Q(scope_type__in=[ScopeType.ORGANIZATION, ScopeType.FUNCTION])
            visible |= Q(scope_type=ScopeType.TEAM, scope_id__in=managed)
        snapshots = snapshots.filter(visible)
    if scope_type is not None:
        if not _score_scope_visible(membership, scope_type, scope_id):
            raise Http404("No scope of scores matches the given query.")
        snapshots = snapshots.filter(scope_type=scope_type, scope_id=scope_id)
    return snapshots


def access_score_run(*, membership: Membership, run_id):
    """An admin's "recompute now" run: another organisation's is not found; only admins
    see one (others 403, after the 404 check)."""
    from surveys.models import ScoreRun

    run = get_visible_or_404(ScoreRun.objects.select_related("requested_by__user"), membership, pk=run_id)
    require_role(membership, Role.ADMIN)
    return run
