"""Forms for the customer pages. Plain forms: the services validate and save, and a
service's ValidationError lands on these fields through apply_validation_error."""

from django import forms

from accounts.models import Membership
from accounts.selectors import active_people
from customers import selectors
from customers.models import Contact, CustomerAccount, FollowUp
from teamhub.lib.forms import DATE, ModelChoiceField, PersonChoiceField
from teamhub.lib.tenancy import Role
from teams.models import Team

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def managed_teams(membership: Membership):
    """The teams whose accounts the membership adds: all for admins, their own for managers."""
    teams = Team.objects.visible_to(membership).order_by("name")
    return teams if membership.role == Role.ADMIN else teams.filter(managers=membership)


class AccountFilterForm(forms.Form):
    """The account list's search, filters and sort; every field is optional."""

    SORTS = [
        ("name", "Name"),
        ("status", "Status"),
        ("team", "Team"),
        ("-revenue", "Revenue, highest first"),
        ("-updated", "Recently updated"),
    ]

    q = forms.CharField(label="Search", required=False, help_text="Name, or the exact external reference.")
    team = ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All teams")
    segment = forms.ChoiceField(required=False)
    status = forms.ChoiceField(choices=[("", "All statuses"), *CustomerAccount.Status.choices], required=False)
    lead = PersonChoiceField(queryset=Membership.objects.none(), required=False, empty_label="Any lead")
    mine = forms.BooleanField(label="My teams' accounts", required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(membership).order_by("name")
        self.fields["lead"].queryset = active_people(membership=membership)
        segments = selectors.segments(membership=membership)
        self.fields["segment"].choices = [("", "All segments"), *((s, s) for s in segments)]

    def filters(self) -> dict:
        """Keyword arguments for selectors.account_list; an invalid value (a stale link's
        team, say) drops that filter only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "team": data.get("team"),
            "segment": data.get("segment") or "",
            "status": data.get("status") or "",
            "lead": data.get("lead"),
            "mine": bool(data.get("mine")),
            "sort": data.get("sort") or "name",
        }


class AccountForm(forms.Form):
    """An account's own fields; ``owning_team`` only when creating one."""

    name = forms.CharField(max_length=160)
    owning_team = ModelChoiceField(
        label="Owning team", queryset=Team.objects.none(), empty_label="Choose a team you manage"
    )
    external_ref = forms.CharField(
        label="External reference", max_length=64, required=False, help_text="The account's id in your CRM."
    )
    segment = forms.CharField(label="Segment or tier", max_length=60, required=False)
    status = forms.ChoiceField(choices=CustomerAccount.Status.choices, initial=CustomerAccount.Status.ACTIVE)
    annual_revenue = forms.DecimalField(
        label="Annual revenue", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    lead = PersonChoiceField(
        label="Account lead", queryset=Membership.objects.none(), required=False, empty_label="Nobody yet"
    )

    def __init__(self, *args, membership: Membership, account: CustomerAccount | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if account is None:
            self.fields["owning_team"].queryset = managed_teams(membership)
            self.fields["lead"].queryset = active_people(membership=membership)
        else:
            del self.fields["owning_team"]
            self.fields["lead"].queryset = selectors.team_people(team=account.owning_team)


class TransferForm(forms.Form):
    to_team = ModelChoiceField(label="New owning team", queryset=Team.objects.none(), empty_label="Choose a team")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the account moves; the history keeps it."
    )

    def __init__(self, *args, account: CustomerAccount, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(membership).exclude(pk=account.owning_team_id).order_by("name")
        self.fields["to_team"].queryset = teams


class ContactForm(forms.Form):
    name = forms.CharField(max_length=120)
    title = forms.CharField(label="Job title", max_length=120, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    preferred_channel = forms.ChoiceField(choices=Contact.Channel.choices, initial=Contact.Channel.EMAIL)
    preferences = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="How they like to work with us."
    )
    personal_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What to remember: people they work with, favourite snacks, what annoys them.",
    )
    survey_opt_out = forms.BooleanField(label="Opted out of surveys", required=False)
    last_interaction_at = forms.DateTimeField(label="Last interaction", required=False, widget=DATETIME)


class FollowUpForm(forms.Form):
    summary = forms.CharField(max_length=200, help_text="The customer's need, in a line.")
    contact = ModelChoiceField(queryset=Contact.objects.none(), required=False, empty_label="No contact")
    owner = PersonChoiceField(queryset=Membership.objects.none(), required=False, empty_label="Me")
    due_date = forms.DateField(label="Due", required=False, widget=DATE)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, account: CustomerAccount, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(account=account).order_by("name", "pk")
        self.fields["owner"].queryset = selectors.team_people(team=account.owning_team)
        if editing:
            self.fields["owner"].empty_label = "Nobody"
        else:
            del self.fields["outcome"]


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FollowUp.Status.choices)
    outcome = forms.CharField(max_length=2000, required=False)
