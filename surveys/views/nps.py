"""Customer survey pages (NPS and CSAT rounds): admins, and managers for their teams'
accounts, build a round, preview whom it asks, send it and close it, and read its
answers (those about accounts they work on)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import CustomerAccount
from surveys.models import NpsRound
from surveys.models.feedback import FeedbackKind
from surveys.services import nps_rounds
from teamhub.lib.forms import DATE, ModelMultipleChoiceField, apply_validation_error, attempt_or_flash
from teamhub.lib.tenancy import Role, has_role, membership_required
from teams.models import Team

DEFAULT_OPEN_DAYS = 14
ANSWERS_SHOWN = 200  # the latest; the API pages through all of them


class Checkboxes(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class NpsRoundForm(forms.Form):
    title = forms.CharField(max_length=160, help_text="For you; customers see the question, e.g. “Spring NPS”.")
    kind = forms.ChoiceField(label="Question", choices=FeedbackKind.choices, widget=forms.RadioSelect)
    accounts = Checkboxes(label="Accounts", queryset=CustomerAccount.objects.none(), required=False)
    teams = Checkboxes(label="Every account of these teams", queryset=Team.objects.none(), required=False)
    segments = forms.MultipleChoiceField(
        label="Every account in these segments", required=False, widget=forms.CheckboxSelectMultiple
    )
    closes_on = forms.DateField(
        label="Closes on", widget=DATE, help_text="Links stop taking answers at the end of this day."
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = CustomerAccount.objects.for_org(membership.organization_id).select_related("owning_team")
        teams = Team.objects.for_org(membership.organization_id).order_by("name")
        if not has_role(membership, Role.ADMIN):
            accounts, teams = accounts.filter(owning_team__managers=membership), teams.filter(managers=membership)
        self.fields["accounts"].queryset = accounts.order_by("name")
        self.fields["accounts"].label_from_instance = lambda a: f"{a.name} ({a.owning_team.name})"
        self.fields["teams"].queryset = teams
        self.fields["segments"].choices = [(s, s) for s in nps_rounds.nps_round_segments(membership=membership)]
        today = timezone.localdate()
        self.initial.setdefault("kind", FeedbackKind.NPS)
        self.initial.setdefault("closes_on", today + dt.timedelta(days=DEFAULT_OPEN_DAYS))

    def service_kwargs(self, organization) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "accounts": list(data["accounts"]),
            "teams": list(data["teams"]),
            "segments": data["segments"],
            "closes_at": nps_rounds.closes_at_end_of(data["closes_on"], organization),
        }


def _create(form, membership):
    try:
        return nps_rounds.nps_round_create(actor=membership, **form.service_kwargs(membership.organization))
    except ValidationError as error:
        # The service names the instant (closes_at); the form asks for its day.
        if hasattr(error, "error_dict") and "closes_at" in error.error_dict:
            error.error_dict["closes_on"] = error.error_dict.pop("closes_at")
        apply_validation_error(form, error)
        return None


@membership_required(Role.MANAGER)
def nps_list(request, membership):
    rounds = nps_rounds.nps_round_list(membership=membership)
    return render(request, "surveys/nps/list.html", {"rounds": rounds})


@membership_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def nps_create(request, membership):
    form = NpsRoundForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        round_ = _create(form, membership)
        if round_:
            messages.success(request, f"Draft “{round_.title}” saved: check whom it asks, then send it.")
            return redirect("surveys:nps_detail", pk=round_.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/nps/form.html", {"form": form}, status=status)


@membership_required()
def nps_detail(request, membership, pk):
    round_ = nps_rounds.access_nps_round(membership=membership, round_id=pk)
    can_manage = nps_rounds.can_manage_nps_round(membership, round_)
    context = {
        "round": round_,
        "can_manage": can_manage,
        "accounts": round_.accounts.order_by("name"),
        "teams": round_.teams.order_by("name"),
        "answers": nps_rounds.nps_round_answers(membership=membership, round_=round_)[:ANSWERS_SHOWN],
        "answers_shown": ANSWERS_SHOWN,
        "progress": nps_rounds.nps_invitation_for_round(round_=round_),
        "responses": round_.feedback.count(),
        # Rounds close at midnight after their last day: show that day, in the organisation's zone.
        "last_moment": timezone.localtime(
            round_.closes_at - dt.timedelta(minutes=1), ZoneInfo(round_.organization.timezone)
        ),
    }
    if round_.status == NpsRound.Status.DRAFT and can_manage:
        context["audience"] = nps_rounds.nps_round_audience(actor=membership, round_=round_)
    return render(request, "surveys/nps/detail.html", context)


@membership_required()
@require_POST
def nps_send(request, membership, pk):
    round_ = nps_rounds.access_nps_round(membership=membership, round_id=pk, write=True)
    try:
        asked = nps_rounds.nps_round_send(actor=membership, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent: {asked} contact{'s' if asked != 1 else ''} will get their personal link.")
    return redirect("surveys:nps_detail", pk=round_.pk)


@membership_required()
@require_POST
def nps_close(request, membership, pk):
    round_ = nps_rounds.access_nps_round(membership=membership, round_id=pk, write=True)
    if attempt_or_flash(request, nps_rounds.nps_round_close, actor=membership, round_=round_):
        messages.success(request, f"“{round_.title}” is closed: its links take no more answers.")
    return redirect("surveys:nps_detail", pk=round_.pk)


@membership_required()
@require_POST
def nps_discard(request, membership, pk):
    round_ = nps_rounds.access_nps_round(membership=membership, round_id=pk, write=True)
    if attempt_or_flash(request, nps_rounds.nps_round_discard, actor=membership, round_=round_):
        messages.success(request, f"Draft “{round_.title}” discarded.")
        return redirect("surveys:nps_list")
    return redirect("surveys:nps_detail", pk=round_.pk)
