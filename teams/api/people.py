"""People's strengths, endorsements, and the directory: whom to ask."""

from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.models import Membership
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import DELETED, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams import selectors, services
from teams.api import serializers as s
from teams.models import MemberStrength


@org_scoped_schema(tags=["strengths"])
@extend_schema_view(
    list=operation(
        "my_strengths_list", "Your strengths, with how many colleagues endorsed each", s.MyStrengthSerializer(many=True)
    ),
    create=operation(
        "my_strengths_set",
        "Mark one of your strengths, or change its level",
        s.MyStrengthSerializer,
        status=201,
        request=s.MyStrengthSerializer,
    ),
    destroy=operation("my_strengths_delete", "Remove one of your strengths", DELETED, status=204),
)
class MyStrengthViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    """Only the requester's own strengths: anyone else's id is not found here."""

    serializer_class = s.MyStrengthSerializer
    queryset = MemberStrength.objects.all()
    action_roles = {"list": Role.MEMBER, "create": Role.MEMBER, "destroy": Role.MEMBER}

    def select(self):
        mine = selectors.strengths_of(membership=self.membership, viewer=self.membership)
        return mine.order_by("-level", "strength__name", "pk")  # the counts' GROUP BY drops Meta.ordering

    def create(self, request, org_slug):
        member_strength = services.member_strength_set(actor=self.membership, **self.validated(s.MyStrengthSerializer))
        return self.respond(s.MyStrengthSerializer, self.reload(member_strength), status.HTTP_201_CREATED)

    def destroy(self, request, org_slug, pk):
        services.member_strength_remove(actor=self.membership, member_strength=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["strengths"])
class EndorsementViewSet(OrgScopedViewSet):
    serializer_class = s.EndorsedStrengthSerializer
    queryset = MemberStrength.objects.all()
    action_roles = {"endorse": Role.MEMBER, "unendorse": Role.MEMBER}

    def select(self):
        return MemberStrength.objects.visible_to(self.membership).select_related("membership")

    @operation(
        "member_strengths_endorse",
        "Endorse a colleague's strength (once)",
        s.EndorsedStrengthSerializer,
        status=201,
        request=None,
    )
    def endorse(self, request, org_slug, pk):
        member_strength = self.get_object()
        services.endorsement_create(actor=self.membership, member_strength=member_strength)
        endorsed = selectors.strengths_of(membership=member_strength.membership, viewer=self.membership)
        return self.respond(s.EndorsedStrengthSerializer, endorsed.get(pk=member_strength.pk), status.HTTP_201_CREATED)

    @operation("member_strengths_unendorse", "Withdraw your endorsement of a colleague's strength", DELETED, status=204)
    def unendorse(self, request, org_slug, pk):
        services.endorsement_remove(actor=self.membership, member_strength=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["directory"])
@extend_schema_view(
    list=operation(
        "directory_list",
        "Everyone in the organisation with their strengths, teams, roles and functions",
        s.DirectoryPersonSerializer(many=True),
        parameters=[
            OpenApiParameter("q", str, description="Words in a name, an e-mail address or a strength."),
            OpenApiParameter("function", int, description="Only people in a role of this function."),
            OpenApiParameter("strength", int, description="Only people who marked this strength."),
        ],
    ),
)
class DirectoryViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    serializer_class = s.DirectoryPersonSerializer
    queryset = Membership.objects.all()
    action_roles = {"list": Role.MEMBER}

    def select(self):
        query = s.DirectoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.directory(
            membership=self.membership,
            query=query.validated_data["q"],
            function_id=query.validated_data["function"],
            strength_id=query.validated_data["strength"],
        )
