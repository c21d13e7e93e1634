"""Helpers every teams service uses to validate and save exactly what changed."""

from django.core.exceptions import ValidationError
from django.db import models


def save_valid(instance: models.Model, *, update_fields: list[str] | None = None) -> models.Model:
    """Validate fields and constraints (so bad input is a ValidationError, never a
    database error) and save; existing rows save only the fields that changed."""
    instance.full_clean()
    instance.save(update_fields=update_fields)
    return instance


def apply_changes(instance: models.Model, changes: dict, *, allowed: tuple[str, ...]) -> list[str]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(instance, field, value)
    return list(changes)


def require_unique_name(queryset, name: str, *, instance: models.Model | None = None, what: str) -> None:
    """Names are unique per organisation whatever their case; say so on the name field
    (the database constraint is the safety net, and its error is not tied to a field)."""
    clashes = queryset.filter(name__iexact=(name or "").strip())
    if instance is not None and instance.pk:
        clashes = clashes.exclude(pk=instance.pk)
    if clashes.exists():
        raise ValidationError({"name": f"{what} with this name already exists."})
