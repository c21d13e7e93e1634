"""The manager dashboard through the API: what its page shows, for one granularity.

GET /api/v1/orgs/{slug}/dashboard/?granularity=week|month|quarter (default month):
each team with its current engagement, collaboration, customer NPS and eNPS and the
change since the period before, the trend series, the teams-by-drivers heatmap, SLA
breaches, open detractor follow-ups, recent spotlights, goals with their key results,
and each team's maturity stage and commitments. Managers and admins (members: 403).
A suppressed score is ``value: null, suppressed: true`` with only the reason in its
explanation, as on the page.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from dashboards.selectors import manager as selectors
from surveys import selectors_scores as scores
from surveys.models.scores import Granularity, Metric
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import CustomerSummarySerializer, MembershipSummarySerializer, TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Goal, Stage

METRIC = {"choices": Metric.choices, "enum_name": "ScoreMetricEnum"}
GRANULARITY = {"choices": Granularity.choices, "enum_name": "ScoreGranularityEnum"}

# --- Shapes ---------------------------------------------------------------------------


class ManagerDashboardExplanationSerializer(serializers.Serializer):
    formula = serializers.CharField(help_text="How the metric is computed, in plain words.")
    scale = serializers.CharField(help_text="0 to 100, or -100 to 100.")
    components = serializers.DictField(
        help_text="Every input count and sub-score; for a suppressed score only the reason (``suppressed``)."
    )


class ManagerDashboardScoreSerializer(serializers.Serializer):
    metric = NamedChoiceField(**METRIC)
    label = serializers.CharField()
    snapshot_id = serializers.IntegerField(
        source="snapshot.pk", allow_null=True, help_text="The score's id in /scores/ (null: no data yet)."
    )
    period = serializers.CharField(source="period_label", help_text="2026-W14, 2026-04 or 2026-Q2; empty: no data.")
    value = serializers.FloatField(allow_null=True, help_text="Null when suppressed or without data.")
    suppressed = serializers.BooleanField(help_text="Not enough responses: the value is never shown.")
    sample_size = serializers.SerializerMethodField()
    previous_period = serializers.CharField(source="previous_label")
    change = serializers.FloatField(
        allow_null=True, help_text="Since the previous period; null when either side is missing or suppressed."
    )
    explanation = serializers.SerializerMethodField()

    def get_sample_size(self, score) -> int | None:
        return None if score.snapshot is None or score.suppressed else score.snapshot.sample_size

    @extend_schema_field(ManagerDashboardExplanationSerializer(allow_null=True))
    def get_explanation(self, score):
        if score.snapshot is None:
            return None
        return scores.explanation(score.snapshot)

    def to_representation(self, score):
        if score.snapshot is None:
            data = dict.fromkeys(("snapshot_id", "value", "sample_size", "change", "explanation"))
            return {
                **data,
                "metric": score.metric,
                "label": score.label,
                "period": "",
                "previous_period": "",
                "suppressed": False,
            }
        return super().to_representation(score)


class ManagerDashboardCommitmentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kept = serializers.BooleanField()
    kept_since = serializers.DateField(allow_null=True)


class ManagerDashboardTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.pk")
    name = serializers.CharField(source="team.name")
    stage = NamedChoiceField(source="team.stage", choices=Stage.choices, enum_name="StageEnum")
    scores = ManagerDashboardScoreSerializer(many=True, help_text="Engagement, collaboration, customer NPS, eNPS.")
    drivers = ManagerDashboardScoreSerializer(many=True, help_text="The heatmap's row: each driver's latest period.")
    commitments = ManagerDashboardCommitmentSerializer(many=True, help_text="The six commitments, kept or not yet.")
    commitments_kept = serializers.IntegerField(source="kept")


class ManagerDashboardSeriesSerializer(serializers.Serializer):
    team_id = serializers.IntegerField()
    team = serializers.CharField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="One per period; null: suppressed or no data."
    )
    suppressed = serializers.ListField(child=serializers.BooleanField())


class ManagerDashboardTrendSerializer(serializers.Serializer):
    metric = NamedChoiceField(**METRIC)
    label = serializers.CharField()
    scale = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField(), help_text="The periods, oldest first.")
    series = ManagerDashboardSeriesSerializer(many=True)


class ManagerDashboardBreachSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    account = CustomerSummarySerializer()
    to_team = TeamSummarySerializer(allow_null=True)
    to_member = MembershipSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    sla_hours = serializers.IntegerField()
    age_hours = serializers.SerializerMethodField(help_text="How long it has waited, in hours.")

    def get_age_hours(self, handoff) -> float:
        return round(handoff.age.total_seconds() / 3600, 1)


class ManagerDashboardFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField()
    account = CustomerSummarySerializer()
    team = TeamSummarySerializer(source="account.owning_team")
    owner = MembershipSummarySerializer(allow_null=True)
    status = serializers.CharField()
    score = serializers.IntegerField(source="nps_feedback.score", help_text="The detractor's score.")
    created_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    age_days = serializers.SerializerMethodField(help_text="How long it has been open, in days.")

    def get_age_days(self, follow_up) -> int:
        return follow_up.age.days


class ManagerDashboardSpotlightSerializer(serializers.Serializer):
    win_id = serializers.IntegerField(source="win.pk")
    title = serializers.CharField(source="win.title")
    team = TeamSummarySerializer(source="win.team")
    author = MembershipSummarySerializer(source="win.author")
    account = CustomerSummarySerializer(source="win.account", allow_null=True)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class ManagerDashboardKeyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    current = serializers.DecimalField(max_digits=14, decimal_places=2)
    progress = serializers.IntegerField(help_text="0 to 100 %: from baseline toward target.")


class ManagerDashboardGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = TeamSummarySerializer()
    status = NamedChoiceField(choices=Goal.Status.choices, enum_name="GoalStatusEnum")
    period_end = serializers.DateField()
    key_results = ManagerDashboardKeyResultSerializer(source="key_results.all", many=True)


class ManagerDashboardSerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY)
    all_teams = serializers.BooleanField(help_text="True: an admin who manages no team, shown every team.")
    periods = serializers.SerializerMethodField(help_text="The trend window, oldest first.")
    teams = ManagerDashboardTeamSerializer(many=True)
    trends = ManagerDashboardTrendSerializer(many=True)
    drivers = serializers.ListField(child=serializers.CharField(), source="driver_metrics")
    breaches = ManagerDashboardBreachSerializer(many=True, help_text="The oldest open handoffs past their SLA.")
    breach_total = serializers.IntegerField()
    follow_ups = ManagerDashboardFollowUpSerializer(many=True, help_text="The oldest open detractor follow-ups.")
    follow_up_total = serializers.IntegerField()
    spotlights = ManagerDashboardSpotlightSerializer(many=True)
    goals = ManagerDashboardGoalSerializer(many=True)

    def get_periods(self, data) -> list[str]:
        return [period.label for period in data["periods"]]


class ManagerDashboardQuerySerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY, required=False, default=Granularity.MONTH)


# --- View -----------------------------------------------------------------------------


@org_scoped_schema(tags=["dashboards"])
class ManagerDashboardViewSet(OrgScopedViewSet):
    """The manager dashboard, as its page shows it: for the teams the caller manages (an
    admin who manages none: every team), at the granularity asked (default the month)."""

    serializer_class = ManagerDashboardSerializer
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.MANAGER}

    @operation(
        "dashboard_manager",
        "The manager dashboard: your teams' current scores with their change, trends, the drivers heatmap, SLA "
        "breaches, detractor follow-ups, spotlights, goals and maturity (an admin who manages none: every team)",
        ManagerDashboardSerializer,
        parameters=[ManagerDashboardQuerySerializer],
    )
    def retrieve(self, request, org_slug):
        query = ManagerDashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = selectors.manager_dashboard(membership=self.membership, granularity=query.validated_data["granularity"])
        data["driver_metrics"] = [d["metric"] for d in data["drivers"]]
        return Response(ManagerDashboardSerializer(data, context=self.get_serializer_context()).data)
