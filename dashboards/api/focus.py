"""Focus areas and action plans through the API: what the two pages show, from the same
selectors (dashboards.selectors.focus) and the same service, and nothing more.

The organisation's focus areas are for managers and admins; a team's for its members,
its managers and admins (another organisation's team is not found, one of ours the
caller is neither on nor manages is refused, 403). Scores come through
surveys.access.access_scores: a suppressed driver is ``value: null, suppressed: true``
for managers and admins, and absent for members. Managers of the team and admins make
action plans; anyone who reads the team's focus areas reads its plans.
"""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from dashboards.selectors import focus as selectors
from dashboards.services.action_plans import action_plan_create
from surveys.models.scores import ScopeType
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import MembershipSummarySerializer, TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.forms import MAX_ID
from teamhub.lib.tenancy import Role, require_role
from teams.models import Goal, Team

DRIVER = {
    "choices": [(key, selectors.driver_label(key)) for key in selectors.DRIVER_KEYS],
    "enum_name": "FocusDriverEnum",
}
GRANULARITY = {"choices": selectors.GRANULARITIES, "enum_name": "FocusGranularityEnum"}


# --- Shapes ---------------------------------------------------------------------------------


class FocusPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The period's last day (included).")
    label = serializers.CharField(help_text="2026-04 or 2026-Q2.")


class FocusDriverSerializer(serializers.Serializer):
    """One driver in the period: its percent favourable and how it moves with engagement."""

    driver = NamedChoiceField(**DRIVER)
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Percent favourable; null when suppressed.")
    suppressed = serializers.BooleanField(help_text="Not enough responses: no value, no sample size.")
    sample_size = serializers.IntegerField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="Since the period before; null if either is missing.")
    score_id = serializers.IntegerField(allow_null=True, help_text="The snapshot: scores/{id}/explanation/.")
    correlation = serializers.FloatField(
        allow_null=True, help_text="Pearson's r with engagement, -1 to 1; null when suppressed or missing."
    )
    correlation_id = serializers.IntegerField(allow_null=True, help_text="The correlation's snapshot.")
    moves = serializers.CharField(help_text="The correlation in plain words; empty when there is none.")
    start_here = serializers.BooleanField(help_text="Weak, and it moves with engagement (r of 0.3 or more).")


class FocusEngagementSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()
    score_id = serializers.IntegerField()


class FocusKeyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    current = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    progress = serializers.IntegerField(help_text="0 to 100: from baseline toward target.")


class ActionPlanSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    driver = NamedChoiceField(**DRIVER)
    status = NamedChoiceField(choices=Goal.Status.choices, enum_name="GoalStatusEnum")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    key_results = FocusKeyResultSerializer(many=True)


class FocusTeamRowSerializer(serializers.Serializer):
    team = TeamSummarySerializer()
    period = FocusPeriodSerializer(allow_null=True)
    strongest = FocusDriverSerializer(allow_null=True)
    weakest = FocusDriverSerializer(allow_null=True)


class FocusAreasSerializer(serializers.Serializer):
    scope_type = NamedChoiceField(choices=ScopeType.choices, enum_name="ScoreScopeTypeEnum")
    scope_id = serializers.IntegerField()
    name = serializers.CharField()
    granularity = NamedChoiceField(**GRANULARITY)
    period = FocusPeriodSerializer(allow_null=True, help_text="The latest period with driver figures to show.")
    is_current_period = serializers.BooleanField(help_text="Whether that period is today's.")
    engagement = FocusEngagementSerializer(allow_null=True)
    strongest = FocusDriverSerializer(many=True, help_text="Up to three, strongest first.")
    weakest = FocusDriverSerializer(many=True, help_text="Up to three, weakest first; never one of the strongest.")
    ranked = FocusDriverSerializer(many=True, help_text="Every driver with a figure to show, strongest first.")
    not_enough_responses = FocusDriverSerializer(many=True, help_text="Suppressed drivers (managers and admins).")
    moves_with_engagement = FocusDriverSerializer(many=True, help_text="Ranked by r, highest first.")
    hint = serializers.CharField(help_text="What to do to get figures, when there are none.")
    how_ranked = serializers.CharField()
    how_moves = serializers.CharField()
    teams = FocusTeamRowSerializer(many=True, required=False, help_text="The organisation's: each team listed.")
    plans = ActionPlanSummarySerializer(many=True, required=False, help_text="A team's: its action plans.")
    can_plan = serializers.BooleanField(required=False, help_text="A team's: whether you may make one.")


