"""Wins and what colleagues do with them: applause, spotlights, adoptions.

The tables keep the names they had when these models lived in teams/: the move to
work/ changed no data (see migrations/0001).
"""

from django.db import models

from teamhub.lib.tenancy import OrgScopedQuerySet


class Win(models.Model):
    """Something that went well for a customer, tied to the values it shows."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="wins")
    author = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="wins")
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="wins")
    account = models.ForeignKey(
        "customers.CustomerAccount", on_delete=models.SET_NULL, null=True, blank=True, related_name="wins"
    )
    title = models.CharField(max_length=160)
    story = models.TextField(blank=True)
    impact = models.CharField("Impact", max_length=240, blank=True)
    values = models.ManyToManyField("teams.Value", related_name="wins")
    collaborators = models.ManyToManyField("accounts.Membership", blank=True, related_name="collaborated_wins")
    created_at = models.DateTimeField()

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        db_table = "teams_win"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The organisation feed and the team feed, newest first.
            models.Index(fields=["organization", "-created_at"], name="win_org_feed"),
            models.Index(fields=["team", "-created_at"], name="win_team_feed"),
            # Scores: an organisation's wins by team and period (breadth of collaboration).
            models.Index(fields=["organization", "team", "created_at"], name="win_score_team"),
        ]

    def __str__(self):
        return self.title


class WinReaction(models.Model):
    """Applause: once per colleague and win."""

    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="reactions")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "teams_winreaction"
        constraints = [models.UniqueConstraint(fields=["win", "membership"], name="win_reaction_once")]

    def __str__(self):
        return f"{self.membership} applauds {self.win}"


class Spotlight(models.Model):
    """A manager holding a win up as what good looks like."""

    win = models.OneToOneField(Win, on_delete=models.CASCADE, related_name="spotlight")
    by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(help_text="Why this is what good looks like.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "teams_spotlight"

    def __str__(self):
        return f"Spotlight on {self.win}"


class Adoption(models.Model):
    """A team saying "we adopted this" about a spotlighted win."""

    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="adoptions")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="adoptions")
    by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "teams_adoption"
        constraints = [models.UniqueConstraint(fields=["win", "team"], name="adoption_once_per_team")]

    def __str__(self):
        return f"{self.team} adopted {self.win}"
