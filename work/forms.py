"""Forms for the daily-work pages: wins, spotlights, adoptions, handoffs. Plain forms:
the services validate and save; their ValidationError lands on these fields."""

from django import forms
from django.db.models import F
from django.urls import reverse_lazy

from accounts.models import Membership
from accounts.selectors import active_people
from customers.models import CustomerAccount, FollowUp
from teamhub.lib.forms import DATE, IdField, ModelChoiceField, ModelMultipleChoiceField, PersonChoiceField
from teams.models import Function, Strength, Team, TeamMembership, Value
from work.access import teams_for_wins


class ValueChoices(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class CollaboratorChoices(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.user.display_name


class WinForm(forms.Form):
    """Every field of a win. The home page's quick form shows three of them (what went
    well, the values it shows, one colleague) and posts here too; /wins/new/ shows the
    rest: the story, the customer, the impact and any number of colleagues."""

    title = forms.CharField(
        label="What went well", max_length=160, error_messages={"required": "Say what went well, in a line."}
    )
    story = forms.CharField(
        label="The story (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened and what made the difference: others learn from it.",
    )
    impact = forms.CharField(
        label="Impact (optional)",
        max_length=240,
        required=False,
        help_text="What changed for the customer, in a line: an order kept, a renewal signed, hours saved.",
    )
    account = ModelChoiceField(
        label="For customer (optional)",
        queryset=CustomerAccount.objects.none(),
        required=False,
        empty_label="No particular customer",
    )
    values = ValueChoices(
        label="Values it shows",
        queryset=Value.objects.none(),
        error_messages={"required": "Choose at least one value the win shows."},
    )
    # The quick form's one colleague (folded into ``collaborators``); the full form takes many.
    collaborator = PersonChoiceField(
        label="With (optional)", queryset=Membership.objects.none(), required=False, empty_label="Nobody else"
    )
    collaborators = CollaboratorChoices(
        label="Who helped (optional)", queryset=Membership.objects.none(), required=False
    )
    team = ModelChoiceField(label="For team", queryset=Team.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("auto_id", "win-%s")
        super().__init__(*args, **kwargs)
        self.membership = membership
        if self.is_bound and self.data.get("collaborator") and "collaborators" not in self.data:
            # The quick form's one colleague is one of the many: kept if the full page
            # shows the form again (the quick form posted without JavaScript, with an error).
            self.data = self.data.copy()
            self.data.setlist("collaborators", [self.data["collaborator"]])
        colleagues = active_people(membership=membership).exclude(pk=membership.pk)
        self.fields["account"].queryset = CustomerAccount.objects.visible_to(membership).order_by("name")
        self.fields["values"].queryset = Value.objects.visible_to(membership).active()
        self.fields["collaborator"].queryset = colleagues
        self.fields["collaborators"].queryset = colleagues
        self.fields["team"].queryset = teams_for_wins(membership)
        teams = list(self.fields["team"].queryset)
        if len(teams) <= 1:
            # One team: it is the default, so the field stays out of the way.
            self.fields["team"].widget = forms.HiddenInput()
            self.initial.setdefault("team", teams[0].pk if teams else None)
        else:
            # Render from the list already loaded, rather than querying the teams again.
            self.fields["team"].widget.choices = [("", "Choose a team")] + [(t.pk, t.name) for t in teams]

    def collaborator_groups(self) -> list[tuple[str, list]]:
        """The "who helped" checkboxes by team, each colleague once, under the first of
        their teams: the person's own teams first, then the others by name, then the
        colleagues on no team. Two queries, whatever the size of the organisation."""
        seats = list(
            TeamMembership.objects.filter(team__organization_id=self.membership.organization_id).values_list(
                "membership_id", "team_id", "team__name"
            )
        )
        mine = {team for person, team, _ in seats if person == self.membership.pk}
        order = sorted({(team not in mine, name, team) for _, team, name in seats})
        rank = {team: i for i, (_, _, team) in enumerate(order)}
        first_team: dict[int, int] = {}
        for person, team, _ in seats:
            if person not in first_team or rank[team] < rank[first_team[person]]:
                first_team[person] = team
        groups = {team: (name, []) for _, name, team in order}
        no_team = ("On no team yet", [])
        for box in self["collaborators"]:
            person = int(str(box.data["value"]))
            _, boxes = groups[first_team[person]] if person in first_team else no_team
            boxes.append(box)
        return [group for group in [*groups.values(), no_team] if group[1]]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "story": data["story"],
            "impact": data["impact"],
            "account": data["account"],
            "values": list(data["values"]),
            "team": data["team"],
            "collaborators": list(data["collaborators"]),
        }


class SpotlightForm(forms.Form):
    note = forms.CharField(
        label="Why this is what good looks like",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Others copy what you name here.",
    )


class AdoptForm(forms.Form):
    team = ModelChoiceField(label="Adopted by", queryset=Team.objects.none(), empty_label=None)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        # Any team of the organisation: the service says whether the person may speak for it.
        self.fields["team"].queryset = Team.objects.visible_to(membership).order_by("name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}))


OPEN_FOLLOW_UP_STATES = [FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS]


def open_follow_ups(membership: Membership, account_id: int | None):
    """An account's open follow-ups that ``membership`` works on, soonest due first."""
    if account_id is None:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.visible_to(membership)
        .filter(account_id=account_id, status__in=OPEN_FOLLOW_UP_STATES)
        .order_by(F("due_date").asc(nulls_last=True), "summary", "pk")
    )


class FollowUpChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.summary} (due {obj.due_date.day} {obj.due_date:%b})" if obj.due_date else obj.summary


SUGGEST = {
    "hx-get": reverse_lazy("work:handoff_suggestions"),
    "hx-trigger": "change",
    "hx-target": "#suggestions",
    "hx-swap": "innerHTML",
    # The follow-up rides along so that its select, swapped in again (out of band) with the
    # chosen customer's follow-ups, keeps what was picked.
    "hx-include": (
        "#handoff-form [name=account], #handoff-form [name=strength], "
        "#handoff-form [name=function], #handoff-form [name=follow_up]"
    ),
}


class HandoffForm(forms.Form):
    account = ModelChoiceField(
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
    follow_up = FollowUpChoiceField(
        label="Follow-up of this customer (optional)",
        queryset=FollowUp.objects.none(),
        required=False,
        empty_label="None",
        help_text="The customer's open follow-ups.",
        error_messages={"invalid_choice": "Choose one of this customer's open follow-ups, or none."},
    )
    strength = ModelChoiceField(
        label="Needs someone strong at",
        queryset=Strength.objects.none(),
        required=False,
        empty_label="Any strength",
        widget=forms.Select(attrs=SUGGEST),
        help_text="Only to suggest whom to ask.",
    )
    function = ModelChoiceField(
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
    to_team = ModelChoiceField(
        label="…or to a team", queryset=Team.objects.none(), required=False, empty_label="No team"
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = CustomerAccount.objects.visible_to(membership).order_by("name")
        # Only the chosen customer's open follow-ups: offered, and so the only ones accepted.
        account_id = self._chosen_account_id()
        self.fields["follow_up"].queryset = open_follow_ups(membership, account_id)
        if account_id is None:
            self.fields["follow_up"].empty_label = "Choose the customer first"
        self.fields["strength"].queryset = Strength.objects.visible_to(membership).order_by("name")
        self.fields["function"].queryset = Function.objects.visible_to(membership)
        self.fields["to_member"].queryset = active_people(membership=membership).exclude(pk=membership.pk)
        self.fields["to_team"].queryset = Team.objects.visible_to(membership).order_by("name")

    def _chosen_account_id(self) -> int | None:
        """The account as posted (or given initially), before validation: it decides
        which follow-ups the form offers and accepts."""
        raw = self.data.get("account") if self.is_bound else self.initial.get("account")
        try:
            return IdField(required=False).clean(getattr(raw, "pk", raw))
        except forms.ValidationError:
            return None

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

    account = ModelChoiceField(queryset=CustomerAccount.objects.none(), required=False)
    strength = ModelChoiceField(queryset=Strength.objects.none(), required=False)
    function = ModelChoiceField(queryset=Function.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = CustomerAccount.objects.visible_to(membership).select_related("owning_team")
        self.fields["strength"].queryset = Strength.objects.visible_to(membership)
        self.fields["function"].queryset = Function.objects.visible_to(membership)
