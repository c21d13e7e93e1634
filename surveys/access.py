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
