"""Goals, their key results, and check-ins that move a key result toward its target."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from teamhub.lib.api.errors import ERROR_RESPONSES
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
    list=extend_schema(
        operation_id="goals_list",
        summary="Goals with their key results and progress",
        responses={200: s.GoalSerializer(many=True), **ERROR_RESPONSES},
    ),
    create=extend_schema(
        operation_id="goals_create",
        summary="Create an organisation goal (admins) or a team goal aligned to one (the team's managers)",
        request=s.GoalSerializer,
        responses={201: s.GoalSerializer, **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        operation_id="goals_retrieve",
        summary="A goal with its key results and progress",
        responses={200: s.GoalSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        operation_id="goals_update",
        summary="Change a goal (its owner, its team's managers or an admin)",
        request=s.GoalSerializer,
        responses={200: s.GoalSerializer, **ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        operation_id="goals_delete",
        summary="Delete a goal no team goal is aligned to (its owner, its team's managers or an admin)",
        responses={204: DELETED, **ERROR_RESPONSES},
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
    create=extend_schema(
        operation_id="goals_key_results_create",
        summary="Add a key result to a goal; it starts at its baseline",
        request=s.KeyResultSerializer,
        responses={201: s.KeyResultSerializer, **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        operation_id="key_results_retrieve",
        summary="A key result and its progress",
        responses={200: s.KeyResultSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        operation_id="key_results_update",
        summary="Change what a key result measures (its current value moves only by check-ins)",
        request=s.KeyResultSerializer,
        responses={200: s.KeyResultSerializer, **ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        operation_id="key_results_delete",
        summary="Delete a key result and its check-ins",
        responses={204: DELETED, **ERROR_RESPONSES},
    ),
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
    list=extend_schema(
        operation_id="key_results_check_ins_list",
        summary="A key result's check-ins, oldest first (for a chart against its target)",
        responses={200: s.CheckInSerializer(many=True), **ERROR_RESPONSES},
    ),
    create=extend_schema(
        operation_id="key_results_check_ins_create",
        summary="Check in a new value: the key result's current value and progress follow",
        request=s.CheckInSerializer,
        responses={201: s.CheckInCreatedSerializer, **ERROR_RESPONSES},
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
