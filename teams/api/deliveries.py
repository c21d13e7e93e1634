"""Deliveries through the API (admins): e-mails and chat posts that did not arrive,
and sending them again. A webhook's address is a secret: only its host is shown."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status

from teamhub.lib.api.errors import ERROR_RESPONSES
from teamhub.lib.api.viewsets import org_scoped_schema
from teamhub.lib.tenancy import Role
from teams import services
from teams.api.base import TeamsViewSet
from teams.api.serializers import MembershipSummarySerializer, NamedChoiceField, TeamSummarySerializer
from teams.models import Delivery
from teams.selectors.deliveries import delivery_list


class DeliverySerializer(serializers.ModelSerializer):
    subject = serializers.CharField(read_only=True, help_text="The notification's title, or the post's first line.")
    recipient = MembershipSummarySerializer(
        source="notification.recipient", read_only=True, allow_null=True, help_text="For an e-mail; null for a post."
    )
    team = TeamSummarySerializer(read_only=True, allow_null=True, help_text="For a webhook post; null for an e-mail.")
    target = serializers.CharField(
        source="shown_target", read_only=True, help_text="The e-mail address, or only the webhook's host."
    )
    channel = NamedChoiceField(choices=Delivery.Channel.choices, enum_name="DeliveryChannelEnum", read_only=True)
    status = NamedChoiceField(choices=Delivery.Status.choices, enum_name="DeliveryStatusEnum", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "status",
            "subject",
            "recipient",
            "team",
            "target",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class DeliveryQuerySerializer(serializers.Serializer):
    status = NamedChoiceField(
        choices=[*Delivery.Status.values, "all"],
        enum_name="DeliveryStatusQueryEnum",
        required=False,
        default=Delivery.Status.FAILED,
        help_text="Which deliveries: failed (the default), pending, sent, or all.",
    )


class RetriedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(read_only=True, help_text="How many failed deliveries are being sent again.")


@org_scoped_schema(tags=["deliveries"])
@extend_schema_view(
    list=extend_schema(
        operation_id="deliveries_list",
        summary="The organisation's deliveries, newest first: failed ones unless asked otherwise (admins)",
        parameters=[DeliveryQuerySerializer],
        responses={200: DeliverySerializer(many=True), **ERROR_RESPONSES},
    ),
)
class DeliveryViewSet(mixins.ListModelMixin, TeamsViewSet):
    serializer_class = DeliverySerializer
    queryset = Delivery.objects.all()
    filter_backends = []
    action_roles = {"list": Role.ADMIN, "retry": Role.ADMIN, "retry_failed": Role.ADMIN}

    def select(self):
        if self.action != "list":
            # Another organisation's delivery is 404; the role check then refuses non-admins (403).
            return super().select().select_related("team", "notification__recipient__user")
        query = DeliveryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data["status"]
        return delivery_list(membership=self.membership, status=None if wanted == "all" else wanted)

    @extend_schema(
        operation_id="deliveries_retry",
        summary="Send one failed delivery again, to the person's or team's current address (admins)",
        description="Only a failed delivery can be sent again (400 otherwise, and when its team has no webhook now).",
        request=None,
        responses={200: DeliverySerializer, **ERROR_RESPONSES},
    )
    def retry(self, request, org_slug, pk):
        delivery = services.delivery_retry(actor=self.membership, delivery=self.get_object())
        return self.respond(DeliverySerializer, self.reload(delivery))

    @extend_schema(
        operation_id="deliveries_retry_failed",
        summary="Send every failed delivery again (admins); those with nowhere to go stay failed",
        request=None,
        responses={202: RetriedSerializer, **ERROR_RESPONSES},
    )
    def retry_failed(self, request, org_slug):
        queued = services.deliveries_retry_failed(actor=self.membership)
        return self.respond(RetriedSerializer, {"queued": queued}, status.HTTP_202_ACCEPTED)
