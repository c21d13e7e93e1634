"""The organisation view for admins: the organisation's current scores and trends, teams
and functions side by side, the teams-by-drivers heatmap, values in action and the
participation in each survey round. Managers have their own dashboard (403 here)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.selectors import organization as selectors
from dashboards.selectors.manager import chart_data
from dashboards.views.manager import GRANULARITIES, chosen_granularity
from teamhub.lib.forms import is_htmx
from teamhub.lib.tenancy import Role, membership_required


def _header(columns: list[dict], query: dict, key: str, current: tuple[str, bool]) -> list[dict]:
    """One table's column headings, the name first: each with the link that sorts by it
    (a click on the column sorted now flips it; a metric starts best first, the name A
    to Z) and its aria-sort."""
    sorted_by, descending = current
    query = {k: v for k, v in query.items() if k != key}
    heads = []
    for column in [{"metric": "name", "label": ""}, *columns]:
        name = column["metric"]
        flip = not descending if name == sorted_by else name != "name"
        heads.append(
            {
                **column,
                "url": "?" + urlencode({**query, key: f"-{name}" if flip else name}),
                "aria": ("descending" if descending else "ascending") if name == sorted_by else "",
            }
        )
    return heads


@membership_required(Role.ADMIN)
@require_GET
def organization_dashboard(request, membership):
    granularity = chosen_granularity(request)
    team_sort, function_sort = request.GET.get("teams", ""), request.GET.get("functions", "")
    data = selectors.organization_dashboard(
        membership=membership, granularity=granularity, team_sort=team_sort, function_sort=function_sort
    )
    for chart in data["trends"]:
        chart["data"] = chart_data(chart)
    query = {"granularity": granularity, "teams": team_sort, "functions": function_sort}
    query = {k: v for k, v in query.items() if v}
    context = {
        **data,
        "granularities": GRANULARITIES,
        "team_heads": _header(data["columns"], query, "teams", data["team_sort"]),
        "function_heads": _header(data["columns"], query, "functions", data["function_sort"]),
        "switch_query": urlencode({k: v for k, v in query.items() if k != "granularity"}),
    }
    if is_htmx(request):
        return render(request, "dashboards/organization_scores.html", context)
    return render(request, "dashboards/organization.html", context)
