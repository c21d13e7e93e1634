"""The Django admin for teams/: writes go through teams.services (see teamhub.lib.admin)."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from teamhub.lib.admin import ReadOnlyAdmin, ServiceAdmin
from teams import services
from teams.models import (
    CheckIn,
    Endorsement,
    ExcellenceChange,
    ExcellenceCriterion,
    Function,
    Goal,
    JobRole,
    KeyResult,
    MemberStrength,
    RoleCriterion,
    StageChange,
    Strength,
    Team,
    TeamCommitment,
    TeamMembership,
    Value,
)


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

    def organization_of(self, parent):
        return parent.team.organization

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
