"""Score snapshots: one figure of one scope for one period, as the scoring engine last
computed it (DESIGN.md, Scores).

A snapshot holds everything needed to explain itself — ``components`` keeps every
input count and sub-score — so "how is this computed" is read from the row alone. A
suppressed snapshot (a survey-based figure for too few respondents) keeps no value, no
sample size and no counts: nothing that a subtraction could use.
"""

from django.db import models
from django.db.models import Q

from teamhub.lib.tenancy import OrgScopedQuerySet


class ScopeType(models.TextChoices):
    ORGANIZATION = "org", "Organisation"
    TEAM = "team", "Team"
    FUNCTION = "function", "Function"
    ACCOUNT = "account", "Customer account"


class Granularity(models.TextChoices):
    WEEK = "week", "ISO week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class Metric(models.TextChoices):
    ENGAGEMENT = "engagement", "Engagement"
    FAVOURABLE_COLLABORATION = "favourable.collaboration", "Collaboration (survey)"
    FAVOURABLE_VALUES = "favourable.values", "Alignment with values"
    FAVOURABLE_ROLE_CLARITY = "favourable.role_clarity", "Role clarity"
    FAVOURABLE_RECOGNITION = "favourable.recognition", "Recognition"
    FAVOURABLE_ENABLEMENT = "favourable.enablement", "Enablement"
    FAVOURABLE_CUSTOMER_FOCUS = "favourable.customer_focus", "Customer focus"
    FAVOURABLE_GROWTH = "favourable.growth", "Growth"
    ENPS = "enps", "eNPS"
    RESPONSE_RATE = "response_rate", "Response rate"
    NPS = "nps", "Customer NPS"
    CSAT = "csat", "CSAT"
    COLLABORATION = "collaboration", "Collaboration"
    HANDOFF_SLA = "handoff_sla", "Handoff SLA attainment"
    FIRST_RESPONSE_MEDIAN = "follow_up.first_response.median", "Follow-up first response, median hours"
    FIRST_RESPONSE_P90 = "follow_up.first_response.p90", "Follow-up first response, 90th percentile hours"
    RESOLUTION_MEDIAN = "follow_up.resolution.median", "Follow-up resolution, median hours"
    RESOLUTION_P90 = "follow_up.resolution.p90", "Follow-up resolution, 90th percentile hours"
    # How closely each driver moves with engagement, response by response (Pearson's r).
    CORRELATION_COLLABORATION = "correlation.collaboration", "Collaboration, with engagement"
    CORRELATION_VALUES = "correlation.values", "Alignment with values, with engagement"
    CORRELATION_ROLE_CLARITY = "correlation.role_clarity", "Role clarity, with engagement"
    CORRELATION_RECOGNITION = "correlation.recognition", "Recognition, with engagement"
    CORRELATION_ENABLEMENT = "correlation.enablement", "Enablement, with engagement"
    CORRELATION_CUSTOMER_FOCUS = "correlation.customer_focus", "Customer focus, with engagement"
    CORRELATION_GROWTH = "correlation.growth", "Growth, with engagement"


class SnapshotQuerySet(OrgScopedQuerySet):
    """Who reads which snapshots is decided in surveys.access (the scores API)."""


class ScoreSnapshot(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    scope_type = models.CharField(max_length=16, choices=ScopeType.choices)
    scope_id = models.PositiveBigIntegerField()
    metric = models.CharField(max_length=40, choices=Metric.choices)
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField()
    value = models.FloatField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    components = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        constraints = [
            # One row per key: a recompute, however often it runs, rewrites it.
            models.UniqueConstraint(
                fields=["organization", "scope_type", "scope_id", "metric", "granularity", "period_start"],
                name="score_snapshot_once",
            ),
            # A suppressed figure keeps no value and no sample size.
            models.CheckConstraint(
                condition=Q(suppressed=False) | Q(value__isnull=True, sample_size__isnull=True),
                name="score_snapshot_suppressed_is_empty",
            ),
        ]
        indexes = [
            # (The unique constraint's index serves a scope's metric over time.)
            # A recompute replaces one organisation's periods.
            models.Index(fields=["organization", "granularity", "period_start"], name="snapshot_by_period"),
        ]

    def __str__(self):
        return f"{self.metric} of {self.scope_type} {self.scope_id}, {self.granularity} from {self.period_start}"
