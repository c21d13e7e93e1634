"""Forms for the survey pages. Plain forms: the services validate and save."""

import datetime as dt

from django import forms

from accounts.models import Membership
from surveys import bank
from surveys.models import Question, Survey
from teamhub.lib.forms import DATE, ModelMultipleChoiceField
from teamhub.lib.tenancy import Role
from teams.models import Function, Team

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class Checkboxes(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=160, help_text="People see it in their invitation, e.g. “Monthly pulse”.")
    intro = forms.CharField(
        label="Why you ask (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A sentence or two people read first.",
    )
    audience = forms.ChoiceField(choices=Survey.Audience.choices, widget=forms.RadioSelect)
    teams = Checkboxes(queryset=Team.objects.none(), required=False)
    functions = Checkboxes(queryset=Function.objects.none(), required=False)
    cadence = forms.ChoiceField(choices=Survey.Cadence.choices)
    first_opens_on = forms.DateField(label="First round opens on", widget=DATE)
    opens_at = forms.TimeField(
        label="at", widget=TIME, initial=dt.time(9, 0), help_text="In your organisation's time zone."
    )
    open_days = forms.IntegerField(label="Open for (days)", min_value=1, max_value=60, initial=5)
    questions_per_round = forms.IntegerField(
        label="Questions per round (optional)",
        min_value=1,
        max_value=60,
        required=False,
        help_text="For a recurring pulse: ask this many each round, taking turns. Empty: all of them.",
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(membership).order_by("name")
        if membership.role != Role.ADMIN:
            # Managers survey the teams they manage, and only those.
            teams = teams.filter(managers=membership)
            self.fields["audience"].choices = [(Survey.Audience.TEAMS, Survey.Audience.TEAMS.label)]
            self.initial.setdefault("audience", Survey.Audience.TEAMS)
            del self.fields["functions"]
        else:
            self.fields["functions"].queryset = Function.objects.visible_to(membership)
            self.initial.setdefault("audience", Survey.Audience.EVERYONE)
        self.fields["teams"].queryset = teams
        self.initial.setdefault("cadence", Survey.Cadence.MONTHLY)

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == Survey.Audience.TEAMS and not data.get("teams"):
            self.add_error("teams", "Choose at least one team to ask.")
        if audience == Survey.Audience.FUNCTIONS and not data.get("functions"):
            self.add_error("functions", "Choose at least one function to ask.")
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["teams"] = list(data.get("teams") or [])
        data["functions"] = list(data.get("functions") or [])
        data["intro"] = data.get("intro", "")
        return data


class BuildForm(SurveyForm):
    """A new survey: its settings, the bank statements to ask, and the eNPS question."""

    bank_keys = forms.MultipleChoiceField(
        label="Statements from the question bank",
        choices=[(q.key, q.text) for q in bank.BANK],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    include_enps = forms.BooleanField(
        label="Ask “How likely are you to recommend us as a place to work?” (eNPS, 0 to 10)",
        required=False,
        initial=True,
    )

    def clean(self):
        data = super().clean()
        if not data.get("bank_keys") and not data.get("include_enps"):
            self.add_error("bank_keys", "Choose at least one statement, or the eNPS question; add your own afterwards.")
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Answered as", choices=Question.Kind.choices)
    text = forms.CharField(label="Question", max_length=300)
    choices = forms.CharField(
        label="Options (for one of several choices)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    driver = forms.ChoiceField(
        label="Counts towards (optional)",
        choices=[("", "No driver"), *bank.Driver.choices],
        required=False,
        help_text="Only an agreement statement counts towards a driver's score.",
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "choices": [line for line in data["choices"].splitlines() if line.strip()],
            "driver": data["driver"],
        }


class AnswerForm(forms.Form):
    """The questions of one round, each optional: a field per question, named q<id>."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _field_for(question)

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def rows(self):
        return [(question, self[f"q{question.pk}"]) for question in self.questions]


AGREEMENT = [(5, "Strongly agree"), (4, "Agree"), (3, "Neither"), (2, "Disagree"), (1, "Strongly disagree")]


def _field_for(question: Question) -> forms.Field:
    if question.kind == Question.Kind.TEXT:
        return forms.CharField(
            label=question.text, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
    if question.kind == Question.Kind.CHOICE:
        choices = list(enumerate(question.choices))
        return forms.TypedChoiceField(
            label=question.text, choices=choices, coerce=int, required=False, widget=forms.RadioSelect
        )
    choices = AGREEMENT if question.kind == Question.Kind.AGREEMENT else [(n, str(n)) for n in range(11)]
    return forms.TypedChoiceField(
        label=question.text, choices=choices, coerce=int, required=False, empty_value=None, widget=forms.RadioSelect
    )
