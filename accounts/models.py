"""People and tenants: users log in by e-mail; an Organization is the tenant;
a Membership gives a user a role in one organisation."""

import hashlib
import secrets
import zoneinfo
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from teamhub.lib.tenancy import OrgScopedQuerySet, Role

MIN_ANONYMITY_THRESHOLD = 3


def hash_token(raw: str) -> str:
    """Secrets (invitation links, API tokens) are kept only as this digest."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def invitation_link_token(nonce: str) -> str:
    """An invitation link's secret, derived from the invitation's nonce with the site's
    secret key. The database keeps only its digest, and the e-mail job derives it again
    from the invitation's id, so the secret never travels through the broker or a log."""
    return "inv_" + salted_hmac("teamhub.invitation-link", nonce, algorithm="sha256").hexdigest()[:43]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Europe/London).")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Case-insensitive: people do not remember how they capitalised their address.
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class Organization(models.Model):
    """The tenant. Every domain row belongs to exactly one organisation."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Decides where weeks and months begin for scores.",
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(MIN_ANONYMITY_THRESHOLD), MaxValueValidator(100)],
        help_text="Fewest distinct respondents before a survey result is shown (never below 3).",
    )
    comment_threshold = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(MIN_ANONYMITY_THRESHOLD), MaxValueValidator(100)],
        help_text="Fewest respondents before free-text comments are shown.",
    )
    handoff_sla_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text="Hours within which a handoff should be accepted.",
    )
    detractor_sla_days = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Working days within which a detractor's follow-up is due.",
    )
    survey_throttle_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text="A customer contact is not asked for feedback again within this many days.",
    )
    weight_survey = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.40"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    weight_responsiveness = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.30"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    weight_follow_through = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.15"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    weight_breadth = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.15"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD),
                name="org_anonymity_threshold_min_3",
            ),
            models.CheckConstraint(
                condition=Q(comment_threshold__gte=models.F("anonymity_threshold")),
                name="org_comment_threshold_not_below_anonymity",
            ),
            models.CheckConstraint(condition=Q(handoff_sla_hours__gte=1), name="org_handoff_sla_positive"),
            models.CheckConstraint(
                condition=Q(weight_survey__gte=0)
                & Q(weight_responsiveness__gte=0)
                & Q(weight_follow_through__gte=0)
                & Q(weight_breadth__gte=0),
                name="org_weights_non_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        thresholds = (self.comment_threshold, self.anonymity_threshold)
        if None not in thresholds and self.comment_threshold < self.anonymity_threshold:
            errors["comment_threshold"] = "Must be at least the anonymity threshold."
        weights = [self.weight_survey, self.weight_responsiveness, self.weight_follow_through, self.weight_breadth]
        if all(w is not None for w in weights) and sum(weights) <= 0:
            errors["weight_survey"] = "At least one collaboration weight must be above zero."
        if errors:
            raise ValidationError(errors)

    @property
    def collaboration_weights(self) -> dict[str, Decimal]:
        return {
            "survey": self.weight_survey,
            "responsiveness": self.weight_responsiveness,
            "follow_through": self.weight_follow_through,
            "breadth": self.weight_breadth,
        }


class MembershipQuerySet(OrgScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, membership):
        # Everyone in an organisation may see who else is in it (the directory);
        # only admins see deactivated memberships.
        qs = self.for_org(membership.organization_id)
        if membership.role != Role.ADMIN:
            qs = qs.filter(is_active=True)
        return qs


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_one_per_user_and_org"),
        ]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)


class InvitationQuerySet(OrgScopedQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, membership):
        # Invitations carry e-mail addresses of people not yet in the organisation:
        # only admins, who send them, see them.
        if membership.role != Role.ADMIN:
            return self.none()
        return self.for_org(membership.organization_id)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The link is derived from this (invitation_link_token); empty for invitations made
    # before links were derived, whose e-mail carried the link itself.
    token_nonce = models.CharField(max_length=64, blank=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organisation; a new one replaces it.
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class ApiToken(models.Model):
    """A personal API token. Only its digest is stored; the user sees it once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token in a list.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
