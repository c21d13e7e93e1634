"""Shapes of notifications and deliveries in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import Delivery, Notification
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.summaries import MembershipSummarySerializer, TeamSummarySerializer


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="What happened, e.g. handoff_to_you, handoff_to_team, sla_breach, win_spotlighted."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    about_type = serializers.CharField(read_only=True, help_text="What it is about: handoff, win, … (may be empty).")
    about_id = serializers.IntegerField(read_only=True, allow_null=True)
    handoff = serializers.SerializerMethodField(help_text="The handoff's id when it is about one (use about_type).")
    win = serializers.SerializerMethodField(help_text="The win's id when it is about one (use about_type).")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "url",
            "about_type",
            "about_id",
            "handoff",
            "win",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_handoff(self, notification) -> int | None:
        return notification.about_id if notification.about_type == "handoff" else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_win(self, notification) -> int | None:
        return notification.about_id if notification.about_type == "win" else None

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only unread ones.")


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text="How many were unread and are now read.")


class DeliveryRecipientSerializer(serializers.Serializer):
    type = serializers.CharField(source="recipient_type", help_text="member, team (its chat), contact…")
    id = serializers.IntegerField(source="recipient_id", allow_null=True)
    name = serializers.CharField(source="recipient_name")


class DeliverySerializer(serializers.ModelSerializer):
    subject = serializers.CharField(read_only=True, help_text="The e-mail's subject, or the post's first line.")
    to = DeliveryRecipientSerializer(source="*", read_only=True, help_text="Whom it is for.")
    recipient = serializers.SerializerMethodField(help_text="For an e-mail to a person of the organisation; else null.")
    team = serializers.SerializerMethodField(help_text="For a team's chat post; else null.")
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
            "to",
            "recipient",
            "team",
            "target",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MembershipSummarySerializer(allow_null=True))
    def get_recipient(self, delivery):
        if delivery.notification_id is None:
            return None
        return MembershipSummarySerializer(delivery.notification.recipient).data

    @extend_schema_field(TeamSummarySerializer(allow_null=True))
    def get_team(self, delivery):
        if delivery.recipient_type != "team":
            return None
        return {"id": delivery.recipient_id, "name": delivery.recipient_name}


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
