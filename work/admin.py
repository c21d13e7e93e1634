"""The Django admin for daily work: read-only, written by the use cases that make it."""

from django.contrib import admin

from teamhub.lib.admin import ReadOnlyAdmin
from work.models import Adoption, Handoff, HandoffEvent, Spotlight, Win, WinReaction


@admin.register(Win)
class WinAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "author", "account", "created_at"]
    list_filter = ["organization", "team"]
    search_fields = ["title", "story"]
    date_hierarchy = "created_at"


@admin.register(WinReaction)
class WinReactionAdmin(ReadOnlyAdmin):
    list_display = ["win", "membership", "created_at"]


@admin.register(Spotlight)
class SpotlightAdmin(ReadOnlyAdmin):
    list_display = ["win", "by", "created_at"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["win", "team", "by", "created_at"]


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdmin):
    list_display = ["subject", "account", "sender", "to_member", "to_team", "status", "created_at"]
    list_filter = ["status", "organization"]
    search_fields = ["subject", "context"]
    date_hierarchy = "created_at"


@admin.register(HandoffEvent)
class HandoffEventAdmin(ReadOnlyAdmin):
    list_display = ["handoff", "from_status", "to_status", "by", "created_at"]
