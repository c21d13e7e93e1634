"""Writes for people and tenants: each use case, its rules and what it leaves behind."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, Invitation, Membership, Organization, User, hash_token
from accounts.tests.factories import (
    TEST_PASSWORD,
    ApiTokenFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)
from teamhub.lib.tenancy import Role

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture
def sends():
    """Observes invitation e-mails handed to Celery (nothing reaches a broker)."""
    with mock.patch("accounts.tasks.send_invitation_email.apply_async") as apply_async:
        yield apply_async


def _invite(personas, email="new.person@example.com", role=Role.MEMBER):
    return services.invitation_create(actor=personas.admin, email=email, role=role)


# --- organization_create / organization_update -----------------------------------------


def test_organization_create_makes_the_creator_its_admin():
    user = UserFactory()

    org = services.organization_create(name="Initech Europe", creator=user)

    assert org.slug == "initech-europe"
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN


def test_organization_update_saves_the_admins_changes(personas):
    services.organization_update(
        actor=personas.admin,
        organization=personas.org,
        name="Acme Corp",
        anonymity_threshold=4,
        comment_threshold=9,
        weight_breadth=Decimal("0.20"),
    )

    org = Organization.objects.get(pk=personas.org.pk)
    assert (org.name, org.anonymity_threshold, org.comment_threshold) == ("Acme Corp", 4, 9)
    assert org.weight_breadth == Decimal("0.20")


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_organization_update_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=getattr(personas, persona), organization=personas.org, name="Hijacked")

    assert Organization.objects.get(pk=personas.org.pk).name == "Acme"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"anonymity_threshold": 2}, "anonymity_threshold"),
        ({"anonymity_threshold": 9, "comment_threshold": 8}, "comment_threshold"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"handoff_sla_hours": 0}, "handoff_sla_hours"),
        ({"weight_survey": Decimal("1.50")}, "weight_survey"),
        (
            {"weight_survey": 0, "weight_responsiveness": 0, "weight_follow_through": 0, "weight_breadth": 0},
            "weight_survey",
        ),
    ],
)
def test_organization_update_rejects_invalid_values_and_saves_nothing(personas, changes, field):
    before = Organization.objects.values().get(pk=personas.org.pk)

    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=personas.admin, organization=personas.org, name="Renamed", **changes)

    assert field in error.value.message_dict
    assert Organization.objects.values().get(pk=personas.org.pk) == before


def test_organization_update_rejects_unknown_settings(personas):
    with pytest.raises(ValidationError):
        services.organization_update(actor=personas.admin, organization=personas.org, slug="taken-over")

    assert Organization.objects.get(pk=personas.org.pk).slug == "acme"


# --- Memberships -------------------------------------------------------------------------


def test_membership_change_role_promotes_a_member(personas):
    services.membership_change_role(actor=personas.admin, membership=personas.member, role=Role.MANAGER)

    assert Membership.objects.get(pk=personas.member.pk).role == Role.MANAGER


def test_membership_change_role_rejects_an_unknown_role(personas):
    with pytest.raises(ValidationError) as error:
        services.membership_change_role(actor=personas.admin, membership=personas.member, role="owner")

    assert "role" in error.value.message_dict
    assert Membership.objects.get(pk=personas.member.pk).role == Role.MEMBER


def test_membership_change_role_refuses_to_demote_the_last_active_admin(personas):
    with pytest.raises(ValidationError) as error:
        services.membership_change_role(actor=personas.admin, membership=personas.admin, role=Role.MEMBER)

    assert "at least one active admin" in error.value.message_dict["role"][0]
    assert Membership.objects.get(pk=personas.admin.pk).role == Role.ADMIN


def test_membership_change_role_counts_only_active_admins_as_others(personas):
    MembershipFactory(organization=personas.org, role=Role.ADMIN, is_active=False)

    with pytest.raises(ValidationError):
        services.membership_change_role(actor=personas.admin, membership=personas.admin, role=Role.MANAGER)

    assert Membership.objects.get(pk=personas.admin.pk).role == Role.ADMIN


def test_membership_change_role_lets_an_admin_step_down_when_another_admin_remains(personas):
    services.membership_change_role(actor=personas.admin, membership=personas.manager, role=Role.ADMIN)

    services.membership_change_role(actor=personas.admin, membership=personas.admin, role=Role.MEMBER)

    assert Membership.objects.get(pk=personas.admin.pk).role == Role.MEMBER


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_membership_change_role_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=getattr(personas, persona), membership=personas.member, role=Role.ADMIN)

    assert Membership.objects.get(pk=personas.member.pk).role == Role.MEMBER


def test_membership_set_active_deactivates_and_reactivates_a_member(personas):
    services.membership_set_active(actor=personas.admin, membership=personas.member, active=False)
    assert Membership.objects.get(pk=personas.member.pk).is_active is False

    services.membership_set_active(actor=personas.admin, membership=personas.member, active=True)
    assert Membership.objects.get(pk=personas.member.pk).is_active is True


def test_membership_set_active_refuses_to_deactivate_oneself(personas):
    services.membership_change_role(actor=personas.admin, membership=personas.manager, role=Role.ADMIN)

    with pytest.raises(ValidationError) as error:
        services.membership_set_active(actor=personas.admin, membership=personas.admin, active=False)

    assert "yourself" in error.value.message_dict["is_active"][0]
    assert Membership.objects.get(pk=personas.admin.pk).is_active is True


def test_membership_set_active_refuses_to_deactivate_the_last_active_admin(personas):
    other_admin = MembershipFactory(organization=personas.org, role=Role.ADMIN)
    services.membership_set_active(actor=other_admin, membership=personas.admin, active=False)
    # ``other_admin`` is now the only active admin; a stale admin may not remove them.
    stale_admin = Membership.objects.get(pk=personas.admin.pk)
    stale_admin.is_active = True

    with pytest.raises(ValidationError) as error:
        services.membership_set_active(actor=stale_admin, membership=other_admin, active=False)

    assert "at least one active admin" in error.value.message_dict["is_active"][0]
    assert Membership.objects.get(pk=other_admin.pk).is_active is True


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_membership_set_active_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.membership_set_active(actor=getattr(personas, persona), membership=personas.admin, active=False)

    assert Membership.objects.get(pk=personas.admin.pk).is_active is True


# --- invitation_create -------------------------------------------------------------------------


def test_invitation_create_stores_the_token_digest_not_the_token(personas, sends):
    invitation, raw = services.invitation_create(actor=personas.admin, email="  Dana@Example.com ", role=Role.MANAGER)

    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(raw)
    assert raw not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=raw).exists()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "dana@example.com",
        Role.MANAGER,
        personas.admin.user,
    )
    assert invitation.status == Invitation.Status.PENDING


def test_invitation_create_expires_after_the_configured_days(personas, sends, settings):
    settings.INVITATION_TTL_DAYS = 3
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False):
        invitation, _ = services.invitation_create(actor=personas.admin, email="dana@example.com")

        assert invitation.expires_at == timezone.now() + timedelta(days=3)


def test_invitation_create_replaces_the_open_invitation_of_the_same_address(personas, sends):
    first, first_raw = services.invitation_create(actor=personas.admin, email="dana@example.com")

    second, second_raw = services.invitation_create(actor=personas.admin, email="DANA@example.com")

    first.refresh_from_db()
    assert first.status == Invitation.Status.REVOKED
    assert second.status == Invitation.Status.PENDING
    assert services.invitation_for_token(first_raw) is None
    assert services.invitation_for_token(second_raw) == second


def test_invitation_create_refuses_an_existing_member(personas, sends):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(actor=personas.admin, email="Charlie@Example.com")

    assert "already a member" in error.value.message_dict["email"][0]
    assert not Invitation.objects.exists()


def test_invitation_create_allows_inviting_back_a_deactivated_member(personas, sends):
    services.membership_set_active(actor=personas.admin, membership=personas.member, active=False)

    invitation, _ = services.invitation_create(actor=personas.admin, email="charlie@example.com")

    assert invitation.status == Invitation.Status.PENDING


def test_invitation_create_does_not_count_members_of_other_organisations(personas, sends):
    invitation, _ = services.invitation_create(actor=personas.admin, email="olivia@example.com")

    assert invitation.organization == personas.org


@pytest.mark.parametrize(
    ("email", "role", "field"), [("not-an-address", Role.MEMBER, "email"), ("x@example.com", "owner", "role")]
)
def test_invitation_create_rejects_bad_input_and_saves_nothing(personas, sends, email, role, field):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(actor=personas.admin, email=email, role=role)

    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_invitation_create_is_refused_to_non_admins(personas, sends, persona):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=getattr(personas, persona), email="dana@example.com")

    assert not Invitation.objects.exists()


def test_invitation_create_enqueues_the_email_only_when_the_transaction_commits(
    personas, sends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, _raw = services.invitation_create(actor=personas.admin, email="dana@example.com")
        sends.assert_not_called()

    assert len(callbacks) == 1
    sends.assert_called_once_with(args=(invitation.pk,), kwargs={})


def test_invitation_create_enqueues_nothing_when_the_transaction_rolls_back(
    personas, sends, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invitation_create(actor=personas.admin, email="dana@example.com")
        raise RuntimeError("the surrounding work failed")

    assert callbacks == []
    sends.assert_not_called()
    assert not Invitation.objects.exists()


def test_invitation_create_survives_a_broker_outage(personas, sends, django_capture_on_commit_callbacks):
    sends.side_effect = ConnectionError("broker down")

    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = services.invitation_create(actor=personas.admin, email="dana@example.com")

    sends.assert_called_once()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


# --- invitation_revoke ------------------------------------------------------------------------


def test_invitation_revoke_makes_the_link_invalid(personas, sends):
    invitation, raw = _invite(personas)

    services.invitation_revoke(actor=personas.admin, invitation=invitation)

    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED
    assert services.invitation_for_token(raw) is None


def test_invitation_revoke_refuses_an_invitation_that_is_not_pending(personas):
    invitation = InvitationFactory(organization=personas.org, accepted_at=timezone.now())

    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=personas.admin, invitation=invitation)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_invitation_revoke_is_refused_to_a_manager(personas):
    invitation = InvitationFactory(organization=personas.org)

    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=personas.manager, invitation=invitation)

    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


# --- invitation_accept --------------------------------------------------------------------------


def test_invitation_accept_creates_the_user_with_name_and_password(personas, sends):
    invitation, raw = _invite(personas, email="dana@example.com", role=Role.MANAGER)

    membership = services.invitation_accept(raw_token=raw, full_name="  Dana Scully ", password=GOOD_PASSWORD)

    user = User.objects.get(email="dana@example.com")
    assert user.full_name == "Dana Scully"
    assert user.check_password(GOOD_PASSWORD)
    assert (membership.user, membership.organization, membership.role) == (user, personas.org, Role.MANAGER)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user


@pytest.mark.parametrize("password", ["short", "password1234", "1234567890123", "dana@example.com"])
def test_invitation_accept_refuses_a_weak_password_and_saves_nothing(personas, sends, password):
    invitation, raw = _invite(personas, email="dana@example.com")

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(raw_token=raw, full_name="Dana", password=password)

    assert "password" in error.value.message_dict
    assert not User.objects.filter(email="dana@example.com").exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_invitation_accept_requires_a_name(personas, sends):
    invitation, raw = _invite(personas, email="dana@example.com")

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(raw_token=raw, full_name="   ", password=GOOD_PASSWORD)

    assert "full_name" in error.value.message_dict
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted", "unknown"])
def test_invitation_accept_refuses_a_link_that_is_not_pending(personas, state):
    now = timezone.now()
    overrides = {
        "expired": {"expires_at": now - timedelta(seconds=1)},
        "revoked": {"revoked_at": now},
        "accepted": {"accepted_at": now},
        "unknown": {},
    }[state]
    InvitationFactory(organization=personas.org, email="dana@example.com", raw_token="inv_the-link", **overrides)
    raw = "inv_some-other-link" if state == "unknown" else "inv_the-link"

    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(raw_token=raw, full_name="Dana", password=GOOD_PASSWORD)

    assert not User.objects.filter(email="dana@example.com").exists()


def test_invitation_accept_is_single_use(personas, sends):
    _, raw = _invite(personas, email="dana@example.com")
    services.invitation_accept(raw_token=raw, full_name="Dana", password=GOOD_PASSWORD)

    with pytest.raises(ValidationError):
        services.invitation_accept(raw_token=raw, full_name="Mallory", password=GOOD_PASSWORD)

    assert User.objects.get(email="dana@example.com").full_name == "Dana"


def test_invitation_accept_for_an_existing_account_requires_logging_in(personas, sends):
    existing = UserFactory(email="dana@example.com")
    invitation, raw = _invite(personas, email="dana@example.com")

    with pytest.raises(ValidationError, match="log in"):
        services.invitation_accept(raw_token=raw, full_name="Mallory", password=GOOD_PASSWORD)

    existing.refresh_from_db()
    assert existing.check_password(TEST_PASSWORD)
    assert existing.full_name != "Mallory"
    assert not Membership.objects.filter(user=existing).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_invitation_accept_by_the_logged_in_invitee_adds_the_membership(personas, sends):
    existing = UserFactory(email="dana@example.com")
    _, raw = _invite(personas, email="Dana@Example.com")

    membership = services.invitation_accept(raw_token=raw, user=existing)

    assert (membership.user, membership.organization, membership.role) == (existing, personas.org, Role.MEMBER)


def test_invitation_accept_refuses_a_logged_in_user_with_another_address(personas, sends):
    invitation, raw = _invite(personas, email="dana@example.com")

    with pytest.raises(ValidationError, match=r"dana@example\.com"):
        services.invitation_accept(raw_token=raw, user=personas.outsider.user)

    assert not Membership.objects.filter(user=personas.outsider.user, organization=personas.org).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_invitation_accept_brings_back_a_deactivated_member_with_the_invited_role(personas, sends):
    services.membership_set_active(actor=personas.admin, membership=personas.member, active=False)
    _, raw = _invite(personas, email="charlie@example.com", role=Role.MANAGER)

    services.invitation_accept(raw_token=raw, user=personas.member.user)

    membership = Membership.objects.get(pk=personas.member.pk)
    assert (membership.is_active, membership.role) == (True, Role.MANAGER)


def test_invitation_accept_leaves_an_active_members_role_alone(personas):
    # An invitation that predates the person joining some other way must not demote them.
    InvitationFactory(organization=personas.org, email="alice@example.com", raw_token="inv_old", role=Role.MEMBER)

    services.invitation_accept(raw_token="inv_old", user=personas.admin.user)

    assert Membership.objects.get(pk=personas.admin.pk).role == Role.ADMIN


# --- API tokens -------------------------------------------------------------------------------------


def test_api_token_create_stores_only_the_digest_and_a_prefix(personas):
    token, raw = services.api_token_create(user=personas.member.user, name="  CRM sync ")

    token.refresh_from_db()
    assert raw.startswith("th_")
    assert token.name == "CRM sync"
    assert token.token_hash == hash_token(raw)
    assert token.prefix == raw[:10]
    assert len(raw) > 30
    assert token.is_active


@pytest.mark.parametrize(("name", "message"), [("   ", "name"), ("x" * 81, "80")])
def test_api_token_create_rejects_a_blank_or_long_name(personas, name, message):
    with pytest.raises(ValidationError) as error:
        services.api_token_create(user=personas.member.user, name=name)

    assert message in str(error.value.message_dict)
    assert not ApiToken.objects.exists()


def test_api_token_revoke_sets_revoked_at_once(personas):
    token = ApiTokenFactory(user=personas.member.user)
    with time_machine.travel("2026-06-01 09:00:00+00:00", tick=False):
        services.api_token_revoke(user=personas.member.user, token=token)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at

    services.api_token_revoke(user=personas.member.user, token=token)

    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_api_token_revoke_refuses_someone_elses_token(personas):
    token = ApiTokenFactory(user=personas.admin.user)

    with pytest.raises(ValidationError):
        services.api_token_revoke(user=personas.member.user, token=token)

    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_invitation_mark_sent_is_true_only_the_first_time(personas):
    invitation = InvitationFactory(organization=personas.org)

    assert services.invitation_mark_sent(invitation_id=invitation.pk) is True
    assert services.invitation_mark_sent(invitation_id=invitation.pk) is False


# --- Sessions ---------------------------------------------------------------------------------------


def test_session_clear_expired_deletes_only_expired_sessions():
    from django.contrib.sessions.models import Session

    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(seconds=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(hours=1))

    assert services.session_clear_expired() == 1
    assert services.session_clear_expired() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
