"""Where feedback from other tools comes in, and what could not be matched yet."""

from django.db import models
from django.db.models import Q

from surveys.models.feedback import FeedbackKind
from teamhub.lib.tenancy import OrgScopedQuerySet


class Scheme(models.TextChoices):
    STANDARD = "standard", "Standard Webhooks"
    TYPEFORM = "typeform", "Typeform"


class SourceQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """Signing secrets and their settings are the admins'."""
        return self.for_org(membership.organization_id) if membership.is_admin else self.none()


class InboundSource(models.Model):
    """An organisation's webhook of one scheme: its signing secret and, for Typeform,
    which answer is which.

    Both schemes sign with an HMAC, so verifying needs the secret itself: it is stored
    encrypted (inbound.crypto), shown once when made or rotated. After a rotation the
    previous secret still verifies until ``previous_valid_until``, so a sender can be
    switched over without losing a delivery.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    scheme = models.CharField(max_length=16, choices=Scheme.choices)
    secret = models.TextField(help_text="Encrypted.")
    previous_secret = models.TextField(blank=True, help_text="Encrypted; valid until previous_valid_until.")
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    # Typeform: what the form's answers mean (field ref or id; hidden field names).
    kind = models.CharField(max_length=8, choices=FeedbackKind.choices, default=FeedbackKind.NPS)
    score_field = models.CharField(max_length=120, blank=True)
    comment_field = models.CharField(max_length=120, blank=True)
    contact_field = models.CharField(max_length=120, blank=True)
    account_field = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["scheme"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "scheme"], name="inbound_source_once_per_scheme"),
        ]

    def __str__(self):
        return self.get_scheme_display()


class SeenWebhook(models.Model):
    """A Standard Webhooks ``webhook-id`` already received: a replay of it changes nothing.

    Inserted in the transaction that records the feedback, so a delivery that failed
    (and wrote nothing) may be retried, and two copies racing meet the constraint.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    webhook_id = models.CharField(max_length=255)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "webhook_id"], name="inbound_webhook_id_once"),
        ]

    def __str__(self):
        return self.webhook_id


class UnmatchedQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """An unmatched response names no account yet: only admins see and assign it."""
        return self.for_org(membership.organization_id) if membership.is_admin else self.none()


class UnmatchedResponse(models.Model):
    """A response received by a webhook whose account or contact could not be found:
    kept, with what identified it, until an admin assigns it (it becomes feedback) or
    dismisses it."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16, choices=Scheme.choices)
    external_id = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=8, choices=FeedbackKind.choices, default=FeedbackKind.NPS)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True)
    # What the sender said about who answered, as received.
    account_ref = models.CharField(max_length=200, blank=True)
    contact_ref = models.CharField(max_length=254, blank=True)
    identifiers = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300)
    received_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnmatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=FeedbackKind.NPS, score__gte=0, score__lte=10)
                | Q(kind=FeedbackKind.CSAT, score__gte=1, score__lte=5),
                name="unmatched_score_in_range",
            ),
            # A retried delivery of the same response is kept once.
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"],
                condition=~Q(external_id=""),
                name="unmatched_external_id_once",
            ),
        ]
        indexes = [
            # The unmatched list: an organisation's, newest first.
            models.Index(fields=["organization", "received_at"], name="unmatched_by_org_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score} ({self.get_source_display()})"
