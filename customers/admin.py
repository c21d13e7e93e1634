"""The Django admin for customers/: a back office that keeps the same rules as the pages.

Adds and changes go through customers.services, acting as the staff user's active
membership in the object's organisation (the machinery is teams.admin's ServiceAdmin),
so the admin can do nothing that person could not do in the product. Ownership
history and imports are read-only: the transfer and import use cases write them.
"""

from django.contrib import admin

from customers import services
from customers.models import Contact, CustomerAccount, CustomerImport, FollowUp, OwnershipChange
from teamhub.lib.admin import ReadOnlyAdmin, ServiceAdmin


def _pick(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names if name in data}


@admin.register(CustomerAccount)
class CustomerAccountAdmin(ServiceAdmin):
    """Moving an account to another team is a transfer, with a reason: done in the product."""

    list_display = ["name", "external_ref", "organization", "owning_team", "segment", "status", "lead"]
    list_filter = ["status", "organization"]
    search_fields = ["name", "external_ref"]
    fields = ["organization", "name", "external_ref", "segment", "status", "annual_revenue", "owning_team", "lead"]
    raw_id_fields = ["lead"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "owning_team"] if obj is not None else readonly

    def create(self, actor, data):
        fields = _pick(data, "external_ref", "segment", "status", "annual_revenue", "lead")
        return services.account_create(actor=actor, name=data["name"], owning_team=data["owning_team"], **fields)

    def update(self, actor, obj, changes):
        return services.account_update(actor=actor, account=obj, **changes)


@admin.register(Contact)
class ContactAdmin(ServiceAdmin):
    parent_field = "account"
    list_display = ["name", "account", "title", "email", "preferred_channel", "notes_reviewed_at"]
    list_filter = ["preferred_channel", "survey_opt_out", "account__organization"]
    search_fields = ["name", "email", "account__name"]
    fields = ["account", *services.CONTACT_FIELDS, "notes_reviewed_at"]
    readonly_fields = ["notes_reviewed_at"]
    raw_id_fields = ["account"]

    def create(self, actor, data):
        fields = _pick(data, *services.CONTACT_FIELDS)
        fields.pop("name")
        return services.contact_create(actor=actor, account=data["account"], name=data["name"], **fields)

    def update(self, actor, obj, changes):
        return services.contact_update(actor=actor, contact=obj, **changes)

    def delete(self, actor, obj):
        services.contact_delete(actor=actor, contact=obj)


@admin.register(FollowUp)
class FollowUpAdmin(ServiceAdmin):
    """Status changes go through follow_up_set_status, which stamps the turnaround times."""

    parent_field = "account"
    list_display = ["summary", "account", "status", "owner", "due_date", "created_at", "resolved_at"]
    list_filter = ["status", "account__organization"]
    search_fields = ["summary", "account__name"]
    fields = [
        "account",
        "summary",
        "contact",
        "owner",
        "due_date",
        "status",
        "outcome",
        "team",
        "created_by",
        "created_at",
        "first_response_at",
        "resolved_at",
    ]
    readonly_fields = ["team", "created_by", "created_at", "first_response_at", "resolved_at"]
    raw_id_fields = ["account", "contact", "owner"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A new follow-up starts open; its outcome is written when it moves on.
        return readonly if obj is not None else [*readonly, "status", "outcome"]

    def create(self, actor, data):
        fields = _pick(data, "contact", "owner", "due_date")
        return services.follow_up_create(actor=actor, account=data["account"], summary=data["summary"], **fields)

    def update(self, actor, obj, changes):
        status = changes.pop("status", None)
        if status is not None:
            outcome = changes.pop("outcome", None)
            obj = services.follow_up_set_status(actor=actor, follow_up=obj, status=status, outcome=outcome)
        return services.follow_up_update(actor=actor, follow_up=obj, **changes) if changes else obj


@admin.register(OwnershipChange)
class OwnershipChangeAdmin(ReadOnlyAdmin):
    list_display = ["account", "from_team", "to_team", "changed_by", "created_at"]
    list_filter = ["account__organization"]
    search_fields = ["account__name", "reason"]
    date_hierarchy = "created_at"


@admin.register(CustomerImport)
class CustomerImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "organization", "status", "total_rows", "processed_rows", "created_by", "created_at"]
    list_filter = ["status", "organization"]
    search_fields = ["filename"]
    date_hierarchy = "created_at"
