"""Forms for the teams pages. Plain forms: the services validate and save, and a
service's ValidationError lands on these fields through apply_validation_error."""

from django import forms

from accounts.models import Membership
from accounts.selectors import active_people
from teamhub.lib.forms import DATE, ModelChoiceField, PeopleChoiceField, PersonChoiceField
from teamhub.lib.tenancy import Role
from teams.models import Function, Goal, JobRole, KeyResult, MemberStrength, Stage, Strength, TeamMembership

# --- Configuration (admins) ------------------------------------------------------------------


class ValueForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    order = forms.IntegerField(
        min_value=0, required=False, help_text="Lower comes first. Leave empty to add at the end."
    )


class FunctionForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="A discipline, e.g. Sales, Customer service, Finance.")
    order = forms.IntegerField(min_value=0, required=False, help_text="Lower comes first.")


class JobRoleForm(forms.Form):
    function = ModelChoiceField(queryset=Function.objects.none(), empty_label="Choose a function")
    name = forms.CharField(max_length=80)
    purpose = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the role exists, in a sentence or two."
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = Function.objects.visible_to(membership)


class CriterionForm(forms.Form):
    """One line of excellence: a role's template or a person's own."""

    looks_like = forms.CharField(label="What excellence looks like", max_length=240)
    measure = forms.CharField(label="How it shows", max_length=240, help_text="An observable measure.")


class StrengthForm(forms.Form):
    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=Strength.Kind.choices, initial=Strength.Kind.SKILL)
    description = forms.CharField(max_length=240, required=False)


class TeamForm(forms.Form):
    """Name and mission for the team's managers; admins also choose the managers."""

    name = forms.CharField(max_length=80)
    mission = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    managers = PeopleChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with the manager or admin role.",
    )

    webhook_url = forms.CharField(
        label="Chat webhook",
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.slack.com/services/…", "autocomplete": "off"}),
        help_text="Optional. A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): handoffs to "
        "the team, their SLA breaches and spotlights of the team's wins are posted there. Keep it secret.",
    )

    def __init__(self, *args, membership: Membership, with_managers: bool = True, with_webhook: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_webhook:
            del self.fields["webhook_url"]
        if with_managers:
            self.fields["managers"].queryset = active_people(membership=membership).filter(
                role__in=[Role.ADMIN, Role.MANAGER]
            )
        else:
            del self.fields["managers"]


# --- Goals -------------------------------------------------------------------------------------


class GoalForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent = ModelChoiceField(
        label="Aligned to", queryset=Goal.objects.none(), empty_label="Choose an organisation goal"
    )
    owner = PersonChoiceField(queryset=Membership.objects.none(), required=False, empty_label="Nobody yet")
    period_start = forms.DateField(label="Starts", widget=DATE)
    period_end = forms.DateField(label="Ends", widget=DATE)
    status = forms.ChoiceField(choices=Goal.Status.choices, initial=Goal.Status.NOT_STARTED)

    def __init__(self, *args, membership: Membership, team_goal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people(membership=membership)
        if team_goal:
            self.fields["parent"].queryset = Goal.objects.visible_to(membership).filter(team__isnull=True)
        else:
            del self.fields["parent"]


class KeyResultForm(forms.Form):
    title = forms.CharField(max_length=160)
    kind = forms.ChoiceField(
        choices=KeyResult.Kind.choices,
        initial=KeyResult.Kind.RESULT,
        help_text="Inputs and processes lead; outputs and results follow.",
    )
    unit = forms.CharField(max_length=24, required=False, help_text="e.g. %, days, €, tickets")
    baseline = forms.DecimalField(max_digits=14, decimal_places=2, help_text="Where it stands at the start.")
    target = forms.DecimalField(max_digits=14, decimal_places=2)
    direction = forms.ChoiceField(choices=KeyResult.Direction.choices, initial=KeyResult.Direction.UP)


class CheckInForm(forms.Form):
    value = forms.DecimalField(label="New value", max_digits=14, decimal_places=2)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="What moved it, what is next."
    )


# --- Teams -------------------------------------------------------------------------------------


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="What shows the team is there."
    )


class CommitmentForm(forms.Form):
    is_kept = forms.BooleanField(label="Kept", required=False)
    kept_since = forms.DateField(label="Since", required=False, widget=DATE)
    note = forms.CharField(
        max_length=500, required=False, widget=forms.TextInput(attrs={"placeholder": "Note: what shows it"})
    )


class TeamMemberAddForm(forms.Form):
    membership = PersonChoiceField(label="Person", queryset=Membership.objects.none(), empty_label="Choose someone")
    team_role = forms.ChoiceField(
        label="Place on the team", choices=TeamMembership.TeamRole.choices, initial=TeamMembership.TeamRole.MEMBER
    )
    job_role = ModelChoiceField(
        label="Role",
        queryset=JobRole.objects.none(),
        required=False,
        empty_label="No role yet",
        help_text="Their excellence criteria start from the role's template.",
    )

    def __init__(self, *args, membership: Membership, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = active_people(membership=membership).exclude(team_memberships__team=team)
        self.fields["job_role"].queryset = JobRole.objects.visible_to(membership).select_related("function")


class TeamMemberUpdateForm(forms.Form):
    """Bound only: rows render their own selects from one list of roles."""

    team_role = forms.ChoiceField(choices=TeamMembership.TeamRole.choices)
    job_role = ModelChoiceField(queryset=JobRole.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = JobRole.objects.visible_to(membership)


# --- Strengths and the directory -----------------------------------------------------------------


class MemberStrengthForm(forms.Form):
    strength = ModelChoiceField(queryset=Strength.objects.none(), empty_label="Choose a strength")
    level = forms.TypedChoiceField(
        choices=MemberStrength.Level.choices, coerce=int, initial=MemberStrength.Level.STRONG
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strength"].queryset = Strength.objects.visible_to(membership)


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(choices=MemberStrength.Level.choices, coerce=int)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    function = ModelChoiceField(queryset=Function.objects.none(), required=False, empty_label="Any function")
    strength = ModelChoiceField(queryset=Strength.objects.none(), required=False, empty_label="Any strength")

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = Function.objects.visible_to(membership)
        self.fields["strength"].queryset = Strength.objects.visible_to(membership)
