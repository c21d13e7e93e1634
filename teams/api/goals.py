"""Goals, their key results, and check-ins that move a key result toward its target."""

import django_filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import DELETED, IdFilter, NestedViewSet, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams import access, selectors, services
from teams.api import serializers as s
from teams.models import CheckIn, Goal, KeyResult


class GoalFilter(django_filters.FilterSet):
    team = IdFilter(field_name="team_id", help_text="Only this team's goals.")
    level = django_filters.ChoiceFilter(
        choices=[("org", "Organisation goals"), ("team", "Team goals")],
        method="filter_level",
        help_text="Organisation goals or team goals.",
    )

    class Meta:
        model = Goal
        fields = ["team", "status", "level"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(team__isnull=value == "org")


@org_scoped_schema(tags=["goals"])
@extend_schema_view(
    list=operation("goals_list", "Goals with their key results and progress", s.GoalSerializer(many=True)),
    create=operation(
        "goals_create",
        "Create an organisation goal (admins) or a team goal aligned to one (the team's managers)",
        s.GoalSerializer,
        status=201,
        request=s.GoalSerializer,
    ),
    retrieve=operation("goals_retrieve", "A goal with its key results and progress", s.GoalSerializer),
    partial_update=operation(
        "goals_update",
        "Change a goal (its owner, its team's managers or an admin)",
        s.GoalSerializer,
        request=s.GoalSerializer,
    ),
    destroy=operation(
        "goals_delete",
        "Delete a goal no team goal is aligned to (its owner, its team's managers or an admin)",
        DELETED,
        status=204,
    ),
)
class GoalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """Who may write is the services' decision (teams.access): an owner may be a member."""

    serializer_class = s.GoalSerializer
    queryset = Goal.objects.all()
    filterset_class = GoalFilter
    action_roles = {
        "list": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "create": Role.MANAGER,
        "partial_update": Role.MEMBER,
        "destroy": Role.MEMBER,
    }

    def select(self):
        return selectors.goal_list(membership=self.membership)

    def create(self, request, org_slug):
        goal = services.goal_create(actor=self.membership, **self.validated(s.GoalSerializer))
        return self.respond(s.GoalSerializer, self.reload(goal), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        goal = access.access_goal(membership=self.membership, goal_id=pk)
        data = self.validated(s.GoalSerializer, instance=goal, partial=True)
        services.goal_update(actor=self.membership, goal=goal, **data)
        return self.respond(s.GoalSerializer, self.reload(goal))

    def destroy(self, request, org_slug, pk):
        services.goal_delete(actor=self.membership, goal=access.access_goal(membership=self.membership, goal_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["goals"])
@extend_schema_view(
    create=operation(
        "goals_key_results_create",
        "Add a key result to a goal; it starts at its baseline",
        s.KeyResultSerializer,
        status=201,
        request=s.KeyResultSerializer,
    ),
    retrieve=operation("key_results_retrieve", "A key result and its progress", s.KeyResultSerializer),
    partial_update=operation(
        "key_results_update",
        "Change what a key result measures (its current value moves only by check-ins)",
        s.KeyResultSerializer,
        request=s.KeyResultSerializer,
    ),
    destroy=operation("key_results_delete", "Delete a key result and its check-ins", DELETED, status=204),
)
class KeyResultViewSet(mixins.RetrieveModelMixin, NestedViewSet):
    serializer_class = s.KeyResultSerializer
    queryset = KeyResult.objects.all()
    parent_kwarg = "goal_pk"
    action_roles = {
        "create": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "partial_update": Role.MEMBER,
        "destroy": Role.MEMBER,
    }

    def get_parent(self):
        return access.access_goal(membership=self.membership, goal_id=self.kwargs["goal_pk"])

    def select(self):
        return KeyResult.objects.visible_to(self.membership).select_related("goal__team")

    def create(self, request, org_slug, goal_pk):
        data = self.validated(s.KeyResultSerializer)
        key_result = services.key_result_create(actor=self.membership, goal=self.parent, **data)
        return self.respond(s.KeyResultSerializer, key_result, status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        key_result = self.get_object()
        data = self.validated(s.KeyResultSerializer, instance=key_result, partial=True)
        services.key_result_update(actor=self.membership, key_result=key_result, **data)
        return self.respond(s.KeyResultSerializer, key_result)

    def destroy(self, request, org_slug, pk):
        services.key_result_delete(actor=self.membership, key_result=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["goals"])
@extend_schema_view(
    list=operation(
        "key_results_check_ins_list",
        "A key result's check-ins, oldest first (for a chart against its target)",
        s.CheckInSerializer(many=True),
    ),
    create=operation(
        "key_results_check_ins_create",
        "Check in a new value: the key result's current value and progress follow",
        s.CheckInCreatedSerializer,
        status=201,
        request=s.CheckInSerializer,
    ),
)
class CheckInViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.CheckInSerializer
    queryset = CheckIn.objects.all()
    parent_kwarg = "key_result_pk"
    action_roles = {"list": Role.MEMBER, "create": Role.MEMBER}

    def get_parent(self):
        return access.access_key_result(membership=self.membership, key_result_id=self.kwargs["key_result_pk"])

    def select(self):
        return (
            CheckIn.objects.visible_to(self.membership)
            .filter(key_result=self.parent)
            .select_related("author__user")
            .order_by("created_at", "pk")
        )

    def create(self, request, org_slug, key_result_pk):
        data = self.validated(s.CheckInSerializer)
        check_in = services.check_in_create(actor=self.membership, key_result=self.parent, **data)
        check_in.key_result = access.access_key_result(membership=self.membership, key_result_id=self.parent.pk)
        return self.respond(s.CheckInCreatedSerializer, check_in, status.HTTP_201_CREATED)
