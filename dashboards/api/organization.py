"""The organisation view through the API: what its page shows, for one granularity.

GET /api/v1/orgs/{slug}/organization-dashboard/?granularity=week|month|quarter
(default month), &teams= and &functions= to sort the side-by-side tables (``name``,
a metric, ``-`` first for descending): the organisation's current scores with their
change, the trends (the organisation's line first, then each team's), teams and
functions side by side, the teams-by-drivers heatmap, wins per value and the
participation in the latest survey rounds. Admins only (managers and members: 403).
A suppressed score is ``value: null, suppressed: true``; a hidden group's participation
is ``answered: null, rate: null, hidden: true``.
"""

from rest_framework import serializers
from rest_framework.response import Response

from dashboards.api.manager import GRANULARITY, METRIC, ManagerDashboardScoreSerializer
from dashboards.selectors import organization as selectors
from surveys.models import SurveyRound
from surveys.models.scores import Granularity
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role

SORT_CHOICES = [*selectors.SORTS, *(f"-{s}" for s in selectors.SORTS)]
SORT_HELP = "Sort the table: name or a metric; a leading minus sorts descending (default: name, A to Z)."


class OrgViewRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="scope.pk")
    name = serializers.CharField(source="scope.name")
    scores = ManagerDashboardScoreSerializer(
        many=True, help_text="Engagement, collaboration, customer NPS, eNPS, response rate, handoff SLA attainment."
    )


class OrgViewSeriesSerializer(serializers.Serializer):
    kind = NamedChoiceField(choices=["organization", "team"], enum_name="OrgViewSeriesKindEnum")
    team_id = serializers.IntegerField(allow_null=True, help_text="Null for the organisation's line.")
    name = serializers.CharField(source="team")
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="One per period; null: suppressed or no data."
    )
    suppressed = serializers.ListField(child=serializers.BooleanField())


class OrgViewTrendSerializer(serializers.Serializer):
    metric = NamedChoiceField(**METRIC)
    label = serializers.CharField()
    scale = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField(), help_text="The periods, oldest first.")
    series = OrgViewSeriesSerializer(many=True)


class OrgViewHeatmapRowSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(source="team.pk")
    team = serializers.CharField(source="team.name")
    drivers = ManagerDashboardScoreSerializer(many=True, help_text="Each driver's latest period, in ``drivers`` order.")


class OrgViewValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    wins = serializers.IntegerField()


class OrgViewValuesSerializer(serializers.Serializer):
    since = serializers.DateField(help_text="Wins counted from this day (a month's first) until now.")
    total = serializers.IntegerField(help_text="Wins per value added up (a win may show several values).")
    rows = OrgViewValueSerializer(many=True)


class OrgViewTurnoutSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(allow_null=True, help_text="Null for the organisation or for no team.")
    name = serializers.CharField()
    invited = serializers.IntegerField()
    hidden = serializers.BooleanField(help_text="Too few answers to show (or the round is still open): no figures.")
    answered = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="Percent of those invited who answered.")


class OrgViewRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="round.pk")
    survey = serializers.CharField(source="round.survey.title")
    number = serializers.IntegerField(source="round.number")
    status = NamedChoiceField(
        source="round.status", choices=SurveyRound.Status.choices, enum_name="SurveyRoundStatusEnum"
    )
    opens_at = serializers.DateTimeField(source="round.opens_at")
    closes_at = serializers.DateTimeField(source="round.closes_at")
    organization = OrgViewTurnoutSerializer()
    teams = OrgViewTurnoutSerializer(many=True, help_text="Per team once the round has closed.")


class OrgViewSerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY)
    periods = serializers.SerializerMethodField(help_text="The trend window, oldest first.")
    scores = ManagerDashboardScoreSerializer(many=True, help_text="The organisation's current figures.")
    trends = OrgViewTrendSerializer(many=True)
    teams = OrgViewRowSerializer(many=True, help_text="Every team, sorted as asked.")
    functions = OrgViewRowSerializer(many=True, help_text="Every function, sorted as asked.")
    drivers = serializers.ListField(child=serializers.CharField(), source="driver_metrics")
    heatmap = OrgViewHeatmapRowSerializer(many=True)
    values = OrgViewValuesSerializer()
    rounds = OrgViewRoundSerializer(many=True, help_text="The latest rounds that have opened, newest first.")

    def get_periods(self, data) -> list[str]:
        return [period.label for period in data["periods"]]


class OrgViewQuerySerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY, required=False, default=Granularity.MONTH)
    teams = NamedChoiceField(choices=SORT_CHOICES, enum_name="OrgViewSortEnum", required=False, help_text=SORT_HELP)
    functions = NamedChoiceField(choices=SORT_CHOICES, enum_name="OrgViewSortEnum", required=False, help_text=SORT_HELP)


@org_scoped_schema(tags=["dashboards"])
class OrgViewViewSet(OrgScopedViewSet):
    """The organisation view, as its page shows it, for admins."""

    serializer_class = OrgViewSerializer
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.ADMIN}

    @operation(
        "dashboard_organization",
        "The organisation view: the organisation's scores with their change, trends, teams and functions side by "
        "side, the drivers heatmap, wins per value and participation per survey round (admins)",
        OrgViewSerializer,
        parameters=[OrgViewQuerySerializer],
    )
    def retrieve(self, request, org_slug):
        query = OrgViewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = selectors.organization_dashboard(
            membership=self.membership,
            granularity=query.validated_data["granularity"],
            team_sort=query.validated_data.get("teams", ""),
            function_sort=query.validated_data.get("functions", ""),
        )
        data["driver_metrics"] = [d["metric"] for d in data["drivers"]]
        return Response(OrgViewSerializer(data, context=self.get_serializer_context()).data)
