"""Customer NPS and CSAT rounds through the API: the same services and reads as the
pages. Admins run any round, managers those of their teams' accounts; the answers a
person reads are those about accounts they work on."""

from drf_spectacular.utils import OpenApiResponse, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from customers.models import CustomerAccount
from surveys.models import NpsFeedback, NpsRound
from surveys.models.feedback import FeedbackKind
from surveys.services import nps_rounds
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Team

DISCARDED = OpenApiResponse(description="Discarded.")
KIND = {"choices": FeedbackKind.choices, "enum_name": "FeedbackKindEnum"}


class _AccountRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class NpsRoundSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(**KIND, read_only=True)
    status = NamedChoiceField(choices=NpsRound.Status.choices, enum_name="NpsRoundStatusEnum", read_only=True)
    accounts = _AccountRef(many=True, read_only=True)
    teams = TeamSummarySerializer(many=True, read_only=True)
    segments = serializers.ListField(child=serializers.CharField(), read_only=True)
    invited = serializers.IntegerField(read_only=True, help_text="Contacts asked (0 for a draft).")
    responses = serializers.IntegerField(read_only=True, help_text="Contacts who answered.")

    class Meta:
        model = NpsRound
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "accounts",
            "teams",
            "segments",
            "opened_at",
            "closes_at",
            "closed_at",
            "invited",
            "responses",
            "created_at",
        ]
        read_only_fields = fields


class NpsRoundCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    kind = NamedChoiceField(**KIND, default=FeedbackKind.NPS)
    accounts = serializers.ListField(
        child=OrgPrimaryKeyField(queryset=CustomerAccount.objects.all()), required=False, max_length=500, default=list
    )
    teams = serializers.ListField(
        child=OrgPrimaryKeyField(queryset=Team.objects.all()), required=False, max_length=200, default=list
    )
    segments = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20, default=list
    )
    closes_at = serializers.DateTimeField(help_text="When its links stop taking answers (at most 90 days ahead).")


class _ContactRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    account = _AccountRef(read_only=True)


class LeftOutSerializer(serializers.Serializer):
    contact = _ContactRef(read_only=True)
    reason = serializers.CharField(read_only=True)


class AudienceSerializer(serializers.Serializer):
    asked = _ContactRef(many=True, read_only=True)
    left_out = LeftOutSerializer(many=True, read_only=True)


class SentSerializer(serializers.Serializer):
    asked = serializers.IntegerField(read_only=True)
    round = NpsRoundSerializer(read_only=True)


class _ContactName(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class NpsAnswerSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(**KIND, read_only=True)
    account = _AccountRef(read_only=True)
    contact = _ContactName(read_only=True, allow_null=True)
    team = TeamSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = NpsFeedback
        fields = ["id", "account", "contact", "team", "kind", "score", "comment", "received_at", "updated_at"]
        read_only_fields = fields


@org_scoped_schema(tags=["customer surveys"])
@extend_schema_view(
    list=operation(
        "nps_rounds_list",
        "The organisation's NPS and CSAT rounds, newest first (admins and managers)",
        NpsRoundSerializer(many=True),
    ),
    create=operation(
        "nps_rounds_create",
        "A draft round: NPS or CSAT, whom it asks (accounts, teams, segments) and when it closes",
        NpsRoundSerializer,
        status=201,
        request=NpsRoundCreateSerializer,
    ),
    retrieve=operation("nps_rounds_retrieve", "A round, with how many were asked and answered", NpsRoundSerializer),
    destroy=operation("nps_rounds_discard", "Discard a draft (nobody was asked yet)", DISCARDED, status=204),
)
class NpsRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = NpsRoundSerializer
    queryset = NpsRound.objects.all()
    filter_backends = []
    action_roles = dict.fromkeys(
        ["list", "retrieve", "create", "destroy", "audience", "send", "close", "answers"], Role.MANAGER
    )

    def select(self):
        rounds = nps_rounds.nps_round_list(membership=self.membership)
        return rounds.prefetch_related("accounts", "teams").order_by("-created_at", "-pk")

    def create(self, request, org_slug):
        data = self.validated(NpsRoundCreateSerializer)
        round_ = nps_rounds.nps_round_create(actor=self.membership, **data)
        return self.respond(NpsRoundSerializer, self.reload(round_), status.HTTP_201_CREATED)

    def destroy(self, request, org_slug, pk):
        round_ = nps_rounds.access_nps_round(membership=self.membership, round_id=pk, write=True)
        nps_rounds.nps_round_discard(actor=self.membership, round_=round_)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @operation(
        "nps_rounds_audience",
        "Whom sending it now would ask, and who is left out and why (those who may run it)",
        AudienceSerializer,
    )
    def audience(self, request, org_slug, pk):
        round_ = nps_rounds.access_nps_round(membership=self.membership, round_id=pk, write=True)
        found = nps_rounds.nps_round_audience(actor=self.membership, round_=round_)
        body = {"asked": found.asked, "left_out": [{"contact": c, "reason": why} for c, why in found.left_out]}
        return Response(AudienceSerializer(body).data)

    @operation("nps_rounds_send", "Send a draft: each contact asked once, by e-mail", SentSerializer, request=None)
    def send(self, request, org_slug, pk):
        round_ = nps_rounds.access_nps_round(membership=self.membership, round_id=pk, write=True)
        asked = nps_rounds.nps_round_send(actor=self.membership, round_=round_)
        return self.respond(SentSerializer, {"asked": asked, "round": self.reload(round_)})

    @operation(
        "nps_rounds_close", "Close an open round: its links take no more answers", NpsRoundSerializer, request=None
    )
    def close(self, request, org_slug, pk):
        round_ = nps_rounds.access_nps_round(membership=self.membership, round_id=pk, write=True)
        nps_rounds.nps_round_close(actor=self.membership, round_=round_)
        return self.respond(NpsRoundSerializer, self.reload(round_))

    @operation(
        "nps_rounds_answers",
        "The round's answers about accounts you work on, latest first (not anonymous: customer feedback)",
        NpsAnswerSerializer(many=True),
    )
    def answers(self, request, org_slug, pk):
        round_ = nps_rounds.access_nps_round(membership=self.membership, round_id=pk)
        rows = nps_rounds.nps_round_answers(membership=self.membership, round_=round_)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(NpsAnswerSerializer(page, many=True).data)
