"""The weekly digest's settings page, its one-click unsubscribe (no login) and its API."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dashboards.models import DigestPreference
from dashboards.services import digest as services
from teamhub.lib.testing import api_url, error_fields
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(personas):
    p = personas
    p.org.timezone = "Europe/Berlin"
    p.org.save(update_fields=["timezone"])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    TeamMembershipFactory(team=p.support, membership=p.member)
    return p


# --- Settings page ----------------------------------------------------------------------------


def test_a_manager_sees_the_default_friday_nine_and_the_next_date(scene, client_for):
    response = client_for(scene.manager).get(reverse("dashboards:digest"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friday 4 December 2026, 09:00" in body and "Europe/Berlin" in body
    assert "Support" in body
    assert response.context["form"]["enabled"].value() is True


def test_a_member_is_off_until_they_opt_in(scene, client_for):
    client = client_for(scene.member)
    assert client.get(reverse("dashboards:digest")).context["form"]["enabled"].value() is False
    response = client.post(reverse("dashboards:digest"), {"enabled": "on", "weekday": "0", "hour": "8"})
    assert response.status_code == 302
    pref = DigestPreference.objects.get(membership=scene.member)
    assert (pref.enabled, pref.weekday, pref.hour) == (True, 0, 8)
    assert "Monday 7 December 2026, 08:00" in client.get(reverse("dashboards:digest")).content.decode()


def test_a_manager_moves_it_and_turns_it_off(scene, client_for):
    client = client_for(scene.manager)
    client.post(reverse("dashboards:digest"), {"enabled": "on", "weekday": "2", "hour": "16"})
    assert DigestPreference.objects.get(membership=scene.manager).hour == 16
    client.post(reverse("dashboards:digest"), {"weekday": "2", "hour": "16"})
    assert DigestPreference.objects.get(membership=scene.manager).enabled is False
    assert "No digest is sent to you" in client.get(reverse("dashboards:digest")).content.decode()


@pytest.mark.parametrize("data", [{"weekday": "9", "hour": "8"}, {"weekday": "1", "hour": "25"}, {"weekday": "x"}])
def test_bad_input_is_a_form_error_and_changes_nothing(scene, client_for, data):
    response = client_for(scene.manager).post(reverse("dashboards:digest"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not DigestPreference.objects.exists()


def test_someone_on_no_team_is_told_what_to_do(scene, client_for):
    body = client_for(scene.outsider).get(reverse("dashboards:digest")).content.decode()  # Globex has no team
    assert "No team to summarise" in body


# --- Unsubscribe ------------------------------------------------------------------------------


def _unsubscribe_url(membership) -> str:
    return reverse("dashboards:digest_unsubscribe", kwargs={"token": services.unsubscribe_token(membership)})


def test_the_link_asks_first_then_unsubscribes_that_one_person_without_login(scene, client_for):
    client = client_for(None)
    url = _unsubscribe_url(scene.manager)
    asked = client.get(url)
    assert asked.status_code == 200 and b"Stop the weekly digest?" in asked.content
    assert not DigestPreference.objects.exists()  # a GET (a mail scanner) changes nothing
    done = client.post(url)
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert DigestPreference.objects.get(membership=scene.manager).enabled is False
    assert not DigestPreference.objects.exclude(membership=scene.manager).exists()
    assert done["Referrer-Policy"] == "no-referrer"


def test_one_click_post_without_cookie_or_csrf_token_works(scene):
    """RFC 8058: a mail client posts straight to the link, with no session and no token."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(_unsubscribe_url(scene.member))
    assert response.status_code == 200
    assert DigestPreference.objects.get(membership=scene.member).enabled is False


@pytest.mark.parametrize("token", ["nonsense", "2:forgedsignature", "1"])
def test_a_bad_token_gets_a_clear_page_and_changes_nothing(scene, client_for, token):
    for method in ("get", "post"):
        response = getattr(client_for(None), method)(reverse("dashboards:digest_unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
        assert b"This unsubscribe link is not valid" in response.content
    assert not DigestPreference.objects.exists()


def test_a_token_edited_to_name_someone_else_is_refused(scene, client_for):
    token = services.unsubscribe_token(scene.manager)
    _, signature = token.split(":", 1)
    forged = f"{scene.admin.pk}:{signature}"
    response = client_for(None).post(reverse("dashboards:digest_unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 404
    assert not DigestPreference.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_reads_the_callers_own_preference(scene, api_client_for):
    response = api_client_for(scene.manager).get(api_url("api-digest"))
    assert response.status_code == 200
    assert response.json() == {
        "enabled": True,
        "weekday": 4,
        "weekday_name": "Friday",
        "hour": 9,
        "time_zone": "Europe/Berlin",
        "is_default": True,
        "next_at": "2026-12-04T09:00:00+01:00",
        "teams": [{"id": scene.support.pk, "name": "Support"}],
    }
    member = api_client_for(scene.member).get(api_url("api-digest")).json()
    assert (member["enabled"], member["next_at"]) == (False, None)


def test_api_patch_opts_in_and_moves_it(scene, api_client_for):
    client = api_client_for(scene.member)
    response = client.patch(api_url("api-digest"), {"enabled": True, "hour": 7}, format="json")
    assert response.status_code == 200
    assert (response.json()["enabled"], response.json()["hour"], response.json()["weekday"]) == (True, 7, 4)
    assert response.json()["next_at"] == "2026-12-04T07:00:00+01:00"
    assert DigestPreference.objects.get(membership=scene.member).hour == 7


@pytest.mark.parametrize(("body", "field"), [({"weekday": 7}, "weekday"), ({"hour": "noon"}, "hour")])
def test_api_bad_input_names_the_field_and_changes_nothing(scene, api_client_for, body, field):
    response = api_client_for(scene.manager).patch(api_url("api-digest"), body, format="json")
    assert response.status_code == 400
    assert field in error_fields(response)
    assert not DigestPreference.objects.exists()


def test_api_of_another_organisation_is_not_found(scene, api_client_for):
    assert api_client_for(scene.manager).get(api_url("api-digest", org="globex")).status_code == 404
