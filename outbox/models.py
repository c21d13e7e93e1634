"""The score outbox: scopes whose scores new data has made stale, and for which days.

It sits below every app that writes to it (teams, customers, work, surveys), so each
can mark what it changed in the same transaction as the change. Its table keeps the
name it had when it lived in surveys/.
"""

from django.db import models


class DirtyScope(models.Model):
    """One mark: this scope's scores for the periods around ``day`` are stale.

    Written in the same transaction as the data that makes them stale; the scoring
    engine reads the marks, recomputes each (scope, period) once and deletes them; a
    periodic sweep picks up any that a lost message left behind.

    Marks are only ever inserted, never updated: two saves in one organisation at once
    write two rows instead of waiting on one (an upsert of a shared row would make
    every write in an organisation queue behind the last). Duplicates are folded when
    the marks are read.
    """

    class ScopeType(models.TextChoices):
        ORGANIZATION = "org", "Organisation"
        TEAM = "team", "Team"
        FUNCTION = "function", "Function"
        ACCOUNT = "account", "Customer account"

    class Kind(models.TextChoices):
        # Survey answers count once their round closes, and may change what suppression
        # hides anywhere in the periods: everything there is recomputed.
        ALL = "all", "Everything"
        # Customer feedback and daily work: figures nobody suppresses, recomputed alone.
        ACTIVITY = "activity", "Customer feedback and daily work"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ALL)
    scope_type = models.CharField(max_length=16, choices=ScopeType.choices)
    scope_id = models.PositiveBigIntegerField()
    day = models.DateField(
        help_text="The day (in the organisation's time zone) the data belongs to: its week, month and quarter "
        "need recomputing."
    )
    marked_at = models.DateTimeField()

    class Meta:
        db_table = "surveys_dirtyscope"
        indexes = [
            # The recompute: an organisation's marks, grouped by scope and period.
            models.Index(fields=["organization", "scope_type", "scope_id", "day"], name="dirty_scope_by_scope"),
            # The sweep: the oldest marks first, whichever organisation.
            models.Index(fields=["marked_at"], name="dirty_scope_by_age"),
        ]

    def __str__(self):
        return f"{self.get_scope_type_display()} {self.scope_id} on {self.day} (marked {self.marked_at:%Y-%m-%d %H:%M})"
