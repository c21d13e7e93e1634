"""The silo map (managers and admins): teams by teams in a month or quarter, as a matrix
and a network graph, the pairs to introduce, and each pair's page."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import reverse

from dashboards.selectors import silos as selectors
from surveys.scoring.periods import MONTH, QUARTER, Period, period_of
from teamhub.lib.tenancy import Role, membership_required

PERIODS = [(QUARTER, "Quarter"), (MONTH, "Month")]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False, label="Period")
    start = forms.DateField(
        required=False,
        label="Holding the day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Any day of the month or quarter to show.",
    )


def _period(request, membership) -> tuple[PeriodForm, Period]:
    """The period asked for (``?period=month|quarter&start=YYYY-MM-DD``), else the current
    quarter; a bad value keeps its error on the form and shows the default period."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, selectors.default_period(membership.organization)
    granularity = form.cleaned_data["period"] or QUARTER
    day = form.cleaned_data["start"]
    period = period_of(granularity, day) if day else selectors.default_period(membership.organization, granularity)
    # The fields show the period shown, from its first day.
    return PeriodForm(initial={"period": granularity, "start": period.start}), period


def _query(period: Period) -> str:
    return urlencode({"period": period.granularity, "start": period.start.isoformat()})


def _pair_url(period: Period):
    query = _query(period)
    return lambda pair: f"{reverse('dashboards:silo_pair', args=[pair.a.pk, pair.b.pk])}?{query}"


def _nav(period: Period) -> dict:
    return {
        "period": period,
        "query": _query(period),
        "previous_query": _query(period.previous()),
        "next_query": _query(period_of(period.granularity, period.end)),
        "last_day": selectors.period_data(period)["end"],
    }


@membership_required(Role.MANAGER)
def silo_map(request, membership):
    form, period = _period(request, membership)
    data = selectors.silo_map(membership=membership, period=period)
    context = {
        "form": form,
        "map": data,
        "graph": selectors.graph_data(data, _pair_url(period)),
        **_nav(period),
    }
    return render(request, "dashboards/silos.html", context)


@membership_required()
def silo_pair(request, membership, team_a, team_b):
    """One cell: 404 for a team not of the organisation, then 403 below manager."""
    first, second = selectors.access_pair(membership=membership, team_a_id=team_a, team_b_id=team_b)
    form, period = _period(request, membership)
    detail = selectors.pair_detail(membership=membership, team_a=first, team_b=second, period=period)
    return render(request, "dashboards/silo_pair.html", {"form": form, "detail": detail, **_nav(period)})
