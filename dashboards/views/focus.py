"""Focus areas and action plans: the organisation's and a team's strongest and
weakest drivers, what moves with engagement, the one-step action plan from a weak
driver, and a plan's driver trend beside its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dashboards.forms import ActionPlanForm
from dashboards.selectors import focus as selectors
from dashboards.services.action_plans import action_plan_create
from teamhub.lib.forms import attempt
from teamhub.lib.tenancy import Role, membership_required


def _granularity(request) -> str:
    return selectors.chosen_granularity(request.GET.get("granularity", ""))


def _context(data: dict) -> dict:
    return {
        **data,
        "granularities": selectors.GRANULARITIES,
        "how_ranked": selectors.HOW_RANKED,
        "how_moves": selectors.HOW_MOVES,
    }


@membership_required(Role.MANAGER)
@require_GET
def organisation_focus(request, membership):
    data = selectors.organisation_focus(membership=membership, granularity=_granularity(request))
    return render(request, "dashboards/focus.html", _context(data))


@membership_required()
@require_GET
def team_focus(request, membership, pk):
    team = selectors.access_focus_team(membership=membership, team_id=pk)
    granularity = _granularity(request)
    data = selectors.team_focus(membership=membership, team=team, granularity=granularity)
    if data["can_plan"]:
        data["plan_forms"] = {
            figure.driver: _plan_form(membership, team, figure.driver, granularity)
            for figure in data["focus"]["weakest"]
        }
    return render(request, "dashboards/focus_team.html", _context(data))


def _plan_form(membership, team, driver, granularity, data=None):
    defaults = selectors.plan_defaults(membership=membership, team=team, driver=driver, granularity=granularity)
    initial = {
        "driver": driver,
        "granularity": granularity,
        "title": defaults["title"],
        "parent": defaults["parent"],
        "target": defaults["target"],
    }
    form = ActionPlanForm(
        data,
        initial=initial,
        membership=membership,
        today=defaults["today"],
        auto_id=f"plan-{driver}-%s",
    )
    form.defaults = defaults
    return form


@membership_required()
@require_http_methods(["GET", "POST"])
def action_plan_new(request, membership, pk):
    """The one-step form (GET ?driver=…) and its POST: the goal and its key result, or
    the form again with what to fix."""
    team = selectors.access_focus_team(membership=membership, team_id=pk)
    if not selectors.can_plan(membership, team):
        raise PermissionDenied("Only the team's managers and admins make its action plans.")
    source = request.POST if request.method == "POST" else request.GET
    driver = source.get("driver", "")
    driver = driver if driver in selectors.DRIVER_KEYS else selectors.DRIVER_KEYS[0]
    granularity = selectors.chosen_granularity(source.get("granularity", ""))
    form = _plan_form(membership, team, driver, granularity, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        goal = attempt(
            form,
            action_plan_create,
            actor=membership,
            team=team,
            driver=fields["driver"],
            parent=fields["parent"],
            target=fields["target"],
            title=fields["title"],
            granularity=fields["granularity"] or granularity,
        )
        if goal:
            messages.success(request, f"Action plan “{goal.title}” created. Check in on its key result as you go.")
            return redirect("dashboards:focus_plan", pk=goal.pk)
    return render(request, "dashboards/action_plan_form.html", {"team": team, "form": form, "d": form.defaults})


@membership_required()
@require_GET
def action_plan_detail(request, membership, pk):
    goal = selectors.access_action_plan(membership=membership, goal_id=pk)
    plan = selectors.action_plan(membership=membership, goal=goal, granularity=_granularity(request))
    plan["chart"] = selectors.trend_chart(plan)
    return render(request, "dashboards/action_plan.html", _context(plan))
