"""Customer feedback pages: the feedback list (filters, visibility per persona, CSV),
thanking a promoter, a customer's NPS section, and closing a follow-up that came from
feedback."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from customers.models import FollowUp
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
    """Northwind is Support's (Bob manages it, Charlie and Dan are on it, Dan leads it);
    Fjord Skis is Sales' (Eve's team). Each has had feedback."""
    p = acme
    p.northwind = CustomerAccountFactory(organization=p.org, name="Northwind", owning_team=p.support, lead=p.dan)
    p.skis = CustomerAccountFactory(organization=p.org, name="Fjord Skis", owning_team=p.sales)
    p.jo = ContactFactory(account=p.northwind, name="Jo Buyer")
    p.kim = ContactFactory(account=p.skis, name="Kim Racer")
    p.detractor = _record(p, p.northwind, p.jo, 3, "Two late deliveries.", days_ago=1)
    p.promoter = _record(p, p.northwind, p.jo, 10, "Best service we have.", days_ago=40)
    p.passive = _record(p, p.northwind, None, 4, "", kind="csat", days_ago=3)
    p.sales_feedback = _record(p, p.skis, p.kim, 9, "Sales secret comment", days_ago=2)
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
        received_at=NOW - dt.timedelta(days=days_ago),
    )
    return feedback


def _list(client_for, who, **query):
    return client_for(who).get(reverse("surveys:feedback_list"), query)


def _shown(response) -> set[int]:
    return {f.pk for f in response.context["page"].object_list}


# --- The list ------------------------------------------------------------------------------------


def test_the_admin_reads_all_feedback(world, client_for):
    response = _list(client_for, world.admin)

    assert response.status_code == 200
    assert _shown(response) == {world.detractor.pk, world.promoter.pk, world.passive.pk, world.sales_feedback.pk}


@pytest.mark.parametrize("who", ["manager", "member", "dan"])
def test_support_people_read_only_their_teams_feedback(world, client_for, who):
    response = _list(client_for, getattr(world, who))

    assert _shown(response) == {world.detractor.pk, world.promoter.pk, world.passive.pk}
    assert "Sales secret comment" not in response.content.decode()


def test_a_member_of_another_team_reads_only_theirs(world, client_for):
    assert _shown(_list(client_for, world.eve)) == {world.sales_feedback.pk}


def test_another_organisation_reads_none(world, client_for):
    response = _list(client_for, world.outsider)

    assert _shown(response) == set()
    assert "No customer feedback yet" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "detractors"}, {"detractor"}),
        ({"group": "promoters"}, {"promoter", "sales_feedback"}),
        ({"group": "passives"}, {"passive"}),
        ({"kind": "csat"}, {"passive"}),
        ({"score_min": "9", "score_max": "10"}, {"promoter", "sales_feedback"}),
        ({"score_max": "3"}, {"detractor"}),
        ({"received_from": "2026-12-01"}, {"detractor", "sales_feedback"}),
        ({"received_from": "2026-11-30", "received_to": "2026-12-01"}, {"passive", "sales_feedback"}),
        ({"team": "sales"}, {"sales_feedback"}),
        ({"account": "northwind", "group": "promoters"}, {"promoter"}),
    ],
)
def test_the_list_filters(world, client_for, query, expected):
    ids = {"sales": world.sales.pk, "northwind": world.northwind.pk}
    query = {k: ids.get(v, v) for k, v in query.items()}

    response = _list(client_for, world.admin, **query)

    assert _shown(response) == {getattr(world, name).pk for name in expected}


def test_bad_filters_say_what_is_wrong_and_filter_nothing(world, client_for):
    response = _list(client_for, world.admin, score_min="8", score_max="2", received_from="yesterday")

    assert response.status_code == 200
    page = response.content.decode()
    assert "The highest score must not be below the lowest." in page
    assert "Enter a valid date." in page


def test_another_teams_account_is_no_filter_choice(world, client_for):
    response = _list(client_for, world.member, account=world.skis.pk)

    assert "Select a valid choice" in response.content.decode()
    assert world.sales_feedback.pk not in _shown(response)


def test_the_list_marks_detractors_follow_ups_and_promoters(world, client_for):
    page = _list(client_for, world.manager).content.decode()

    follow_up = world.detractor.follow_up
    assert f"#follow-up-{follow_up.pk}" in page
    assert "Possible reference" in page
    assert reverse("surveys:feedback_thank", kwargs={"pk": world.promoter.pk}) in page


def test_the_list_takes_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.admin)
    client.get(reverse("surveys:feedback_list"))  # warm the session and the organisation
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("surveys:feedback_list"))
    for n in range(10):
        _record(world, world.northwind, world.jo, n, f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("surveys:feedback_list"))


# --- CSV ---------------------------------------------------------------------------------------------


def test_the_csv_has_the_lists_rows_and_filters(world, client_for):
    response = client_for(world.member).get(reverse("surveys:feedback_export"), {"group": "detractors"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    lines = text.lstrip("\ufeff").strip().splitlines()
    assert lines[0].startswith("Received,Account,Contact,Team,Kind,Score,Comment")
    assert len(lines) == 2
    assert "Northwind,Jo Buyer,Support,nps,3,Two late deliveries.,Webhook,Open," in lines[1]
    assert "Sales secret comment" not in text


def test_the_csv_neutralises_formulas(world, client_for):
    _record(world, world.northwind, world.jo, 5, '=HYPERLINK("http://evil")')

    text = b"".join(client_for(world.admin).get(reverse("surveys:feedback_export")).streaming_content).decode()

    assert "'=HYPERLINK" in text


def test_the_csv_refuses_bad_filters_before_it_starts(world, client_for):
    response = client_for(world.admin).get(reverse("surveys:feedback_export"), {"score_min": "eleven"})

    assert response.status_code == 400
    assert "Score from" in response.content.decode()


# --- Thanking -------------------------------------------------------------------------------------


def test_thanking_a_promoter_from_the_list(world, client_for):
    url = reverse("surveys:feedback_thank", kwargs={"pk": world.promoter.pk})
    back = reverse("surveys:feedback_list") + "?group=promoters"

    response = client_for(world.member).post(url, {"next": back})

    assert response.status_code == 302 and response["Location"] == back
    assert NpsFeedback.objects.get(pk=world.promoter.pk).thanked_at == NOW


def test_thanking_goes_back_only_to_this_site(world, client_for):
    url = reverse("surveys:feedback_thank", kwargs={"pk": world.promoter.pk})

    response = client_for(world.member).post(url, {"next": "https://evil.example/"})

    assert response["Location"] == reverse("surveys:feedback_list")


def test_thanking_a_detractor_is_refused_with_a_message(world, client_for):
    url = reverse("surveys:feedback_thank", kwargs={"pk": world.detractor.pk})

    response = client_for(world.admin).post(url, follow=True)

    assert "Only promoters are thanked here" in response.content.decode()
    assert NpsFeedback.objects.get(pk=world.detractor.pk).thanked_at is None


@pytest.mark.parametrize("who", ["eve", "outsider"])
def test_feedback_of_an_account_not_theirs_is_not_found(world, client_for, who):
    url = reverse("surveys:feedback_thank", kwargs={"pk": world.promoter.pk})

    assert client_for(getattr(world, who)).post(url).status_code == 404
    assert NpsFeedback.objects.get(pk=world.promoter.pk).thanked_at is None


# --- The customer's page ----------------------------------------------------------------------------


def _account_page(client_for, who, account):
    return client_for(who).get(reverse("customers:account_detail", kwargs={"pk": account.pk}))


def test_the_account_page_shows_its_feedback_with_follow_ups_and_a_trend(world, client_for):
    response = _account_page(client_for, world.member, world.northwind)

    page = response.content.decode()
    assert "NPS history" in page
    assert "Two late deliveries." in page and "Best service we have." in page
    assert "Sales secret comment" not in page
    follow_up = world.detractor.follow_up
    assert f'href="/customers/{world.northwind.pk}/#follow-up-{follow_up.pk}"' in page
    assert "Mark thanked" in page  # the promoter
    assert 'data-nps-chart="nps-trend-data"' in page
    section = next(s for s in response.context["sections"] if s["template"].startswith("surveys/"))
    months = {m["period"]: m for m in section["trend"]["months"]}
    # December: one NPS detractor (-100); November: one CSAT 4; October: one promoter (100).
    assert (months[dt.date(2026, 12, 1)]["nps"], months[dt.date(2026, 12, 1)]["csat"]) == (-100, None)
    assert (months[dt.date(2026, 11, 1)]["nps"], months[dt.date(2026, 11, 1)]["csat"]) == (None, 4)
    assert months[dt.date(2026, 10, 1)]["nps"] == 100
    assert months[dt.date(2026, 9, 1)]["nps_count"] == 0
    assert len(months) == 12


def test_an_account_without_feedback_says_what_will_appear(world, client_for):
    quiet = CustomerAccountFactory(organization=world.org, name="Quiet Co", owning_team=world.support)

    page = _account_page(client_for, world.member, quiet).content.decode()

    assert "No NPS or CSAT answers yet" in page
    assert "data-nps-chart" not in page


def test_people_without_full_access_see_no_feedback_on_the_limited_page(world, client_for):
    page = _account_page(client_for, world.eve, world.northwind).content.decode()

    assert "Two late deliveries." not in page
    assert "NPS history" not in page


def test_the_account_page_feedback_section_has_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.admin)
    client.get(reverse("customers:account_detail", kwargs={"pk": world.northwind.pk}))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("customers:account_detail", kwargs={"pk": world.northwind.pk}))
    for n in range(8):
        _record(world, world.northwind, world.jo, n, f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("customers:account_detail", kwargs={"pk": world.northwind.pk}))


# --- Closing a follow-up that came from feedback -------------------------------------------------------


def _status(client_for, who, follow_up, **data):
    url = reverse("customers:follow_up_status", kwargs={"pk": follow_up.pk})
    return client_for(who).post(url, data, follow=True)


def test_the_page_asks_what_was_done_for_a_feedback_follow_up(world, client_for):
    page = _account_page(client_for, world.member, world.northwind).content.decode()

    assert 'placeholder="What was done (required)"' in page
    assert 'placeholder="Why it is dropped (required)"' in page


def test_closing_a_feedback_follow_up_without_an_outcome_is_refused_with_the_reason(world, client_for):
    follow_up = world.detractor.follow_up

    response = _status(client_for, world.member, follow_up, status="done", outcome="")

    assert "say what was done (or why it is dropped)" in response.content.decode()
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUp.Status.OPEN

    _status(client_for, world.member, follow_up, status="done", outcome="Called Jo, refunded shipping.")
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUp.Status.DONE


def test_the_htmx_row_after_a_refusal_still_asks_for_the_outcome(world, client_for):
    follow_up = world.detractor.follow_up
    url = reverse("customers:follow_up_status", kwargs={"pk": follow_up.pk})

    response = client_for(world.member).post(url, {"status": "cancelled"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "say what was done (or why it is dropped)" in page
    assert 'placeholder="Why it is dropped (required)"' in page