class PlanTrendPointSerializer(serializers.Serializer):
    period = FocusPeriodSerializer()
    value = serializers.FloatField(allow_null=True, help_text="Percent favourable; null when suppressed or missing.")
    suppressed = serializers.BooleanField()
    in_plan = serializers.BooleanField(help_text="The period overlaps the plan's.")
    score_id = serializers.IntegerField(allow_null=True)


class PlanCheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField()
    author = MembershipSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class PlanKeyResultSerializer(FocusKeyResultSerializer):
    check_ins = PlanCheckInSerializer(many=True, source="latest_check_ins", help_text="The latest ten, newest first.")


class ActionPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="goal.pk")
    title = serializers.CharField(source="goal.title")
    team = TeamSummarySerializer(source="goal.team")
    parent = serializers.IntegerField(source="goal.parent_id", help_text="The organisation goal it serves.")
    driver = NamedChoiceField(**DRIVER)
    driver_label = serializers.CharField()
    status = NamedChoiceField(source="goal.status", choices=Goal.Status.choices, enum_name="GoalStatusEnum")
    period_start = serializers.DateField(source="goal.period_start")
    period_end = serializers.DateField(source="goal.period_end")
    granularity = NamedChoiceField(**GRANULARITY)
    trend = PlanTrendPointSerializer(many=True, help_text="The driver's percent favourable, oldest period first.")
    key_results = PlanKeyResultSerializer(many=True)


# --- Data -------------------------------------------------------------------------------------


def _period(period) -> dict | None:
    if period is None:
        return None
    return {"start": period.start, "end": period.end - dt.timedelta(days=1), "label": period.label}


def _driver(figure, weakest=()) -> dict:
    return {
        "driver": figure.driver,
        "label": figure.label,
        "value": figure.value,
        "suppressed": figure.suppressed,
        "sample_size": None if figure.value is None else figure.snapshot.sample_size,
        "change": figure.change,
        "score_id": figure.snapshot.pk if figure.snapshot else None,
        "correlation": figure.r,
        "correlation_id": figure.correlation.pk if figure.correlation else None,
        "moves": figure.moves,
        "start_here": figure.is_lever and figure in weakest,
    }


def focus_data(focus: dict) -> dict:
    weakest = focus["weakest"]
    engagement = focus["engagement"]
    return {
        "period": _period(focus["period"]),
        "is_current_period": focus["is_current"],
        "engagement": None
        if engagement is None
        else {"value": focus["engagement_value"], "suppressed": engagement.suppressed, "score_id": engagement.pk},
        "strongest": [_driver(f) for f in focus["strongest"]],
        "weakest": [_driver(f, weakest) for f in weakest],
        "ranked": [_driver(f, weakest) for f in focus["ranked"]],
        "not_enough_responses": [_driver(f) for f in focus["hidden"]],
        "moves_with_engagement": [_driver(f, weakest) for f in focus["moves"]],
        "hint": focus["hint"],
        "how_ranked": selectors.HOW_RANKED,
        "how_moves": selectors.HOW_MOVES,
    }


def _plan_summary(goal) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "driver": goal.driver,
        "status": goal.status,
        "period_start": goal.period_start,
        "period_end": goal.period_end,
        "key_results": list(goal.key_results.all()),
    }


def _team_row(row) -> dict:
    focus = row["focus"]
    return {
        "team": row["team"],
        "period": _period(focus["period"]) if focus["strongest"] else None,
        "strongest": _driver(focus["strongest"][0]) if focus["strongest"] else None,
        "weakest": _driver(focus["weakest"][0]) if focus["weakest"] else None,
    }


def plan_data(plan: dict) -> dict:
    trend = [
        {
            "period": _period(t["period"]),
            "value": t["value"],
            "suppressed": t["suppressed"],
            "in_plan": t["in_plan"],
            "score_id": t["explain"]["id"] if t["explain"] else None,
        }
        for t in plan["trend"]
    ]
    return {**plan, "trend": trend}


# --- Requests ---------------------------------------------------------------------------------


class FocusQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A team's focus areas; without it, the organisation's."
    )
    granularity = NamedChoiceField(**GRANULARITY, required=False, default="quarter")


class PlanQuerySerializer(serializers.Serializer):
    granularity = NamedChoiceField(**GRANULARITY, required=False, default="quarter")


class OrgGoalField(OrgPrimaryKeyField):
    """An organisation goal (not a team's) of the caller's organisation; else a 400."""

    def get_queryset(self):
        return super().get_queryset().filter(team__isnull=True)


