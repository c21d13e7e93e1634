"""Invariants the database keeps even when application code forgets them."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, User
from accounts.tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _violates_db_constraint(func) -> bool:
    """Whether ``func`` fails in the database (inside a savepoint so the test goes on)."""
    try:
        with transaction.atomic():
            func()
    except IntegrityError:
        return True
    return False


def test_org_anonymity_threshold_below_three_is_refused_by_the_database():
    org = OrganizationFactory(anonymity_threshold=3, comment_threshold=3)

    assert _violates_db_constraint(lambda: Organization.objects.filter(pk=org.pk).update(anonymity_threshold=2))
    org.refresh_from_db()
    assert org.anonymity_threshold == 3


def test_org_anonymity_threshold_below_three_fails_validation():
    org = OrganizationFactory.build(anonymity_threshold=2, comment_threshold=8)

    with pytest.raises(ValidationError) as error:
        org.full_clean()

    assert "anonymity_threshold" in error.value.message_dict


def test_org_comment_threshold_below_anonymity_threshold_is_refused_by_the_database():
    org = OrganizationFactory(anonymity_threshold=5, comment_threshold=8)

    assert _violates_db_constraint(lambda: Organization.objects.filter(pk=org.pk).update(comment_threshold=4))
    assert Organization.objects.get(pk=org.pk).comment_threshold == 8


def test_org_comment_threshold_below_anonymity_threshold_fails_validation_on_the_field():
    org = OrganizationFactory.build(anonymity_threshold=6, comment_threshold=5)

    with pytest.raises(ValidationError) as error:
        org.full_clean()

    assert "comment_threshold" in error.value.message_dict


def test_org_comment_threshold_equal_to_anonymity_threshold_is_allowed():
    org = OrganizationFactory(anonymity_threshold=6, comment_threshold=6)

    org.full_clean()
    assert Organization.objects.filter(pk=org.pk, comment_threshold=6).exists()


def test_org_with_all_collaboration_weights_zero_fails_validation():
    org = OrganizationFactory.build(weight_survey=0, weight_responsiveness=0, weight_follow_through=0, weight_breadth=0)

    with pytest.raises(ValidationError) as error:
        org.full_clean()

    assert "weight_survey" in error.value.message_dict


def test_org_unknown_timezone_fails_validation():
    org = OrganizationFactory.build(timezone="Mars/Olympus_Mons")

    with pytest.raises(ValidationError) as error:
        org.full_clean()

    assert "timezone" in error.value.message_dict


def test_membership_is_unique_per_user_and_organisation():
    membership = MembershipFactory()

    assert _violates_db_constraint(
        lambda: Membership.objects.create(user=membership.user, organization=membership.organization)
    )
    assert Membership.objects.filter(user=membership.user).count() == 1


def test_same_user_may_belong_to_two_organisations():
    membership = MembershipFactory()

    MembershipFactory(user=membership.user)

    assert Membership.objects.filter(user=membership.user).count() == 2


def test_only_one_open_invitation_per_email_and_organisation_case_insensitively():
    invitation = InvitationFactory(email="dana@example.com")

    assert _violates_db_constraint(
        lambda: InvitationFactory(organization=invitation.organization, email="DANA@example.com")
    )
    assert Invitation.objects.filter(organization=invitation.organization).count() == 1


def test_a_new_invitation_is_allowed_once_the_open_one_is_revoked_or_accepted():
    revoked = InvitationFactory(email="dana@example.com", revoked_at=timezone.now())
    InvitationFactory(organization=revoked.organization, email="dana@example.com", accepted_at=timezone.now())

    InvitationFactory(organization=revoked.organization, email="dana@example.com")

    assert Invitation.objects.filter(organization=revoked.organization).count() == 3


def test_the_same_address_may_have_open_invitations_in_two_organisations():
    InvitationFactory(email="dana@example.com")
    InvitationFactory(email="dana@example.com")

    assert Invitation.objects.filter(email="dana@example.com").count() == 2


def test_user_email_is_unique_case_insensitively_in_the_database():
    UserFactory(email="erin@example.com")

    assert _violates_db_constraint(lambda: User.objects.create(email="Erin@Example.com"))
    assert User.objects.filter(email__iexact="erin@example.com").count() == 1


def test_create_user_stores_the_email_lowercased():
    user = User.objects.create_user("Frank.Smith@Example.COM", "a-long-passphrase")

    assert user.email == "frank.smith@example.com"
    assert User.objects.get_by_natural_key("FRANK.smith@example.com") == user


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Invitation.Status.PENDING),
        ({"accepted_at": "now"}, Invitation.Status.ACCEPTED),
        ({"revoked_at": "now"}, Invitation.Status.REVOKED),
    ],
)
def test_invitation_status_reflects_its_timestamps(changes, expected):
    values = {field: timezone.now() for field in changes}
    invitation = InvitationFactory.build(**values)

    assert invitation.status == expected
    assert invitation.get_status_display() == expected.label


def test_invitation_status_becomes_expired_at_its_expiry_time():
    with time_machine.travel("2026-03-01 12:00:00+00:00", tick=False) as traveller:
        invitation = InvitationFactory.build(expires_at=timezone.now() + timedelta(days=14))
        assert invitation.status == Invitation.Status.PENDING

        traveller.shift(timedelta(days=14))

        assert invitation.status == Invitation.Status.EXPIRED


def test_accepted_invitation_stays_accepted_after_it_would_have_expired():
    with time_machine.travel("2026-03-01 12:00:00+00:00", tick=False) as traveller:
        invitation = InvitationFactory.build(expires_at=timezone.now() + timedelta(days=1), accepted_at=timezone.now())
        traveller.shift(timedelta(days=30))

        assert invitation.status == Invitation.Status.ACCEPTED
