from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from notifications import webhooks
from outbox.services import mark_dirty
from teamhub.lib.tenancy import Role, has_role, require_role
from teams.access import require_team_manager
from teams.models import Commitment, JobRole, Stage, StageChange, Team, TeamCommitment, TeamMembership
from teams.services._common import apply_changes, require_unique_name, save_valid
from teams.services.excellence import criteria_replace_from_role

# --- Teams -----------------------------------------------------------------------------------


def _check_managers(actor: Membership, managers: list[Membership]) -> None:
    for manager in managers:
        if manager.organization_id != actor.organization_id or not manager.is_active:
            raise ValidationError({"managers": "Managers must be active people of your organisation."})
        if not has_role(manager, Role.MANAGER):
            raise ValidationError({"managers": f"{manager.user.display_name} needs the manager or admin role first."})


def _valid_webhook_url(url: str | None) -> str:
    url = (url or "").strip()
    if url:
        webhooks.validate_webhook_url(url)
    return url


@transaction.atomic
def team_create(
    *, actor: Membership, name: str, mission: str = "", managers: list[Membership] = (), webhook_url: str = ""
) -> Team:
    require_role(actor, Role.ADMIN)
    _check_managers(actor, list(managers))
    require_unique_name(Team.objects.for_org(actor.organization_id), name, what="A team")
    webhook_url = _valid_webhook_url(webhook_url)
    team = save_valid(Team(organization=actor.organization, name=name, mission=mission, webhook_url=webhook_url))
    team.managers.set(managers)
    return team


@transaction.atomic
def team_update(*, actor: Membership, team: Team, **changes) -> Team:
    """Name, mission and webhook: the team's managers; who manages it: admins only."""
    require_team_manager(actor, team)
    managers = changes.pop("managers", None)
    if "webhook_url" in changes:
        changes["webhook_url"] = _valid_webhook_url(changes["webhook_url"])
    fields = apply_changes(team, changes, allowed=("name", "mission", "webhook_url"))
    require_unique_name(Team.objects.for_org(team.organization_id), team.name, instance=team, what="A team")
    save_valid(team, update_fields=fields or None)
    if managers is not None:
        require_role(actor, Role.ADMIN)
        _check_managers(actor, list(managers))
        team.managers.set(managers)
    return team


def team_webhook_test(*, actor: Membership, team: Team) -> None:
    """Post a test message to the team's webhook at once, so whoever set it up sees
    whether it works; raises ValidationError with the reason when it does not."""
    require_team_manager(actor, team)
    if not team.webhook_url:
        raise ValidationError({"webhook_url": f"{team.name} has no webhook to test."})
    text = f"TeamHub is connected: {team.name}'s handoffs and spotlights will appear here."
    try:
        webhooks.post_message(team.webhook_url, text)
    except webhooks.WebhookError as exc:
        raise ValidationError({"webhook_url": str(exc)}) from exc


# --- Members ---------------------------------------------------------------------------------


def _check_job_role(team: Team, job_role: JobRole | None) -> None:
    if job_role is not None and job_role.organization_id != team.organization_id:
        raise ValidationError({"job_role": "Choose a role of your organisation."})


@transaction.atomic
def team_member_add(
    *,
    actor: Membership,
    team: Team,
    membership: Membership,
    team_role: str = TeamMembership.TeamRole.MEMBER,
    job_role: JobRole | None = None,
) -> TeamMembership:
    """Put someone on the team; their role's excellence template becomes theirs."""
    require_team_manager(actor, team)
    if membership.organization_id != team.organization_id or not membership.is_active:
        raise ValidationError({"membership": "Choose an active person of your organisation."})
    if TeamMembership.objects.filter(team=team, membership=membership).exists():
        raise ValidationError({"membership": f"{membership.user.display_name} is already on {team.name}."})
    _check_job_role(team, job_role)
    team_membership = save_valid(
        TeamMembership(team=team, membership=membership, team_role=team_role, job_role=job_role)
    )
    criteria_replace_from_role(actor=actor, team_membership=team_membership)
    _mark_people_changed(team, job_role)
    return team_membership


@transaction.atomic
def team_member_update(*, actor: Membership, team_membership: TeamMembership, **changes) -> TeamMembership:
    """Change someone's place on the team or their role. A new role replaces their
    excellence criteria with its template (the old ones stay in the history)."""
    require_team_manager(actor, team_membership.team)
    role_changed = "job_role" in changes and changes["job_role"] != team_membership.job_role
    before = team_membership.job_role
    fields = apply_changes(team_membership, changes, allowed=("team_role", "job_role"))
    _check_job_role(team_membership.team, team_membership.job_role)
    save_valid(team_membership, update_fields=fields or None)
    if role_changed:
        criteria_replace_from_role(actor=actor, team_membership=team_membership)
        _mark_people_changed(team_membership.team, before, team_membership.job_role)
    return team_membership


@transaction.atomic
def team_member_remove(*, actor: Membership, team_membership: TeamMembership) -> None:
    require_team_manager(actor, team_membership.team)
    _mark_people_changed(team_membership.team, team_membership.job_role)
    team_membership.delete()


def _mark_people_changed(team: Team, *roles: JobRole | None) -> None:
    """Who is on a team, and in which function, changes whose scores count from today:
    mark the team and the functions of the roles involved (in the same transaction)."""
    functions = [role.function_id for role in roles if role is not None]
    mark_dirty(organization=team.organization, at=timezone.now(), teams=[team.pk], functions=functions)


# --- Maturity ----------------------------------------------------------------------------------


@transaction.atomic
def team_stage_change(*, actor: Membership, team: Team, stage: str, note: str = "") -> Team:
    require_team_manager(actor, team)
    if stage not in Stage.values:
        raise ValidationError({"stage": f"“{stage}” is not a stage."})
    team = Team.objects.select_for_update().get(pk=team.pk)
    if stage == team.stage:
        raise ValidationError({"stage": f"{team.name} is already {team.get_stage_display().lower()}."})
    StageChange.objects.create(team=team, from_stage=team.stage, to_stage=stage, note=note, changed_by=actor)
    team.stage = stage
    team.save(update_fields=["stage"])
    return team


@transaction.atomic
def team_commitment_set(
    *, actor: Membership, team: Team, commitment: str, is_kept: bool, kept_since=None, note: str = ""
) -> TeamCommitment:
    """Record whether the team keeps one of the six commitments (a checklist item)."""
    require_team_manager(actor, team)
    if commitment not in Commitment.values:
        raise ValidationError({"commitment": f"“{commitment}” is not one of the six commitments."})
    if is_kept and kept_since is None:
        # Editing the note of a kept commitment keeps its date; a newly kept one starts today.
        existing = TeamCommitment.objects.filter(team=team, commitment=commitment, is_kept=True).first()
        today = timezone.localdate(timezone=ZoneInfo(team.organization.timezone))
        kept_since = existing.kept_since if existing and existing.kept_since else today
    if not is_kept:
        kept_since = None
    item, _ = TeamCommitment.objects.update_or_create(
        team=team,
        commitment=commitment,
        defaults={"is_kept": is_kept, "kept_since": kept_since, "note": note, "updated_by": actor},
    )
    return item
