"""Reads for people and tenants: who sees what, and at what cost."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import selectors
from accounts.tests.factories import ApiTokenFactory, InvitationFactory, MembershipFactory
from teamhub.lib.tenancy import Role

pytestmark = pytest.mark.django_db


def test_membership_list_shows_an_admin_everyone_in_their_organisation_including_deactivated(personas):
    gone = MembershipFactory(organization=personas.org, is_active=False)

    listed = list(selectors.membership_list(membership=personas.admin))

    assert set(listed) == {personas.admin, personas.manager, personas.member, gone}


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_membership_list_hides_deactivated_people_from_non_admins(personas, persona):
    gone = MembershipFactory(organization=personas.org, is_active=False)

    listed = list(selectors.membership_list(membership=getattr(personas, persona)))

    assert gone not in listed
    assert set(listed) == {personas.admin, personas.manager, personas.member}


@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
def test_membership_list_never_includes_another_organisation(personas, persona):
    listed = list(selectors.membership_list(membership=getattr(personas, persona)))

    assert personas.outsider not in listed
    assert {m.organization_id for m in listed} == {personas.org.pk}


def test_membership_list_is_ordered_by_name(personas):
    assert [m.user.full_name for m in selectors.membership_list(membership=personas.member)] == [
        "Alice Admin",
        "Bob Manager",
        "Charlie Member",
    ]


def test_invitation_list_shows_admins_their_organisations_invitations_only(personas):
    ours = InvitationFactory(organization=personas.org)
    InvitationFactory(organization=personas.other_org)

    assert list(selectors.invitation_list(membership=personas.admin)) == [ours]


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_invitation_list_is_empty_for_non_admins(personas, persona):
    InvitationFactory(organization=personas.org)

    assert list(selectors.invitation_list(membership=getattr(personas, persona))) == []


def test_organization_list_for_user_lists_only_active_memberships(personas):
    MembershipFactory(user=personas.member.user, organization=personas.other_org, is_active=False)

    assert list(selectors.organization_list_for_user(user=personas.member.user)) == [personas.org]


def test_api_token_list_shows_only_the_users_tokens_active_first_then_newest(personas):
    with time_machine.travel("2026-02-01 10:00:00+00:00", tick=False) as traveller:
        revoked_long_ago = ApiTokenFactory(user=personas.member.user, revoked_at=timezone.now())
        traveller.shift(timedelta(days=1))
        older_active = ApiTokenFactory(user=personas.member.user)
        traveller.shift(timedelta(days=1))
        revoked_recently = ApiTokenFactory(user=personas.member.user, revoked_at=timezone.now())
        traveller.shift(timedelta(days=1))
        newer_active = ApiTokenFactory(user=personas.member.user)
    ApiTokenFactory(user=personas.admin.user)

    assert list(selectors.api_token_list(user=personas.member.user)) == [
        newer_active,
        older_active,
        revoked_recently,
        revoked_long_ago,
    ]


def test_role_counts_counts_active_people_per_role(personas):
    MembershipFactory(organization=personas.org, role=Role.MEMBER, is_active=False)
    MembershipFactory(organization=personas.org, role=Role.MANAGER)

    counts = selectors.role_counts(membership=personas.member)

    assert counts == {"total": 4, "admin": 1, "manager": 2, "member": 1}


def _role_counts_queries(membership) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.role_counts(membership=membership)
    return len(captured)


def test_role_counts_takes_one_query_however_many_members(personas):
    org = personas.other_org
    assert _role_counts_queries(personas.outsider) == 1

    MembershipFactory.create_batch(29, organization=org)

    assert _role_counts_queries(personas.outsider) == 1
    assert selectors.role_counts(membership=personas.outsider)["total"] == 30


def test_membership_list_with_users_takes_one_query_for_one_or_many_rows(personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len([m.user.email for m in selectors.membership_list(membership=personas.outsider)]) == 1

    MembershipFactory.create_batch(29, organization=personas.other_org)

    with django_assert_num_queries(1):
        assert len([m.user.email for m in selectors.membership_list(membership=personas.outsider)]) == 30
