"""The meeting brief: its selector (what each section holds, scoped as its entity's
pages are), its page (form errors, not 500s), its PDF (WeasyPrint; skipped without
Pango except under CI=true), its API, and queries that do not grow with the data."""

import datetime as dt
import io
import re
import zlib
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tests.factories import CustomerAccountFactory, FollowUpFactory
from dashboards import pdf
from dashboards.selectors import brief as selectors
from surveys.models import NpsFeedback
from surveys.tests.test_scores_api import snap
from teamhub.lib.testing import api_url, error_fields, require
from teams.tests.factories import CheckInFactory, GoalFactory, KeyResultFactory, TeamFactory, TeamMembershipFactory
from work.models import Handoff
from work.tests.factories import HandoffFactory, SpotlightFactory, WinFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)  # a Friday
DAY = dt.timedelta(days=1)
THIS_WEEK, LAST_WEEK = dt.date(2026, 11, 30), dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _feedback(p, account, score, comment="", when=NOW - DAY, **kwargs):
    return NpsFeedback.objects.create(
        organization=p.org,
        account=account,
        team=account.owning_team,
        kind="nps",
        score=score,
        comment=comment,
        channel=NpsFeedback.Channel.API,
        received_at=when,
        **kwargs,
    )


def add_rows(p, count: int, *, prefix: str = "Row") -> None:
    """``count`` rows of each kind in Support's brief of the last seven days."""
    goal = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal, title=f"{prefix} goal")
    for n in range(count):
        win = WinFactory(
            organization=p.org, team=p.support, author=p.member, account=p.northwind, title=f"{prefix} {n}"
        )
        SpotlightFactory(win=win, by=p.manager)
        HandoffFactory(
            organization=p.org,
            account=p.northwind,
            sender=p.member,
            sender_team=p.support,
            to_member=None,
            to_team=p.sales,
            created_at=NOW - 2 * DAY,
        )
        kr = KeyResultFactory(goal=goal, title=f"{prefix} KR {n}")
        CheckInFactory(key_result=kr, value=Decimal("30"), author=p.manager, created_at=NOW - DAY)
        account = CustomerAccountFactory(organization=p.org, owning_team=p.support, name=f"{prefix} account {n}")
        follow_up = FollowUpFactory(account=account, owner=p.member, due_date=NOW.date() - 3 * DAY)
        _feedback(p, account, 2, f"{prefix} comment {n}", follow_up=follow_up)


