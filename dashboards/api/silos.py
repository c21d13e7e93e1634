"""The silo map through the API: what its page shows (dashboards.selectors.silos), and
nothing more.

Managers and admins read the whole organisation's map: team-level counts, no personal
data. A pair's endpoint lists the handoffs the caller may open (the others are only
counted, in ``hidden_handoffs``) and the wins shared across the two teams. Members are
refused (403); a team of another organisation is not found (404) whatever the role.
"""

from rest_framework import serializers
from rest_framework.response import Response

from dashboards.selectors import silos as selectors
from surveys.scoring.periods import MONTH, QUARTER, period_of
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import (
    CustomerSummarySerializer,
    FunctionSummarySerializer,
    MembershipSummarySerializer,
    TeamSummarySerializer,
)
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Team
from work.models import Handoff

GRANULARITY = {"choices": [(QUARTER, "Quarter"), (MONTH, "Month")], "enum_name": "SiloPeriodEnum"}

# --- Query string -------------------------------------------------------------------------


class SiloQuerySerializer(serializers.Serializer):
    period = NamedChoiceField(**GRANULARITY, required=False, default=QUARTER, help_text="month or quarter.")
    start = serializers.DateField(
        required=False, help_text="Any day of the period to show (default: today, organisation time zone)."
    )

    def validate(self, data):
        organization = self.context["membership"].organization
        if data.get("start") is None:
            return {"period": selectors.default_period(organization, data["period"])}
        return {"period": period_of(data["period"], data["start"])}


# --- Shapes -------------------------------------------------------------------------------


class SiloPeriodSerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY)
    start = serializers.DateField(help_text="The period's first day, organisation time zone.")
    end = serializers.DateField(help_text="The period's last day (included).")
    label = serializers.CharField(help_text="2026-04 or 2026-Q2.")


class SiloCountsSerializer(serializers.Serializer):
    team_a = TeamSummarySerializer(source="a")
    team_b = TeamSummarySerializer(source="b")
    handoffs = serializers.IntegerField(help_text="Either way, sent in the period.")
    handoffs_a_to_b = serializers.IntegerField(source="a_to_b")
    handoffs_b_to_a = serializers.IntegerField(source="b_to_a")
    shared_wins = serializers.IntegerField(
        help_text="Wins of one team in the period with a collaborator from the other (not on the win's team)."
    )
    shared_customers = serializers.IntegerField(help_text="Accounts both teams own now or owned before.")
    shared_functions = serializers.IntegerField(help_text="Functions both teams have people in.")
    silo = serializers.BooleanField(source="is_silo", help_text="Shares customers or functions, no work together.")


class SiloMapSerializer(serializers.Serializer):
    period = serializers.SerializerMethodField()
    teams = TeamSummarySerializer(many=True, help_text="Every team of the organisation, by name.")
    cells = SiloCountsSerializer(
        many=True, help_text="Each pair that worked together or shares customers or functions; other pairs: all zero."
    )
    silos = SiloCountsSerializer(many=True, help_text="The pairs to introduce, the most shared ties first.")

    def get_period(self, data) -> SiloPeriodSerializer:
        return SiloPeriodSerializer(selectors.period_data(data.period)).data


class SiloHandoffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    status = NamedChoiceField(choices=Handoff.Status.choices, enum_name="HandoffStatusEnum")
    account = CustomerSummarySerializer()
    sender = MembershipSummarySerializer()
    sender_team = TeamSummarySerializer()
    receiving_team = TeamSummarySerializer()
    created_at = serializers.DateTimeField()


class SiloWinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = TeamSummarySerializer()
    author = MembershipSummarySerializer()
    account = CustomerSummarySerializer(allow_null=True)
    collaborators = MembershipSummarySerializer(
        many=True, source="crossing", help_text="The collaborators from the other team."
    )
    created_at = serializers.DateTimeField()


class SiloAccountSerializer(CustomerSummarySerializer):
    owning_team = TeamSummarySerializer()


class SiloPairSerializer(serializers.Serializer):
    period = serializers.SerializerMethodField()
    counts = SiloCountsSerializer(source="pair")
    handoffs = SiloHandoffSerializer(many=True, help_text="Those you may open, newest first.")
    hidden_handoffs = serializers.IntegerField(help_text="Handoffs counted in the pair that are not yours to open.")
    wins = SiloWinSerializer(many=True, help_text="Newest first.")
    shared_customers = SiloAccountSerializer(many=True)
    shared_functions = FunctionSummarySerializer(many=True)

    def get_period(self, detail) -> SiloPeriodSerializer:
        return SiloPeriodSerializer(selectors.period_data(detail.period)).data


# --- Views --------------------------------------------------------------------------------


@org_scoped_schema(tags=["dashboards"])
class SiloMapViewSet(OrgScopedViewSet):
    """The silo map (managers and admins): team-level counts of a month or quarter in the
    organisation's time zone. A pair's teams are looked up first: another organisation's
    id is a 404, for members too."""

    queryset = Team.objects.all()
    serializer_class = SiloMapSerializer
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.MANAGER, "pair": Role.MANAGER}
    teams = None

    def check_permissions(self, request):
        # The pair's teams first: another organisation's id is a 404 whatever the role.
        if self.action == "pair":
            self.teams = selectors.access_pair(
                membership=self.membership, team_a_id=self.kwargs["team_a"], team_b_id=self.kwargs["team_b"]
            )
        super().check_permissions(request)

    def _period(self):
        query = SiloQuerySerializer(data=self.request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        return query.validated_data["period"]

    @operation(
        "silo_map_retrieve",
        "The silo map of a month or quarter (default: the current quarter): the teams, the handoffs and shared "
        "wins of each pair, what pairs share, and the silos to introduce — team-level counts only",
        SiloMapSerializer,
        parameters=[SiloQuerySerializer],
    )
    def retrieve(self, request, org_slug):
        data = selectors.silo_map(membership=self.membership, period=self._period())
        return Response(SiloMapSerializer(data, context=self.get_serializer_context()).data)

    @operation(
        "silo_map_pair",
        "One pair of teams in a month or quarter: the handoffs between them you may open (the rest counted), "
        "the wins they shared, and the customers and functions they have in common",
        SiloPairSerializer,
        parameters=[SiloQuerySerializer],
    )
    def pair(self, request, org_slug, team_a, team_b):
        first, second = self.teams
        detail = selectors.pair_detail(membership=self.membership, team_a=first, team_b=second, period=self._period())
        return Response(SiloPairSerializer(detail, context=self.get_serializer_context()).data)
