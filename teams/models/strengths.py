from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from teamhub.lib.tenancy import OrgScopedQuerySet


class Strength(models.Model):
    """An entry of the organisation's catalogue of skills and strengths."""

    class Kind(models.TextChoices):
        SKILL = "skill", "Skill"
        STRENGTH = "strength", "Strength"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="strengths")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SKILL)
    description = models.CharField(max_length=240, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="strength_name_unique_per_org",
                violation_error_message="This strength is already in the catalogue.",
            ),
        ]

    def __str__(self):
        return self.name


class MemberStrengthQuerySet(OrgScopedQuerySet):
    org_field = "membership__organization"


class MemberStrength(models.Model):
    """A person's own claim to a strength, with how strong (1 learning … 5 expert)."""

    class Level(models.IntegerChoices):
        LEARNING = 1, "Learning"
        PRACTISED = 2, "Practised"
        STRONG = 3, "Strong"
        ADVANCED = 4, "Advanced"
        EXPERT = 5, "Expert"

    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="strengths")
    strength = models.ForeignKey(Strength, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.STRONG, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberStrengthQuerySet.as_manager()

    class Meta:
        ordering = ["-level", "strength__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "strength"],
                name="member_strength_once",
                violation_error_message="You have already marked this strength.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5),
                name="member_strength_level_1_to_5",
                violation_error_message="The level goes from 1 (learning) to 5 (expert).",
            ),
        ]
        indexes = [
            # "Who is strong at X?": holders of one strength, strongest first.
            models.Index(fields=["strength", "-level"], name="member_strength_by_level"),
        ]

    def __str__(self):
        return f"{self.membership.user} — {self.strength} ({self.get_level_display()})"


class Endorsement(models.Model):
    """A colleague vouching for someone's strength, once each."""

    member_strength = models.ForeignKey(MemberStrength, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="endorsements_given")
    # The endorsed membership, kept here too so the database can refuse self-endorsement.
    endorsed = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_strength", "endorser"],
                name="endorsement_once_per_colleague",
                violation_error_message="You have already endorsed this strength.",
            ),
            models.CheckConstraint(
                condition=~Q(endorser=F("endorsed")),
                name="endorsement_not_self",
                violation_error_message="You cannot endorse your own strength.",
            ),
        ]

    def __str__(self):
        return f"{self.endorser} endorses {self.member_strength}"
