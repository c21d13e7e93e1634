"""Teams, their people, maturity and commitments, and each person's excellence criteria."""

from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import DELETED, NestedViewSet, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams import access, selectors, services
from teams.api import serializers as s
from teams.models import ExcellenceChange, ExcellenceCriterion, StageChange, Team, TeamMembership


def _commitment_row(item: dict) -> dict:
    record = item["record"]
    return {
        "commitment": item["key"],
        "label": item["label"],
        "is_kept": record.is_kept if record else False,
        "kept_since": record.kept_since if record else None,
        "note": record.note if record else "",
        "updated_by": record.updated_by if record else None,
        "updated_at": record.updated_at if record else None,
    }


def _commitment_set_schema(method: str):
    return operation(
        f"teams_commitments_{method}",
        "Record whether the team keeps one of the six commitments (its managers)",
        s.CommitmentStatusSerializer,
        request=s.CommitmentSetSerializer,
    )


@org_scoped_schema(tags=["teams"])
@extend_schema_view(
    list=operation("teams_list", "Teams of the organisation", s.TeamSerializer(many=True)),
    create=operation(
        "teams_create", "Create a team (admins)", s.TeamDetailSerializer, status=201, request=s.TeamWriteSerializer
    ),
    retrieve=operation(
        "teams_retrieve", "A team: its people, functions, stage and commitments", s.TeamDetailSerializer
    ),
    partial_update=operation(
        "teams_update",
        "Change name and mission (its managers) or managers (admins)",
        s.TeamDetailSerializer,
        request=s.TeamWriteSerializer,
    ),
)
class TeamViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    serializer_class = s.TeamSerializer
    queryset = Team.objects.all()
    action_roles = {
        "list": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "create": Role.ADMIN,
        "partial_update": Role.MANAGER,
        "stage": Role.MANAGER,
        "webhook_test": Role.MANAGER,
        "commitment_put": Role.MANAGER,
        "commitment_post": Role.MANAGER,
    }

    def select(self):
        # The member count's GROUP BY drops Meta.ordering: restate it for stable pages.
        return selectors.team_list(membership=self.membership).order_by("name", "pk")

    def team_detail(self, team, code=status.HTTP_200_OK):
        team.member_list = list(selectors.team_members(team=team))
        team.coverage = selectors.function_coverage(team=team, members=team.member_list)
        team.commitment_list = [_commitment_row(item) for item in selectors.team_commitments(team=team)]
        return self.respond(s.TeamDetailSerializer, team, code)

    def retrieve(self, request, org_slug, pk):
        return self.team_detail(self.get_object())

    def create(self, request, org_slug):
        team = services.team_create(actor=self.membership, **self.validated(s.TeamWriteSerializer))
        return self.team_detail(self.reload(team), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        team = self.get_object()
        data = self.validated(s.TeamWriteSerializer, instance=team, partial=True)
        services.team_update(actor=self.membership, team=team, **data)
        return self.team_detail(self.reload(team))

    @operation(
        "teams_stage_change",
        "Move the team to another maturity stage, with a note (its managers)",
        s.TeamDetailSerializer,
        request=s.StageChangeRequestSerializer,
    )
    def stage(self, request, org_slug, pk):
        team = self.get_object()
        services.team_stage_change(actor=self.membership, team=team, **self.validated(s.StageChangeRequestSerializer))
        return self.team_detail(self.reload(team))

    @operation(
        "teams_webhook_test",
        "Post a test message to the team's chat webhook now (its managers)",
        None,
        status=204,
        request=None,
        description="Answers 204 when the chat server took it, 400 with its answer on `webhook_url` when not.",
    )
    def webhook_test(self, request, org_slug, pk):
        services.team_webhook_test(actor=self.membership, team=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _commitment_set(self):
        team = self.get_object()
        data = self.validated(s.CommitmentSetSerializer)
        item = services.team_commitment_set(actor=self.membership, team=team, **data)
        row = {"key": item.commitment, "label": item.get_commitment_display(), "record": item}
        return self.respond(s.CommitmentStatusSerializer, _commitment_row(row))

    # PUT and POST do the same (the issue asks for both); each needs its own operation id.
    @_commitment_set_schema("put")
    def commitment_put(self, request, org_slug, pk):
        return self._commitment_set()

    @_commitment_set_schema("post")
    def commitment_post(self, request, org_slug, pk):
        return self._commitment_set()


@org_scoped_schema(tags=["teams"])
@extend_schema_view(
    list=operation(
        "teams_stage_changes_list",
        "History of the team's maturity stage, newest first",
        s.StageChangeSerializer(many=True),
    ),
)
class StageChangeViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.StageChangeSerializer
    queryset = StageChange.objects.all()
    parent_kwarg = "team_pk"
    action_roles = {"list": Role.MEMBER}

    def get_parent(self):
        return access.access_team(membership=self.membership, team_id=self.kwargs["team_pk"])

    def select(self):
        return self.parent.stage_changes.select_related("changed_by__user")


@org_scoped_schema(tags=["team members"])
@extend_schema_view(
    list=operation("team_members_list", "People on the team, leads first", s.TeamMemberSerializer(many=True)),
    create=operation(
        "team_members_create",
        "Put someone on the team; their role's excellence template becomes theirs (its managers)",
        s.TeamMemberSerializer,
        status=201,
        request=s.TeamMemberCreateSerializer,
    ),
    retrieve=operation("team_members_retrieve", "Someone's place on a team", s.TeamMemberSerializer),
    partial_update=operation(
        "team_members_update",
        "Change someone's team role or role; a new role replaces their criteria (its managers)",
        s.TeamMemberSerializer,
        request=s.TeamMemberUpdateSerializer,
    ),
    destroy=operation("team_members_delete", "Take someone off the team (its managers)", DELETED, status=204),
)
class TeamMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NestedViewSet):
    serializer_class = s.TeamMemberSerializer
    queryset = TeamMembership.objects.all()
    parent_kwarg = "team_pk"
    action_roles = {
        "list": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "create": Role.MANAGER,
        "partial_update": Role.MANAGER,
        "destroy": Role.MANAGER,
    }

    def get_parent(self):
        return access.access_team(membership=self.membership, team_id=self.kwargs["team_pk"])

    def select(self):
        if self.parent is not None:
            return selectors.team_members(team=self.parent)
        return TeamMembership.objects.visible_to(self.membership).select_related(
            "team", "membership__user", "job_role__function"
        )

    def create(self, request, org_slug, team_pk):
        data = self.validated(s.TeamMemberCreateSerializer)
        team_membership = services.team_member_add(actor=self.membership, team=self.parent, **data)
        return self.respond(s.TeamMemberSerializer, self.reload(team_membership), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        team_membership = self.get_object()
        data = self.validated(s.TeamMemberUpdateSerializer, instance=team_membership, partial=True)
        services.team_member_update(actor=self.membership, team_membership=team_membership, **data)
        return self.respond(s.TeamMemberSerializer, self.reload(team_membership))

    def destroy(self, request, org_slug, pk):
        services.team_member_remove(actor=self.membership, team_membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["excellence"])
@extend_schema_view(
    list=operation(
        "excellence_criteria_list",
        "What excellence means for this person in their role on the team",
        s.ExcellenceCriterionSerializer(many=True),
    ),
    create=operation(
        "excellence_criteria_create",
        "Add a criterion (the person or their team's managers)",
        s.ExcellenceCriterionSerializer,
        status=201,
        request=s.ExcellenceCriterionSerializer,
    ),
    partial_update=operation(
        "excellence_criteria_update",
        "Change a criterion (the person or their team's managers)",
        s.ExcellenceCriterionSerializer,
        request=s.ExcellenceCriterionUpdateSerializer,
    ),
    destroy=operation(
        "excellence_criteria_delete", "Remove a criterion (the person or their team's managers)", DELETED, status=204
    ),
)
class ExcellenceCriterionViewSet(mixins.ListModelMixin, NestedViewSet):
    """The services decide who may write: the person themselves or their team's managers."""

    serializer_class = s.ExcellenceCriterionSerializer
    queryset = ExcellenceCriterion.objects.all()
    parent_kwarg = "team_membership_pk"
    action_roles = {"list": Role.MEMBER, "create": Role.MEMBER, "partial_update": Role.MEMBER, "destroy": Role.MEMBER}

    def get_parent(self):
        return access.access_team_membership(
            membership=self.membership, team_membership_id=self.kwargs["team_membership_pk"]
        )

    def select(self):
        criteria = ExcellenceCriterion.objects.visible_to(self.membership)
        if self.parent is not None:
            return criteria.filter(team_membership=self.parent)
        return criteria.select_related("team_membership__team")

    def create(self, request, org_slug, team_membership_pk):
        data = self.validated(s.ExcellenceCriterionSerializer)
        criterion = services.criterion_add(actor=self.membership, team_membership=self.parent, **data)
        return self.respond(s.ExcellenceCriterionSerializer, criterion, status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        criterion = self.get_object()
        data = self.validated(s.ExcellenceCriterionUpdateSerializer, instance=criterion, partial=True)
        services.criterion_update(actor=self.membership, criterion=criterion, **data)
        return self.respond(s.ExcellenceCriterionSerializer, criterion)

    def destroy(self, request, org_slug, pk):
        services.criterion_delete(actor=self.membership, criterion=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["excellence"])
@extend_schema_view(
    list=operation(
        "excellence_history_list",
        "Every change to this person's criteria: who, when, before and after",
        s.ExcellenceChangeSerializer(many=True),
    ),
)
class ExcellenceHistoryViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.ExcellenceChangeSerializer
    queryset = ExcellenceChange.objects.all()
    parent_kwarg = "team_membership_pk"
    action_roles = {"list": Role.MEMBER}

    def get_parent(self):
        return access.access_team_membership(
            membership=self.membership, team_membership_id=self.kwargs["team_membership_pk"]
        )

    def select(self):
        return selectors.excellence_history(team_membership=self.parent)
