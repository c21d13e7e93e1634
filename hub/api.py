"""The member home through the API: what the home page shows, for the caller.

GET /api/v1/orgs/{slug}/home/: the organisation's head counts, the caller's teams with
what excellence looks like for them, the latest wins, the handoffs to act on (three
inbox boxes, oldest first, each with its total), the surveys waiting for them, their
open follow-ups (overdue first), their customers with their latest NPS, and each of
their teams' current scores. Everyone in the organisation, each their own. A score the
caller may not read is absent (``snapshot_id: null``); a manager's suppressed one is
``value: null, suppressed: true`` with only the reason, as on the page.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from customers.models import CustomerAccount, FollowUp
from hub import selectors
from surveys import selectors_scores as scores
from surveys.models.scores import Metric
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import (
    CustomerSummarySerializer,
    JobRoleSummarySerializer,
    MembershipSummarySerializer,
    TeamSummarySerializer,
)
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import TeamMembership
from work.models import Handoff

# --- Shapes ---------------------------------------------------------------------------


class HomeRoleCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    admin = serializers.IntegerField()
    manager = serializers.IntegerField()
    member = serializers.IntegerField()


class HomeCriterionSerializer(serializers.Serializer):
    looks_like = serializers.CharField(help_text="What excellence looks like.")
    measure = serializers.CharField(help_text="How it shows.")


class HomeTeamSerializer(serializers.Serializer):
    team_membership_id = serializers.IntegerField(source="pk")
    team = TeamSummarySerializer()
    team_role = NamedChoiceField(choices=TeamMembership.TeamRole.choices, enum_name="HomeTeamRoleEnum")
    job_role = JobRoleSummarySerializer(allow_null=True)
    criteria = HomeCriterionSerializer(source="criteria.all", many=True)


class HomeWinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = TeamSummarySerializer()
    author = MembershipSummarySerializer()
    account = CustomerSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class HomeHandoffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    account = CustomerSummarySerializer()
    sender = MembershipSummarySerializer()
    to_member = MembershipSummarySerializer(allow_null=True)
    to_team = TeamSummarySerializer(allow_null=True)
    status = NamedChoiceField(choices=Handoff.Status.choices, enum_name="HandoffStatusEnum")
    created_at = serializers.DateTimeField()
    breached = serializers.BooleanField(help_text="Still open past the SLA.")


class HomeInboxBoxSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="How many there are in all; the list holds the oldest few.")
    handoffs = HomeHandoffSerializer(many=True)


class HomeInboxSerializer(serializers.Serializer):
    to_me = HomeInboxBoxSerializer()
    to_my_teams = HomeInboxBoxSerializer()
    sent = HomeInboxBoxSerializer()


class HomeSurveySerializer(serializers.Serializer):
    round_id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="survey.title")
    question_count = serializers.IntegerField()
    closes_at = serializers.DateTimeField()


class HomeFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField()
    account = CustomerSummarySerializer()
    status = NamedChoiceField(choices=FollowUp.Status.choices, enum_name="FollowUpStatusEnum")
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class HomeExplanationSerializer(serializers.Serializer):
    formula = serializers.CharField(help_text="How the metric is computed, in plain words.")
    scale = serializers.CharField(help_text="0 to 100, or -100 to 100.")
    components = serializers.DictField(
        help_text="Every input count and sub-score; for a suppressed score only the reason (``suppressed``)."
    )


class HomeScoreSerializer(serializers.Serializer):
    metric = NamedChoiceField(choices=Metric.choices, enum_name="ScoreMetricEnum")
    label = serializers.CharField()
    snapshot_id = serializers.IntegerField(allow_null=True, help_text="The score's id in /scores/; null: none to show.")
    period = serializers.CharField(help_text="2026-04; empty: none to show.")
    value = serializers.FloatField(allow_null=True, help_text="Null when suppressed or none to show.")
    suppressed = serializers.BooleanField(help_text="Not enough responses: the value is never shown.")
    change = serializers.FloatField(allow_null=True, help_text="Since the month before; null when unknown.")
    explanation = HomeExplanationSerializer(allow_null=True)

    def to_representation(self, score):
        snapshot = score.snapshot
        return {
            "metric": score.metric,
            "label": score.label,
            "snapshot_id": snapshot.pk if snapshot else None,
            "period": score.period_label,
            "value": score.value,
            "suppressed": score.suppressed,
            "change": score.change,
            "explanation": scores.explanation(snapshot) if snapshot else None,
        }


class HomeCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = NamedChoiceField(choices=CustomerAccount.Status.choices, enum_name="AccountStatusEnum")
    owning_team = TeamSummarySerializer()
    lead = MembershipSummarySerializer(allow_null=True)
    led_by_me = serializers.BooleanField()
    in_full = serializers.BooleanField(help_text="Whether the caller reads its contacts, follow-ups and scores.")
    open_follow_ups = serializers.SerializerMethodField()
    nps = serializers.SerializerMethodField(help_text="The latest monthly customer NPS; null: none to show.")

    def get_open_follow_ups(self, account) -> int | None:
        return account.open_follow_ups if account.in_full else None

    @extend_schema_field(HomeScoreSerializer(allow_null=True))
    def get_nps(self, account):
        return HomeScoreSerializer(account.nps).data if account.nps else None


class HomeTeamScoresSerializer(serializers.Serializer):
    team = TeamSummarySerializer()
    scores = HomeScoreSerializer(many=True, help_text="Engagement, collaboration, customer NPS, eNPS.")


class HomeSerializer(serializers.Serializer):
    is_manager = serializers.BooleanField(help_text="True: the page links the manager dashboard.")
    role_counts = HomeRoleCountsSerializer()
    teams = HomeTeamSerializer(source="my_teams", many=True)
    wins = HomeWinSerializer(many=True, help_text="The latest wins of the feed.")
    inbox = serializers.SerializerMethodField()
    surveys = HomeSurveySerializer(
        many=True, help_text="Rounds waiting for the caller's answer, closing soonest first."
    )
    follow_ups = HomeFollowUpSerializer(many=True, help_text="The caller's open follow-ups, overdue first.")
    follow_up_total = serializers.IntegerField()
    customers = HomeCustomerSerializer(many=True, help_text="Those the caller leads, then at risk, then by name.")
    customer_total = serializers.IntegerField()
    team_scores = HomeTeamScoresSerializer(many=True)

    @extend_schema_field(HomeInboxSerializer)
    def get_inbox(self, data):
        boxes = {key: {"total": box.total, "handoffs": list(box)} for key, box in data["boxes"].items()}
        return HomeInboxSerializer(boxes).data


# --- View -----------------------------------------------------------------------------


@org_scoped_schema(tags=["home"])
class HomeViewSet(OrgScopedViewSet):
    """The caller's home, as its page shows it."""

    serializer_class = HomeSerializer
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.MEMBER}

    @operation(
        "home",
        "Your home: handoffs to act on, your follow-ups and customers, your excellence criteria, surveys waiting "
        "for you, the latest wins and your teams' current scores",
        HomeSerializer,
    )
    def retrieve(self, request, org_slug):
        data = selectors.home(membership=self.membership)
        return Response(HomeSerializer(data, context=self.get_serializer_context()).data)
