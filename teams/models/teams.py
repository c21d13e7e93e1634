from django.db import models
from django.db.models.functions import Lower

from notifications.webhooks import masked
from teamhub.lib.tenancy import OrgScopedQuerySet


class Stage(models.TextChoices):
    """A team's maturity on its way to managing itself."""

    FORMING = "forming", "Forming"
    DEVELOPING = "developing", "Developing"
    PERFORMING = "performing", "Performing"
    SELF_MANAGING = "self_managing", "Self-managing"


class Commitment(models.TextChoices):
    """The six commitments a team keeps on its way to self-management."""

    CUSTOMER_FIRST = "customer_first", "Customer satisfaction is the top priority"
    SHARED_VISION = "shared_vision", "A shared understanding of vision and mission"
    ROLES_UNDERSTOOD = "roles_understood", "Everyone understands their role and the team's"
    DECIDES_TOGETHER = "decides_together", "The team plans, decides, resolves differences and builds trust together"
    KNOWS_LIMITS = "knows_limits", "It knows what is and is not possible yet"
    IMPROVES = "improves", "It sets continuous-improvement goals on inputs, processes, outputs and results"


class Team(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=80)
    mission = models.TextField(blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.FORMING)
    managers = models.ManyToManyField("accounts.Membership", blank=True, related_name="managed_teams")
    webhook_url = models.CharField(
        max_length=500,
        blank=True,
        help_text="A Slack-compatible incoming webhook: handoffs to the team, their SLA breaches and "
        "spotlights of the team's wins are posted there.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="team_name_unique_per_org",
                violation_error_message="A team with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def webhook_host(self) -> str:
        """The webhook as anyone may see it: its host, never the secret path."""
        return masked(self.webhook_url)


class TeamMembershipQuerySet(OrgScopedQuerySet):
    org_field = "team__organization"


class TeamMembership(models.Model):
    """A person on a team, with their place in it and the role they play."""

    class TeamRole(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="team_memberships")
    team_role = models.CharField(max_length=8, choices=TeamRole.choices, default=TeamRole.MEMBER)
    job_role = models.ForeignKey(
        "teams.JobRole", on_delete=models.PROTECT, null=True, blank=True, related_name="team_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team__name", "membership__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "membership"],
                name="team_membership_once",
                violation_error_message="This person is already on the team.",
            ),
        ]

    def __str__(self):
        return f"{self.membership.user} in {self.team}"


class TeamCommitment(models.Model):
    """Whether a team keeps one of the six commitments, since when, and why we think so."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="commitments")
    commitment = models.CharField(max_length=24, choices=Commitment.choices)
    is_kept = models.BooleanField(default=False)
    kept_since = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "commitment"],
                name="team_commitment_once",
                violation_error_message="This commitment is already recorded for the team.",
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.get_commitment_display()} ({'kept' if self.is_kept else 'not yet'})"


class StageChange(models.Model):
    """History of a team's maturity stage: from, to, who, when and why."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.team}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class ExcellenceCriterionQuerySet(OrgScopedQuerySet):
    org_field = "team_membership__team__organization"


class ExcellenceCriterion(models.Model):
    """What excellence means for one person in their role on a team: copied from the
    role's template when the role is given, then adapted by their manager and them."""

    team_membership = models.ForeignKey(TeamMembership, on_delete=models.CASCADE, related_name="criteria")
    looks_like = models.CharField("What excellence looks like", max_length=240)
    measure = models.CharField("How it shows", max_length=240)
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        "teams.RoleCriterion", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExcellenceCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.looks_like

    def snapshot(self) -> dict:
        return {"looks_like": self.looks_like, "measure": self.measure, "order": self.order}


class ExcellenceChange(models.Model):
    """Every change to a person's excellence criteria: who, when, before and after."""

    class Action(models.TextChoices):
        CREATED = "created", "Added"
        UPDATED = "updated", "Changed"
        DELETED = "deleted", "Removed"

    team_membership = models.ForeignKey(TeamMembership, on_delete=models.CASCADE, related_name="excellence_changes")
    criterion = models.ForeignKey(
        ExcellenceCriterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} for {self.team_membership}"
