"""Teams: the list, a team's page (members, coverage, maturity, commitments) and
what its managers change there."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from teamhub.lib.forms import attempt, attempt_or_flash, changes_of, is_htmx
from teamhub.lib.tenancy import Role, membership_required
from teams import access, selectors, services
from teams.forms import CommitmentForm, StageForm, TeamForm, TeamMemberAddForm, TeamMemberUpdateForm
from teams.models import Commitment, JobRole, Stage, Team


@membership_required()
def team_list(request, membership):
    teams = list(selectors.team_list(membership=membership))
    for team in teams:
        team.function_count = len({m.job_role.function_id for m in team.memberships.all() if m.job_role_id})
    return render(request, "teams/team_list.html", {"teams": teams})


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def team_create(request, membership):
    form = TeamForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        team = attempt(form, services.team_create, actor=membership, **form.cleaned_data)
        if team:
            messages.success(request, f"Team “{team.name}” created. Add its members.")
            return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "team": None})


@membership_required()
@require_http_methods(["GET", "POST"])
def team_update(request, membership, pk):
    """Name and mission for the team's managers; who manages it, for admins."""
    team = access.access_team(membership=membership, team_id=pk, write=True)
    initial = {
        "name": team.name,
        "mission": team.mission,
        "managers": list(team.managers.all()),
        "webhook_url": team.webhook_url,
    }
    form = TeamForm(
        request.POST or None,
        initial=initial,
        membership=membership,
        with_managers=membership.is_admin,
        with_webhook=True,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.team_update, actor=membership, team=team, **changes_of(form))
    ):
        messages.success(request, f"Team “{team.name}” saved.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "team": team})


@membership_required()
@require_POST
def team_webhook_test(request, membership, pk):
    """Post a test message to the saved webhook now, and say whether it arrived."""
    team = access.access_team(membership=membership, team_id=pk, write=True)
    if attempt_or_flash(request, services.team_webhook_test, actor=membership, team=team):
        messages.success(request, f"Test message posted to {team.name}'s chat webhook.")
    return redirect("teams:team_update", pk=team.pk)


@membership_required()
def team_detail(request, membership, pk):
    team = access.access_team(membership=membership, team_id=pk)
    return _team_page(request, membership, team)


@membership_required()
@require_POST
def team_stage(request, membership, pk):
    team = access.access_team(membership=membership, team_id=pk, write=True)
    form = StageForm(request.POST)
    changed = form.is_valid() and attempt(
        form, services.team_stage_change, actor=membership, team=team, **form.cleaned_data
    )
    if changed:
        messages.success(request, f"{team.name} is now {changed.get_stage_display().lower()}.")
        return redirect("teams:team_detail", pk=team.pk)
    return _team_page(request, membership, team, stage_form=form)


@membership_required()
@require_POST
def team_commitment(request, membership, pk, commitment):
    team = access.access_team(membership=membership, team_id=pk, write=True)
    if commitment not in Commitment.values:
        raise Http404("No such commitment.")
    form = CommitmentForm(request.POST, auto_id=f"{commitment}-%s")
    saved = form.is_valid() and attempt(
        form, services.team_commitment_set, actor=membership, team=team, commitment=commitment, **form.cleaned_data
    )
    if is_htmx(request):
        item = next(i for i in selectors.team_commitments(team=team) if i["key"] == commitment)
        item["form"] = form if not saved else _commitment_form(item)
        context = {"item": item, "can_manage": True, "team": team}
        return render(request, "teams/partials/commitment_update.html", context)
    if saved:
        messages.success(request, "Commitment saved.")
        return redirect(reverse("teams:team_detail", kwargs={"pk": team.pk}) + "#commitments")
    return _team_page(request, membership, team, commitment_form=(commitment, form))


@membership_required()
@require_POST
def team_member_add(request, membership, pk):
    team = access.access_team(membership=membership, team_id=pk, write=True)
    form = TeamMemberAddForm(request.POST, membership=membership, team=team)
    if form.is_valid():
        added = attempt(form, services.team_member_add, actor=membership, team=team, **form.cleaned_data)
        if added:
            messages.success(request, f"{added.membership.user.display_name} joined {team.name}.")
            return redirect("teams:team_detail", pk=team.pk)
    return _team_page(request, membership, team, member_form=form)


@membership_required()
@require_POST
def team_member_update(request, membership, pk):
    team_membership = access.access_team_membership(membership=membership, team_membership_id=pk, write=True)
    form = TeamMemberUpdateForm(request.POST, membership=membership)
    name = team_membership.membership.user.display_name
    if not form.is_valid():
        messages.error(request, "Choose a place on the team and a role from the lists.")
    elif attempt_or_flash(
        request, services.team_member_update, actor=membership, team_membership=team_membership, **form.cleaned_data
    ):
        messages.success(request, f"{name}'s place on the team saved.")
    if is_htmx(request):
        team_membership = access.access_team_membership(membership=membership, team_membership_id=pk)
        context = {"tm": team_membership, "job_roles": _job_roles(membership), "can_manage": True}
        return render(request, "teams/partials/member_update.html", context)
    return redirect("teams:team_detail", pk=team_membership.team_id)


@membership_required()
@require_POST
def team_member_remove(request, membership, pk):
    team_membership = access.access_team_membership(membership=membership, team_membership_id=pk, write=True)
    services.team_member_remove(actor=membership, team_membership=team_membership)
    messages.success(request, f"{team_membership.membership.user.display_name} left {team_membership.team.name}.")
    return redirect("teams:team_detail", pk=team_membership.team_id)


def _job_roles(membership):
    return list(JobRole.objects.visible_to(membership).select_related("function"))


def _commitment_form(item) -> CommitmentForm:
    record = item["record"]
    initial = {"is_kept": record.is_kept, "kept_since": record.kept_since, "note": record.note} if record else None
    return CommitmentForm(initial=initial, auto_id=f"{item['key']}-%s")


def _team_page(request, membership, team: Team, *, stage_form=None, member_form=None, commitment_form=None):
    members = list(selectors.team_members(team=team))
    can_manage = access.manages_team(membership, team)
    commitments = selectors.team_commitments(team=team)
    for item in commitments:
        bound = commitment_form and commitment_form[0] == item["key"]
        item["form"] = commitment_form[1] if bound else _commitment_form(item)
    context = {
        "team": team,
        "members": members,
        "managers": team.managers.select_related("user"),
        "coverage": selectors.function_coverage(team=team, members=members),
        "commitments": commitments,
        "kept_count": sum(1 for item in commitments if item["record"] and item["record"].is_kept),
        "stage_history": team.stage_changes.select_related("changed_by__user"),
        "goals": selectors.goal_list(membership=membership, team=team),
        "stages": Stage.choices,
        "can_manage": can_manage,
        "is_admin": membership.is_admin,
        "is_on_team": any(seat.membership_id == membership.pk for seat in members),
    }
    if can_manage:
        context["stage_form"] = stage_form or StageForm(initial={"stage": team.stage})
        context["member_form"] = member_form or TeamMemberAddForm(membership=membership, team=team)
        context["job_roles"] = _job_roles(membership)
    return render(request, "teams/team_detail.html", context)
