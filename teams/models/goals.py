from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from teamhub.lib.tenancy import OrgScopedQuerySet


class Goal(models.Model):
    """An organisation goal (no team), or a team goal aligned to an organisation goal."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        ACHIEVED = "achieved", "Achieved"
        MISSED = "missed", "Missed"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="goals")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organisation goal this team goal serves.",
    )
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_goals"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    # A survey driver's key (surveys.bank.Driver); teams sit below surveys, so the key is
    # checked where plans are made (dashboards.services.action_plans), not by choices here.
    driver = models.CharField(
        max_length=24,
        blank=True,
        help_text="The survey driver this goal is an action plan for (e.g. recognition); empty otherwise.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="goal_period_ordered",
                violation_error_message="The period must end on or after its start.",
            ),
            # A team goal is always aligned to an organisation goal.
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(parent__isnull=False),
                name="goal_team_aligned",
                violation_error_message="Align a team goal to one of your organisation's goals.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_team_goal(self) -> bool:
        return self.team_id is not None


class KeyResultQuerySet(OrgScopedQuerySet):
    org_field = "goal__organization"


class KeyResult(models.Model):
    class Kind(models.TextChoices):
        INPUT = "input", "Input"
        PROCESS = "process", "Process"
        OUTPUT = "output", "Output"
        RESULT = "result", "Result"

    class Direction(models.TextChoices):
        UP = "up", "Up is good"
        DOWN = "down", "Down is good"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RESULT)
    unit = models.CharField(max_length=24, blank=True, help_text="e.g. %, days, €, tickets")
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    current = models.DecimalField(max_digits=14, decimal_places=2)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.UP)
    order = models.PositiveSmallIntegerField(default=0)

    objects = KeyResultQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("baseline")),
                name="key_result_target_differs",
                violation_error_message="The target must differ from the baseline.",
            ),
            # The direction follows from baseline and target; a contradiction is a typo.
            models.CheckConstraint(
                condition=Q(direction="up", target__gt=F("baseline")) | Q(direction="down", target__lt=F("baseline")),
                name="key_result_direction_matches_target",
                violation_error_message=(
                    "With “up is good” the target must be above the baseline; with “down is good”, below it."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def progress(self) -> int:
        """0 to 100 %: how far current has moved from baseline toward target (never stored)."""
        return progress_percent(self.baseline, self.target, self.current)


def progress_percent(baseline: Decimal, target: Decimal, value: Decimal) -> int:
    span = target - baseline
    if span == 0:
        return 0
    share = (value - baseline) / span  # negative span (down is good) flips the sign for us
    return round(max(Decimal(0), min(Decimal(1), share)) * 100)


class CheckInQuerySet(OrgScopedQuerySet):
    org_field = "key_result__goal__organization"


class CheckIn(models.Model):
    """A new value for a key result, with a note, who and when."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    author = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The chart: one key result's check-ins in time order.
            models.Index(fields=["key_result", "created_at"], name="checkin_by_key_result_time"),
        ]

    def __str__(self):
        return f"{self.key_result}: {self.value}"
