"""Customer survey pages: the list, building a round, the preview of whom it asks,
sending and closing it, and its answers for those who work on each account."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import NpsInvitation, NpsRound
from surveys.services import nps_public
from surveys.tests import test_nps_scene as scene
from surveys.tests.test_nps_scene import make_round, send_round

pytestmark = pytest.mark.django_db

# The customer survey tests' shared fixtures.
shop, _fresh_limits = scene.shop, scene._fresh_limits


def _form(p, **changes):
    data = {
        "title": "Spring NPS",
        "kind": "nps",
        "accounts": [p.gear.pk],
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }
    return {**data, **changes}


def test_the_empty_list_invites_a_first_round(shop, client_for):
    response = client_for(shop.manager).get(reverse("surveys:nps_list"))
    assert response.status_code == 200
    assert "No customer surveys yet" in response.content.decode()


def test_members_may_not_browse_customer_surveys(shop, client_for):
    assert client_for(shop.member).get(reverse("surveys:nps_list")).status_code == 403
    round_ = make_round(shop.admin, accounts=[shop.gear])
    assert client_for(shop.member).get(reverse("surveys:nps_detail", args=[round_.pk])).status_code == 404


def test_a_manager_builds_a_draft_from_their_own_accounts(shop, client_for):
    client = client_for(shop.manager)
    form = client.get(reverse("surveys:nps_create")).content.decode()
    assert "Gear Co (Support)" in form and "Skis AG" not in form and "Gold" in form
    response = client.post(reverse("surveys:nps_create"), _form(shop, segments=["Silver"]))
    round_ = NpsRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:nps_detail", args=[round_.pk])
    assert (round_.title, round_.segments, round_.created_by) == ("Spring NPS", ["Silver"], shop.manager)
    # It closes at the end of the chosen day, in the organisation's time zone (London).
    day = timezone.localdate() + dt.timedelta(days=10)
    london = timezone.localtime(round_.closes_at, ZoneInfo("Europe/London"))
    assert (london.date(), london.hour, london.minute) == (day + dt.timedelta(days=1), 0, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accounts": []}, "accounts"),
        ({"closes_on": "2001-01-01"}, "closes_on"),
        ({"kind": "ces"}, "kind"),
        ({"title": ""}, "title"),
        ({"accounts": ["99999999999999999999"]}, "accounts"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_saves_nothing(shop, client_for, changes, field):
    response = client_for(shop.manager).post(reverse("surveys:nps_create"), _form(shop, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not NpsRound.objects.exists()


def test_a_manager_cannot_pick_another_teams_account(shop, client_for):
    response = client_for(shop.manager).post(reverse("surveys:nps_create"), _form(shop, accounts=[shop.skis.pk]))
    assert response.status_code == 400 and "accounts" in response.context["form"].errors


def test_the_draft_shows_who_will_be_asked_and_why_others_are_not(shop, client_for):
    round_ = make_round(shop.manager, accounts=[shop.gear])
    body = client_for(shop.manager).get(reverse("surveys:nps_detail", args=[round_.pk])).content.decode()
    assert "Who will be asked" in body and "Ana Alves" in body and "ana@gear.example" in body
    assert "Ben Brook" in body and "No e-mail address" in body
    assert "Cleo Cole" in body and "Opted out of surveys" in body
    assert "Send to 1 contact" in body


def test_sending_from_the_page_invites_and_says_how_many(shop, client_for, django_capture_on_commit_callbacks):
    round_ = make_round(shop.manager, accounts=[shop.gear, shop.boots])
    client = client_for(shop.manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("surveys:nps_send", args=[round_.pk]), follow=True)
    assert "Sent: 2 contacts will get their personal link." in response.content.decode()
    assert len(callbacks) == 1 and NpsInvitation.objects.count() == 2
    again = client.post(reverse("surveys:nps_send", args=[round_.pk]), follow=True)
    assert "This round was sent already." in again.content.decode()
    assert NpsInvitation.objects.count() == 2


def test_a_manager_cannot_send_or_close_an_admins_round_for_other_teams(shop, client_for):
    round_ = make_round(shop.admin, accounts=[shop.skis])
    client = client_for(shop.manager)
    assert client.get(reverse("surveys:nps_detail", args=[round_.pk])).status_code == 200
    assert client.post(reverse("surveys:nps_send", args=[round_.pk])).status_code == 403
    assert client.post(reverse("surveys:nps_close", args=[round_.pk])).status_code == 403
    assert not NpsInvitation.objects.exists()


def test_a_draft_can_be_discarded_and_a_sent_round_cannot(shop, client_for):
    draft = make_round(shop.manager, accounts=[shop.gear])
    client = client_for(shop.manager)
    response = client.post(reverse("surveys:nps_discard", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("surveys:nps_list")
    assert not NpsRound.objects.filter(pk=draft.pk).exists()
    sent = send_round(shop.manager, accounts=[shop.gear])
    response = client.post(reverse("surveys:nps_discard", args=[sent.pk]), follow=True)
    assert "Only a draft can be discarded" in response.content.decode()
    assert NpsRound.objects.filter(pk=sent.pk).exists()


def test_closing_from_the_page(shop, client_for):
    round_ = send_round(shop.manager, accounts=[shop.gear])
    response = client_for(shop.manager).post(reverse("surveys:nps_close", args=[round_.pk]), follow=True)
    assert "is closed: its links take no more answers" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == NpsRound.Status.CLOSED


def test_answers_are_shown_to_the_people_of_each_account(shop, client_for, django_assert_max_num_queries):
    round_ = send_round(shop.admin, accounts=[shop.gear, shop.skis])
    for invitation in NpsInvitation.objects.filter(round=round_):
        nps_public.nps_link_answer(invitation=invitation, score=3, comment=f"About {invitation.account.name}")
    admin = client_for(shop.admin).get(reverse("surveys:nps_detail", args=[round_.pk])).content.decode()
    assert "About Gear Co" in admin and "About Skis AG" in admin
    # Bob manages Support (Gear), not Sales (Skis): he reads Gear's answer alone.
    manager = client_for(shop.manager).get(reverse("surveys:nps_detail", args=[round_.pk])).content.decode()
    assert "About Gear Co" in manager and "About Skis AG" not in manager
    assert "2 answers in all; you see those about the accounts you work on." in manager


def test_the_pages_queries_do_not_grow_with_answers(shop, client_for, django_assert_max_num_queries):
    round_ = send_round(shop.admin, accounts=[shop.gear, shop.boots, shop.skis])
    client = client_for(shop.admin)
    url = reverse("surveys:nps_detail", args=[round_.pk])
    client.get(url)
    for invitation in NpsInvitation.objects.filter(round=round_):
        nps_public.nps_link_answer(invitation=invitation, score=9)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("surveys:nps_list")).status_code == 200


def test_admins_set_the_survey_throttle_and_detractor_sla_on_the_settings_page_and_api(
    shop, client_for, api_client_for
):
    from teamhub.lib.testing import api_url

    form = client_for(shop.admin).get(reverse("accounts:organization_settings")).content.decode()
    assert 'name="survey_throttle_days"' in form and 'name="detractor_sla_days"' in form
    response = api_client_for(shop.admin).patch(
        api_url("api-org"), {"survey_throttle_days": 45, "detractor_sla_days": 3}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["survey_throttle_days"], response.json()["detractor_sla_days"]) == (45, 3)
    bad = api_client_for(shop.admin).patch(api_url("api-org"), {"survey_throttle_days": 400}, format="json")
    assert bad.status_code == 400
    shop.org.refresh_from_db()
    assert shop.org.survey_throttle_days == 45
