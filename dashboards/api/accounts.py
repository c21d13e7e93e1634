"""Account health and accounts at risk through the API: what the two pages show, from
the same selectors (dashboards.selectors.accounts), and nothing more.

An account's health is for the people who read it in full (customers.access): another
organisation's account answers 404, one of a team the caller is not on 403, as the
account's details do. The at-risk list holds only the accounts the caller reads in
full. Scores come through surveys.access.access_scores: a suppressed one is
``value: null, suppressed: true``; members do not get suppressed team scores at all.
"""

from drf_spectacular.utils import extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from customers.access import access_account
from customers.models import CustomerAccount, FollowUp
from dashboards.selectors import accounts as selectors
from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from surveys.models.scores import Metric
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import MembershipSummarySerializer, TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Team
from work.models import Handoff

RISK_NAMES = list(selectors.RISKS)


def _account_status(**kwargs):
    return NamedChoiceField(choices=CustomerAccount.Status.choices, enum_name="AccountStatusEnum", **kwargs)


# --- Shapes ---------------------------------------------------------------------------------


class AccountRisksSerializer(serializers.Serializer):
    """Each reason as a flag, with the figures behind it."""

    count = serializers.IntegerField(source="risk_count", help_text="How many of the four reasons hold.")
    reasons = serializers.SerializerMethodField(help_text="The names of the reasons that hold.")
    detractor = serializers.BooleanField(help_text="An NPS or CSAT detractor answer in the last 90 days.")
    last_detractor_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(help_text="An open or in-progress follow-up past its due day.")
    open_follow_ups = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField()
    falling_nps = serializers.BooleanField(
        help_text="This quarter's NPS snapshot of the account is below the previous quarter's."
    )
    nps_this_quarter = serializers.FloatField(source="nps_now", allow_null=True)
    nps_last_quarter = serializers.FloatField(source="nps_before", allow_null=True)
    stale_contacts = serializers.BooleanField(
        help_text="No contact reviewed (or added) in the last six months; an account without contacts counts."
    )
    last_contact_review = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=RISK_NAMES)))
    def get_reasons(self, account) -> list[str]:
        return [name for name in RISK_NAMES if getattr(account, name)]


class AtRiskAccountSerializer(serializers.ModelSerializer):
    status = _account_status(read_only=True)
    owning_team = TeamSummarySerializer(read_only=True)
    lead = MembershipSummarySerializer(read_only=True, allow_null=True)
    risks = serializers.SerializerMethodField()

    class Meta:
        model = CustomerAccount
        fields = ["id", "name", "status", "segment", "owning_team", "lead", "risks"]
        read_only_fields = fields

    @extend_schema_field(AccountRisksSerializer)
    def get_risks(self, account) -> dict:
        return AccountRisksSerializer(account).data


class HealthPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The period's last day (included).")
    label = serializers.CharField(help_text="2026-04 or 2026-Q2.")


class HealthScoreSerializer(serializers.Serializer):
    """A score's latest period the caller may read; suppressed: no value, no sample size."""

    id = serializers.IntegerField(source="snapshot.pk", help_text="The snapshot: scores/{id}/explanation/.")
    metric = NamedChoiceField(choices=Metric.choices, enum_name="ScoreMetricEnum")
    label = serializers.CharField()
    period = HealthPeriodSerializer()
    value = serializers.SerializerMethodField(help_text="Null when suppressed (not enough responses).")
    suppressed = serializers.BooleanField()
    sample_size = serializers.SerializerMethodField()
    change = serializers.FloatField(allow_null=True, help_text="Since the period before; null if either is missing.")
    formula = serializers.CharField(source="explanation.formula")
    components = serializers.DictField(source="explanation.components", help_text="Suppressed: only the reason.")

    def get_value(self, score) -> float | None:
        return None if score.suppressed else score.snapshot.value

    def get_sample_size(self, score) -> int | None:
        return None if score.suppressed else score.snapshot.sample_size


class HealthAccountScoresSerializer(serializers.Serializer):
    nps = HealthScoreSerializer(allow_null=True, required=False, help_text="Customer NPS, latest quarter.")
    csat = HealthScoreSerializer(allow_null=True, required=False)
    first_response_median = HealthScoreSerializer(allow_null=True, required=False, help_text="Hours.")
    resolution_median = HealthScoreSerializer(allow_null=True, required=False, help_text="Hours.")


class HealthTeamScoresSerializer(serializers.Serializer):
    engagement = HealthScoreSerializer(
        allow_null=True, required=False, help_text="Latest month; null when none you may read."
    )
    collaboration = HealthScoreSerializer(
        allow_null=True, required=False, help_text="Latest month; null when none you may read."
    )


class HealthTrendMonthSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="The month's first day.")
    nps = serializers.IntegerField(allow_null=True)
    nps_count = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True, help_text="Mean CSAT, 1 to 5.")
    csat_count = serializers.IntegerField()


class HealthContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HealthCommentSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(choices=FeedbackKind.choices, enum_name="FeedbackKindEnum", read_only=True)
    group = serializers.CharField(read_only=True, help_text="promoter, passive or detractor.")
    contact = HealthContactSerializer(read_only=True, allow_null=True)

    class Meta:
        model = NpsFeedback
        fields = ["id", "kind", "score", "group", "comment", "contact", "received_at"]
        read_only_fields = fields


class HealthFollowUpSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(choices=FollowUp.Status.choices, enum_name="FollowUpStatusEnum", read_only=True)
    owner = MembershipSummarySerializer(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "summary", "status", "owner", "due_date", "overdue", "created_at"]
        read_only_fields = fields


class HealthHandoffSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(choices=Handoff.Status.choices, enum_name="HandoffStatusEnum", read_only=True)
    sender = MembershipSummarySerializer(read_only=True)
    to_member = MembershipSummarySerializer(read_only=True, allow_null=True)
    to_team = TeamSummarySerializer(read_only=True, allow_null=True)
    breached = serializers.BooleanField(read_only=True, help_text="Accepted later than the SLA, or open past it.")

    class Meta:
        model = Handoff
        fields = ["id", "subject", "status", "sender", "to_member", "to_team", "created_at", "breached"]
        read_only_fields = fields


class HealthWinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = TeamSummarySerializer()
    author = MembershipSummarySerializer()
    created_at = serializers.DateTimeField()


class HealthHandoffsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Handoffs about the account that you may see.")
    active = serializers.IntegerField(help_text="Of them, open or accepted.")
    latest = HealthHandoffSerializer(many=True, help_text="The newest ten.")


class HealthWinsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    latest = HealthWinSerializer(many=True, help_text="The newest ten.")


class HealthAccountSerializer(serializers.ModelSerializer):
    status = _account_status(read_only=True)
    owning_team = TeamSummarySerializer(read_only=True)
    lead = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CustomerAccount
        fields = ["id", "name", "status", "segment", "owning_team", "lead"]
        read_only_fields = fields


class AccountHealthSerializer(serializers.Serializer):
    account = HealthAccountSerializer()
    risks = AccountRisksSerializer()
    nps_trend = HealthTrendMonthSerializer(many=True, help_text="The last twelve months, oldest first.")
    comments = HealthCommentSerializer(many=True, help_text="The latest five answers with a comment.")
    account_scores = HealthAccountScoresSerializer(help_text="The account's latest quarter.")
    follow_ups = HealthFollowUpSerializer(many=True, help_text="Open ones, due soonest first (ten at most).")
    handoffs = HealthHandoffsSerializer()
    wins = HealthWinsSerializer()
    team_scores = HealthTeamScoresSerializer(help_text="The owning team's latest month.")


def health_data(health: dict) -> dict:
    """The selector's dict in the endpoint's shape."""
    return {
        "account": health["account"],
        "risks": health["risks"],
        "nps_trend": health["trend"]["months"],
        "comments": health["comments"],
        "account_scores": health["account_scores"],
        "follow_ups": health["follow_ups"],
        "handoffs": {**health["handoff_counts"], "latest": health["handoffs"]},
        "wins": {"total": health["win_count"], "latest": health["wins"]},
        "team_scores": health["team_scores"],
    }


# --- Query strings ----------------------------------------------------------------------------


class ReadableTeamField(OrgPrimaryKeyField):
    """A team whose accounts the caller reads in full; any other id is a 400."""

    def get_queryset(self):
        membership = self.context.get("membership")
        return Team.objects.none() if membership is None else selectors.team_choices(membership=membership)


class AtRiskQuerySerializer(serializers.Serializer):
    team = ReadableTeamField(
        queryset=Team.objects.all(), required=False, help_text="Only this team's accounts (one you are on or manage)."
    )
    sort = NamedChoiceField(
        choices=[(key, label) for key, label in selectors.SORT_LABELS.items()],
        enum_name="AtRiskSortEnum",
        required=False,
        default="risk",
    )


# --- Views ------------------------------------------------------------------------------------


@org_scoped_schema(tags=["dashboards"])
@extend_schema_view(
    list=operation(
        "accounts_at_risk_list",
        "Accounts you read in full that show a risk: a detractor in the last 90 days, overdue follow-ups, "
        "NPS falling this quarter, or no contact reviewed for six months",
        AtRiskAccountSerializer(many=True),
        parameters=[AtRiskQuerySerializer],
    ),
)
class AtRiskViewSet(OrgScopedViewSet):
    serializer_class = AtRiskAccountSerializer
    queryset = CustomerAccount.objects.all()
    filter_backends = []
    # Everyone: the list holds only the accounts the caller reads in full.
    action_roles = {"list": Role.MEMBER}

    def list(self, request, org_slug):
        query = AtRiskQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        accounts = selectors.at_risk_accounts(membership=self.membership, **query.validated_data)
        page = self.paginate_queryset(accounts)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@org_scoped_schema(tags=["dashboards"])
class AccountHealthViewSet(OrgScopedViewSet):
    serializer_class = AccountHealthSerializer
    queryset = CustomerAccount.objects.all()
    pagination_class = None
    filter_backends = []
    # Everyone; customers.access says whose account: 404 another organisation's, 403 another team's.
    action_roles = {"health": Role.MEMBER}

    @operation(
        "account_health",
        "One account's health: risk reasons, NPS trend and latest comments, open follow-ups and turnaround, "
        "handoffs and wins about it, and the owning team's engagement and collaboration",
        AccountHealthSerializer,
    )
    def health(self, request, org_slug, pk):
        account = access_account(membership=self.membership, account_id=pk, full=True)
        health = selectors.account_health(membership=self.membership, account=account)
        return Response(AccountHealthSerializer(health_data(health), context=self.get_serializer_context()).data)
