"""Handoffs through the API: send, list by box, follow the lifecycle, and whom to ask.

A handoff is visible to its sender, to whom it was handed (the person, or the people
on or managing the team), to whoever accepted it, to the people on or managing the
team that owns its customer, and to admins. To anyone else in the organisation its id
is not found (404), as another organisation's is. Among
those who see it, the service decides who may move it: a refusal is 403, a move its
status does not allow is 400 with the reason on ``status``.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.models import Membership
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from work import access, selectors, services
from work.api import serializers as s
from work.models import Handoff, HandoffEvent

VISIBILITY = (
    "Visible to its sender, the person or team (its members and managers) it was handed to, "
    "whoever accepted it, the team that owns its customer, and admins; anyone else gets 404."
)


def _move_schema(move: str, summary: str, request=None):
    return operation(
        f"handoffs_{move}",
        summary,
        s.HandoffDetailSerializer,
        request=request,
        description=f"{VISIBILITY} A move the status does not allow answers 400 (on `status`).",
    )


@org_scoped_schema(tags=["handoffs"])
@extend_schema_view(
    list=operation(
        "handoffs_list",
        "Handoffs you sent, received, or your teams received, newest first",
        s.HandoffSerializer(many=True),
        description=VISIBILITY + " Admins see all of the organisation's without a box.",
        parameters=[s.HandoffQuerySerializer],
    ),
    create=operation(
        "handoffs_create",
        "Hand a customer need to one colleague or to one team",
        s.HandoffDetailSerializer,
        status=201,
        request=s.HandoffCreateSerializer,
    ),
    retrieve=operation(
        "handoffs_retrieve",
        "A handoff with its history, time to accept and whether it breached the SLA",
        s.HandoffDetailSerializer,
        description=VISIBILITY,
    ),
)
class HandoffViewSet(mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = s.HandoffDetailSerializer
    queryset = Handoff.objects.all()
    filter_backends = []
    action_roles = {
        "list": Role.MEMBER,
        "create": Role.MEMBER,
        "retrieve": Role.MEMBER,
        "accept": Role.MEMBER,
        "decline": Role.MEMBER,
        "complete": Role.MEMBER,
        "return_": Role.MEMBER,
        "cancel": Role.MEMBER,
    }

    def select(self):
        handoffs = Handoff.objects.visible_to(self.membership).select_related(
            "account", "sender__user", "sender_team", "to_member__user", "to_team", "accepted_by__user"
        )
        if self.action == "list":
            return handoffs
        return handoffs.prefetch_related(
            Prefetch("events", queryset=HandoffEvent.objects.select_related("by__user").order_by("created_at", "pk"))
        )

    def list(self, request, org_slug):
        query = s.HandoffQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        handoffs = self.select()
        if box := query.validated_data.get("box"):
            # The page's inbox box, exactly: the same handoffs in the API and the browser.
            handoffs = handoffs.filter(pk__in=selectors.inbox_box(membership=self.membership, box=box).values("pk"))
        if state := query.validated_data.get("status"):
            handoffs = handoffs.filter(status=state)
        if account := query.validated_data.get("account"):
            handoffs = handoffs.filter(account=account)
        page = self.paginate_queryset(handoffs.order_by("-created_at", "-pk"))
        return self.get_paginated_response(s.HandoffSerializer(page, many=True).data)

    def create(self, request, org_slug):
        handoff = services.handoff_create(actor=self.membership, **self.validated(s.HandoffCreateSerializer))
        return self.respond(s.HandoffDetailSerializer, self.reload(handoff), status.HTTP_201_CREATED)

    def _moved(self, service, body=None):
        # Before the body: an unseen handoff is a 404 whatever is sent.
        handoff = access.access_handoff(membership=self.membership, handoff_id=self.kwargs["pk"])
        kwargs = self.validated(body) if body else {}
        handoff = service(actor=self.membership, handoff=handoff, **kwargs)
        return self.respond(s.HandoffDetailSerializer, self.reload(handoff))

    @_move_schema("accept", "Take it on (the person it was handed to, or anyone on or managing the team)")
    def accept(self, request, org_slug, pk):
        return self._moved(services.handoff_accept)

    @_move_schema("decline", "Decline it, saying why (whom it was handed to)", s.ReasonSerializer)
    def decline(self, request, org_slug, pk):
        return self._moved(services.handoff_decline, s.ReasonSerializer)

    @_move_schema("complete", "Mark it done (whoever accepted it)")
    def complete(self, request, org_slug, pk):
        return self._moved(services.handoff_complete)

    @_move_schema("return", "Give it back, saying why (whoever accepted it)", s.ReasonSerializer)
    def return_(self, request, org_slug, pk):
        return self._moved(services.handoff_return, s.ReasonSerializer)

    @_move_schema("cancel", "Withdraw it while open or accepted (its sender)")
    def cancel(self, request, org_slug, pk):
        return self._moved(services.handoff_cancel)


@org_scoped_schema(tags=["handoffs"])
@extend_schema_view(
    list=operation(
        "handoff_suggestions",
        "Whom to hand a customer need to, best first (at most five), each with the reasons",
        s.SuggestionSerializer(many=True),
        parameters=[s.SuggestionQuerySerializer],
    ),
)
class HandoffSuggestionViewSet(OrgScopedViewSet):
    serializer_class = s.SuggestionSerializer
    queryset = Membership.objects.all()
    filter_backends = []
    pagination_class = None
    action_roles = {"list": Role.MEMBER}

    def list(self, request, org_slug):
        query = s.SuggestionQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        suggestions = selectors.suggest_recipients(membership=self.membership, **query.validated_data)
        return Response(s.SuggestionSerializer(suggestions, many=True).data)