@pytest.fixture
def scene(personas):
    """Support (Bob manages it, Charlie is on it) has this week's work; Sales (Eve's),
    managed by nobody here, has its own; Globex has a team nobody of Acme may brief.
    Acme counts time in London."""
    p = personas
    p.org.timezone = "Europe/London"
    p.org.save(update_fields=["timezone"])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    TeamMembershipFactory(team=p.support, membership=p.member)
    p.eve = TeamMembershipFactory(team=p.sales, membership__organization=p.org).membership
    p.org_goal = GoalFactory(organization=p.org, title="Delight customers")
    p.northwind = CustomerAccountFactory(organization=p.org, name="Northwind", owning_team=p.support)
    p.skis = CustomerAccountFactory(organization=p.org, name="Skis", owning_team=p.sales)
    p.win = WinFactory(
        organization=p.org,
        team=p.support,
        author=p.member,
        account=p.northwind,
        title="Saved the Northwind launch",
        created_at=NOW - 2 * DAY,
    )
    p.spotlight = SpotlightFactory(win=p.win, by=p.manager, note="Calm under pressure.")
    p.old_win = WinFactory(
        organization=p.org, team=p.support, author=p.member, title="Old news", created_at=NOW - 9 * DAY
    )
    p.sales_win = WinFactory(organization=p.org, team=p.sales, author=p.eve, title="Sales' own win")
    p.sent = HandoffFactory(
        organization=p.org,
        account=p.northwind,
        sender=p.member,
        sender_team=p.support,
        to_member=None,
        to_team=p.sales,
        subject="Quote for tents",
        created_at=NOW - 2 * DAY,
    )
    p.waiting = HandoffFactory(
        organization=p.org,
        account=p.northwind,
        sender=p.eve,
        sender_team=p.sales,
        to_member=None,
        to_team=p.support,
        subject="Waiting since last week",
        created_at=NOW - 10 * DAY,
    )
    p.returned = HandoffFactory(
        organization=p.org,
        account=p.northwind,
        sender=p.member,
        sender_team=p.support,
        to_member=p.eve,
        receiving_team=p.sales,
        subject="Came back",
        status=Handoff.Status.RETURNED,
        reason="Not ours",
        created_at=NOW - 12 * DAY,
        accepted_at=NOW - 12 * DAY + dt.timedelta(hours=2),
        closed_at=NOW - DAY,
    )
    goal = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal, title="Faster answers")
    p.check_in = CheckInFactory(
        key_result=KeyResultFactory(goal=goal, title="Answer within a day"),
        value=Decimal("35"),
        note="Better",
        author=p.manager,
        created_at=NOW - DAY,
    )
    p.follow_up = FollowUpFactory(account=p.northwind, owner=p.member, summary="Call them back")
    p.detractor = _feedback(p, p.northwind, 3, "Late delivery, twice.", follow_up=p.follow_up)
    p.promoter = _feedback(p, p.northwind, 10, "Lovely people.")
    p.sales_feedback = _feedback(p, p.skis, 1, "Sales' unhappy customer")
    snap(p.org, "team", p.support.pk, start=LAST_WEEK, value=50.0, granularity="week")
    snap(p.org, "team", p.support.pk, start=THIS_WEEK, value=62.0, granularity="week")
    snap(p.org, "team", p.support.pk, "enps", THIS_WEEK, granularity="week", suppressed=True)
    p.globex_team = TeamFactory(organization=p.other_org, name="Globex crew")
    return p


def _brief(p, membership, teams=None, **dates):
    start, end = selectors.default_range(membership=membership)
    teams = teams if teams is not None else list(selectors.briefable_teams(membership=membership))
    return selectors.meeting_brief(
        membership=membership, teams=teams, date_from=dates.get("date_from", start), date_to=dates.get("date_to", end)
    )


# --- Selector ---------------------------------------------------------------------------


def test_briefable_teams_are_a_managers_own_and_every_team_for_admins(scene):
    p = scene
    assert list(selectors.briefable_teams(membership=p.manager)) == [p.support]
    assert set(selectors.briefable_teams(membership=p.admin)) == {p.support, p.sales}
    assert list(selectors.briefable_teams(membership=p.member)) == []


def test_default_range_is_the_last_seven_days_in_the_org_time_zone(scene):
    assert selectors.default_range(membership=scene.manager) == (dt.date(2026, 11, 28), dt.date(2026, 12, 4))


def test_brief_holds_the_teams_week_and_nothing_of_other_teams(scene):
    p = scene
    brief = _brief(p, p.manager)
    assert [w.title for w in brief.wins] == ["Saved the Northwind launch"]
    assert [s.win.title for s in brief.spotlights] == ["Saved the Northwind launch"]
    assert [h.subject for h in brief.handoffs_opened] == ["Quote for tents"]
    assert [h.subject for h in brief.handoffs_late] == ["Quote for tents", "Waiting since last week"]
    assert [h.subject for h in brief.handoffs_returned] == ["Came back"]
    assert [c.note for c in brief.check_ins] == ["Better"]
    assert [f.comment for f in brief.comments] == ["Lovely people.", "Late delivery, twice."]
    assert [f.follow_up for f in brief.detractors] == [p.follow_up]
    assert [a.name for a in brief.accounts_at_risk] == ["Northwind"]
    assert "Detractor in the last 90 days" in brief.accounts_at_risk[0].reasons


