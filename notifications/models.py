"""Notifications in the app and deliveries outside it (e-mail, chat webhooks).

This app knows recipients and channels, not what a message is about: a notification
or a delivery names its subject by type and id (``about_type``, ``about_id``), and
the app that sends it writes its title, link and kind. Recipients are people of the
organisation (in the app and by e-mail), a team's chat webhook, or any e-mail address
(a customer contact); the apps that own those register how to find their current
address (``notifications.recipients``).

The tables keep the names they had when these models lived in teams/: the move to
notifications/ changed no data (see migrations/).
"""

from django.db import models
from django.utils import timezone

from notifications import kinds
from teamhub.lib.tenancy import OrgScopedQuerySet


class NotificationQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """People see their own notifications."""
        return self.filter(recipient=membership)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know: shown in the app, and sent by e-mail."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text="What happened, named by the app that says so.")
    title = models.CharField(max_length=240)
    url = models.CharField(max_length=240, blank=True)
    about_type = models.CharField(max_length=40, blank=True, help_text="What it is about: handoff, win, survey round…")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "teams_notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The navigation's unread count and the list, per person.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.title

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)


class DeliveryQuerySet(OrgScopedQuerySet):
    """Scoped to the organisation like everything else; only admins may see them,
    which the selectors, pages and API check by role."""


class Delivery(models.Model):
    """One attempt chain to deliver a message outside the app: an e-mail to a person of
    the organisation or to an outside address, or a post to a team's chat webhook. A
    failure never undoes the save that caused it; admins see failed deliveries and can
    send them again."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Team webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    # A person's e-mail carries their in-app notification; other recipients have none.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # Whom it is for, as the app that owns them names them: "member" (a Membership),
    # "team" (a team's chat), "contact" (a customer contact)… The name is kept as it was,
    # for the admins' list; the address is looked up again before each send.
    recipient_type = models.CharField(max_length=24)
    recipient_id = models.PositiveBigIntegerField(null=True, blank=True)
    recipient_name = models.CharField(max_length=200, blank=True)
    target = models.CharField(max_length=500, help_text="The e-mail address or webhook URL when it was queued.")
    subject = models.CharField(max_length=200, blank=True, help_text="An e-mail's subject line; a post's first line.")
    message = models.TextField(blank=True, help_text="The e-mail's body or the post's text.")
    kind = models.CharField(max_length=40, blank=True)
    about_type = models.CharField(max_length=40, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    queued_at = models.DateTimeField(default=timezone.now, help_text="When it was last handed to the broker.")
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="When a sweep queued it again.")
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        db_table = "teams_delivery"
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="delivery_by_status"),
            models.Index(fields=["organization", "status", "-created_at"], name="delivery_problems"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(recipient_type=""), name="delivery_has_a_recipient"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.shown_target}: {self.get_status_display()}"

    @property
    def shown_target(self) -> str:
        """The e-mail address, or only the webhook's host: its path is a secret."""
        from notifications.webhooks import masked

        return masked(self.target) if self.channel == self.Channel.WEBHOOK else self.target

    @property
    def link(self) -> str:
        """Where the message points in TeamHub, for the admins' list."""
        return self.notification.url if self.notification_id else ""
