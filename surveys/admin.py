from django.contrib import admin

from surveys.models import DirtyScope


@admin.register(DirtyScope)
class DirtyScopeAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the saves that make scores stale."""

    list_display = ["organization", "scope_type", "scope_id", "marked_at"]
    list_filter = ["scope_type", "organization"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
