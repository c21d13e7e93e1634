"""Pulse surveys: a survey, its questions, the rounds it runs, who was invited to each,
and the anonymous responses.

Anonymity holds by construction. A ``Response`` carries its round, the team and
function its respondent had when the round opened, and the day it was given — no
person, no invitation, no time of day, and a random id that says nothing about the
order of submission (nor do its answers' ids). An invitation records only *that* its
person answered, never when or what. So no query, however joined, can link a person
to their answers; results show groups of at least the organisation's anonymity
threshold.
"""

import uuid

from django.db import models
from django.db.models import F, Q

from surveys.bank import ENPS_KEY, Driver
from teamhub.lib.tenancy import OrgScopedQuerySet


class SurveyQuerySet(OrgScopedQuerySet):
    """A survey belongs to its organisation: another organisation's is not found. Who may
    open its pages (admins and managers) and change it is decided in surveys.access."""


class Survey(models.Model):
    """An engagement pulse: questions, an audience and a cadence. A draft changes
    freely; once active, its rounds open and close by themselves."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        TEAMS = "teams", "Chosen teams"
        FUNCTIONS = "functions", "Chosen functions"

    class Cadence(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Every week"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Every month"
        QUARTERLY = "quarterly", "Every quarter"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Running"
        ENDED = "ended", "Ended"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=160)
    intro = models.TextField(
        blank=True, help_text="What the survey is for, in a sentence or two: people read it first."
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    teams = models.ManyToManyField("teams.Team", blank=True, related_name="surveys")
    functions = models.ManyToManyField("teams.Function", blank=True, related_name="surveys")
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY)
    first_opens_on = models.DateField(help_text="The day the first round opens.")
    opens_at = models.TimeField(help_text="The time of day rounds open, in the organisation's time zone.")
    open_days = models.PositiveSmallIntegerField(default=5, help_text="How many days each round stays open.")
    questions_per_round = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Ask only this many questions each round, taking turns so everyone sees every question "
        "before one repeats (the eNPS question is asked every round). Empty: all of them.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(open_days__gte=1, open_days__lte=60), name="survey_open_days_1_to_60"),
            models.CheckConstraint(
                condition=Q(questions_per_round__isnull=True) | Q(questions_per_round__gte=1),
                name="survey_questions_per_round_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.cadence != self.Cadence.ONCE


class QuestionQuerySet(OrgScopedQuerySet):
    org_field = "survey__organization"

    def visible_to(self, membership):
        return self.filter(survey__in=Survey.objects.visible_to(membership))


class Question(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement, 1 to 5"
        SCALE = "scale", "0 to 10"
        CHOICE = "choice", "One of several choices"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300)
    driver = models.CharField(max_length=24, choices=Driver.choices, blank=True)
    # A question from the bank keeps its key, so trends follow it across surveys.
    bank_key = models.CharField(max_length=60, blank=True)
    choices = models.JSONField(default=list, blank=True, help_text="The options of a single-choice question.")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "bank_key"], condition=~Q(bank_key=""), name="question_from_bank_once"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_enps(self) -> bool:
        return self.bank_key == ENPS_KEY


class RoundQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        return self.filter(survey__in=Survey.objects.visible_to(membership))


class SurveyRound(models.Model):
    """One run of a survey: opens, reminds once, closes. Its audience is frozen when it
    opens (the invitations, with each person's team and function then)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    remind_at = models.DateTimeField(help_text="When those who have not answered are reminded, once.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    opened_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    questions = models.ManyToManyField(Question, through="RoundQuestion", related_name="rounds")

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            # Two beat processes planning the same round make one of it.
            models.UniqueConstraint(fields=["survey", "number"], name="round_number_once"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(remind_at__gte=F("opens_at"), remind_at__lte=F("closes_at")),
                name="round_reminds_while_open",
            ),
        ]
        indexes = [
            # The beat job: rounds due to open, remind or close, whatever the organisation.
            models.Index(fields=["status", "opens_at"], name="round_due_to_open"),
            models.Index(fields=["status", "closes_at"], name="round_due_to_close"),
            # Results and trends: an organisation's rounds in time order.
            models.Index(fields=["organization", "opens_at"], name="round_by_org_time"),
        ]

    def __str__(self):
        return f"{self.survey} — round {self.number}"


class RoundQuestion(models.Model):
    """Which questions a round asks, in which order (all of the survey's, or its turn
    of them when the survey asks only a few each round)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="round_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["round", "question"], name="round_question_once")]

    def __str__(self):
        return f"{self.round}: {self.question}"


class SurveyInvitation(models.Model):
    """One person invited to one round, with their team and function when it opened.
    ``answered`` says only that they answered — never when, and never which response."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="survey_invitations")
    team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    function = models.ForeignKey("teams.Function", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A person is invited once per round, whoever opens it and however often.
            models.UniqueConstraint(fields=["round", "membership"], name="survey_invitation_once"),
        ]
        indexes = [
            # A person's surveys waiting for them (home page, API).
            models.Index(fields=["membership", "answered"], name="invitation_pending"),
        ]

    def __str__(self):
        return f"{self.membership} invited to {self.round}"


class Response(models.Model):
    """One anonymous set of answers: the round, the respondent's team and function at
    opening, the day. See the module docstring for why nothing else is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    function = models.ForeignKey("teams.Function", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_on = models.DateField()

    class Meta:
        indexes = [
            # Scores: an organisation's responses by period, and a round's by group.
            models.Index(fields=["organization", "submitted_on"], name="response_by_org_day"),
            models.Index(fields=["round", "team"], name="response_by_round_team"),
            models.Index(fields=["round", "function"], name="response_by_round_function"),
        ]

    def __str__(self):
        return f"A response to {self.round}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True, help_text="1 to 5, 0 to 10, or the chosen option's number.")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=10), name="answer_value_0_to_10"
            ),
        ]
        indexes = [
            # Results: a question's answers by value (distributions, percent favourable).
            models.Index(fields=["question", "value"], name="answer_by_question_value"),
        ]

    def __str__(self):
        return f"An answer to {self.question}"
