"""Notifications and deliveries through the API.

People read and mark only their own notifications; anyone else's id is not found.
Admins see deliveries (e-mails and chat posts) that did not arrive and send them
again. A webhook's address is a secret: only its host is shown.
"""

from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status

from notifications import access, services
from notifications.api import serializers as s
from notifications.models import Delivery, Notification
from notifications.selectors import delivery_list, notification_list
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role


@org_scoped_schema(tags=["deliveries"])
@extend_schema_view(
    list=operation(
        "deliveries_list",
        "The organisation's deliveries, newest first: failed ones unless asked otherwise (admins)",
        s.DeliverySerializer(many=True),
        parameters=[s.DeliveryQuerySerializer],
    ),
)
class DeliveryViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    serializer_class = s.DeliverySerializer
    queryset = Delivery.objects.all()
    filter_backends = []
    action_roles = {"list": Role.ADMIN, "retry": Role.ADMIN, "retry_failed": Role.ADMIN}

    def select(self):
        if self.action != "list":
            # Another organisation's delivery is 404; the role check then refuses non-admins (403).
            return super().select().select_related("notification__recipient__user")
        query = s.DeliveryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data["status"]
        return delivery_list(membership=self.membership, status=None if wanted == "all" else wanted)

    def _delivery(self):
        return access.access_delivery(membership=self.membership, delivery_id=self.kwargs["pk"])

    @operation(
        "deliveries_retry",
        "Send one failed delivery again, to the recipient's current address (admins)",
        s.DeliverySerializer,
        request=None,
        description="Only a failed delivery can be sent again: 400 otherwise, and when there is nowhere to send it now "
        "(the person left, the team removed its webhook, the contact opted out).",
    )
    def retry(self, request, org_slug, pk):
        delivery = services.delivery_retry(actor=self.membership, delivery=self._delivery())
        return self.respond(s.DeliverySerializer, self.reload(delivery))

    @operation(
        "deliveries_retry_failed",
        "Send every failed delivery again (admins); those with nowhere to go stay failed",
        s.RetriedSerializer,
        status=202,
        request=None,
    )
    def retry_failed(self, request, org_slug):
        queued = services.deliveries_retry_failed(actor=self.membership)
        return self.respond(s.RetriedSerializer, {"queued": queued}, status.HTTP_202_ACCEPTED)


@org_scoped_schema(tags=["notifications"])
@extend_schema_view(
    list=operation(
        "notifications_list",
        "Your notifications, newest first (only your own)",
        s.NotificationSerializer(many=True),
        parameters=[s.NotificationQuerySerializer],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    """Only the requester's: another person's notification id is not found."""

    serializer_class = s.NotificationSerializer
    queryset = Notification.objects.all()
    filter_backends = []
    action_roles = {"list": Role.MEMBER, "read_all": Role.MEMBER, "read": Role.MEMBER}

    def select(self):
        unread_only = False
        if self.action == "list":
            query = s.NotificationQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            unread_only = query.validated_data["unread"]
        return notification_list(membership=self.membership, unread_only=unread_only)

    @operation("notifications_read_all", "Mark all your notifications read", s.MarkedReadSerializer, request=None)
    def read_all(self, request, org_slug):
        marked = services.notification_mark_read(actor=self.membership)
        return self.respond(s.MarkedReadSerializer, {"marked": marked})

    @operation("notifications_read", "Mark one of your notifications read", s.NotificationSerializer, request=None)
    def read(self, request, org_slug, pk):
        notification = access.access_notification(membership=self.membership, notification_id=self.kwargs["pk"])
        services.notification_mark_read(actor=self.membership, notification=notification)
        return self.respond(s.NotificationSerializer, self.reload(notification))
