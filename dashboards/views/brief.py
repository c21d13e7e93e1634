"""The meeting brief page and its PDF: one form (teams and a date range) read by both.

Managers brief the teams they manage, admins any team; members are refused (403).
Bad input (a team the person may not brief, a date that is not one, a range the wrong
way round or longer than a year) is a form error on the page and a plain message
instead of a PDF, never a 500.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from dashboards import pdf
from dashboards.selectors import brief as selectors
from teamhub.lib.forms import DATE, ModelMultipleChoiceField
from teamhub.lib.tenancy import Role, membership_required
from teams.models import Team


class BriefForm(forms.Form):
    """Teams (default: all the person may brief) and the first and last day (default:
    the last seven days). ``from`` and ``to`` are the query string's names."""

    team = ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Teams",
        help_text="One team, or several for an interdepartmental meeting. None chosen: all of them.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, data=None, *, membership):
        super().__init__(data)
        self.membership = membership
        self.fields["team"].queryset = selectors.briefable_teams(membership=membership)
        start, end = selectors.default_range(membership=membership)
        self.fields["from"] = forms.DateField(label="From", required=False, widget=DATE, initial=start)
        self.fields["to"] = forms.DateField(label="To", required=False, widget=DATE, initial=end)

    def clean(self):
        data = super().clean()
        start, end = selectors.default_range(membership=self.membership)
        data["from"] = data.get("from") or (start if "from" not in self.errors else None)
        data["to"] = data.get("to") or (end if "to" not in self.errors else None)
        if data["from"] and data["to"]:
            if data["from"] > data["to"]:
                self.add_error("to", "The last day must not be before the first.")
            elif (data["to"] - data["from"]).days >= selectors.MAX_DAYS:
                self.add_error("to", f"Choose at most {selectors.MAX_DAYS} days.")
        return data

    def brief_arguments(self) -> dict:
        """What :func:`selectors.meeting_brief` takes, once the form is valid."""
        teams = list(self.cleaned_data["team"]) or list(self.fields["team"].queryset)
        return {"teams": teams, "date_from": self.cleaned_data["from"], "date_to": self.cleaned_data["to"]}


def _bound(request, membership) -> BriefForm:
    # Always bound, with the default days filled in, so the date inputs show the days
    # the brief covers; an empty query string is the default brief.
    data = request.GET.copy()
    start, end = selectors.default_range(membership=membership)
    if not data.get("from"):
        data["from"] = start.isoformat()
    if not data.get("to"):
        data["to"] = end.isoformat()
    return BriefForm(data, membership=membership)


@membership_required(Role.MANAGER)
@require_GET
def brief_page(request, membership):
    form = _bound(request, membership)
    context = {"form": form, "brief": None, "query": request.GET.urlencode()}
    if form.is_valid():
        context["brief"] = selectors.meeting_brief(membership=membership, **form.brief_arguments())
    return render(request, "dashboards/brief.html", context)


@membership_required(Role.MANAGER)
@require_GET
def brief_pdf(request, membership):
    form = _bound(request, membership)
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponse(f"No PDF: {errors}", status=400, content_type="text/plain; charset=utf-8")
    if not pdf.available():
        context = {"reason": pdf.unavailable_reason(), "query": request.GET.urlencode()}
        return render(request, "dashboards/brief_pdf_unavailable.html", context, status=503)
    brief = selectors.meeting_brief(membership=membership, **form.brief_arguments())
    html = render_to_string(
        "dashboards/brief_pdf.html", {"brief": brief, "membership": membership, "organization": membership.organization}
    )
    response = HttpResponse(pdf.render(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(brief)}"'
    return response
