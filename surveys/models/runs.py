"""An admin's "recompute now": one full recompute of an organisation's scores, with
its progress, so the page and the API can show how far it has got.

At most one run per organisation is queued or running at a time (a conditional unique
constraint, so two presses at once cannot start two); a second request gets that one.
"""

from django.db import models
from django.db.models import Q

from teamhub.lib.tenancy import OrgScopedQuerySet


class ScoreRunQuerySet(OrgScopedQuerySet):
    """Runs are the admins' (surveys.access.access_score_run)."""

    def active(self):
        return self.filter(status__in=ScoreRun.ACTIVE)


class ScoreRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Periods recomputed so far.")
    total = models.PositiveIntegerField(default=0, help_text="Periods to recompute (known once it starts).")
    written = models.PositiveIntegerField(null=True, blank=True, help_text="Snapshots written, once done.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=["queued", "running"]),
                name="score_run_one_active",
            ),
        ]

    def __str__(self):
        return f"Score recompute {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        """How far it has got, 0 to 100 (a finished run is 100, even with nothing to do)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
