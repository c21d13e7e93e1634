from django.db import models
from django.utils import timezone

from teamhub.lib.tenancy import OrgScopedQuerySet


class NotificationQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """People see their own notifications."""
        return self.filter(recipient=membership)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know: shown in the app, and sent by e-mail."""

    class Kind(models.TextChoices):
        HANDOFF_TO_YOU = "handoff_to_you", "Handed to you"
        HANDOFF_TO_TEAM = "handoff_to_team", "Handed to your team"
        HANDOFF_DECLINED = "handoff_declined", "Handoff declined"
        HANDOFF_RETURNED = "handoff_returned", "Handoff returned"
        SLA_BREACH = "sla_breach", "Handoff not accepted in time"
        WIN_SPOTLIGHTED = "win_spotlighted", "Your win is in the spotlight"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=240)
    url = models.CharField(max_length=240, blank=True)
    handoff = models.ForeignKey("teams.Handoff", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    win = models.ForeignKey("teams.Win", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The navigation's unread count and the list, per person.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.title


class DeliveryQuerySet(OrgScopedQuerySet):
    """Scoped to the organisation like everything else; only admins may see them,
    which the selectors, pages and API check by role."""


class Delivery(models.Model):
    """One attempt chain to deliver a notification outside the app: a person's e-mail,
    or a post to a team's webhook. A failure never undoes the save that caused it;
    admins see failed deliveries and can send them again."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Team webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    # An e-mail carries a person's notification; a webhook post speaks to a team's
    # channel, so it has a team and its own message instead.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    target = models.CharField(max_length=500, help_text="The e-mail address or webhook URL.")
    message = models.TextField(blank=True, help_text="The webhook's text; e-mails are written from the notification.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    queued_at = models.DateTimeField(default=timezone.now, help_text="When it was last handed to the broker.")
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="When a sweep queued it again.")
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="delivery_by_status"),
            models.Index(fields=["organization", "status", "-created_at"], name="delivery_problems"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notification__isnull=False) | models.Q(team__isnull=False),
                name="delivery_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.shown_target}: {self.get_status_display()}"

    @property
    def shown_target(self) -> str:
        """The e-mail address, or only the webhook's host: its path is a secret."""
        from teams.webhooks import masked

        return masked(self.target) if self.channel == self.Channel.WEBHOOK else self.target

    @property
    def subject(self) -> str:
        return self.notification.title if self.notification_id else self.message.split("\n", 1)[0]
