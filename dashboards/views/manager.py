"""The manager dashboard: a card per team with its headline scores, trends with a
week / month / quarter switcher, the teams-by-drivers heatmap, and what waits for the
manager (SLA breaches, detractor follow-ups), spotlights, goals and maturity."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.selectors import manager as selectors
from surveys.models.scores import Granularity
from teamhub.lib.forms import is_htmx
from teamhub.lib.tenancy import Role, membership_required

GRANULARITIES = [(Granularity.WEEK, "Week"), (Granularity.MONTH, "Month"), (Granularity.QUARTER, "Quarter")]


def chosen_granularity(request) -> str:
    """The switcher's choice; anything else is the month (a page never fails on it)."""
    value = request.GET.get("granularity", "")
    return value if value in Granularity.values else Granularity.MONTH


@membership_required(Role.MANAGER)
@require_GET
def manager_dashboard(request, membership):
    data = selectors.manager_dashboard(membership=membership, granularity=chosen_granularity(request))
    for chart in data["trends"]:
        chart["data"] = selectors.chart_data(chart)
    context = {**data, "granularities": GRANULARITIES}
    if is_htmx(request):
        # The switcher swaps the figures only; the lists below do not depend on it.
        return render(request, "dashboards/partials/manager_scores.html", context)
    return render(request, "dashboards/manager.html", context)
