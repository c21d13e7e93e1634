"""Forms for the daily-work pages: wins, spotlights, adoptions, handoffs. Plain forms:
the services validate and save; their ValidationError lands on these fields."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy

from accounts.models import Membership
from customers.models import CustomerAccount, FollowUp
from teams.forms import DATE, PersonChoiceField, _people
from teams.models import Function, Strength, Team, Value


def teams_for_wins(membership: Membership):
    """The teams a person logs wins or adoptions for: theirs and those they manage
    (every team, for an admin)."""
    teams = Team.objects.visible_to(membership)
    if not membership.is_admin:
        teams = teams.filter(Q(memberships__membership=membership) | Q(managers=membership)).distinct()
    return teams.order_by("name")


class ValueChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class WinForm(forms.Form):
    """Three fields and one click: what happened, the values it shows, who helped."""

    title = forms.CharField(label="What went well", max_length=160)
    values = ValueChoices(label="Values it shows", queryset=Value.objects.none())
    collaborator = PersonChoiceField(
        label="With (optional)", queryset=Membership.objects.none(), required=False, empty_label="Nobody else"
    )
    team = forms.ModelChoiceField(label="For team", queryset=Team.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("auto_id", "win-%s")
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = Value.objects.visible_to(membership).active()
        self.fields["collaborator"].queryset = _people(membership).exclude(pk=membership.pk)
        self.fields["team"].queryset = teams_for_wins(membership)
        teams = list(self.fields["team"].queryset)
        if len(teams) <= 1:
            # One team: it is the default, so the field stays out of the way.
            self.fields["team"].widget = forms.HiddenInput()
            self.initial.setdefault("team", teams[0].pk if teams else None)
        else:
            # Render from the list already loaded, rather than querying the teams again.
            self.fields["team"].widget.choices = [("", "Choose a team")] + [(t.pk, t.name) for t in teams]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        collaborator = data.get("collaborator")
        return {
            "title": data["title"],
            "values": list(data["values"]),
            "team": data.get("team"),
            "collaborators": [collaborator] if collaborator else [],
        }


class SpotlightForm(forms.Form):
    note = forms.CharField(
        label="Why this is what good looks like",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Others copy what you name here.",
    )


class AdoptForm(forms.Form):
    team = forms.ModelChoiceField(label="Adopted by", queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        # Any team of the organisation: the service says whether the person may speak for it.
        self.fields["team"].queryset = Team.objects.visible_to(membership).order_by("name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}))


SUGGEST = {
    "hx-get": reverse_lazy("teams:handoff_suggestions"),
    "hx-trigger": "change",
    "hx-target": "#suggestions",
    "hx-swap": "innerHTML",
    "hx-include": "#handoff-form [name=account], #handoff-form [name=strength], #handoff-form [name=function]",
}


class HandoffForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=CustomerAccount.objects.none(), empty_label="Choose a customer", widget=forms.Select(attrs=SUGGEST)
    )
    subject = forms.CharField(max_length=200, help_text="The need, in a line.")
    context = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What has happened so far."
    )
    customer_expects = forms.CharField(
        label="What the customer expects", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(required=False, widget=DATE)
    follow_up = forms.ModelChoiceField(
        label="Follow-up of this customer (optional)",
        queryset=FollowUp.objects.none(),
        required=False,
        empty_label="None",
    )
    strength = forms.ModelChoiceField(
        label="Needs someone strong at",
        queryset=Strength.objects.none(),
        required=False,
        empty_label="Any strength",
        widget=forms.Select(attrs=SUGGEST),
        help_text="Only to suggest whom to ask.",
    )
    function = forms.ModelChoiceField(
        label="In the function",
        queryset=Function.objects.none(),
        required=False,
        empty_label="Any function",
        widget=forms.Select(attrs=SUGGEST),
        help_text="Only to suggest whom to ask.",
    )
    to_member = PersonChoiceField(
        label="Hand to a person", queryset=Membership.objects.none(), required=False, empty_label="Nobody in particular"
    )
    to_team = forms.ModelChoiceField(
        label="…or to a team", queryset=Team.objects.none(), required=False, empty_label="No team"
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = CustomerAccount.objects.visible_to(membership).order_by("name")
        self.fields["follow_up"].queryset = (
            FollowUp.objects.visible_to(membership).select_related("account").order_by("account__name", "summary")
        )
        self.fields["strength"].queryset = Strength.objects.visible_to(membership).order_by("name")
        self.fields["function"].queryset = Function.objects.visible_to(membership)
        self.fields["to_member"].queryset = _people(membership).exclude(pk=membership.pk)
        self.fields["to_team"].queryset = Team.objects.visible_to(membership).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("to_member") and data.get("to_team"):
            self.add_error("to_team", "Hand it to a person or to a team, not both.")
        elif "to_member" in data and "to_team" in data and not data["to_member"] and not data["to_team"]:
            self.add_error("to_member", "Choose whom to hand it to: a person or a team.")
        return data

    def service_kwargs(self) -> dict:
        skip = {"strength", "function"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class SuggestForm(forms.Form):
    """The parts of the handoff form that steer the suggestions."""

    account = forms.ModelChoiceField(queryset=CustomerAccount.objects.none(), required=False)
    strength = forms.ModelChoiceField(queryset=Strength.objects.none(), required=False)
    function = forms.ModelChoiceField(queryset=Function.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = CustomerAccount.objects.visible_to(membership).select_related("owning_team")
        self.fields["strength"].queryset = Strength.objects.visible_to(membership)
        self.fields["function"].queryset = Function.objects.visible_to(membership)
