"""Deterministic test data: sequences, never random values."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import ApiToken, Invitation, Membership, Organization, User, hash_token, invitation_link_token
from teamhub.lib.tenancy import Role

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ["raw_token"]

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER
    token_nonce = factory.Sequence(lambda n: f"nonce-{n}")
    # The link as the e-mail job derives it; pass raw_token to choose it in a test.
    raw_token = factory.LazyAttribute(lambda o: invitation_link_token(o.token_nonce))
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.raw_token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken
        exclude = ["raw_token"]

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Token {n}")
    raw_token = factory.Sequence(lambda n: f"th_test-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.raw_token))
    prefix = factory.LazyAttribute(lambda o: o.raw_token[:10])
