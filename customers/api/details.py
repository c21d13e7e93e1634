"""An account's details: its contacts and follow-ups, for the people who work on it.

Under an account (``accounts/{account_pk}/contacts/``) an account of the organisation
that the requester does not work on answers 403: they may see that it exists and who
owns it. A contact or follow-up addressed by its own id exists only for those who work
on its account: anyone else gets 404 (their ``visible_to``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from customers import access, selectors, services
from customers.api import serializers as s
from customers.models import Contact, FollowUp
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import NestedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role

DELETED = OpenApiResponse(description="Deleted.")
# The services decide who may write (customers.access): the people who work on the account.
EVERYONE = {
    "list": Role.MEMBER,
    "create": Role.MEMBER,
    "retrieve": Role.MEMBER,
    "partial_update": Role.MEMBER,
    "destroy": Role.MEMBER,
    "reviewed": Role.MEMBER,
    "set_status": Role.MEMBER,
}


class AccountDetailViewSet(NestedViewSet):
    filter_backends = []
    parent_kwarg = "account_pk"
    action_roles = EVERYONE

    def get_parent(self):
        return access.access_account(membership=self.membership, account_id=self.kwargs["account_pk"], full=True)


@org_scoped_schema(tags=["customer contacts"])
@extend_schema_view(
    list=operation(
        "customer_contacts_list",
        "The account's contacts and what the team remembers about them",
        s.ContactSerializer(many=True),
    ),
    create=operation(
        "customer_contacts_create",
        "Add a contact to the account",
        s.ContactSerializer,
        status=201,
        request=s.ContactSerializer,
    ),
    retrieve=operation("customer_contacts_retrieve", "A contact", s.ContactSerializer),
    partial_update=operation(
        "customer_contacts_update",
        "Change a contact; changing preferences or personal notes marks them reviewed",
        s.ContactSerializer,
        request=s.ContactSerializer,
    ),
    destroy=operation("customer_contacts_delete", "Remove a contact", DELETED, status=204),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AccountDetailViewSet):
    serializer_class = s.ContactSerializer
    queryset = Contact.objects.all()

    def select(self):
        if self.parent is not None:
            return selectors.account_contacts(account=self.parent)
        return Contact.objects.visible_to(self.membership).select_related("account__owning_team")

    def get_object(self):
        return access.access_contact(membership=self.membership, contact_id=self.kwargs["pk"])

    def create(self, request, org_slug, account_pk):
        data = self.validated(s.ContactSerializer)
        contact = services.contact_create(actor=self.membership, account=self.parent, **data)
        return self.respond(s.ContactSerializer, contact, status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        contact = self.get_object()
        data = self.validated(s.ContactSerializer, instance=contact, partial=True)
        return self.respond(
            s.ContactSerializer, services.contact_update(actor=self.membership, contact=contact, **data)
        )

    def destroy(self, request, org_slug, pk):
        services.contact_delete(actor=self.membership, contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @operation(
        "customer_contacts_mark_reviewed",
        "Say the notes about this contact were read and are still right",
        s.ContactSerializer,
        request=None,
    )
    def reviewed(self, request, org_slug, pk):
        contact = services.contact_mark_reviewed(actor=self.membership, contact=self.get_object())
        return self.respond(s.ContactSerializer, contact)


@org_scoped_schema(tags=["follow-ups"])
@extend_schema_view(
    list=operation(
        "follow_ups_list",
        "The account's follow-ups: open ones first (soonest due first), then closed, newest first",
        s.FollowUpSerializer(many=True),
    ),
    create=operation(
        "follow_ups_create",
        "Open a follow-up for a customer need; its owner defaults to you",
        s.FollowUpSerializer,
        status=201,
        request=s.FollowUpWriteSerializer,
    ),
    retrieve=operation("follow_ups_retrieve", "A follow-up with its turnaround timestamps", s.FollowUpSerializer),
    partial_update=operation(
        "follow_ups_update",
        "Change summary, contact, owner, due date or outcome",
        s.FollowUpSerializer,
        request=s.FollowUpUpdateSerializer,
    ),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AccountDetailViewSet):
    serializer_class = s.FollowUpSerializer
    queryset = FollowUp.objects.all()

    def select(self):
        if self.parent is not None:
            return selectors.account_follow_ups(account=self.parent)
        return FollowUp.objects.visible_to(self.membership).select_related("account__owning_team", "contact")

    def get_object(self):
        return access.access_follow_up(membership=self.membership, follow_up_id=self.kwargs["pk"])

    def create(self, request, org_slug, account_pk):
        data = self.validated(s.FollowUpWriteSerializer)
        follow_up = services.follow_up_create(actor=self.membership, account=self.parent, **data)
        return self.respond(s.FollowUpSerializer, self.get_fresh(follow_up), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        follow_up = self.get_object()
        data = self.validated(s.FollowUpUpdateSerializer, instance=follow_up, partial=True)
        services.follow_up_update(actor=self.membership, follow_up=follow_up, **data)
        return self.respond(s.FollowUpSerializer, self.get_fresh(follow_up))

    @operation(
        "follow_ups_set_status",
        "Move a follow-up along (open, in progress, done, cancelled), stamping response and resolution",
        s.FollowUpSerializer,
        request=s.FollowUpStatusSerializer,
    )
    def set_status(self, request, org_slug, pk):
        follow_up = self.get_object()
        data = self.validated(s.FollowUpStatusSerializer)
        follow_up = services.follow_up_set_status(actor=self.membership, follow_up=follow_up, **data)
        return self.respond(s.FollowUpSerializer, self.get_fresh(follow_up))

    def get_fresh(self, follow_up):
        return access.access_follow_up(membership=self.membership, follow_up_id=follow_up.pk)
