"""API for people and tenants: thin viewsets over accounts' services and selectors."""

from django.db.models import F, Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.models import ApiToken, Invitation, Membership, Organization, User
from teamhub.lib.api.errors import ERROR_RESPONSES
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role


@extend_schema(tags=["me"])
class MeViewSet(viewsets.GenericViewSet):
    serializer_class = s.MeSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_retrieve",
        summary="The authenticated user and their organisations",
        responses={200: s.MeSerializer, **ERROR_RESPONSES},
    )
    def retrieve(self, request):
        active = Membership.objects.filter(is_active=True).select_related("organization")
        user = User.objects.prefetch_related(Prefetch("memberships", queryset=active)).get(pk=request.user.pk)
        return Response(s.MeSerializer(user).data)


@extend_schema(tags=["organisations"])
@extend_schema_view(
    list=extend_schema(
        operation_id="orgs_list",
        summary="Organisations you belong to",
        responses={200: s.MyOrganizationSerializer(many=True), **ERROR_RESPONSES},
    ),
)
class MyOrganizationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MyOrganizationSerializer
    permission_classes = [IsAuthenticated]
    queryset = Organization.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return selectors.organization_list_for_user(user=self.request.user).annotate(role=F("memberships__role"))


@org_scoped_schema(tags=["organisations"])
@extend_schema_view(
    retrieve=extend_schema(
        operation_id="org_retrieve",
        summary="An organisation and its settings",
        responses={200: s.OrganizationSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        operation_id="org_update",
        summary="Change organisation settings (admins)",
        responses={200: s.OrganizationSerializer, **ERROR_RESPONSES},
    ),
)
class OrganizationViewSet(OrgScopedViewSet):
    serializer_class = s.OrganizationSerializer
    queryset = Organization.objects.none()
    action_roles = {"retrieve": Role.MEMBER, "partial_update": Role.ADMIN}

    def retrieve(self, request, org_slug):
        return Response(self.get_serializer(self.membership.organization).data)

    def partial_update(self, request, org_slug):
        organization = self.membership.organization
        serializer = self.get_serializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.organization_update(actor=self.membership, organization=organization, **serializer.validated_data)
        return Response(self.get_serializer(organization).data)


@org_scoped_schema(tags=["memberships"])
@extend_schema_view(
    list=extend_schema(
        operation_id="memberships_list",
        summary="People in the organisation",
        responses={200: s.MembershipSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        operation_id="memberships_retrieve",
        summary="One membership",
        responses={200: s.MembershipSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        operation_id="memberships_update",
        summary="Change a member's role or (de)activate them (admins)",
        responses={200: s.MembershipSerializer, **ERROR_RESPONSES},
    ),
)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = s.MembershipSerializer
    queryset = Membership.objects.all()
    filterset_fields = ["role", "is_active"]
    action_roles = {"list": Role.MEMBER, "retrieve": Role.MEMBER, "partial_update": Role.ADMIN}

    def base_queryset(self):
        return Membership.objects.select_related("user").order_by("user__full_name", "user__email")

    def partial_update(self, request, org_slug, pk):
        target = self.get_object()
        serializer = self.get_serializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.membership_update(actor=self.membership, membership=target, **serializer.validated_data)
        return Response(self.get_serializer(target).data)


@org_scoped_schema(tags=["invitations"])
@extend_schema_view(
    list=extend_schema(
        operation_id="invitations_list",
        summary="Invitations sent (admins)",
        responses={200: s.InvitationSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        operation_id="invitations_retrieve",
        summary="One invitation (admins)",
        responses={200: s.InvitationSerializer, **ERROR_RESPONSES},
    ),
    create=extend_schema(
        operation_id="invitations_create",
        summary="Invite someone by e-mail (admins)",
        request=s.InvitationSerializer,
        responses={201: s.InvitationCreatedSerializer, **ERROR_RESPONSES},
    ),
)
class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = s.InvitationSerializer
    queryset = Invitation.objects.all()
    filterset_fields = ["role"]
    action_roles = {"list": Role.ADMIN, "retrieve": Role.ADMIN, "create": Role.ADMIN, "revoke": Role.ADMIN}

    def base_queryset(self):
        return Invitation.objects.select_related("invited_by").order_by("-created_at")

    def create(self, request, org_slug):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, raw = services.invitation_create(actor=self.membership, **serializer.validated_data)
        invitation.accept_url = services.invitation_accept_url(raw)
        return Response(s.InvitationCreatedSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="invitations_revoke",
        summary="Revoke a pending invitation (admins)",
        request=None,
        responses={200: s.InvitationSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, org_slug, pk):
        invitation = services.invitation_revoke(actor=self.membership, invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


@extend_schema(tags=["tokens"])
@extend_schema_view(
    list=extend_schema(
        operation_id="tokens_list",
        summary="Your API tokens",
        responses={200: s.ApiTokenSerializer(many=True), **ERROR_RESPONSES},
    ),
    create=extend_schema(
        operation_id="tokens_create",
        summary="Create an API token (shown once)",
        request=s.ApiTokenSerializer,
        responses={201: s.ApiTokenCreatedSerializer, **ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        operation_id="tokens_revoke",
        summary="Revoke one of your API tokens",
        responses={204: OpenApiResponse(description="Revoked."), **ERROR_RESPONSES},
    ),
)
class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    queryset = ApiToken.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return selectors.api_token_list(user=self.request.user)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = services.api_token_create(user=request.user, name=serializer.validated_data["name"])
        token.token = raw
        return Response(s.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk):
        services.api_token_revoke(user=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
