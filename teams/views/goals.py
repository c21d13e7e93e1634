"""Goals and key results: everyone reads them; admins, team managers and owners
change them; check-ins move a key result's current value."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from teamhub.lib.forms import attempt, attempt_or_flash, changes_of, is_htmx
from teamhub.lib.tenancy import Role, membership_required
from teams import access, selectors, services
from teams.forms import CheckInForm, GoalForm, KeyResultForm
from teams.models import KeyResult

GOAL_INITIAL_FIELDS = ("title", "description", "parent", "owner", "period_start", "period_end", "status")
KEY_RESULT_INITIAL_FIELDS = ("title", "kind", "unit", "baseline", "target", "direction")


@membership_required()
def goals(request, membership):
    context = {"goals": selectors.goal_tree(membership=membership), "can_create": membership.is_admin}
    return render(request, "teams/goals.html", context)


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def goal_create(request, membership):
    form = GoalForm(request.POST or None, membership=membership, team_goal=False)
    if request.method == "POST" and form.is_valid():
        goal = attempt(form, services.goal_create, actor=membership, **form.cleaned_data)
        if goal:
            messages.success(request, f"Goal “{goal.title}” created. Add its key results.")
            return redirect("teams:goal_detail", pk=goal.pk)
    return render(request, "teams/goal_form.html", {"form": form, "team": None, "goal": None})


@membership_required()
@require_http_methods(["GET", "POST"])
def team_goal_create(request, membership, pk):
    team = access.access_team(membership=membership, team_id=pk, write=True)
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent", "").isdigit() else None
    form = GoalForm(request.POST or None, initial=initial, membership=membership, team_goal=True)
    if request.method == "POST" and form.is_valid():
        goal = attempt(form, services.goal_create, actor=membership, team=team, **form.cleaned_data)
        if goal:
            messages.success(request, f"Team goal “{goal.title}” created. Add its key results.")
            return redirect("teams:goal_detail", pk=goal.pk)
    return render(request, "teams/goal_form.html", {"form": form, "team": team, "goal": None})


@membership_required()
def goal_detail(request, membership, pk):
    goal = access.access_goal(membership=membership, goal_id=pk)
    return _goal_page(request, membership, goal)


@membership_required()
@require_http_methods(["GET", "POST"])
def goal_update(request, membership, pk):
    goal = access.access_goal(membership=membership, goal_id=pk, write=True)
    initial = {field: getattr(goal, field) for field in GOAL_INITIAL_FIELDS}
    form = GoalForm(request.POST or None, initial=initial, membership=membership, team_goal=goal.is_team_goal)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.goal_update, actor=membership, goal=goal, **changes_of(form))
    ):
        messages.success(request, f"Goal “{goal.title}” saved.")
        return redirect("teams:goal_detail", pk=goal.pk)
    return render(request, "teams/goal_form.html", {"form": form, "team": goal.team, "goal": goal})


@membership_required()
@require_POST
def goal_delete(request, membership, pk):
    goal = access.access_goal(membership=membership, goal_id=pk, write=True)
    if attempt_or_flash(request, services.goal_delete, actor=membership, goal=goal):
        messages.success(request, f"Goal “{goal.title}” deleted.")
        return redirect("teams:goals")
    return redirect("teams:goal_detail", pk=goal.pk)


# --- Key results ---------------------------------------------------------------------------------


@membership_required()
@require_http_methods(["GET", "POST"])
def key_result_create(request, membership, pk):
    goal = access.access_goal(membership=membership, goal_id=pk, write=True)
    form = KeyResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key_result = attempt(form, services.key_result_create, actor=membership, goal=goal, **form.cleaned_data)
        if key_result:
            messages.success(request, f"Key result “{key_result.title}” added.")
            return redirect("teams:goal_detail", pk=goal.pk)
    return render(request, "teams/key_result_form.html", {"form": form, "goal": goal, "key_result": None})


@membership_required()
@require_http_methods(["GET", "POST"])
def key_result_update(request, membership, pk):
    key_result = access.access_key_result(membership=membership, key_result_id=pk, write=True)
    initial = {field: getattr(key_result, field) for field in KEY_RESULT_INITIAL_FIELDS}
    form = KeyResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = changes_of(form)
        if attempt(form, services.key_result_update, actor=membership, key_result=key_result, **changes):
            messages.success(request, f"Key result “{key_result.title}” saved.")
            return redirect("teams:goal_detail", pk=key_result.goal_id)
    context = {"form": form, "goal": key_result.goal, "key_result": key_result}
    return render(request, "teams/key_result_form.html", context)


@membership_required()
@require_POST
def key_result_delete(request, membership, pk):
    key_result = access.access_key_result(membership=membership, key_result_id=pk, write=True)
    services.key_result_delete(actor=membership, key_result=key_result)
    messages.success(request, f"Key result “{key_result.title}” deleted, with its check-ins.")
    return redirect("teams:goal_detail", pk=key_result.goal_id)


@membership_required()
@require_POST
def check_in_create(request, membership, pk):
    key_result = access.access_key_result(membership=membership, key_result_id=pk, write=True)
    form = CheckInForm(request.POST, auto_id=f"kr{pk}-%s")
    if form.is_valid() and attempt(
        form, services.check_in_create, actor=membership, key_result=key_result, **form.cleaned_data
    ):
        messages.success(request, f"Checked in on “{key_result.title}”.")
        if not is_htmx(request):
            return redirect(f"{reverse('teams:goal_detail', kwargs={'pk': key_result.goal_id})}#kr-{pk}")
        form = None
    if is_htmx(request):
        key_result = _key_results(key_result.goal, pk=pk)[0]
        key_result.form = form or CheckInForm(auto_id=f"kr{pk}-%s")
        context = {"kr": key_result, "can_edit": True}
        return render(request, "teams/partials/key_result_update.html", context)
    return _goal_page(request, membership, key_result.goal, bound=(pk, form))


def _key_results(goal, **filters) -> list[KeyResult]:
    key_results = selectors.goal_key_results(goal=goal, **filters)
    for key_result in key_results:
        key_result.series_id = f"kr-{key_result.pk}-series"
    return key_results


def _goal_page(request, membership, goal, *, bound=None):
    can_edit = access.can_edit_goal(membership, goal)
    key_results = _key_results(goal)
    for key_result in key_results:
        if bound and bound[0] == key_result.pk:
            key_result.form = bound[1]
        else:
            key_result.form = CheckInForm(auto_id=f"kr{key_result.pk}-%s")
    goal = type(goal).objects.select_related("team", "owner__user", "parent").get(pk=goal.pk)
    children = goal.children.select_related("team", "owner__user").prefetch_related("key_results")
    context = {"goal": goal, "key_results": key_results, "children": children, "can_edit": can_edit}
    return render(request, "teams/goal_detail.html", context)
