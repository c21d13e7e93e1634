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
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role


@extend_schema(tags=["me"])
class MeViewSet(viewsets.GenericViewSet):
    serializer_class = s.MeSerializer
    permission_classes = [IsAuthenticated]

    @operation("me_retrieve", "The authenticated user and their organisations", s.MeSerializer)
    def retrieve(self, request):
        active = Membership.objects.filter(is_active=True).select_related("organization")
        user = User.objects.prefetch_related(Prefetch("memberships", queryset=active)).get(pk=request.user.pk)
        return Response(s.MeSerializer(user).data)


@extend_schema(tags=["organisations"])
@extend_schema_view(
    list=operation("orgs_list", "Organisations you belong to", s.MyOrganizationSerializer(many=True)),
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
    retrieve=operation("org_retrieve", "An organisation and its settings", s.OrganizationSerializer),
    partial_update=operation("org_update", "Change organisation settings (admins)", s.OrganizationSerializer),
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
    list=operation("memberships_list", "People in the organisation", s.MembershipSerializer(many=True)),
    retrieve=operation("memberships_retrieve", "One membership", s.MembershipSerializer),
    partial_update=operation(
        "memberships_update", "Change a member's role or (de)activate them (admins)", s.MembershipSerializer
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
    list=operation("invitations_list", "Invitations sent (admins)", s.InvitationSerializer(many=True)),
    retrieve=operation("invitations_retrieve", "One invitation (admins)", s.InvitationSerializer),
    create=operation(
        "invitations_create",
        "Invite someone by e-mail (admins)",
        s.InvitationCreatedSerializer,
        status=201,
        request=s.InvitationSerializer,
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

    @operation("invitations_revoke", "Revoke a pending invitation (admins)", s.InvitationSerializer, request=None)
    @action(detail=True, methods=["post"])
    def revoke(self, request, org_slug, pk):
        invitation = services.invitation_revoke(actor=self.membership, invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


@extend_schema(tags=["tokens"])
@extend_schema_view(
    list=operation("tokens_list", "Your API tokens", s.ApiTokenSerializer(many=True)),
    create=operation(
        "tokens_create",
        "Create an API token (shown once)",
        s.ApiTokenCreatedSerializer,
        status=201,
        request=s.ApiTokenSerializer,
    ),
    destroy=operation(
        "tokens_revoke", "Revoke one of your API tokens", OpenApiResponse(description="Revoked."), status=204
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
