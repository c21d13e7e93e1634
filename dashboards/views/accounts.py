"""Account health (one customer, everything about it) and accounts at risk (the list,
per team or for everything the person reads, sortable, exportable as CSV)."""

import csv
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from customers.access import access_account
from customers.exports import neutralise
from dashboards.selectors import accounts as selectors
from teamhub.lib.forms import ModelChoiceField
from teamhub.lib.tenancy import membership_required

PAGE_SIZE = 50


class AtRiskFilterForm(forms.Form):
    team = ModelChoiceField(queryset=None, required=False, empty_label="All my teams' accounts")
    sort = forms.ChoiceField(choices=list(selectors.SORT_LABELS.items()), required=False, label="Sort by")

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.team_choices(membership=membership)
        if membership.is_admin:
            self.fields["team"].empty_label = "The whole organisation"

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped (the form shows why)."""
        if not self.is_bound:
            return {"team": None, "sort": "risk"}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"team": data.get("team"), "sort": data.get("sort") or "risk"}


def _trend_chart(months: list[dict]) -> dict:
    """The monthly NPS as static/js/dashboards.js draws it: a null month is a gap."""
    return {
        "type": "line",
        "labels": [f"{month['period']:%b %Y}" for month in months],
        "datasets": [{"label": "NPS", "data": [month["nps"] for month in months]}],
        "y": {"min": -100, "max": 100, "step": 50, "title": "NPS"},
        "gap": "no NPS answers",
    }


@membership_required()
def account_health(request, membership, pk):
    # 404 for another organisation's account, 403 for one of a team the person is not on.
    account = access_account(membership=membership, account_id=pk, full=True)
    health = selectors.account_health(membership=membership, account=account)
    context = {**health, "chart": _trend_chart(health["trend"]["months"]), "risk_labels": selectors.RISKS}
    return render(request, "dashboards/account_health.html", context)


CSV_HEADER = [
    "Account",
    "Owning team",
    "Account lead",
    "Status",
    "Reasons",
    "Detractor in the last 90 days",
    "Latest detractor answer",
    "Open follow-ups",
    "Overdue follow-ups",
    "NPS this quarter",
    "NPS last quarter",
    "NPS falling",
    "No contact reviewed for six months",
    "Latest contact review",
]


class _Echo:
    def write(self, value):
        return value


def _yes(flag) -> str:
    return "yes" if flag else "no"


def _when(value, zone) -> str:
    return timezone.localtime(value, zone).date().isoformat() if value else ""


def _csv_row(account, zone) -> list[str]:
    cells = [
        account.name,
        account.owning_team.name,
        account.lead.user.display_name if account.lead_id else "",
        account.get_status_display(),
        account.risk_count,
        _yes(account.detractor),
        _when(account.last_detractor_at, zone),
        account.open_follow_ups,
        account.overdue_follow_ups,
        "" if account.nps_now is None else round(account.nps_now),
        "" if account.nps_before is None else round(account.nps_before),
        _yes(account.falling_nps),
        _yes(account.stale_contacts),
        _when(account.last_contact_review, zone),
    ]
    # Only text can start a formula; a negative NPS stays a number.
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in cells]


def _csv_lines(accounts, zone) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel reads the file as UTF-8
    yield writer.writerow(CSV_HEADER)
    for account in accounts.iterator(chunk_size=2000):
        yield writer.writerow(_csv_row(account, zone))


@membership_required()
def at_risk(request, membership):
    form = AtRiskFilterForm(request.GET or None, membership=membership)
    filters = form.filters()
    accounts = selectors.at_risk_accounts(membership=membership, **filters)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            _csv_lines(accounts, ZoneInfo(membership.organization.timezone)), content_type="text/csv; charset=utf-8"
        )
        stamp = selectors.local_today(membership).isoformat()
        response["Content-Disposition"] = f'attachment; filename="accounts-at-risk-{stamp}.csv"'
        return response
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    export_query = query.urlencode()
    query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "team": filters["team"],
        "sort": filters["sort"],
        "query": query.urlencode(),  # the filters without the sort, for the column links
        "export_query": export_query,
        "sort_label": selectors.SORT_LABELS.get(filters["sort"], ""),
        "risk_labels": selectors.RISKS,
    }
    return render(request, "dashboards/at_risk.html", context)
