"""Deterministic test data for daily work (wins, handoffs): sequences, never random values.

Factories write rows directly, for arranging a test; the behaviour under test goes
through the services. Related rows default to the same organisation as their parent.
"""

import factory
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganizationFactory
from customers.tests.factories import CustomerAccountFactory
from teams.tests.factories import TeamFactory
from work.models import Adoption, Handoff, HandoffEvent, Spotlight, Win, WinReaction


class WinFactory(factory.django.DjangoModelFactory):
    """A win; pass ``values=[…]`` and ``collaborators=[…]`` to tie them on."""

    class Meta:
        model = Win
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    author = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..organization"))
    team = factory.SubFactory(TeamFactory, organization=factory.SelfAttribute("..organization"))
    account = None
    title = factory.Sequence(lambda n: f"Win {n}")
    story = "The customer was delighted."
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def values(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.values.set(extracted)

    @factory.post_generation
    def collaborators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.collaborators.set(extracted)


class WinReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WinReaction

    win = factory.SubFactory(WinFactory)
    membership = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..win.organization"))


class SpotlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spotlight

    win = factory.SubFactory(WinFactory)
    by = None
    note = "This is what good looks like."


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    win = factory.SubFactory(WinFactory)
    team = factory.SubFactory(TeamFactory, organization=factory.SelfAttribute("..win.organization"))
    by = None


class HandoffFactory(factory.django.DjangoModelFactory):
    """An open handoff to a member; pass ``to_member=None, to_team=…`` for a team."""

    class Meta:
        model = Handoff

    organization = factory.SubFactory(OrganizationFactory)
    account = factory.SubFactory(CustomerAccountFactory, organization=factory.SelfAttribute("..organization"))
    subject = factory.Sequence(lambda n: f"Customer need {n}")
    sender = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..organization"))
    to_member = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..organization"))
    to_team = None
    receiving_team = factory.LazyAttribute(lambda handoff: handoff.to_team)
    status = Handoff.Status.OPEN
    created_at = factory.LazyFunction(timezone.now)
    sla_hours = 24


class HandoffEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoffEvent

    handoff = factory.SubFactory(HandoffFactory)
    from_status = ""
    to_status = Handoff.Status.OPEN
    by = factory.SelfAttribute("handoff.sender")
    created_at = factory.SelfAttribute("handoff.created_at")
