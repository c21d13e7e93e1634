"""The account health page and the accounts-at-risk list: who gets which answer, what
they show, the CSV export, and queries that do not grow with the data."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tests.factories import CustomerAccountFactory
from dashboards.tests.test_accounts_selectors import (  # noqa: F401 (frozen: the fixed day, autouse)
    feedback,
    follow_up,
    frozen,
    make_scene,
    nps_snapshot,
    risky_account,
)
from surveys.models.scores import Granularity, Metric, ScopeType
from work.tests.factories import HandoffFactory, WinFactory

pytestmark = pytest.mark.django_db

AT_RISK = reverse("dashboards:at_risk")


def health_url(account):
    return reverse("dashboards:account_health", kwargs={"pk": account.pk})


@pytest.fixture
def scene(personas):
    return make_scene(personas)


def queries(client, url) -> tuple[int, str]:
    """The queries of a GET, after one to warm up (a first request saves the session)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def assert_same_queries(one: tuple[int, str], many: tuple[int, str]):
    assert one[0] == many[0], f"{one[0]} queries with one row, {many[0]} with many:\n{many[1]}"


# --- Account health -------------------------------------------------------------------------


def test_health_page_shows_reasons_comments_and_scores(personas, scene, client_for):
    response = client_for(personas.member).get(health_url(scene.risky))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "At risk:",
        "4 reasons",
        "Deliveries keep arriving late.",
        "NPS fell from",
        "past its due day",
        "Customer NPS, latest quarter",
        "How is this computed?",
        'data-chart="nps-trend"',
    ):
        assert text in page, text


def test_health_page_of_another_teams_account_is_forbidden_and_another_orgs_not_found(personas, scene, client_for):
    assert client_for(personas.member).get(health_url(scene.elsewhere)).status_code == 403
    assert client_for(personas.manager).get(health_url(scene.elsewhere)).status_code == 403
    assert client_for(personas.admin).get(health_url(scene.elsewhere)).status_code == 200
    assert client_for(personas.admin).get(health_url(scene.globex)).status_code == 404


def test_health_page_shows_a_suppressed_team_score_as_not_enough_responses(personas, scene, client_for):
    nps_snapshot(
        scene.risky,
        dt.date(2026, 5, 1),
        None,
        suppressed=True,
        scope_type=ScopeType.TEAM,
        scope_id=scene.team.pk,
        metric=Metric.ENGAGEMENT,
        granularity=Granularity.MONTH,
    )
    manager_page = client_for(personas.manager).get(health_url(scene.risky)).content.decode()
    assert "Not enough responses" in manager_page
    member_page = client_for(personas.member).get(health_url(scene.risky)).content.decode()
    assert "Not enough responses" not in member_page


def test_health_page_of_a_quiet_account_says_how_to_get_data(personas, client_for, scene):
    quiet = CustomerAccountFactory(organization=personas.org, owning_team=scene.team, name="Quiet Co")
    page = client_for(personas.member).get(health_url(quiet)).content.decode()
    assert "No NPS answers in the last year" in page
    assert "No contacts yet" in page  # its one reason


def test_health_page_queries_do_not_grow_with_feedback_handoffs_and_wins(personas, scene, client_for):
    client = client_for(personas.manager)
    account = scene.risky

    def add(count):
        for n in range(count):
            feedback(account, n % 11, comment=f"Comment {n}", days_ago=n % 300)
            follow_up(account, due_in_days=n - 25)
            HandoffFactory(
                organization=personas.org, account=account, sender=personas.member, to_member=personas.manager
            )
            WinFactory(organization=personas.org, team=scene.team, account=account, author=personas.member)

    add(1)
    one = queries(client, health_url(account))
    add(49)
    assert_same_queries(one, queries(client, health_url(account)))


# --- Accounts at risk -----------------------------------------------------------------------


def test_at_risk_list_shows_the_readers_accounts_with_their_reasons(personas, scene, client_for):
    member_page = client_for(personas.member).get(AT_RISK).content.decode()
    assert "Alpine Risky" in member_page and "Cedar Elsewhere" not in member_page
    assert "Globex Risky" not in member_page and "Birch Healthy" not in member_page
    assert "Falling" in member_page and "Review due" in member_page
    admin_page = client_for(personas.admin).get(AT_RISK).content.decode()
    assert "Cedar Elsewhere" in admin_page and "The whole organisation" in admin_page


def test_at_risk_list_filters_by_team_and_refuses_a_team_the_reader_is_not_on(personas, scene, client_for):
    page = client_for(personas.admin).get(AT_RISK, {"team": scene.other_team.pk}).content.decode()
    assert "Cedar Elsewhere" in page and "Alpine Risky" not in page
    refused = client_for(personas.member).get(AT_RISK, {"team": scene.other_team.pk})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert "Cedar Elsewhere" not in refused.content.decode()


def test_at_risk_list_sorts_by_an_allowed_column(personas, scene, client_for):
    risky_account(personas.org, scene.team, "Aardvark Risky")
    page = client_for(personas.admin).get(AT_RISK, {"sort": "name"}).content.decode()
    assert page.index("Aardvark Risky") < page.index("Alpine Risky") < page.index("Cedar Elsewhere")
    page = client_for(personas.admin).get(AT_RISK, {"sort": "contacts"}).content.decode()
    assert page.index("Alpine Risky") < page.index("Cedar Elsewhere")  # reviewed 400 days ago, then 10


def test_at_risk_csv_streams_the_same_rows(personas, scene, client_for):
    response = client_for(personas.admin).get(AT_RISK, {"format": "csv", "sort": "name"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Account", "Owning team", "Account lead", "Status", "Reasons"]
    assert [row[0] for row in rows[1:]] == ["Alpine Risky", "Cedar Elsewhere"]
    alpine = dict(zip(rows[0], rows[1], strict=True))
    assert alpine["Reasons"] == "4" and alpine["NPS this quarter"] == "10" and alpine["NPS falling"] == "yes"
    member_rows = b"".join(client_for(personas.member).get(AT_RISK, {"format": "csv"}).streaming_content)
    assert b"Cedar Elsewhere" not in member_rows


def test_at_risk_csv_neutralises_formulas_in_names(personas, scene, client_for):
    risky_account(personas.org, scene.team, "=HYPERLINK(1)")
    body = b"".join(client_for(personas.admin).get(AT_RISK, {"format": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_at_risk_queries_do_not_grow_with_accounts(personas, scene, client_for):
    client = client_for(personas.admin)
    one = queries(client, AT_RISK), queries(client, AT_RISK + "?format=csv")
    for n in range(49):
        risky_account(personas.org, scene.team if n % 2 else scene.other_team, f"Risky {n:02d}")
    many = queries(client, AT_RISK), queries(client, AT_RISK + "?format=csv")
    assert_same_queries(one[0], many[0])
    assert_same_queries(one[1], many[1])


def test_customer_page_links_to_account_health(personas, scene, client_for):
    page = client_for(personas.member).get(reverse("customers:account_detail", kwargs={"pk": scene.risky.pk}))
    assert health_url(scene.risky) in page.content.decode()


def test_nav_marks_at_risk_current(personas, scene, client_for):
    page = client_for(personas.member).get(AT_RISK).content.decode()
    assert f'<a href="{AT_RISK}" aria-current="page">At risk</a>' in page
