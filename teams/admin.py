"""The Django admin for teams/: a back office that keeps the same rules as the pages.

Adds, changes and deletes go through teams.services, acting as the staff user's active
membership in the object's organisation, so the admin can do nothing a person with that
role could not do in the product. History and derived rows are read-only here: they are
written by the use cases that produce them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accounts.models import Membership, Organization
from teams import services
from teams.models import (
    Adoption,
    CheckIn,
    Delivery,
    Endorsement,
    ExcellenceChange,
    ExcellenceCriterion,
    Function,
    Goal,
    Handoff,
    HandoffEvent,
    JobRole,
    KeyResult,
    MemberStrength,
    Notification,
    RoleCriterion,
    Spotlight,
    StageChange,
    Strength,
    Team,
    TeamCommitment,
    TeamMembership,
    Value,
    Win,
    WinReaction,
)

NO_MEMBERSHIP = (
    "You have no active membership in {org}, so you cannot change its data here. "
    "Ask one of its admins to invite you first."
)


class Refused(Exception):
    """A service said no while deleting; shown as an error message, nothing changed."""


def _organization_id(parent) -> int:
    if isinstance(parent, Organization):
        return parent.pk
    if isinstance(parent, TeamMembership):
        return parent.team.organization_id
    return parent.organization_id


def _actor(request, organization_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user=request.user, organization_id=organization_id, is_active=True)
        .first()
    )


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on top."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in errors.items():
        form.add_error(field if field in form.fields else None, texts)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through ``create`` / ``update`` / ``delete``, which call the services.

    The service runs while the form is validated (the admin wraps the whole view in
    one transaction), so its ValidationError lands on the form like any field error
    and nothing is saved; ``save_model`` then has nothing left to do.
    """

    # The field naming what the object belongs to: chosen when adding, fixed afterwards.
    parent_field = "organization"
    actions = None  # bulk delete would bypass delete()

    def create(self, actor: Membership, data: dict):
        raise NotImplementedError

    def update(self, actor: Membership, obj, changes: dict):
        raise NotImplementedError

    delete = None  # ``delete(actor, obj)`` where a delete service exists

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, self.parent_field] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        return self.delete is not None and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def full_clean(self):
                super().full_clean()
                if self.is_bound and not self._errors:
                    model_admin._save_through_service(request, self, obj)

        return ServiceForm

    def _save_through_service(self, request, form, obj) -> None:
        parent = getattr(obj, self.parent_field) if obj is not None else form.cleaned_data[self.parent_field]
        actor = _actor(request, _organization_id(parent))
        if actor is None:
            form.add_error(None, NO_MEMBERSHIP.format(org=_organization_name(parent)))
            return
        try:
            if obj is None:
                form.saved_object = self.create(actor, form.cleaned_data)
            else:
                # The form has already written its values into ``obj``; the service
                # starts from the saved row and is told only what changed.
                fresh = type(obj).objects.get(pk=obj.pk)
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                form.saved_object = self.update(actor, fresh, changes)
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or "Your role in this organisation may not do this.")

    def save_form(self, request, form, change):
        return form.saved_object

    def save_model(self, request, obj, form, change):
        """Saved by the service already."""

    def save_related(self, request, form, formsets, change):
        """Saved by the service already (this admin has no inlines)."""

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:  # the view's transaction has rolled back
            self.message_user(request, str(refusal), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def get_deleted_objects(self, objs, request):
        # Rows that go with the object (check-ins, history) need no delete permission
        # of their own: the delete service decides, as it does in the product.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        parent = getattr(obj, self.parent_field)
        actor = _actor(request, _organization_id(parent))
        if actor is None:
            raise Refused(NO_MEMBERSHIP.format(org=_organization_name(parent)))
        try:
            self.delete(actor, obj)
        except (ValidationError, PermissionDenied) as error:
            raise Refused(" ".join(getattr(error, "messages", [str(error)]))) from error


def _organization_name(parent) -> str:
    if isinstance(parent, Organization):
        return parent.name
    return str(Organization.objects.get(pk=_organization_id(parent)))


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and derived rows: written only by the use cases that produce them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _fields(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names if name in data}


# --- Organisation configuration -----------------------------------------------------------------


@admin.register(Value)
class ValueAdmin(ServiceAdmin):
    """Values are archived (``is_active``), never deleted: old wins keep them."""

    list_display = ["name", "organization", "order", "is_active"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name"]
    fields = ["organization", "name", "description", "order", "is_active"]

    def create(self, actor, data):
        value = services.value_create(actor=actor, **_fields(data, "name", "description", "order"))
        if data.get("is_active") is False:
            value = services.value_update(actor=actor, value=value, is_active=False)
        return value

    def update(self, actor, obj, changes):
        return services.value_update(actor=actor, value=obj, **changes)


@admin.register(Function)
class FunctionAdmin(ServiceAdmin):
    list_display = ["name", "organization", "order"]
    list_filter = ["organization"]
    search_fields = ["name"]
    fields = ["organization", "name", "order"]

    def create(self, actor, data):
        return services.function_create(actor=actor, **_fields(data, "name", "order"))

    def update(self, actor, obj, changes):
        return services.function_update(actor=actor, function=obj, **changes)

    def delete(self, actor, obj):
        services.function_delete(actor=actor, function=obj)


@admin.register(JobRole)
class JobRoleAdmin(ServiceAdmin):
    list_display = ["name", "function", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "function__name"]
    fields = ["organization", "function", "name", "purpose", "excellence_template"]
    readonly_fields = ["excellence_template"]

    @admin.display(description="Excellence template")
    def excellence_template(self, obj):
        # Edited line by line under Role criteria (an inline would save around the services).
        lines = [f"{c.looks_like} — {c.measure}" for c in obj.criteria.all()] if obj and obj.pk else []
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "—"

    def create(self, actor, data):
        return services.job_role_create(actor=actor, **_fields(data, "function", "name", "purpose"))

    def update(self, actor, obj, changes):
        return services.job_role_update(actor=actor, role=obj, **changes)

    def delete(self, actor, obj):
        services.job_role_delete(actor=actor, role=obj)


@admin.register(RoleCriterion)
class RoleCriterionAdmin(ServiceAdmin):
    parent_field = "role"
    list_display = ["looks_like", "measure", "role", "order"]
    list_filter = ["role__organization"]
    search_fields = ["looks_like", "role__name"]
    fields = ["role", "looks_like", "measure", "order"]

    def create(self, actor, data):
        criterion = services.role_criterion_add(actor=actor, **_fields(data, "role", "looks_like", "measure"))
        if data.get("order") is not None and data["order"] != criterion.order:
            criterion = services.role_criterion_update(actor=actor, criterion=criterion, order=data["order"])
        return criterion

    def update(self, actor, obj, changes):
        return services.role_criterion_update(actor=actor, criterion=obj, **changes)

    def delete(self, actor, obj):
        services.role_criterion_delete(actor=actor, criterion=obj)


@admin.register(Strength)
class StrengthAdmin(ServiceAdmin):
    list_display = ["name", "kind", "organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["name"]
    fields = ["organization", "name", "kind", "description"]

    def create(self, actor, data):
        return services.strength_create(actor=actor, **_fields(data, "name", "kind", "description"))

    def update(self, actor, obj, changes):
        return services.strength_update(actor=actor, strength=obj, **changes)

    def delete(self, actor, obj):
        services.strength_delete(actor=actor, strength=obj)


# --- Goals ----------------------------------------------------------------------------------------


@admin.register(Goal)
class GoalAdmin(ServiceAdmin):
    list_display = ["title", "organization", "team", "parent", "status", "period_start", "period_end"]
    list_filter = ["status", "organization"]
    search_fields = ["title"]
    fields = ["organization", "team", "parent", "title", "description", "owner", "period_start", "period_end", "status"]
    raw_id_fields = ["owner"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a goal to another team is not a use case; re-aligning it (parent) is.
        return [*super().get_readonly_fields(request, obj), "team"] if obj is not None else []

    def create(self, actor, data):
        fields = _fields(data, "description", "owner", "status", "parent")
        return services.goal_create(
            actor=actor,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            team=data.get("team"),
            **fields,
        )

    def update(self, actor, obj, changes):
        return services.goal_update(actor=actor, goal=obj, **changes)

    def delete(self, actor, obj):
        services.goal_delete(actor=actor, goal=obj)


@admin.register(KeyResult)
class KeyResultAdmin(ServiceAdmin):
    """The current value moves only with check-ins."""

    parent_field = "goal"
    list_display = ["title", "goal", "kind", "baseline", "current", "target", "direction"]
    list_filter = ["kind", "direction", "goal__organization"]
    search_fields = ["title", "goal__title"]
    fields = ["goal", "title", "kind", "unit", "baseline", "target", "direction", "current", "order"]
    readonly_fields = ["current"]

    def create(self, actor, data):
        fields = _fields(data, "kind", "unit", "direction", "order")
        return services.key_result_create(
            actor=actor,
            goal=data["goal"],
            title=data["title"],
            baseline=data["baseline"],
            target=data["target"],
            **fields,
        )

    def update(self, actor, obj, changes):
        return services.key_result_update(actor=actor, key_result=obj, **changes)

    def delete(self, actor, obj):
        services.key_result_delete(actor=actor, key_result=obj)


# --- Teams ----------------------------------------------------------------------------------------


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    list_display = ["name", "organization", "stage", "created_at"]
    list_filter = ["stage", "organization"]
    search_fields = ["name"]
    fields = ["organization", "name", "mission", "managers", "stage"]
    filter_horizontal = ["managers"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A new team starts forming; later moves are recorded as stage changes.
        return readonly if obj is not None else [*readonly, "stage"]

    def create(self, actor, data):
        return services.team_create(
            actor=actor, name=data["name"], mission=data.get("mission", ""), managers=list(data.get("managers", []))
        )

    def update(self, actor, obj, changes):
        stage = changes.pop("stage", None)
        if stage is not None:
            obj = services.team_stage_change(actor=actor, team=obj, stage=stage, note="Changed in the admin.")
        if "managers" in changes:
            changes["managers"] = list(changes["managers"])
        return services.team_update(actor=actor, team=obj, **changes) if changes else obj


@admin.register(TeamMembership)
class TeamMembershipAdmin(ServiceAdmin):
    """Giving someone a role copies its excellence template to them (see the history)."""

    parent_field = "team"
    list_display = ["membership", "team", "team_role", "job_role"]
    list_filter = ["team_role", "team__organization"]
    search_fields = ["membership__user__full_name", "membership__user__email", "team__name"]
    fields = ["team", "membership", "team_role", "job_role"]
    raw_id_fields = ["membership"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "membership"] if obj is not None else []

    def create(self, actor, data):
        return services.team_member_add(actor=actor, **_fields(data, "team", "membership", "team_role", "job_role"))

    def update(self, actor, obj, changes):
        return services.team_member_update(actor=actor, team_membership=obj, **changes)

    def delete(self, actor, obj):
        services.team_member_remove(actor=actor, team_membership=obj)


@admin.register(ExcellenceCriterion)
class ExcellenceCriterionAdmin(ServiceAdmin):
    parent_field = "team_membership"
    list_display = ["looks_like", "measure", "team_membership", "order", "updated_at"]
    list_filter = ["team_membership__team__organization"]
    search_fields = ["looks_like", "team_membership__membership__user__full_name"]
    fields = ["team_membership", "looks_like", "measure", "order", "source"]
    readonly_fields = ["source"]
    raw_id_fields = ["team_membership"]

    def create(self, actor, data):
        criterion = services.criterion_add(actor=actor, **_fields(data, "team_membership", "looks_like", "measure"))
        if data.get("order") is not None and data["order"] != criterion.order:
            criterion = services.criterion_update(actor=actor, criterion=criterion, order=data["order"])
        return criterion

    def update(self, actor, obj, changes):
        return services.criterion_update(actor=actor, criterion=obj, **changes)

    def delete(self, actor, obj):
        services.criterion_delete(actor=actor, criterion=obj)


@admin.register(TeamCommitment)
class TeamCommitmentAdmin(ServiceAdmin):
    parent_field = "team"
    list_display = ["team", "commitment", "is_kept", "kept_since", "updated_by", "updated_at"]
    list_filter = ["commitment", "is_kept", "team__organization"]
    fields = ["team", "commitment", "is_kept", "kept_since", "note", "updated_by"]
    readonly_fields = ["updated_by"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "commitment"] if obj is not None else ["updated_by"]

    def create(self, actor, data):
        return services.team_commitment_set(
            actor=actor, **_fields(data, "team", "commitment", "is_kept", "kept_since", "note")
        )

    def update(self, actor, obj, changes):
        current = {"is_kept": obj.is_kept, "kept_since": obj.kept_since, "note": obj.note}
        return services.team_commitment_set(
            actor=actor, team=obj.team, commitment=obj.commitment, **{**current, **changes}
        )


# --- History and derived rows: read-only ------------------------------------------------------------


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["key_result", "value", "author", "created_at"]
    list_filter = ["key_result__goal__organization"]
    search_fields = ["key_result__title", "note"]
    date_hierarchy = "created_at"


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["team", "from_stage", "to_stage", "changed_by", "created_at"]
    list_filter = ["to_stage", "team__organization"]
    search_fields = ["team__name", "note"]


@admin.register(ExcellenceChange)
class ExcellenceChangeAdmin(ReadOnlyAdmin):
    list_display = ["team_membership", "action", "changed_by", "created_at"]
    list_filter = ["action", "team_membership__team__organization"]
    search_fields = ["team_membership__membership__user__full_name"]


@admin.register(MemberStrength)
class MemberStrengthAdmin(ReadOnlyAdmin):
    """People mark their own strengths; nobody does it for them."""

    list_display = ["membership", "strength", "level", "created_at"]
    list_filter = ["level", "strength__organization"]
    search_fields = ["membership__user__full_name", "strength__name"]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ["endorser", "member_strength", "created_at"]
    list_filter = ["member_strength__strength__organization"]
    search_fields = ["endorser__user__full_name", "endorsed__user__full_name"]


# --- Daily work: wins and handoffs are written by their lifecycle services only ------------


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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "organization"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Failed deliveries, with their last error, are where admins look first."""

    list_display = ["subject", "channel", "shown_target", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "channel", "organization"]
    exclude = ["target"]  # a webhook URL is a secret; shown_target keeps only its host
    list_select_related = ["notification"]
    readonly_fields = ["shown_target"]
