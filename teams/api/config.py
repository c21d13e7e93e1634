"""What admins configure: values, functions, roles with their excellence templates,
and the strengths catalogue (with who holds each strength)."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import DELETED, IdFilter, NestedViewSet, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role, get_visible_or_404
from teams import selectors, services
from teams.api import serializers as s
from teams.models import Function, JobRole, MemberStrength, RoleCriterion, Strength, Value

READ = Role.MEMBER
ADMIN = Role.ADMIN


def _crud_schema(resource: str, serializer, *, create_serializer=None, noun: str, plural: str, delete=True):
    """The five standard operations of an admin-configured resource."""
    operations = {
        "list": operation(f"{resource}_list", f"{plural} of the organisation", serializer(many=True)),
        "create": operation(
            f"{resource}_create",
            f"Add a {noun} (admins)",
            serializer,
            status=201,
            request=create_serializer or serializer,
        ),
        "retrieve": operation(f"{resource}_retrieve", f"One {noun}", serializer),
        "partial_update": operation(f"{resource}_update", f"Change a {noun} (admins)", serializer, request=serializer),
    }
    if delete:
        operations["destroy"] = operation(f"{resource}_delete", f"Delete a {noun} (admins)", DELETED, status=204)
    return extend_schema_view(**operations)


CRUD_ROLES = {"list": READ, "retrieve": READ, "create": ADMIN, "partial_update": ADMIN, "destroy": ADMIN}


class ConfigViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """Create, change and delete through one service each; answer with the row as
    the list shows it.

    Selectors that count (``role_count``, ``holder_count``) lose Meta.ordering to the
    GROUP BY, so ``select()`` restates it: pages must not shuffle between requests.
    """

    action_roles = CRUD_ROLES
    create_serializer_class = None
    create_service = update_service = delete_service = None
    object_kwarg = ""

    def create(self, request, org_slug):
        data = self.validated(self.create_serializer_class or self.serializer_class)
        obj = type(self).create_service(actor=self.membership, **data)
        return self.respond(self.serializer_class, self.reload(obj), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        obj = self.get_object()
        data = self.validated(self.serializer_class, instance=obj, partial=True)
        type(self).update_service(actor=self.membership, **{self.object_kwarg: obj}, **data)
        return self.respond(self.serializer_class, self.reload(obj))

    def destroy(self, request, org_slug, pk):
        type(self).delete_service(actor=self.membership, **{self.object_kwarg: self.get_object()})
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["values"])
@_crud_schema(
    "values", s.ValueSerializer, create_serializer=s.ValueCreateSerializer, noun="value", plural="Values", delete=False
)
class ValueViewSet(ConfigViewSet):
    """Archive a value with ``is_active: false``; it stays on old wins."""

    serializer_class = s.ValueSerializer
    create_serializer_class = s.ValueCreateSerializer
    queryset = Value.objects.all()
    filterset_fields = ["is_active"]
    action_roles = {key: role for key, role in CRUD_ROLES.items() if key != "destroy"}
    create_service = services.value_create
    update_service = services.value_update
    object_kwarg = "value"

    def select(self):
        return selectors.value_list(membership=self.membership, include_archived=True)


@org_scoped_schema(tags=["functions"])
@_crud_schema("functions", s.FunctionSerializer, noun="function", plural="Functions")
class FunctionViewSet(ConfigViewSet):
    serializer_class = s.FunctionSerializer
    queryset = Function.objects.all()
    create_service = services.function_create
    update_service = services.function_update
    delete_service = services.function_delete
    object_kwarg = "function"

    def select(self):
        return selectors.function_list(membership=self.membership).order_by("order", "name", "pk")


class JobRoleFilter(django_filters.FilterSet):
    function = IdFilter(field_name="function_id", help_text="Only roles of this function.")

    class Meta:
        model = JobRole
        fields = ["function"]


@org_scoped_schema(tags=["roles"])
@_crud_schema("roles", s.JobRoleSerializer, create_serializer=s.JobRoleCreateSerializer, noun="role", plural="Roles")
class JobRoleViewSet(ConfigViewSet):
    """Roles (JobRole in code) with their excellence template."""

    serializer_class = s.JobRoleSerializer
    create_serializer_class = s.JobRoleCreateSerializer
    queryset = JobRole.objects.all()
    filterset_class = JobRoleFilter
    create_service = services.job_role_create
    update_service = services.job_role_update
    delete_service = services.job_role_delete
    object_kwarg = "role"

    def select(self):
        return selectors.job_role_list(membership=self.membership).order_by(
            "function__order", "function__name", "name", "pk"
        )

    def create(self, request, org_slug):
        data = self.validated(s.JobRoleCreateSerializer)
        criteria = [{"looks_like": c["looks_like"], "measure": c["measure"]} for c in data.pop("criteria", [])]
        role = services.job_role_create(actor=self.membership, criteria=criteria, **data)
        return self.respond(s.JobRoleSerializer, self.reload(role), status.HTTP_201_CREATED)


@org_scoped_schema(tags=["roles"])
@extend_schema_view(
    create=operation(
        "roles_criteria_create",
        "Add a line to a role's excellence template (admins)",
        s.RoleCriterionSerializer,
        status=201,
        request=s.RoleCriterionSerializer,
    ),
    partial_update=operation(
        "role_criteria_update",
        "Change a line of a role's excellence template (admins)",
        s.RoleCriterionSerializer,
        request=s.RoleCriterionUpdateSerializer,
    ),
    destroy=operation(
        "role_criteria_delete", "Remove a line of a role's excellence template (admins)", DELETED, status=204
    ),
)
class RoleCriterionViewSet(NestedViewSet):
    """Template changes apply to people given the role from now on."""

    serializer_class = s.RoleCriterionSerializer
    queryset = RoleCriterion.objects.all()
    parent_kwarg = "role_pk"
    action_roles = {"create": ADMIN, "partial_update": ADMIN, "destroy": ADMIN}

    def get_parent(self):
        return get_visible_or_404(JobRole.objects.all(), self.membership, pk=self.kwargs["role_pk"])

    def select(self):
        # RoleCriterion has no organisation of its own: scope it through its role.
        return RoleCriterion.objects.filter(role__in=JobRole.objects.visible_to(self.membership))

    def create(self, request, org_slug, role_pk):
        data = self.validated(s.RoleCriterionSerializer)
        criterion = services.role_criterion_add(actor=self.membership, role=self.parent, **data)
        return self.respond(s.RoleCriterionSerializer, criterion, status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        criterion = self.get_object()
        data = self.validated(s.RoleCriterionUpdateSerializer, instance=criterion, partial=True)
        services.role_criterion_update(actor=self.membership, criterion=criterion, **data)
        return self.respond(s.RoleCriterionSerializer, criterion)

    def destroy(self, request, org_slug, pk):
        services.role_criterion_delete(actor=self.membership, criterion=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class StrengthFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="Words in the name or description.")

    class Meta:
        model = Strength
        fields = ["kind", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


@org_scoped_schema(tags=["strengths"])
@_crud_schema("strengths", s.StrengthSerializer, noun="strength", plural="The strengths catalogue")
class StrengthViewSet(ConfigViewSet):
    serializer_class = s.StrengthSerializer
    queryset = Strength.objects.all()
    filterset_class = StrengthFilter
    create_service = services.strength_create
    update_service = services.strength_update
    delete_service = services.strength_delete
    object_kwarg = "strength"

    def select(self):
        return selectors.strength_list(membership=self.membership).order_by("name", "pk")


@org_scoped_schema(tags=["strengths"])
@extend_schema_view(
    list=operation(
        "strengths_holders_list",
        "Who is strong at this: strongest and most endorsed first",
        s.StrengthHolderSerializer(many=True),
        parameters=[OpenApiParameter("min_level", int, description="Only people at this level (1 to 5) or above.")],
    ),
)
class StrengthHolderViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.StrengthHolderSerializer
    queryset = MemberStrength.objects.all()
    parent_kwarg = "strength_pk"
    action_roles = {"list": READ}

    def get_parent(self):
        return get_visible_or_404(Strength.objects.all(), self.membership, pk=self.kwargs["strength_pk"])

    def select(self):
        query = s.HoldersQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.strong_at(
            membership=self.membership, strength=self.parent, min_level=query.validated_data["min_level"]
        )
