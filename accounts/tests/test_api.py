"""The /api/v1/ endpoints for people and tenants, as each persona and by token."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, Invitation, Membership, Organization, hash_token
from accounts.tests.factories import ApiTokenFactory, InvitationFactory, MembershipFactory
from teamhub.lib.tenancy import Role

pytestmark = pytest.mark.django_db

ORG = "/api/v1/orgs/acme/"


@pytest.fixture(autouse=True)
def _no_broker():
    # Invitation e-mails are enqueued on commit; tests never reach a broker.
    with mock.patch("accounts.tasks.send_invitation_email.apply_async"):
        yield


def _assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# --- /me/ and /orgs/ ------------------------------------------------------------------------


def test_me_returns_the_user_and_their_active_memberships(api_client_for, personas):
    MembershipFactory(user=personas.member.user, organization=personas.other_org, is_active=False)

    response = api_client_for(personas.member).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": personas.member.user.pk,
        "email": "charlie@example.com",
        "full_name": "Charlie Member",
        "memberships": [{"organization": {"slug": "acme", "name": "Acme", "timezone": "UTC"}, "role": "member"}],
    }


def test_me_for_anonymous_is_401_with_the_error_shape(client):
    _assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


def test_orgs_lists_the_users_organisations_with_their_role(api_client_for, personas):
    MembershipFactory(user=personas.manager.user, organization=personas.other_org, role=Role.MEMBER)

    response = api_client_for(personas.manager).get("/api/v1/orgs/")

    assert response.status_code == 200
    assert [(o["slug"], o["role"]) for o in response.json()["results"]] == [("acme", "manager"), ("globex", "member")]


# --- /orgs/{slug}/ ----------------------------------------------------------------------------


def test_org_retrieve_shows_settings_to_a_member(api_client_for, personas):
    response = api_client_for(personas.member).get(ORG)

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["anonymity_threshold"], body["comment_threshold"]) == ("acme", 5, 8)


def test_org_retrieve_of_another_organisation_is_404(api_client_for, personas):
    _assert_error(api_client_for(personas.outsider).get(ORG), 404, "not_found")


def test_org_retrieve_of_an_unknown_slug_is_404(api_client_for, personas):
    _assert_error(api_client_for(personas.admin).get("/api/v1/orgs/no-such-org/"), 404)


def test_org_patch_by_an_admin_saves_the_change(api_client_for, personas):
    response = api_client_for(personas.admin).patch(
        ORG, {"name": "Acme Corp", "handoff_sla_hours": 48, "slug": "ignored"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["slug"]) == ("Acme Corp", "acme")
    org = Organization.objects.get(pk=personas.org.pk)
    assert (org.name, org.handoff_sla_hours, org.slug) == ("Acme Corp", 48, "acme")


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_org_patch_by_a_non_admin_is_403(api_client_for, personas, persona):
    response = api_client_for(getattr(personas, persona)).patch(ORG, {"name": "Hijacked"}, format="json")

    _assert_error(response, 403, "permission_denied")
    assert Organization.objects.get(pk=personas.org.pk).name == "Acme"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"anonymity_threshold": 2}, "anonymity_threshold"),
        ({"anonymity_threshold": 9}, "comment_threshold"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"weight_survey": "x"}, "weight_survey"),
    ],
)
def test_org_patch_with_invalid_input_is_400_with_the_field_and_saves_nothing(api_client_for, personas, data, field):
    before = Organization.objects.values().get(pk=personas.org.pk)

    response = api_client_for(personas.admin).patch(ORG, {"name": "Renamed", **data}, format="json")

    error = _assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert error["message"] == error["fields"][field][0]
    assert Organization.objects.values().get(pk=personas.org.pk) == before


# --- Memberships --------------------------------------------------------------------------------


def test_memberships_list_hides_deactivated_people_from_members(api_client_for, personas):
    MembershipFactory(organization=personas.org, is_active=False)

    response = api_client_for(personas.member).get(f"{ORG}memberships/")

    assert response.status_code == 200
    assert [m["user"]["email"] for m in response.json()["results"]] == [
        "alice@example.com",
        "bob@example.com",
        "charlie@example.com",
    ]


def test_memberships_list_shows_admins_deactivated_people_and_filters_by_role(api_client_for, personas):
    gone = MembershipFactory(organization=personas.org, is_active=False)
    client = api_client_for(personas.admin)

    assert gone.pk in [m["id"] for m in client.get(f"{ORG}memberships/").json()["results"]]
    managers = client.get(f"{ORG}memberships/", {"role": "manager"}).json()["results"]
    assert [m["id"] for m in managers] == [personas.manager.pk]


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_memberships_list_query_count_does_not_grow_with_rows(api_client_for, personas):
    client = api_client_for(personas.outsider)
    url = "/api/v1/orgs/globex/memberships/"
    one = _list_queries(client, url)

    MembershipFactory.create_batch(30, organization=personas.other_org)

    assert _list_queries(client, url) == one


def test_membership_retrieve(api_client_for, personas):
    response = api_client_for(personas.member).get(f"{ORG}memberships/{personas.manager.pk}/")

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "bob@example.com"
    assert response.json()["role"] == "manager"


def test_membership_of_another_organisation_is_404_by_id(api_client_for, personas):
    client = api_client_for(personas.admin)

    _assert_error(client.get(f"{ORG}memberships/{personas.outsider.pk}/"), 404)
    _assert_error(client.patch(f"{ORG}memberships/{personas.outsider.pk}/", {"is_active": False}, format="json"), 404)
    assert Membership.objects.get(pk=personas.outsider.pk).is_active is True


def test_membership_patch_by_an_admin_changes_role_and_activity(api_client_for, personas):
    response = api_client_for(personas.admin).patch(
        f"{ORG}memberships/{personas.member.pk}/", {"role": "manager", "is_active": False}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["role"], response.json()["is_active"]) == ("manager", False)
    membership = Membership.objects.get(pk=personas.member.pk)
    assert (membership.role, membership.is_active) == (Role.MANAGER, False)


def test_membership_patch_by_a_manager_is_403(api_client_for, personas):
    response = api_client_for(personas.manager).patch(
        f"{ORG}memberships/{personas.member.pk}/", {"role": "admin"}, format="json"
    )

    _assert_error(response, 403)
    assert Membership.objects.get(pk=personas.member.pk).role == Role.MEMBER


def test_membership_patch_demoting_the_last_admin_is_400(api_client_for, personas):
    response = api_client_for(personas.admin).patch(
        f"{ORG}memberships/{personas.admin.pk}/", {"role": "member"}, format="json"
    )

    error = _assert_error(response, 400, "invalid")
    assert "role" in error["fields"]
    assert Membership.objects.get(pk=personas.admin.pk).role == Role.ADMIN


def test_membership_patch_that_fails_halfway_changes_nothing(api_client_for, personas):
    MembershipFactory(organization=personas.org, role=Role.ADMIN)

    response = api_client_for(personas.admin).patch(
        f"{ORG}memberships/{personas.admin.pk}/", {"role": "manager", "is_active": False}, format="json"
    )

    error = _assert_error(response, 400)
    assert "is_active" in error["fields"]
    membership = Membership.objects.get(pk=personas.admin.pk)
    assert (membership.role, membership.is_active) == (Role.ADMIN, True)


def test_membership_patch_with_an_unknown_role_is_400(api_client_for, personas):
    response = api_client_for(personas.admin).patch(
        f"{ORG}memberships/{personas.member.pk}/", {"role": "owner"}, format="json"
    )

    assert "role" in _assert_error(response, 400)["fields"]


# --- Invitations -------------------------------------------------------------------------------------


def test_invitation_create_returns_the_accept_url_once(api_client_for, personas):
    client = api_client_for(personas.admin)

    response = client.post(f"{ORG}invitations/", {"email": "Dana@Example.com", "role": "manager"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == ("dana@example.com", "manager", "pending")
    assert body["invited_by"]["email"] == "alice@example.com"
    raw = re.search(r"/invitations/([^/]+)/$", body["accept_url"]).group(1)
    assert Invitation.objects.get(pk=body["id"]).token_hash == hash_token(raw)
    listed = client.get(f"{ORG}invitations/").json()["results"]
    assert [i["id"] for i in listed] == [body["id"]]
    assert "accept_url" not in listed[0]
    assert "accept_url" not in client.get(f"{ORG}invitations/{body['id']}/").json()


def test_invitation_create_for_an_existing_member_is_400_on_email(api_client_for, personas):
    response = api_client_for(personas.admin).post(f"{ORG}invitations/", {"email": "bob@example.com"}, format="json")

    assert "email" in _assert_error(response, 400)["fields"]
    assert not Invitation.objects.exists()


def test_invitation_create_with_a_bad_address_is_400_on_email(api_client_for, personas):
    response = api_client_for(personas.admin).post(f"{ORG}invitations/", {"email": "dana"}, format="json")

    assert "email" in _assert_error(response, 400)["fields"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_invitations_are_admin_only(api_client_for, personas, persona):
    client = api_client_for(getattr(personas, persona))

    _assert_error(client.get(f"{ORG}invitations/"), 403)
    _assert_error(client.post(f"{ORG}invitations/", {"email": "dana@example.com"}, format="json"), 403)
    assert not Invitation.objects.exists()


def test_invitation_revoke(api_client_for, personas):
    invitation = InvitationFactory(organization=personas.org)

    response = api_client_for(personas.admin).post(f"{ORG}invitations/{invitation.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_invitation_revoke_of_a_used_invitation_is_400(api_client_for, personas):
    invitation = InvitationFactory(organization=personas.org, accepted_at=timezone.now())

    response = api_client_for(personas.admin).post(f"{ORG}invitations/{invitation.pk}/revoke/")

    assert _assert_error(response, 400)["fields"] == {"non_field_errors": [response.json()["error"]["message"]]}


def test_invitation_of_another_organisation_is_404_by_id(api_client_for, personas):
    invitation = InvitationFactory(organization=personas.other_org)
    client = api_client_for(personas.admin)

    _assert_error(client.get(f"{ORG}invitations/{invitation.pk}/"), 404)
    _assert_error(client.post(f"{ORG}invitations/{invitation.pk}/revoke/"), 404)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


# --- Tokens ---------------------------------------------------------------------------------------------


def test_tokens_list_shows_only_ones_own(api_client_for, personas):
    mine = ApiTokenFactory(user=personas.member.user)
    ApiTokenFactory(user=personas.admin.user)

    response = api_client_for(personas.member).get("/api/v1/tokens/")

    assert [t["id"] for t in response.json()["results"]] == [mine.pk]
    assert "token" not in response.json()["results"][0]


def test_token_create_returns_the_token_once(api_client_for, personas):
    response = api_client_for(personas.member).post("/api/v1/tokens/", {"name": "CRM sync"}, format="json")

    assert response.status_code == 201
    raw = response.json()["token"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert (token.user, token.name, token.token_hash) == (personas.member.user, "CRM sync", hash_token(raw))


def test_token_create_without_a_name_is_400(api_client_for, personas):
    response = api_client_for(personas.member).post("/api/v1/tokens/", {"name": ""}, format="json")

    assert "name" in _assert_error(response, 400)["fields"]


def test_token_delete_revokes_it(api_client_for, personas):
    token = ApiTokenFactory(user=personas.member.user)

    response = api_client_for(personas.member).delete(f"/api/v1/tokens/{token.pk}/")

    assert response.status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_token_delete_of_someone_elses_token_is_404(api_client_for, personas):
    token = ApiTokenFactory(user=personas.admin.user)

    _assert_error(api_client_for(personas.member).delete(f"/api/v1/tokens/{token.pk}/"), 404)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- Authentication ----------------------------------------------------------------------------------------


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_bearer_token_authenticates_and_records_its_use(personas):
    token = ApiTokenFactory(user=personas.member.user, raw_token="th_integration")

    response = _bearer("th_integration").get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "charlie@example.com"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_bearer_token_writes_need_no_csrf_token(personas):
    ApiTokenFactory(user=personas.admin.user, raw_token="th_integration")

    response = _bearer("th_integration").post(f"{ORG}invitations/", {"email": "dana@example.com"}, format="json")

    assert response.status_code == 201


def test_revoked_bearer_token_is_401(personas):
    ApiTokenFactory(user=personas.member.user, raw_token="th_integration", revoked_at=timezone.now())

    response = _bearer("th_integration").get(f"{ORG}memberships/")

    _assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer th_unknown", "Bearer", "Bearer two parts"])
def test_malformed_or_unknown_bearer_token_is_401(personas, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    _assert_error(client.get("/api/v1/me/"), 401)


def test_bearer_token_of_a_deactivated_user_is_401(personas):
    ApiTokenFactory(user=personas.member.user, raw_token="th_integration")
    personas.member.user.is_active = False
    personas.member.user.save(update_fields=["is_active"])

    _assert_error(_bearer("th_integration").get("/api/v1/me/"), 401)


def test_bearer_token_cannot_reach_another_organisation(personas):
    ApiTokenFactory(user=personas.outsider.user, raw_token="th_integration")

    _assert_error(_bearer("th_integration").get(f"{ORG}memberships/"), 404)


def test_session_authentication_enforces_csrf(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.member.user)

    assert client.get("/api/v1/tokens/").status_code == 200
    response = client.post("/api/v1/tokens/", {"name": "Sneaky"}, format="json")

    error = _assert_error(response, 403)
    assert "CSRF" in error["message"]
    assert not ApiToken.objects.exists()


def test_anonymous_org_request_is_401_not_404(client, personas):
    _assert_error(client.get(f"{ORG}memberships/"), 401)
    _assert_error(client.get("/api/v1/orgs/no-such-org/memberships/"), 401)
