"""Pages for people and tenants, driven through the test client as each persona."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, Invitation, Membership, Organization, User, hash_token
from accounts.tests.factories import TEST_PASSWORD, ApiTokenFactory, InvitationFactory, MembershipFactory
from teamhub.lib.tenancy import SESSION_ORG_KEY, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
LOGIN_ERROR = "That e-mail address and password do not match an active account."


def _log_in(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Login and logout --------------------------------------------------------------------


def test_login_page_renders_for_anonymous_visitors(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_login_with_email_in_any_case_logs_in_and_lands_on_home(client, personas):
    response = _log_in(client, "ALICE@Example.COM", TEST_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _logged_in_user_id(client) == str(personas.admin.user.pk)


def test_login_follows_a_safe_next_url(client, personas):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice@example.com", "password": TEST_PASSWORD, "next": reverse("accounts:members")},
    )

    assert response.url == reverse("accounts:members")


def test_login_error_does_not_reveal_whether_the_address_exists(client, personas):
    wrong_password = _log_in(client, "alice@example.com", "not-the-password")
    unknown_address = _log_in(client, "nobody@example.com", "not-the-password")

    for response in (wrong_password, unknown_address):
        assert response.status_code == 200
        assert response.context["form"].errors == {"__all__": [LOGIN_ERROR]}
        assert _logged_in_user_id(client) is None


def test_login_refuses_a_deactivated_user_with_the_same_message(client, personas):
    User.objects.filter(pk=personas.member.user.pk).update(is_active=False)

    response = _log_in(client, "charlie@example.com", TEST_PASSWORD)

    assert response.context["form"].errors == {"__all__": [LOGIN_ERROR]}
    assert _logged_in_user_id(client) is None


def test_login_locks_the_account_after_the_failure_limit_even_from_different_addresses(client, personas):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Varying case must not give an attacker a fresh count per spelling.
        email = "alice@example.com" if attempt % 2 else "Alice@Example.com"
        _log_in(client, email, f"guess-{attempt}", ip=f"10.0.1.{attempt}")

    response = _log_in(client, "alice@example.com", TEST_PASSWORD, ip="10.0.2.1")

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert _logged_in_user_id(client) is None


def test_login_locks_an_address_after_the_failure_limit_across_accounts(client, personas):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, f"guess{attempt}@example.com", "not-the-password", ip="10.0.3.3")

    locked = _log_in(client, "bob@example.com", TEST_PASSWORD, ip="10.0.3.3")
    assert locked.status_code == 429
    assert _logged_in_user_id(client) is None

    elsewhere = _log_in(Client(), "bob@example.com", TEST_PASSWORD, ip="10.0.3.4")
    assert elsewhere.status_code == 302


def test_login_below_the_failure_limit_still_works(client, personas):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "alice@example.com", f"guess-{attempt}")

    response = _log_in(client, "alice@example.com", TEST_PASSWORD)

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(personas.admin.user.pk)


def test_logout_by_post_ends_the_session(client_for, personas):
    client = client_for(personas.member)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert _logged_in_user_id(client) is None


def test_logout_by_get_is_refused(client_for, personas):
    client = client_for(personas.member)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _logged_in_user_id(client) == str(personas.member.user.pk)


# --- Passwords ------------------------------------------------------------------------------


def test_password_change_saves_the_new_password_and_keeps_the_session(client_for, personas):
    client = client_for(personas.member)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("accounts:account")
    assert User.objects.get(pk=personas.member.user.pk).check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(client_for, personas):
    response = client_for(personas.member).post(
        reverse("accounts:password_change"),
        {"old_password": "wrong-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert User.objects.get(pk=personas.member.user.pk).check_password(TEST_PASSWORD)


@pytest.fixture
def reset_request(client, django_capture_on_commit_callbacks):
    """``reset_request(email)``: ask for a reset, with the queued e-mail then sent as the
    worker would once the request's transaction commits. Returns (response, queued)."""
    from accounts.tasks import send_password_reset_email

    def work(args=(), kwargs=None, **options):
        send_password_reset_email(*args, **(kwargs or {}))

    def ask(email):
        with (
            mock.patch.object(send_password_reset_email, "apply_async", side_effect=work) as queued,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        return response, queued.call_count

    return ask


def test_password_reset_answers_the_same_whether_or_not_the_address_exists(personas, reset_request):
    known, queued = reset_request("Charlie@Example.com")
    assert (queued, len(mail.outbox)) == (1, 1)
    assert mail.outbox[0].to == ["charlie@example.com"]

    unknown, queued = reset_request("nobody@example.com")
    assert (queued, len(mail.outbox)) == (0, 1)  # nothing queued for an unknown address

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == reverse("accounts:password_reset_done")


def test_password_reset_email_waits_for_the_worker(client, personas, django_capture_on_commit_callbacks):
    from accounts.tasks import send_password_reset_email

    with (
        mock.patch.object(send_password_reset_email, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=False) as pending,
    ):
        client.post(reverse("accounts:password_reset"), {"email": "charlie@example.com"})
        queued.assert_not_called()  # not before the commit, and never in the request itself
    assert mail.outbox == [] and len(pending) == 1


def test_password_reset_queues_only_the_users_id(client, personas, django_capture_on_commit_callbacks, settings):
    """The reset link is a secret: the job makes it, so the broker holds only an id."""
    from accounts.tasks import send_password_reset_email

    settings.SITE_URL = "https://teamhub.example.com"
    with (
        mock.patch.object(send_password_reset_email, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("accounts:password_reset"), {"email": "charlie@example.com"})

    queued.assert_called_once_with(args=(personas.member.user.pk,), kwargs={})
    send_password_reset_email(personas.member.user.pk)
    assert "https://teamhub.example.com/password/reset/" in mail.outbox[0].body


def test_password_reset_survives_a_broker_outage(client, personas, django_capture_on_commit_callbacks):
    from accounts.tasks import send_password_reset_email

    with (
        mock.patch.object(send_password_reset_email, "apply_async", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("accounts:password_reset"), {"email": "charlie@example.com"})

    assert response.url == reverse("accounts:password_reset_done")


def test_password_reset_link_sets_a_new_password_once(client, personas, reset_request):
    reset_request("charlie@example.com")
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.url == reverse("accounts:password_reset_complete")
    assert User.objects.get(pk=personas.member.user.pk).check_password(NEW_PASSWORD)
    assert Client().get(link, follow=True).context["validlink"] is False


# --- Organisations and the switcher ----------------------------------------------------------------


def test_switching_organisation_changes_the_current_one(client_for, personas):
    MembershipFactory(user=personas.member.user, organization=personas.other_org)
    client = client_for(personas.member)

    response = client.post(reverse("accounts:switch_organisation"), {"org": "globex"})

    assert response.url == reverse("home")
    assert client.session[SESSION_ORG_KEY] == personas.other_org.pk
    assert client.get(reverse("home")).context["current_org"] == personas.other_org


@pytest.mark.parametrize("deactivated", [False, True])
def test_switching_to_an_organisation_you_are_not_in_is_404(client_for, personas, deactivated):
    if deactivated:
        MembershipFactory(user=personas.member.user, organization=personas.other_org, is_active=False)
    client = client_for(personas.member)

    response = client.post(reverse("accounts:switch_organisation"), {"org": "globex"})

    assert response.status_code == 404
    assert client.get(reverse("home")).context["current_org"] == personas.org


def test_account_page_saves_the_name(client_for, personas):
    response = client_for(personas.member).post(reverse("accounts:account"), {"full_name": " Charles "})

    assert response.url == reverse("accounts:account")
    assert User.objects.get(pk=personas.member.user.pk).full_name == "Charles"


# --- Members ----------------------------------------------------------------------------------------


def test_members_page_lists_the_organisation_for_an_admin(client_for, personas):
    response = client_for(personas.admin).get(reverse("accounts:members"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Charlie Member" in content
    assert "Olivia Outsider" not in content


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_members_page_is_forbidden_to_non_admins(client_for, personas, persona):
    assert client_for(getattr(personas, persona)).get(reverse("accounts:members")).status_code == 403


def test_member_role_change_saves_and_redirects(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.member.pk])

    response = client_for(personas.admin).post(url, {"action": "role", "role": Role.MANAGER})

    assert response.url == reverse("accounts:members")
    assert Membership.objects.get(pk=personas.member.pk).role == Role.MANAGER


def test_member_deactivate_saves_and_redirects(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.member.pk])

    response = client_for(personas.admin).post(url, {"action": "deactivate"})

    assert response.url == reverse("accounts:members")
    assert Membership.objects.get(pk=personas.member.pk).is_active is False


def test_member_update_from_htmx_returns_the_row_partial(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.member.pk])

    response = client_for(personas.admin).post(url, {"action": "deactivate"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode().strip()
    assert content.startswith(f'<tr id="member-{personas.member.pk}"')
    assert "<html" not in content
    assert "Deactivated" in content
    assert 'hx-swap-oob="true"' in content
    assert "Charlie Member deactivated." in content


def test_member_update_refusal_is_shown_and_changes_nothing(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.admin.pk])

    response = client_for(personas.admin).post(url, {"action": "role", "role": Role.MEMBER}, follow=True)

    assert "at least one active admin" in response.content.decode()
    assert Membership.objects.get(pk=personas.admin.pk).role == Role.ADMIN


def test_member_update_of_another_organisations_membership_is_404(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.outsider.pk])

    response = client_for(personas.admin).post(url, {"action": "deactivate"})

    assert response.status_code == 404
    assert Membership.objects.get(pk=personas.outsider.pk).is_active is True


def test_member_update_with_an_unknown_action_is_404(client_for, personas):
    url = reverse("accounts:member_update", args=[personas.member.pk])

    assert client_for(personas.admin).post(url, {"action": "delete"}).status_code == 404
    assert Membership.objects.filter(pk=personas.member.pk, is_active=True).exists()


# --- Invitations --------------------------------------------------------------------------------------


def test_invitation_create_shows_the_link_once(client_for, personas):
    client = client_for(personas.admin)

    response = client.post(reverse("accounts:invitations"), {"email": "dana@example.com", "role": Role.MEMBER})

    assert response.status_code == 200
    link = response.context["invite_link"]
    raw = re.search(r"/invitations/([^/]+)/$", link).group(1)
    assert link in response.content.decode()
    invitation = Invitation.objects.get(email="dana@example.com")
    assert invitation.token_hash == hash_token(raw)
    assert raw not in client.get(reverse("accounts:invitations")).content.decode()


def test_invitation_create_with_a_bad_address_shows_a_field_error(client_for, personas):
    response = client_for(personas.admin).post(reverse("accounts:invitations"), {"email": "dana", "role": "member"})

    assert "email" in response.context["form"].errors
    assert response.context["invite_link"] is None
    assert not Invitation.objects.exists()


def test_invitation_create_for_an_existing_member_shows_the_services_error(client_for, personas):
    response = client_for(personas.admin).post(
        reverse("accounts:invitations"), {"email": "bob@example.com", "role": "member"}
    )

    assert "already a member" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_invitation_revoke_from_the_page(client_for, personas):
    invitation = InvitationFactory(organization=personas.org)

    response = client_for(personas.admin).post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.url == reverse("accounts:invitations")
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_invitation_revoke_of_another_organisations_invitation_is_404(client_for, personas):
    invitation = InvitationFactory(organization=personas.other_org)

    response = client_for(personas.admin).post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_invitations_page_is_forbidden_to_a_manager(client_for, personas):
    assert client_for(personas.manager).get(reverse("accounts:invitations")).status_code == 403


# --- Accepting an invitation ------------------------------------------------------------------------------


def test_invitation_accept_creates_the_account_logs_in_and_lands_on_home_in_that_org(client, personas):
    InvitationFactory(organization=personas.org, email="dana@example.com", role=Role.MANAGER, raw_token="inv_link")
    url = reverse("accounts:invitation_accept", args=["inv_link"])
    assert b"Join Acme" in client.get(url).content

    response = client.post(
        url, {"full_name": "Dana Scully", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].email == "dana@example.com"
    assert response.context["current_org"] == personas.org
    assert response.context["membership"].role == Role.MANAGER
    assert "Welcome to Acme!" in response.content.decode()


def test_invitation_accept_by_a_logged_in_member_of_another_org_switches_to_the_new_org(client_for, personas):
    InvitationFactory(organization=personas.org, email="olivia@example.com", raw_token="inv_link")
    client = client_for(personas.outsider)

    response = client.post(reverse("accounts:invitation_accept", args=["inv_link"]), follow=True)

    assert response.context["current_org"] == personas.org
    assert Membership.objects.filter(user=personas.outsider.user, organization=personas.org).exists()


def test_invitation_accept_with_mismatched_passwords_shows_an_error_and_saves_nothing(client, personas):
    InvitationFactory(organization=personas.org, email="dana@example.com", raw_token="inv_link")

    response = client.post(
        reverse("accounts:invitation_accept", args=["inv_link"]),
        {"full_name": "Dana", "password": NEW_PASSWORD, "password_confirm": "something-else-1"},
    )

    assert "password_confirm" in response.context["form"].errors
    assert not User.objects.filter(email="dana@example.com").exists()


def test_invitation_accept_with_a_weak_password_shows_the_field_error(client, personas):
    InvitationFactory(organization=personas.org, email="dana@example.com", raw_token="inv_link")

    response = client.post(
        reverse("accounts:invitation_accept", args=["inv_link"]),
        {"full_name": "Dana", "password": "12345", "password_confirm": "12345"},
    )

    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="dana@example.com").exists()


def test_invitation_accept_by_the_wrong_logged_in_user_is_refused(client_for, personas):
    invitation = InvitationFactory(organization=personas.org, email="dana@example.com", raw_token="inv_link")

    response = client_for(personas.outsider).post(reverse("accounts:invitation_accept", args=["inv_link"]), follow=True)

    assert "This invitation is for dana@example.com" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_invitation_accept_page_for_a_used_link_is_404(client, personas):
    InvitationFactory(organization=personas.org, raw_token="inv_link", revoked_at="2026-01-01T00:00:00Z")

    response = client.get(reverse("accounts:invitation_accept", args=["inv_link"]))

    assert response.status_code == 404
    assert b"This invitation is not valid" in response.content


# --- API tokens -------------------------------------------------------------------------------------------


def test_api_token_create_shows_the_token_once(client_for, personas):
    client = client_for(personas.member)

    response = client.post(reverse("accounts:api_tokens"), {"name": "CRM sync"})

    raw = response.context["new_token"]
    assert raw.startswith("th_")
    assert raw in response.content.decode()
    assert ApiToken.objects.get(user=personas.member.user).token_hash == hash_token(raw)
    assert raw not in client.get(reverse("accounts:api_tokens")).content.decode()


def test_api_token_create_without_a_name_shows_a_field_error(client_for, personas):
    response = client_for(personas.member).post(reverse("accounts:api_tokens"), {"name": ""})

    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_api_token_revoke_from_the_page(client_for, personas):
    token = ApiTokenFactory(user=personas.member.user)

    response = client_for(personas.member).post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.url == reverse("accounts:api_tokens")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_api_token_revoke_of_someone_elses_token_is_404(client_for, personas):
    token = ApiTokenFactory(user=personas.admin.user)

    response = client_for(personas.member).post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- Organisation settings ----------------------------------------------------------------------------------


def _settings_form(**overrides):
    data = {
        "name": "Acme",
        "timezone": "Europe/London",
        "anonymity_threshold": 5,
        "comment_threshold": 8,
        "handoff_sla_hours": 24,
        "weight_survey": "0.40",
        "weight_responsiveness": "0.30",
        "weight_follow_through": "0.15",
        "weight_breadth": "0.15",
        "survey_throttle_days": 30,
        "detractor_sla_days": 2,
    }
    return {**data, **overrides}


def test_organization_settings_saves_valid_changes(client_for, personas):
    response = client_for(personas.admin).post(
        reverse("accounts:organization_settings"), _settings_form(name="Acme Corp", handoff_sla_hours=48)
    )

    assert response.url == reverse("accounts:organization_settings")
    org = Organization.objects.get(pk=personas.org.pk)
    assert (org.name, org.timezone, org.handoff_sla_hours) == ("Acme Corp", "Europe/London", 48)


def test_organization_settings_offer_time_zones_as_a_list_with_the_current_one_chosen(client_for, personas):
    Organization.objects.filter(pk=personas.org.pk).update(timezone="America/New_York")

    html = client_for(personas.admin).get(reverse("accounts:organization_settings")).content.decode()

    assert '<select name="timezone"' in html
    assert '<option value="America/New_York" selected>America/New York</option>' in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"anonymity_threshold": 2}, "anonymity_threshold"),
        ({"anonymity_threshold": 9, "comment_threshold": 8}, "comment_threshold"),
        ({"timezone": "Nowhere/Special"}, "timezone"),
        ({"weight_survey": "abc"}, "weight_survey"),
    ],
)
def test_organization_settings_bad_input_shows_a_field_error_and_saves_nothing(client_for, personas, overrides, field):
    before = Organization.objects.values().get(pk=personas.org.pk)

    response = client_for(personas.admin).post(
        reverse("accounts:organization_settings"), _settings_form(name="Renamed Co", **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="field__error"' in response.content.decode()
    assert Organization.objects.values().get(pk=personas.org.pk) == before
    # Nothing unsaved leaks into the header or the navigation either.
    assert response.context["current_org"].name == "Acme"


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_organization_settings_are_forbidden_to_non_admins(client_for, personas, persona):
    response = client_for(getattr(personas, persona)).post(
        reverse("accounts:organization_settings"), _settings_form(name="Hijacked")
    )

    assert response.status_code == 403
    assert Organization.objects.get(pk=personas.org.pk).name == "Acme"


def test_no_organisation_page_redirects_a_member_home(client_for, personas):
    assert client_for(personas.member).get(reverse("accounts:no_organisation")).url == reverse("home")


def test_no_organisation_page_renders_for_a_user_without_membership(client_for):
    loner = MembershipFactory(is_active=False)

    response = client_for(loner).get(reverse("accounts:no_organisation"))

    assert response.status_code == 200
    assert b"You are not in an organisation yet" in response.content