class ActionPlanCreateSerializer(serializers.Serializer):
    driver = NamedChoiceField(**DRIVER)
    team = OrgPrimaryKeyField(queryset=Team.objects.all(), help_text="One of the teams you manage.")
    parent = OrgGoalField(queryset=Goal.objects.all(), help_text="The organisation goal the plan serves.")
    title = serializers.CharField(
        max_length=160, required=False, allow_blank=True, help_text="Improve <driver>, if left out."
    )
    target = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, help_text="Percent favourable to reach."
    )
    granularity = NamedChoiceField(
        **GRANULARITY, required=False, default="quarter", help_text="Which period's figure is the baseline."
    )


# --- Views ------------------------------------------------------------------------------------


@org_scoped_schema(tags=["dashboards"])
class FocusAreasViewSet(OrgScopedViewSet):
    """A scope's strongest and weakest drivers and what moves with engagement, as the focus pages show them."""

    serializer_class = FocusAreasSerializer
    queryset = Team.objects.all()
    pagination_class = None
    filter_backends = []
    # Everyone may ask; the organisation's are for managers, a team's for its people.
    action_roles = {"retrieve": Role.MEMBER}

    @operation(
        "focus_areas",
        "The strongest and weakest drivers and what moves with engagement, for the organisation or one team",
        FocusAreasSerializer,
        parameters=[FocusQuerySerializer],
    )
    def retrieve(self, request, org_slug):
        query = FocusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        granularity = query.validated_data["granularity"]
        team_id = query.validated_data.get("team")
        if team_id is None:
            require_role(self.membership, Role.MANAGER)
            data = selectors.organisation_focus(membership=self.membership, granularity=granularity)
            scope = {"scope_type": ScopeType.ORGANIZATION, "scope_id": self.membership.organization_id}
            extra = {"teams": [_team_row(row) for row in data["teams"]], "name": self.membership.organization.name}
        else:
            team = selectors.access_focus_team(membership=self.membership, team_id=team_id)
            data = selectors.team_focus(membership=self.membership, team=team, granularity=granularity)
            scope = {"scope_type": ScopeType.TEAM, "scope_id": team.pk}
            extra = {
                "plans": [_plan_summary(g) for g in data["plans"]],
                "can_plan": data["can_plan"],
                "name": team.name,
            }
        body = {**scope, **extra, "granularity": granularity, **focus_data(data["focus"])}
        return Response(FocusAreasSerializer(body).data)


@org_scoped_schema(tags=["dashboards"])
@extend_schema_view(
    create=operation(
        "action_plans_create",
        "Make an action plan from a driver in one step: a team goal this quarter, linked to the driver, with the key "
        "result “Raise <driver> favourable from <current>% to <target>%”",
        ActionPlanSerializer,
        status=201,
        request=ActionPlanCreateSerializer,
    ),
    retrieve=operation(
        "action_plans_retrieve",
        "An action plan: the driver's trend beside the key results' progress and check-ins",
        ActionPlanSerializer,
        parameters=[PlanQuerySerializer, OpenApiParameter("id", int, OpenApiParameter.PATH)],
    ),
)
class ActionPlanViewSet(OrgScopedViewSet):
    """Action plans: a team goal linked to a driver, made in one step; its driver trend beside its progress."""

    serializer_class = ActionPlanSerializer
    queryset = Goal.objects.filter(team__isnull=False).exclude(driver="")
    pagination_class = None
    filter_backends = []
    lookup_url_kwarg = "pk"
    # Managers make plans (the service checks it is a team they manage); whoever reads
    # the team's focus areas reads its plans (checked in access_action_plan).
    action_roles = {"create": Role.MANAGER, "retrieve": Role.MEMBER}

    def create(self, request, org_slug):
        fields = self.validated(ActionPlanCreateSerializer)
        goal = action_plan_create(actor=self.membership, **fields)
        goal = selectors.access_action_plan(membership=self.membership, goal_id=goal.pk)
        return self._plan(goal, fields["granularity"], status.HTTP_201_CREATED)

    def retrieve(self, request, org_slug, pk):
        query = PlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        goal = selectors.access_action_plan(membership=self.membership, goal_id=pk)
        return self._plan(goal, query.validated_data["granularity"])

    def _plan(self, goal, granularity, code=status.HTTP_200_OK):
        plan = selectors.action_plan(membership=self.membership, goal=goal, granularity=granularity)
        return Response(ActionPlanSerializer(plan_data(plan)).data, status=code)
