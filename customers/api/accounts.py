"""Customer accounts, their ownership history and transfers, and a team's turnaround.

Everyone in the organisation finds any account (name, owning team, lead); details are
for the people who work on it (customers.access). Another organisation's id answers
404 before any role check; a visible account the role may not change answers 403.
"""

from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from customers import access, selectors, services
from customers.api import serializers as s
from customers.models import CustomerAccount, OwnershipChange
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import NestedViewSet, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.access import access_team
from teams.models import Team


@org_scoped_schema(tags=["customer accounts"])
@extend_schema_view(
    list=operation(
        "customer_accounts_list",
        "Find accounts: everyone sees name, owning team and lead; details where you work on them",
        s.AccountSerializer(many=True),
        parameters=[s.AccountQuerySerializer],
    ),
    create=operation(
        "customer_accounts_create",
        "Add an account for a team (its managers, or an admin)",
        s.AccountSerializer,
        status=201,
        request=s.AccountWriteSerializer,
    ),
    retrieve=operation(
        "customer_accounts_retrieve", "An account; ``details`` is null unless you work on it", s.AccountSerializer
    ),
    partial_update=operation(
        "customer_accounts_update",
        "Change an account (the owning team's managers, or an admin)",
        s.AccountSerializer,
        request=s.AccountUpdateSerializer,
    ),
)
class AccountViewSet(mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = s.AccountSerializer
    queryset = CustomerAccount.objects.all()
    filter_backends = []
    action_roles = {
        "list": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "create": Role.MANAGER,
        "partial_update": Role.MANAGER,
        "transfer": Role.MANAGER,
    }

    def select(self, **filters):
        return selectors.account_list(membership=self.membership, **filters)

    def list(self, request, org_slug):
        query = s.AccountQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        filters["sort"] = filters.pop("ordering", "name")
        page = self.paginate_queryset(self.select(**filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, org_slug):
        account = services.account_create(actor=self.membership, **self.validated(s.AccountWriteSerializer))
        return self.respond(s.AccountSerializer, self.reload(account), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        account = access.access_account(membership=self.membership, account_id=pk, manage=True)
        data = self.validated(s.AccountUpdateSerializer, instance=account, partial=True)
        services.account_update(actor=self.membership, account=account, **data)
        return self.respond(s.AccountSerializer, self.reload(account))

    @operation(
        "customer_accounts_transfer",
        "Hand the account to another team, saying why (the owning team's managers, or an admin)",
        s.OwnershipChangeSerializer,
        status=201,
        request=s.TransferSerializer,
    )
    def transfer(self, request, org_slug, pk):
        account = access.access_account(membership=self.membership, account_id=pk, manage=True)
        change = services.account_transfer(
            actor=self.membership, account=account, **self.validated(s.TransferSerializer)
        )
        change = selectors.ownership_history(account=account).get(pk=change.pk)
        return self.respond(s.OwnershipChangeSerializer, change, status.HTTP_201_CREATED)


@org_scoped_schema(tags=["customer accounts"])
@extend_schema_view(
    list=operation(
        "customer_accounts_ownership_changes_list",
        "Who owned the account before, newest first (people who work on it)",
        s.OwnershipChangeSerializer(many=True),
    ),
)
class OwnershipChangeViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.OwnershipChangeSerializer
    queryset = OwnershipChange.objects.all()
    filter_backends = []
    parent_kwarg = "account_pk"
    action_roles = {"list": Role.MEMBER}

    def get_parent(self):
        return access.access_account(membership=self.membership, account_id=self.kwargs["account_pk"], full=True)

    def select(self):
        return selectors.ownership_history(account=self.parent)


@org_scoped_schema(tags=["customer accounts"])
@extend_schema_view(
    list=operation(
        "teams_turnaround_list",
        "How fast the team answers and resolves customer needs, month by month (hours)",
        s.TurnaroundSerializer(many=True),
        parameters=[s.TurnaroundQuerySerializer],
    ),
)
class TurnaroundViewSet(NestedViewSet):
    """Everyone in the organisation may read any team's turnaround: it is how teams
    learn from the fastest ones."""

    serializer_class = s.TurnaroundSerializer
    queryset = Team.objects.all()
    filter_backends = []
    pagination_class = None
    parent_kwarg = "team_pk"
    action_roles = {"list": Role.MEMBER}

    def get_parent(self):
        team = access_team(membership=self.membership, team_id=self.kwargs["team_pk"])
        team.organization = self.membership.organization  # saves a query for the time zone
        return team

    def list(self, request, org_slug, team_pk):
        query = s.TurnaroundQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.turnaround_by_month(team=self.parent, months=query.validated_data["months"])
        return Response(s.TurnaroundSerializer(rows, many=True).data)
