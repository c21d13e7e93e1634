"""People's strengths, endorsements, and the directory: whom to ask."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.models import Membership
from teamhub.lib.api.errors import ERROR_RESPONSES
from teamhub.lib.api.viewsets import DELETED, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams import selectors, services
from teams.api import serializers as s
from teams.models import MemberStrength


@org_scoped_schema(tags=["strengths"])
@extend_schema_view(
    list=extend_schema(
        operation_id="my_strengths_list",
        summary="Your strengths, with how many colleagues endorsed each",
        responses={200: s.MyStrengthSerializer(many=True), **ERROR_RESPONSES},
    ),
    create=extend_schema(
        operation_id="my_strengths_set",
        summary="Mark one of your strengths, or change its level",
        request=s.MyStrengthSerializer,
        responses={201: s.MyStrengthSerializer, **ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        operation_id="my_strengths_delete",
        summary="Remove one of your strengths",
        responses={204: DELETED, **ERROR_RESPONSES},
    ),
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

    @extend_schema(
        operation_id="member_strengths_endorse",
        summary="Endorse a colleague's strength (once)",
        request=None,
        responses={201: s.EndorsedStrengthSerializer, **ERROR_RESPONSES},
    )
    def endorse(self, request, org_slug, pk):
        member_strength = self.get_object()
        services.endorsement_create(actor=self.membership, member_strength=member_strength)
        endorsed = selectors.strengths_of(membership=member_strength.membership, viewer=self.membership)
        return self.respond(s.EndorsedStrengthSerializer, endorsed.get(pk=member_strength.pk), status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="member_strengths_unendorse",
        summary="Withdraw your endorsement of a colleague's strength",
        responses={204: DELETED, **ERROR_RESPONSES},
    )
    def unendorse(self, request, org_slug, pk):
        services.endorsement_remove(actor=self.membership, member_strength=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["directory"])
@extend_schema_view(
    list=extend_schema(
        operation_id="directory_list",
        summary="Everyone in the organisation with their strengths, teams, roles and functions",
        parameters=[
            OpenApiParameter("q", str, description="Words in a name, an e-mail address or a strength."),
            OpenApiParameter("function", int, description="Only people in a role of this function."),
            OpenApiParameter("strength", int, description="Only people who marked this strength."),
        ],
        responses={200: s.DirectoryPersonSerializer(many=True), **ERROR_RESPONSES},
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
