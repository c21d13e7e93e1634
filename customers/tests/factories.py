"""Deterministic test data for customers/: sequences, never random values.

Factories write rows directly, for arranging a test; the behaviour under test goes
through the services. Related rows default to the same organisation as their parent.
"""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganizationFactory
from customers.models import Contact, CustomerAccount, CustomerImport, FollowUp, OwnershipChange
from teams.tests.factories import TeamFactory


class CustomerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAccount

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    external_ref = factory.Sequence(lambda n: f"CRM-{n}")
    segment = "Gold"
    status = CustomerAccount.Status.ACTIVE
    owning_team = factory.SubFactory(TeamFactory, organization=factory.SelfAttribute("..organization"))


class OwnershipChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnershipChange

    account = factory.SubFactory(CustomerAccountFactory)
    from_team = factory.SubFactory(TeamFactory, organization=factory.SelfAttribute("..account.organization"))
    to_team = factory.LazyAttribute(lambda o: o.account.owning_team)
    reason = "They buy mostly from the north now."
    changed_by = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..account.organization"))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(CustomerAccountFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example")
    title = "Buyer"
    preferences = "Mornings, by e-mail."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    account = factory.SubFactory(CustomerAccountFactory)
    summary = factory.Sequence(lambda n: f"Customer need {n}")
    team = factory.LazyAttribute(lambda o: o.account.owning_team)
    created_at = factory.LazyFunction(timezone.now)
    status = FollowUp.Status.OPEN
    created_by = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..account.organization"))


class CustomerImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerImport

    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..organization"))
    filename = "crm.csv"
    file = factory.LazyFunction(lambda: ContentFile(b"Account,External ID,Team\nNew Co,N-1,Support\n", name="crm.csv"))
    headers = factory.LazyFunction(lambda: ["Account", "External ID", "Team"])
