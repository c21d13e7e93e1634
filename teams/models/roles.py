from django.db import models
from django.db.models.functions import Lower

from teamhub.lib.tenancy import OrgScopedQuerySet


class Function(models.Model):
    """A discipline people work in: Sales, Customer service, Finance…"""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="functions")
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="function_name_unique_per_org",
                violation_error_message="A function with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class JobRole(models.Model):
    """A role in a function (called JobRole in code so it is never confused with the
    access role of a Membership). Its criteria are the excellence template."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="job_roles")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="roles")
    name = models.CharField(max_length=80)
    purpose = models.TextField(blank=True, help_text="Why the role exists, in a sentence or two.")

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["function__order", "function__name", "name"]
        verbose_name = "role"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "organization",
                name="jobrole_name_unique_per_org",
                violation_error_message="A role with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class RoleCriterionQuerySet(OrgScopedQuerySet):
    org_field = "role__organization"


class RoleCriterion(models.Model):
    """One line of a role's excellence template, copied to each person given the role."""

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="criteria")
    looks_like = models.CharField("What excellence looks like", max_length=240)
    measure = models.CharField("How it shows", max_length=240, help_text="An observable measure.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = RoleCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.looks_like
