"""Customer feedback through the API: the list (with the page's filters), one answer,
and saying a promoter was thanked.

Only feedback on accounts the caller works on is there (admins: all of it); another
organisation's, or another team's, is not found.
"""

from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers

from customers.models import CustomerAccount, FollowUp
from surveys import selectors_feedback as selectors
from surveys import services
from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import CustomerSummarySerializer, MembershipSummarySerializer, TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Team

GROUPS = [("detractor", "Detractor"), ("passive", "Passive"), ("promoter", "Promoter")]


class _ContactSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class _RoundSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class FeedbackFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    summary = serializers.CharField(read_only=True)
    status = NamedChoiceField(choices=FollowUp.Status.choices, enum_name="FeedbackFollowUpStatusEnum", read_only=True)
    owner = MembershipSummarySerializer(read_only=True, allow_null=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.CharField(read_only=True)


class FeedbackSerializer(serializers.ModelSerializer):
    account = CustomerSummarySerializer(read_only=True)
    contact = _ContactSummarySerializer(read_only=True, allow_null=True)
    team = TeamSummarySerializer(read_only=True, allow_null=True, help_text="The team owning the account then.")
    kind = NamedChoiceField(choices=FeedbackKind.choices, enum_name="FeedbackKindEnum", read_only=True)
    channel = NamedChoiceField(choices=NpsFeedback.Channel.choices, enum_name="FeedbackChannelEnum", read_only=True)
    group = NamedChoiceField(
        choices=GROUPS,
        enum_name="FeedbackGroupEnum",
        read_only=True,
        help_text="Detractor: NPS 0 to 6 or CSAT 1 or 2; promoter: NPS 9 or 10, or CSAT 5; else passive.",
    )
    round = _RoundSummarySerializer(read_only=True, allow_null=True)
    follow_up = FeedbackFollowUpSerializer(
        read_only=True, allow_null=True, help_text="The follow-up a detractor's answer opened."
    )

    class Meta:
        model = NpsFeedback
        fields = [
            "id",
            "account",
            "contact",
            "team",
            "kind",
            "score",
            "group",
            "comment",
            "channel",
            "round",
            "external_id",
            "received_at",
            "follow_up",
            "possible_reference",
            "thanked_at",
        ]
        read_only_fields = fields


class FeedbackQuerySerializer(serializers.Serializer):
    account = OrgPrimaryKeyField(
        queryset=CustomerAccount.objects.all(), required=False, help_text="Only this customer's feedback."
    )
    team = OrgPrimaryKeyField(
        queryset=Team.objects.all(), required=False, help_text="Only feedback that arrived while this team owned it."
    )
    kind = NamedChoiceField(choices=FeedbackKind.choices, enum_name="FeedbackKindEnum", required=False)
    group = serializers.ChoiceField(
        choices=["detractors", "passives", "promoters"], required=False, help_text="Only these respondents."
    )
    score_min = serializers.IntegerField(min_value=0, max_value=10, required=False)
    score_max = serializers.IntegerField(min_value=0, max_value=10, required=False)
    received_from = serializers.DateField(required=False, help_text="First day, organisation time zone.")
    received_to = serializers.DateField(required=False, help_text="Last day (included), organisation time zone.")

    def validate(self, data):
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"score_max": "The highest score must not be below the lowest."})
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise serializers.ValidationError({"received_to": "The last day must not be before the first."})
        return data


@org_scoped_schema(tags=["customer feedback"])
@extend_schema_view(
    list=operation(
        "nps_feedback_list",
        "NPS and CSAT answers on the accounts you work on, newest first (admins: all)",
        FeedbackSerializer(many=True),
        parameters=[FeedbackQuerySerializer],
    ),
    retrieve=operation("nps_feedback_retrieve", "One answer, with the follow-up it opened", FeedbackSerializer),
)
class FeedbackViewSet(mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = FeedbackSerializer
    queryset = NpsFeedback.objects.all()
    filter_backends = []
    action_roles = {"list": Role.MEMBER, "retrieve": Role.MEMBER, "thanked": Role.MEMBER}

    def select(self, **filters):
        return selectors.feedback_list(membership=self.membership, **filters)

    def list(self, request, org_slug):
        query = FeedbackQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(self.select(**query.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @operation(
        "nps_feedback_thanked",
        "Record that a promoter was thanked (once; the account's team or an admin)",
        FeedbackSerializer,
        request=None,
    )
    def thanked(self, request, org_slug, pk):
        feedback = selectors.access_feedback(membership=self.membership, feedback_id=pk)
        services.feedback_thank(actor=self.membership, feedback=feedback)
        return self.respond(FeedbackSerializer, self.reload(feedback))
