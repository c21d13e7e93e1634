"""Wins and values in action. Handoffs are in ``handoffs``.

Everyone in the organisation reads every win (the feed is how good work travels).
"""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import DELETED, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from work import access, selectors, services
from work.api import serializers as s
from work.models import Win


@org_scoped_schema(tags=["wins"])
@extend_schema_view(
    list=operation(
        "wins_list",
        "The organisation's wins, newest first, with applause, spotlight and adoptions",
        s.WinSerializer(many=True),
        parameters=[s.WinQuerySerializer],
    ),
    create=operation(
        "wins_create",
        "Log a win: a title and the values it shows; team, story, impact, customer and helpers optional",
        s.WinSerializer,
        status=201,
        request=s.WinCreateSerializer,
    ),
    retrieve=operation(
        "wins_retrieve",
        "A win with its values, helpers, applause, spotlight and the teams that adopted it",
        s.WinDetailSerializer,
    ),
)
class WinViewSet(mixins.RetrieveModelMixin, OrgScopedViewSet):
    """Anyone logs and applauds; the win's team's managers (or an admin) spotlight it;
    people on another team say their team adopted a spotlighted win."""

    serializer_class = s.WinSerializer
    queryset = Win.objects.all()
    filter_backends = []
    action_roles = {
        "list": Role.MEMBER,
        "create": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "applaud": Role.MEMBER,
        "unapplaud": Role.MEMBER,
        "spotlight": Role.MANAGER,
        "adopt": Role.MEMBER,
    }

    def select(self, **filters):
        value = filters.pop("value", None)
        if self.action == "retrieve":  # one win: its adoptions come along
            return selectors.win_feed_with_adoptions(membership=self.membership, **filters)
        wins = selectors.win_feed(membership=self.membership, **filters)
        if value is not None:
            # win_feed has no value filter; a semi-join keeps one row per win.
            wins = wins.filter(Exists(Win.values.through.objects.filter(win=OuterRef("pk"), value=value)))
        return wins

    def _win(self):
        return access.access_win(membership=self.membership, win_id=self.kwargs["pk"])

    def retrieve(self, request, org_slug, pk):
        return self.respond(s.WinDetailSerializer, self.get_object())

    def list(self, request, org_slug):
        query = s.WinQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(self.select(**query.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, org_slug):
        win = services.win_create(actor=self.membership, **self.validated(s.WinCreateSerializer))
        return self.respond(s.WinSerializer, self.reload(win), status.HTTP_201_CREATED)

    @operation(
        "wins_applaud", "Applaud a colleague's win (once; not your own)", s.WinSerializer, status=201, request=None
    )
    def applaud(self, request, org_slug, pk):
        win = self._win()
        services.win_react(actor=self.membership, win=win)
        return self.respond(s.WinSerializer, self.reload(win), status.HTTP_201_CREATED)

    @operation("wins_unapplaud", "Withdraw your applause", DELETED, status=204)
    def unapplaud(self, request, org_slug, pk):
        services.win_unreact(actor=self.membership, win=self._win())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @operation(
        "wins_spotlight",
        "Hold a win up as what good looks like, saying why (its team's managers, or an admin)",
        s.WinSerializer,
        status=201,
        request=s.SpotlightRequestSerializer,
    )
    def spotlight(self, request, org_slug, pk):
        win = self._win()
        services.win_spotlight(actor=self.membership, win=win, **self.validated(s.SpotlightRequestSerializer))
        return self.respond(s.WinSerializer, self.reload(win), status.HTTP_201_CREATED)

    @operation(
        "wins_adopt",
        "Say your team adopted a spotlighted win's practice (people on or managing that team)",
        s.AdoptionSerializer,
        status=201,
        request=s.AdoptionRequestSerializer,
    )
    def adopt(self, request, org_slug, pk):
        win = self._win()  # before the body: another organisation's win is a 404 first
        adoption = services.win_adopt(actor=self.membership, win=win, **self.validated(s.AdoptionRequestSerializer))
        return self.respond(s.AdoptionSerializer, adoption, status.HTTP_201_CREATED)


@org_scoped_schema(tags=["wins"])
class ValuesInActionViewSet(OrgScopedViewSet):
    """One chart, not a collection: no pagination."""

    serializer_class = s.ValuesInActionSerializer
    queryset = Win.objects.all()
    filter_backends = []
    pagination_class = None
    action_roles = {"chart": Role.MEMBER}

    @operation(
        "values_in_action",
        "Wins per value per month (organisation time zone), for a stacked chart",
        s.ValuesInActionSerializer,
        parameters=[s.ValuesInActionQuerySerializer],
    )
    def chart(self, request, org_slug):
        query = s.ValuesInActionQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        chart = selectors.values_in_action(membership=self.membership, **query.validated_data)
        return self.respond(s.ValuesInActionSerializer, chart)
