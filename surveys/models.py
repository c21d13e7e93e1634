"""Surveys and scores. For now: the outbox of scopes whose scores need recomputing."""

from django.db import models


class DirtyScope(models.Model):
    """A scope whose scores new data has made stale, written in the same transaction
    as that data. The scoring engine (a later issue) recomputes and clears these; a
    periodic sweep picks up any a lost message left behind."""

    class ScopeType(models.TextChoices):
        ORGANIZATION = "org", "Organisation"
        TEAM = "team", "Team"
        FUNCTION = "function", "Function"
        ACCOUNT = "account", "Customer account"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    scope_type = models.CharField(max_length=16, choices=ScopeType.choices)
    scope_id = models.PositiveBigIntegerField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "scope_type", "scope_id"], name="dirty_scope_once"),
        ]

    def __str__(self):
        return f"{self.get_scope_type_display()} {self.scope_id} (since {self.marked_at:%Y-%m-%d %H:%M})"
