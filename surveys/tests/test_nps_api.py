"""Customer survey rounds through the API: the same rules as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import NpsInvitation, NpsRound
from surveys.services import nps_public
from surveys.tests import test_nps_scene as scene
from surveys.tests.test_nps_scene import make_round, send_round
from teamhub.lib.testing import api_url, error_fields

pytestmark = pytest.mark.django_db

# The customer survey tests' shared fixtures.
shop, _fresh_limits = scene.shop, scene._fresh_limits


def _body(p, **changes):
    closes = (timezone.now() + dt.timedelta(days=10)).isoformat()
    return {"title": "Spring NPS", "kind": "nps", "accounts": [p.gear.pk], "closes_at": closes, **changes}


def test_a_manager_creates_and_sends_a_round(shop, api_client_for):
    api = api_client_for(shop.manager)
    created = api.post(api_url("api-nps-rounds"), _body(shop, segments=["Silver"]), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["kind"], body["segments"], body["invited"]) == ("draft", "nps", ["Silver"], 0)
    assert body["accounts"] == [{"id": shop.gear.pk, "name": "Gear Co"}]
    audience = api.get(api_url("api-nps-round-audience", pk=body["id"])).json()
    assert [c["name"] for c in audience["asked"]] == ["Dora Diaz", "Ana Alves"]  # by account: Boots, Gear
    assert {row["contact"]["name"]: row["reason"] for row in audience["left_out"]} == {
        "Ben Brook": "No e-mail address",
        "Cleo Cole": "Opted out of surveys",
    }
    sent = api.post(api_url("api-nps-round-send", pk=body["id"]))
    assert sent.status_code == 200
    assert (sent.json()["asked"], sent.json()["round"]["status"], sent.json()["round"]["invited"]) == (2, "open", 2)
    again = api.post(api_url("api-nps-round-send", pk=body["id"]))
    assert again.status_code == 400 and NpsInvitation.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accounts": []}, "accounts"),
        ({"closes_at": "2001-01-01T00:00:00Z"}, "closes_at"),
        ({"kind": "ces"}, "kind"),
        ({"title": ""}, "title"),
        ({"accounts": [10**30]}, "accounts"),
        ({"segments": ["x" * 61]}, "segments"),
    ],
)
def test_bad_input_answers_400_with_the_field_and_saves_nothing(shop, api_client_for, changes, field):
    response = api_client_for(shop.admin).post(api_url("api-nps-rounds"), _body(shop, **changes), format="json")
    assert response.status_code == 400
    assert field in error_fields(response)
    assert not NpsRound.objects.exists()


def test_another_organisations_account_is_not_found(shop, api_client_for):
    body = _body(shop, accounts=[shop.globex_account.pk])
    response = api_client_for(shop.admin).post(api_url("api-nps-rounds"), body, format="json")
    assert response.status_code == 400 and "accounts" in error_fields(response)


def test_a_manager_may_not_ask_another_teams_account(shop, api_client_for):
    body = _body(shop, accounts=[shop.skis.pk])
    response = api_client_for(shop.manager).post(api_url("api-nps-rounds"), body, format="json")
    assert response.status_code == 400 and "accounts" in error_fields(response)


def test_members_are_refused(shop, api_client_for):
    api = api_client_for(shop.member)
    assert api.get(api_url("api-nps-rounds")).status_code == 403
    assert api.post(api_url("api-nps-rounds"), _body(shop), format="json").status_code == 403


def test_the_list_and_a_round_count_the_asked_and_the_answers(shop, api_client_for):
    round_ = send_round(shop.admin, accounts=[shop.gear, shop.boots])
    nps_public.nps_link_answer(invitation=NpsInvitation.objects.filter(round=round_).first(), score=10)
    api = api_client_for(shop.manager)
    (row,) = api.get(api_url("api-nps-rounds")).json()["results"]
    assert (row["id"], row["invited"], row["responses"]) == (round_.pk, 2, 1)
    assert api.get(api_url("api-nps-round", pk=round_.pk)).json()["responses"] == 1


def test_answers_are_those_about_accounts_the_caller_works_on(shop, api_client_for):
    round_ = send_round(shop.admin, accounts=[shop.gear, shop.skis])
    for invitation in NpsInvitation.objects.filter(round=round_):
        nps_public.nps_link_answer(invitation=invitation, score=2, comment=f"About {invitation.account.name}")
    admin = api_client_for(shop.admin).get(api_url("api-nps-round-answers", pk=round_.pk)).json()["results"]
    assert sorted(a["comment"] for a in admin) == ["About Gear Co", "About Skis AG"]
    manager = api_client_for(shop.manager).get(api_url("api-nps-round-answers", pk=round_.pk)).json()["results"]
    assert [(a["comment"], a["score"], a["contact"]["name"], a["team"]["name"]) for a in manager] == [
        ("About Gear Co", 2, "Ana Alves", "Support")
    ]


def test_discarding_a_draft(shop, api_client_for):
    draft = make_round(shop.admin, accounts=[shop.gear])
    api = api_client_for(shop.admin)
    assert api.delete(api_url("api-nps-round", pk=draft.pk)).status_code == 204
    assert not NpsRound.objects.exists()
    sent = send_round(shop.admin, accounts=[shop.gear])
    assert api.delete(api_url("api-nps-round", pk=sent.pk)).status_code == 400
    assert NpsRound.objects.filter(pk=sent.pk).exists()


def test_closing(shop, api_client_for):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    api = api_client_for(shop.admin)
    response = api.post(api_url("api-nps-round-close", pk=round_.pk))
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert api.post(api_url("api-nps-round-close", pk=round_.pk)).status_code == 400


def test_a_manager_may_not_run_a_round_for_other_teams(shop, api_client_for):
    round_ = make_round(shop.admin, accounts=[shop.skis])
    api = api_client_for(shop.manager)
    assert api.get(api_url("api-nps-round", pk=round_.pk)).status_code == 200
    assert api.get(api_url("api-nps-round-audience", pk=round_.pk)).status_code == 403
    assert api.post(api_url("api-nps-round-send", pk=round_.pk)).status_code == 403


def test_another_organisations_round_is_not_found(shop, api_client_for):
    globex = make_round(shop.outsider, accounts=[shop.globex_account])
    api = api_client_for(shop.admin)
    for name in ("api-nps-round", "api-nps-round-audience", "api-nps-round-answers"):
        assert api.get(api_url(name, pk=globex.pk)).status_code == 404
    assert api.post(api_url("api-nps-round-send", pk=globex.pk)).status_code == 404
    globex.refresh_from_db()
    assert globex.status == NpsRound.Status.DRAFT
