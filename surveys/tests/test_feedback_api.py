"""Customer feedback through the API: GET /api/v1/orgs/{slug}/nps-feedback/ with its
filters, one answer, and POST …/thanked/; each persona reads only the feedback of the
accounts they work on."""

import datetime as dt

import pytest
import time_machine

from customers.tests.factories import ContactFactory, CustomerAccountFactory
from surveys import services
from surveys.models import NpsFeedback
from surveys.services.feedback import RECORD_FEEDBACK
from teamhub.lib.actors import system_actor

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(acme):
    p = acme
    p.northwind = CustomerAccountFactory(organization=p.org, name="Northwind", owning_team=p.support, lead=p.dan)
    p.skis = CustomerAccountFactory(organization=p.org, name="Fjord Skis", owning_team=p.sales)
    p.jo = ContactFactory(account=p.northwind, name="Jo Buyer")
    p.detractor = _record(p, p.northwind, p.jo, 2, "Two late deliveries.", days_ago=1)
    p.promoter = _record(p, p.northwind, p.jo, 9, "Lovely.", days_ago=5)
    p.csat = _record(p, p.northwind, None, 3, "", kind="csat", days_ago=10)
    p.sales_feedback = _record(p, p.skis, None, 10, "Sales secret comment", days_ago=2)
    return p


def _record(p, account, contact, score, comment, *, kind="nps", days_ago=0):
    actor = system_actor(p.org, "the test webhook", RECORD_FEEDBACK)
    feedback, _ = services.feedback_record(
        actor=actor,
        account=account,
        contact=contact,
        score=score,
        kind=kind,
        comment=comment,
        channel="webhook",
        external_id=f"ev-{account.pk}-{score}-{days_ago}",
        received_at=NOW - dt.timedelta(days=days_ago),
    )
    return feedback


def _url(org, suffix=""):
    return f"/api/v1/orgs/{org.slug}/nps-feedback/{suffix}"


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"detractor", "promoter", "csat", "sales_feedback"}),
        ("manager", {"detractor", "promoter", "csat"}),
        ("member", {"detractor", "promoter", "csat"}),
        ("eve", {"sales_feedback"}),
    ],
)
def test_each_persona_lists_the_feedback_of_the_accounts_they_work_on(world, api_client_for, who, expected):
    response = api_client_for(getattr(world, who)).get(_url(world.org))

    assert _ids(response) == {getattr(world, name).pk for name in expected}


def test_another_organisation_gets_404_for_the_list(world, api_client_for):
    assert api_client_for(world.outsider).get(_url(world.org)).status_code == 404


def test_a_row_shows_the_score_group_follow_up_and_team(world, as_admin):
    row = next(r for r in as_admin.get(_url(world.org)).json()["results"] if r["id"] == world.detractor.pk)

    follow_up = world.detractor.follow_up
    assert row["score"] == 2 and row["kind"] == "nps" and row["group"] == "detractor"
    assert row["account"] == {"id": world.northwind.pk, "name": "Northwind"}
    assert row["contact"] == {"id": world.jo.pk, "name": "Jo Buyer"}
    assert row["team"] == {"id": world.support.pk, "name": "Support"}
    assert row["follow_up"]["id"] == follow_up.pk and row["follow_up"]["status"] == "open"
    assert row["follow_up"]["owner"]["id"] == world.dan.pk
    assert row["possible_reference"] is False and row["thanked_at"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "detractors"}, {"detractor"}),
        ({"group": "promoters"}, {"promoter", "sales_feedback"}),
        ({"group": "passives"}, {"csat"}),
        ({"kind": "csat"}, {"csat"}),
        ({"score_min": 9}, {"promoter", "sales_feedback"}),
        ({"score_min": 2, "score_max": 3}, {"detractor", "csat"}),
        ({"received_from": "2026-12-01"}, {"detractor", "sales_feedback"}),
        ({"received_to": "2026-11-28"}, {"promoter", "csat"}),
    ],
)
def test_the_list_filters(world, as_admin, query, expected):
    assert _ids(as_admin.get(_url(world.org), query)) == {getattr(world, name).pk for name in expected}


