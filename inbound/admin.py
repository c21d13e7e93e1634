from django.contrib import admin

from inbound.models import InboundSource, UnmatchedResponse
from teamhub.lib.admin import ReadOnlyAdmin


@admin.register(InboundSource)
class InboundSourceAdmin(ReadOnlyAdmin):
    """Read-only, secrets left out: admins create, rotate and map webhooks on the pages,
    which show a secret once."""

    list_display = ["organization", "scheme", "created_at", "rotated_at", "previous_valid_until"]
    list_filter = ["scheme", "organization"]
    exclude = ["secret", "previous_secret"]


@admin.register(UnmatchedResponse)
class UnmatchedResponseAdmin(ReadOnlyAdmin):
    """Read-only: assigning records feedback, which the unmatched page does through the service."""

    list_display = ["organization", "source", "kind", "score", "received_at", "reason"]
    list_filter = ["source", "organization"]