def test_brief_range_leaves_out_what_happened_before_it(scene):
    p = scene
    brief = _brief(p, p.manager, date_from=dt.date(2026, 11, 20), date_to=dt.date(2026, 11, 26))
    assert [w.title for w in brief.wins] == ["Old news"]
    assert brief.handoffs_returned == [] and brief.check_ins == [] and brief.comments == []


def test_score_changes_compare_with_the_period_before_and_hide_suppressed_values(scene):
    p = scene
    (row,) = _brief(p, p.manager).score_changes
    scores = {s.metric: s for s in row.scores}
    assert scores["engagement"].snapshot.value == 62.0 and scores["engagement"].change == 12.0
    assert scores["enps"].snapshot.suppressed and scores["enps"].change is None


def test_interdepartmental_brief_covers_several_teams(scene):
    p = scene
    brief = _brief(p, p.admin, teams=[p.support, p.sales])
    assert {w.title for w in brief.wins} == {"Saved the Northwind launch", "Sales' own win"}
    assert {f.comment for f in brief.detractors} == {"Late delivery, twice.", "Sales' unhappy customer"}
    assert [row.team for row in brief.score_changes] == [p.sales, p.support]


# --- Page -------------------------------------------------------------------------------


def test_brief_page_shows_the_week_to_a_manager(scene, client_for):
    response = client_for(scene.manager).get(reverse("dashboards:brief"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Saved the Northwind launch", "Quote for tents", "Late delivery, twice.", "Answer within a day"):
        assert text in body
    assert "Not enough responses" in body
    assert "How is this computed" not in body and "score-explain" in body  # the compact "How?"
    assert "Sales&#x27; own win" not in body and "Sales' own win" not in body
    assert 'media="print"' in body and "brief-print" in body


def test_brief_page_refuses_members(scene, client_for):
    assert client_for(scene.member).get(reverse("dashboards:brief")).status_code == 403


@pytest.mark.parametrize(
    "query, field_error",
    [
        ({"from": "2026-13-01"}, "Enter a valid date."),
        ({"from": "2026-12-04", "to": "2026-12-01"}, "The last day must not be before the first."),
        ({"from": "2024-01-01", "to": "2026-12-01"}, "Choose at most 366 days."),
        ({"team": "999999999999999999999"}, "Select a valid choice."),
    ],
)
def test_brief_page_answers_bad_input_with_a_form_error(scene, client_for, query, field_error):
    response = client_for(scene.manager).get(reverse("dashboards:brief"), query)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert response.context["brief"] is None


def test_brief_page_refuses_a_team_the_manager_does_not_manage(scene, client_for):
    p = scene
    for team in (p.sales, p.globex_team):
        response = client_for(p.manager).get(reverse("dashboards:brief"), {"team": team.pk})
        assert response.context["brief"] is None
        assert "Select a valid choice" in response.content.decode()


# --- PDF --------------------------------------------------------------------------------


def test_brief_pdf_is_a_pdf_with_the_weeks_wins(scene, client_for):
    require(pdf.available(), f"WeasyPrint cannot load Pango here: {pdf.unavailable_reason()}")
    response = client_for(scene.manager).get(reverse("dashboards:brief_pdf"), {"team": scene.support.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="meeting-brief-2026-11-28-to-2026-12-04.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    try:
        from pypdf import PdfReader
    except ImportError:
        # pypdf is not a dependency: without it, the PDF must hold real pages set in the
        # vendored font (its compressed objects name the embedded, subset Inter).
        assert len(response.content) > 10_000
        assert b"+Inter" in _inflated(response.content)
    else:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Saved the Northwind launch" in text


def _inflated(content: bytes) -> bytes:
    """Every Flate stream of a PDF, decompressed and joined."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return out


def test_brief_pdf_without_pango_says_so_instead_of_failing(scene, client_for, monkeypatch):
    monkeypatch.setattr(pdf, "_weasyprint", lambda: (None, "OSError: cannot load library 'pango-1.0-0'"))
    response = client_for(scene.manager).get(reverse("dashboards:brief_pdf"))
    assert response.status_code == 503
    assert "needs the Pango text library" in response.content.decode()


def test_brief_pdf_refuses_bad_input_plainly(scene, client_for):
    response = client_for(scene.manager).get(reverse("dashboards:brief_pdf"), {"team": scene.sales.pk})
    assert response.status_code == 400
    assert response.content.decode().startswith("No PDF:")


def test_pdf_fetches_only_the_projects_static_files():
    require(pdf.available(), f"WeasyPrint cannot load Pango here: {pdf.unavailable_reason()}")
    weasyprint = pdf._weasyprint()[0]
    fetcher = pdf._fetcher_class(weasyprint)()
    fetcher.base_url = "http://testserver/"
    assert fetcher.fetch("http://testserver/static/css/brief-print.css").read().startswith(b"/*")
    for url in ("http://169.254.169.254/latest/", "file:///etc/passwd", "http://testserver/static/../../etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- API --------------------------------------------------------------------------------


def test_brief_api_returns_what_the_page_shows(scene, as_manager):
    response = as_manager.get(api_url("api-brief"), {"team": scene.support.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["date_from"] == "2026-11-28" and data["date_to"] == "2026-12-04"
    assert [w["title"] for w in data["wins"]] == ["Saved the Northwind launch"]
    assert [s["note"] for s in data["spotlights"]] == ["Calm under pressure."]
    assert [h["subject"] for h in data["handoffs"]["returned"]] == ["Came back"]
    assert [c["note"] for c in data["check_ins"]] == ["Better"]
    assert [f["follow_up"]["id"] for f in data["detractors"]] == [scene.follow_up.pk]
    assert [a["name"] for a in data["accounts_at_risk"]] == ["Northwind"]
    (team,) = data["score_changes"]
    scores = {s["metric"]: s for s in team["scores"]}
    assert scores["engagement"]["value"] == 62.0 and scores["engagement"]["change"] == 12.0
    assert scores["enps"] == {**scores["enps"], "value": None, "suppressed": True, "change": None}


def test_brief_api_refuses_members_and_teams_one_may_not_brief(scene, as_member, as_manager):
    assert as_member.get(api_url("api-brief")).status_code == 403
    for team in (scene.sales, scene.globex_team):
        response = as_manager.get(api_url("api-brief"), {"team": team.pk})
        assert response.status_code == 400
        assert "team" in error_fields(response)


def test_brief_api_refuses_a_backwards_range(scene, as_manager):
    response = as_manager.get(api_url("api-brief"), {"from": "2026-12-04", "to": "2026-12-01"})
    assert response.status_code == 400
    assert error_fields(response) == {"to": ["The last day must not be before the first."]}


# --- Queries ----------------------------------------------------------------------------


def _queries(get) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("route", ["page", "api"])
def test_brief_queries_do_not_grow_with_the_rows(scene, client_for, as_manager, route):
    p = scene
    if route == "page":
        client = client_for(p.manager)
        get = lambda: client.get(reverse("dashboards:brief"))  # noqa: E731
    else:
        get = lambda: as_manager.get(api_url("api-brief"))  # noqa: E731
    add_rows(p, 1, prefix="One")
    get()  # warm the per-process caches (content types, the session's first save)
    few = _queries(get)
    add_rows(p, 49, prefix="Many")
    many = _queries(get)
    assert len(many) == len(few), "\n".join(many)


def test_brief_page_of_an_empty_range_says_what_to_do(scene, client_for):
    response = client_for(scene.manager).get(reverse("dashboards:brief"), {"from": "2025-01-01", "to": "2025-01-07"})
    assert response.status_code == 200
    assert "Nothing recorded in these days" in response.content.decode()
