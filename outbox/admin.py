from django.contrib import admin

from outbox.models import DirtyScope
from teamhub.lib.admin import ReadOnlyAdmin


@admin.register(DirtyScope)
class DirtyScopeAdmin(ReadOnlyAdmin):
    """Read-only: the outbox is written by the saves that make scores stale."""

    list_display = ["organization", "scope_type", "scope_id", "day", "marked_at"]
    list_filter = ["scope_type", "organization"]
