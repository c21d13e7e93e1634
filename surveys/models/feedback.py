"""Customer feedback: NPS (0 to 10, "how likely are you to recommend us?") and CSAT (1 to 5,
"how satisfied were you?"), and the rounds that ask customers' contacts for it.

Every answer, however it arrives — a contact's personal link, the API, a webhook from
another tool, a CSV of history — is one ``NpsFeedback`` row, written by
``surveys.services.feedback.feedback_record`` with the same checks. The row keeps the
team that owned the account *when the feedback arrived*, so a team's NPS stays its own
after the account moves on.
"""

import base64
import hashlib

from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from teamhub.lib.tenancy import OrgScopedQuerySet, Role


class FeedbackKind(models.TextChoices):
    NPS = "nps", "NPS (0 to 10)"
    CSAT = "csat", "CSAT (1 to 5)"


# The scores each kind takes, inclusive.
SCORE_RANGES = {FeedbackKind.NPS: (0, 10), FeedbackKind.CSAT: (1, 5)}


class NpsRoundQuerySet(OrgScopedQuerySet):
    """A round belongs to its organisation; who may open and send one is decided in
    surveys.access."""

    def visible_to(self, membership):
        """Admins and managers see the organisation's rounds (their answers stay with the
        people of each account); members do not browse them."""
        if membership.role not in (Role.ADMIN, Role.MANAGER):
            return self.none()
        return self.for_org(membership.organization_id)


class NpsRound(models.Model):
    """One ask of customers: the contacts of chosen accounts, teams or segments, each
    sent a personal link, answering until the round closes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="nps_rounds")
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=8, choices=FeedbackKind.choices, default=FeedbackKind.NPS)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    accounts = models.ManyToManyField("customers.CustomerAccount", blank=True, related_name="+")
    teams = models.ManyToManyField("teams.Team", blank=True, related_name="+")
    segments = models.JSONField(default=list, blank=True, help_text="Account segments whose contacts are asked.")
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NpsRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="nps_round_by_org_status")]

    def __str__(self):
        return self.title


class FeedbackQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """Feedback is about an account: its people (and admins) read it in full."""
        from customers.models import CustomerAccount

        return self.filter(account__in=CustomerAccount.objects.in_full_for(membership))


class NpsFeedback(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", "Survey link"
        API = "api", "API"
        WEBHOOK = "webhook", "Webhook"
        IMPORT = "import", "Import"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("customers.CustomerAccount", on_delete=models.CASCADE, related_name="nps_feedback")
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="nps_feedback"
    )
    # The team that owned the account when the feedback arrived (see the module docstring).
    team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=8, choices=FeedbackKind.choices, default=FeedbackKind.NPS)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    round = models.ForeignKey(NpsRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback")
    # The sender's id for this response (a webhook's, a Typeform response token, an
    # import's column): the same response arriving twice is recognised, not doubled.
    external_id = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField()
    # The follow-up a detractor's feedback opened: one at most, however often it arrives.
    follow_up = models.OneToOneField(
        "customers.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="nps_feedback"
    )
    # A promoter is worth a thank-you, and may be asked to be a reference.
    thanked_at = models.DateTimeField(null=True, blank=True)
    possible_reference = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=FeedbackKind.NPS, score__gte=0, score__lte=10)
                | Q(kind=FeedbackKind.CSAT, score__gte=1, score__lte=5),
                name="feedback_score_in_range",
                violation_error_message="The score is out of range: 0 to 10 for NPS, 1 to 5 for CSAT.",
            ),
            models.UniqueConstraint(
                fields=["organization", "channel", "external_id"],
                condition=~Q(external_id=""),
                name="feedback_external_id_once",
                violation_error_message="This response was already received.",
            ),
            # A contact answers a round once (and may change that answer while it is open).
            models.UniqueConstraint(
                fields=["round", "contact"],
                condition=Q(round__isnull=False, contact__isnull=False),
                name="feedback_once_per_round_contact",
            ),
        ]
        indexes = [
            # Scores: an organisation's feedback by period, per team and per account.
            models.Index(fields=["organization", "received_at"], name="feedback_by_org_time"),
            models.Index(fields=["organization", "team", "received_at"], name="feedback_by_org_team_time"),
            models.Index(fields=["organization", "account", "received_at"], name="feedback_by_org_account_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score} from {self.account}"

    @property
    def is_detractor(self) -> bool:
        return self.kind == FeedbackKind.NPS and self.score <= 6

    @property
    def is_promoter(self) -> bool:
        return self.kind == FeedbackKind.NPS and self.score >= 9


# --- Personal links ---------------------------------------------------------------------


def nps_link_token(nonce: str) -> str:
    """A contact's personal link secret: 256 bits derived from the invitation's nonce
    with the site's secret key. Only its digest is stored (``token_hash``); the e-mail
    is written when it is sent, from the invitation's id, so the secret is never in a
    row, a task argument or a log line."""
    digest = salted_hmac("teamhub.nps-link", nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def nps_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class NpsInvitation(models.Model):
    """One contact asked in one round: the personal link (as a digest), and whether the
    e-mail went and the contact answered. Unique per round and contact, so a round asks
    each contact once however often its sending runs."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(NpsRound, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey("customers.Contact", on_delete=models.CASCADE, related_name="nps_invitations")
    account = models.ForeignKey("customers.CustomerAccount", on_delete=models.CASCADE, related_name="+")
    # The link is derived from this nonce (nps_link_token); the database keeps its digest.
    token_nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed (by a conditional update) when its e-mail is queued: queued once.
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "contact"], name="nps_invitation_once_per_round_contact"),
        ]
        indexes = [
            # The throttle: was this contact asked in this organisation since a date?
            models.Index(fields=["organization", "contact", "created_at"], name="nps_invitation_throttle"),
            # The sending job: a round's invitations not yet sent.
            models.Index(fields=["round", "sent_at"], name="nps_invitation_unsent"),
        ]

    def __str__(self):
        return f"{self.round} → contact {self.contact_id}"