def test_the_list_filters_by_account_and_team(world, as_admin):
    assert _ids(as_admin.get(_url(world.org), {"account": world.skis.pk})) == {world.sales_feedback.pk}
    assert _ids(as_admin.get(_url(world.org), {"team": world.support.pk})) == {
        world.detractor.pk,
        world.promoter.pk,
        world.csat.pk,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"score_min": 11}, "score_min"),
        ({"score_min": "high"}, "score_min"),
        ({"score_min": 8, "score_max": 2}, "score_max"),
        ({"received_from": "2026-12-05", "received_to": "2026-12-01"}, "received_to"),
        ({"received_from": "soon"}, "received_from"),
        ({"kind": "ces"}, "kind"),
        ({"group": "everyone"}, "group"),
        ({"account": 10**20}, "account"),
    ],
)
def test_bad_filters_answer_400_with_the_field(world, as_admin, query, field):
    response = as_admin.get(_url(world.org), query)

    assert response.status_code == 400
    assert field in str(response.json())


def test_another_teams_account_as_a_filter_finds_nothing(world, as_member):
    """Everyone may name any account of the organisation (they see its name anyway);
    its feedback stays its team's."""
    response = as_member.get(_url(world.org), {"account": world.skis.pk})

    assert _ids(response) == set()
    assert "Sales secret comment" not in response.content.decode()


def test_one_answer_by_id(world, as_member):
    response = as_member.get(_url(world.org, f"{world.promoter.pk}/"))

    assert response.status_code == 200
    assert response.json()["possible_reference"] is True


@pytest.mark.parametrize("who", ["member", "manager"])
def test_another_teams_answer_is_not_found(world, api_client_for, who):
    response = api_client_for(getattr(world, who)).get(_url(world.org, f"{world.sales_feedback.pk}/"))

    assert response.status_code == 404


def test_thanking_a_promoter(world, as_member):
    response = as_member.post(_url(world.org, f"{world.promoter.pk}/thanked/"))

    assert response.status_code == 200
    assert response.json()["thanked_at"] is not None
    assert NpsFeedback.objects.get(pk=world.promoter.pk).thanked_at == NOW


def test_thanking_a_detractor_is_a_400(world, as_admin):
    response = as_admin.post(_url(world.org, f"{world.detractor.pk}/thanked/"))

    assert response.status_code == 400
    assert "Only promoters" in response.content.decode()


def test_thanking_another_teams_promoter_is_not_found(world, as_member):
    response = as_member.post(_url(world.org, f"{world.sales_feedback.pk}/thanked/"))

    assert response.status_code == 404
    assert NpsFeedback.objects.get(pk=world.sales_feedback.pk).thanked_at is None


def test_the_list_takes_a_fixed_number_of_queries(world, as_admin, django_assert_max_num_queries):
    as_admin.get(_url(world.org))
    with django_assert_max_num_queries(10) as few:
        as_admin.get(_url(world.org))
    for n in range(10):
        _record(world, world.northwind, world.jo, n, f"More {n}", days_ago=n + 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_admin.get(_url(world.org))


def test_closing_a_feedback_follow_up_through_the_api_needs_the_outcome(world, as_member):
    url = f"/api/v1/orgs/{world.org.slug}/follow-ups/{world.detractor.follow_up.pk}/status/"

    refused = as_member.post(url, {"status": "done"}, format="json")

    assert refused.status_code == 400
    assert "say what was done" in refused.json()["error"]["fields"]["outcome"][0]
    done = as_member.post(url, {"status": "done", "outcome": "Called Jo back."}, format="json")
    assert done.status_code == 200 and done.json()["outcome"] == "Called Jo back."
