"""Reads for the pages and the API: bounded queries, whatever the data."""

from accounts.models import Membership
from customers.models import Contact, CustomerAccount, CustomerImport
from inbound.history import NPS_HISTORY
from inbound.models import InboundSource, UnmatchedResponse


def source_list(*, membership: Membership):
    return InboundSource.objects.visible_to(membership).select_related("created_by__user")


def unmatched_list(*, membership: Membership):
    return UnmatchedResponse.objects.visible_to(membership)


def assignable_accounts(*, membership: Membership):
    return CustomerAccount.objects.for_org(membership.organization_id).order_by("name", "pk")


def assignable_contacts(*, membership: Membership):
    contacts = Contact.objects.filter(account__organization_id=membership.organization_id)
    return contacts.select_related("account").order_by("account__name", "name", "pk")


def history_imports(*, membership: Membership):
    imports = CustomerImport.objects.of_kind(NPS_HISTORY).visible_to(membership)
    return imports.select_related("created_by__user")
