"""Customer feedback pages: the feedback list (and its CSV), thanking a promoter, and
the NPS section of a customer's page (registered with customers.pages).

Everyone reads the feedback of the accounts they work on (admins all of it); nobody
else finds any of it.
"""

import csv

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from customers.models import CustomerAccount
from surveys import selectors_feedback as selectors
from surveys import services
from surveys.models.feedback import FeedbackKind
from teamhub.lib.forms import DATE, ModelChoiceField, attempt_or_flash
from teamhub.lib.tenancy import membership_required
from teams.models import Team

PAGE_SIZE = 50
SHOWN_ON_ACCOUNT = 20
GROUP_CHOICES = [
    ("", "Everyone"),
    ("detractors", "Detractors (NPS 0 to 6, CSAT 1 or 2)"),
    ("passives", "Passives (NPS 7 or 8, CSAT 3 or 4)"),
    ("promoters", "Promoters (NPS 9 or 10, CSAT 5)"),
]


class FeedbackFilterForm(forms.Form):
    """The list's filters, all optional; the page, the CSV and the API read the same."""

    account = ModelChoiceField(queryset=CustomerAccount.objects.none(), required=False, empty_label="All accounts")
    team = ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All teams")
    kind = forms.ChoiceField(choices=[("", "NPS and CSAT"), *FeedbackKind.choices], required=False)
    group = forms.ChoiceField(label="Who", choices=GROUP_CHOICES, required=False)
    score_min = forms.IntegerField(label="Score from", min_value=0, max_value=10, required=False)
    score_max = forms.IntegerField(label="Score to", min_value=0, max_value=10, required=False)
    received_from = forms.DateField(label="Received from", required=False, widget=DATE)
    received_to = forms.DateField(label="Received to", required=False, widget=DATE)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = CustomerAccount.objects.in_full_for(membership).order_by("name")
        self.fields["team"].queryset = Team.objects.visible_to(membership).order_by("name")

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", "The highest score must not be below the lowest.")
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "The last day must not be before the first.")
        return data

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) for name in ("account", "team", "score_min", "score_max")} | {
            "kind": data.get("kind") or "",
            "group": data.get("group") or "",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
        }


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@membership_required()
@require_GET
def feedback_list(request, membership):
    form = FeedbackFilterForm(request.GET or None, membership=membership)
    filters = form.filters()
    rows = selectors.feedback_list(membership=membership, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": form.is_bound and any(v not in (None, "") for v in filters.values()),
        "query": _query(request),
    }
    return render(request, "surveys/feedback/list.html", context)


class _Echo:
    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["Received", "Account", "Contact", "Team", "Kind", "Score", "Comment", "Channel", "Follow-up", "Thanked"]


def _cell(value) -> str:
    # A spreadsheet runs a cell that starts like a formula: a customer's comment must not.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel reads the file as UTF-8
    yield writer.writerow(HEADER)
    for f in rows.iterator(chunk_size=2000):
        cells = [
            timezone.localtime(f.received_at).isoformat(timespec="minutes"),
            f.account.name,
            f.contact.name if f.contact_id else "",
            f.team.name if f.team_id else "",
            f.kind,
            f.score,
            f.comment,
            f.get_channel_display(),
            f.follow_up.get_status_display() if f.follow_up_id else "",
            timezone.localtime(f.thanked_at).date().isoformat() if f.thanked_at else "",
        ]
        yield writer.writerow([_cell(c) for c in cells])


@membership_required()
@require_GET
def feedback_export(request, membership):
    """The list as CSV, with the list's filters, checked before the first line is sent."""
    form = FeedbackFilterForm(request.GET, membership=membership)
    if not form.is_valid():
        problems = "; ".join(f"{form[n].label}: {' '.join(e)}" for n, e in form.errors.items() if n != "__all__")
        return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
    rows = selectors.feedback_list(membership=membership, **form.filters())
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{timezone.localdate().isoformat()}.csv"'
    return response


@membership_required()
@require_POST
def feedback_thank(request, membership, pk):
    """Say a promoter was thanked; back to where the button was (the list or the account)."""
    feedback = selectors.access_feedback(membership=membership, feedback_id=pk)
    if attempt_or_flash(request, services.feedback_thank, actor=membership, feedback=feedback):
        who = feedback.contact.name if feedback.contact_id else "The contact"
        messages.success(request, f"{who} of {feedback.account.name} is marked as thanked.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse("surveys:feedback_list")
    return redirect(back)


def account_section(*, membership, account) -> dict:
    """A customer's NPS and CSAT: the latest answers with the follow-ups they opened, and
    the monthly trend."""
    feedback = selectors.account_feedback(membership=membership, account=account, limit=SHOWN_ON_ACCOUNT)
    return {
        "template": "surveys/feedback/account_section.html",
        "feedback": feedback,
        "trend": selectors.account_trend(membership=membership, account=account) if feedback else None,
        "back": reverse("customers:account_detail", kwargs={"pk": account.pk}) + "#nps-title",
    }
