from django.db import models
from django.db.models.functions import Lower

from teamhub.lib.tenancy import OrgScopedQuerySet


class ValueQuerySet(OrgScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Value(models.Model):
    """An organisation value. Archived values stay on old wins but cannot be chosen for new ones."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="value_name_unique_per_org",
                violation_error_message="A value with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name
