"""Focus areas' reads (dashboards.selectors.focus): strongest and weakest drivers in
order (ties by the survey's order of drivers), suppressed figures left out (and, for
members, not there at all), the latest period with figures, what moves with
engagement ranked by r, and the organisation page's teams.

The fixtures here (``world``, ``figures``) serve the other test_focus modules too."""

import datetime as dt

import pytest

from dashboards.selectors import focus
from surveys.tests.test_scores_api import snap
from teams.tests.factories import GoalFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 16)
Q4, Q3 = dt.date(2026, 10, 1), dt.date(2026, 7, 1)
# Q4 of Support: a tie (values and role clarity at 70), growth the weakest.
Q4_FIGURES = {
    "collaboration": 80.0,
    "values": 70.0,
    "role_clarity": 70.0,
    "recognition": 40.0,
    "enablement": 55.0,
    "customer_focus": 90.0,
    "growth": 30.0,
}


def figures(org, team, values: dict, start=Q4, *, suppressed=(), granularity="quarter"):
    """One period's driver snapshots of a team (``team=None``: the organisation's)."""
    scope = ("org", org.pk) if team is None else ("team", team.pk)
    return {
        driver: snap(
            org,
            *scope,
            f"favourable.{driver}",
            start,
            value,
            granularity=granularity,
            suppressed=driver in suppressed,
        )
        for driver, value in values.items()
    }


def correlation(org, team, driver, r, start=Q4, **kw):
    scope = ("org", org.pk) if team is None else ("team", team.pk)
    return snap(
        org,
        *scope,
        f"correlation.{driver}",
        start,
        r,
        granularity="quarter",
        components={"responses": 12, "pearson_r": r},
        **kw,
    )


@pytest.fixture
def world(personas):
    """Bob manages Support (Charlie is on it); Sales is managed by nobody here; an
    organisation goal runs this year."""
    p = personas
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    TeamMembershipFactory(team=p.support, membership=p.member)
    p.org_goal = GoalFactory(
        organization=p.org, title="Customers stay", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    return p


def team_focus(p, membership, **kw):
    return focus.team_focus(membership=membership, team=p.support, today=TODAY, **kw)["focus"]


def labels(rows):
    return [f.driver for f in rows]


def test_strongest_and_weakest_are_three_each_in_order_and_ties_keep_the_drivers_order(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES)

    found = team_focus(p, p.manager)

    assert found["period_label"] == "2026-Q4" and found["is_current"]
    assert labels(found["strongest"]) == ["customer_focus", "collaboration", "values"]
    assert labels(found["weakest"]) == ["growth", "recognition", "enablement"]
    assert labels(found["ranked"])[2:4] == ["values", "role_clarity"]


def test_a_driver_level_with_a_strong_one_is_not_called_weak(world):
    p = world
    figures(p.org, p.support, dict.fromkeys(Q4_FIGURES, 100.0) | {"growth": 50.0})

    found = team_focus(p, p.manager)

    assert labels(found["strongest"]) == ["collaboration", "values", "role_clarity"]
    assert labels(found["weakest"]) == ["growth"]


def test_the_change_since_the_period_before_is_shown_when_both_are(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES)
    figures(p.org, p.support, {"growth": 45.0, "recognition": 10.0}, Q3, suppressed=("recognition",))

    found = {f.driver: f for f in team_focus(p, p.manager)["figures"]}

    assert found["growth"].change == -15.0 and found["growth"].direction == "down"
    assert found["recognition"].change is None  # the quarter before is suppressed


def test_a_suppressed_driver_is_left_out_of_the_ranking_and_shown_as_not_enough_to_managers(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES, suppressed=("growth",))

    found = team_focus(p, p.manager)

    assert "growth" not in labels(found["ranked"])
    assert labels(found["weakest"]) == ["recognition", "enablement"]  # role clarity is level with values
    assert labels(found["hidden"]) == ["growth"]
    assert all(f.value is None for f in found["hidden"])


def test_a_member_does_not_get_a_suppressed_driver_at_all(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES, suppressed=("growth",))

    found = team_focus(p, p.member)

    assert "growth" not in labels(found["ranked"]) and found["hidden"] == []
    assert labels(found["weakest"])[0] == "recognition"


def test_with_fewer_than_six_drivers_shown_no_driver_is_both_strong_and_weak(world):
    p = world
    figures(p.org, p.support, {"collaboration": 80.0, "values": 60.0, "growth": 50.0, "recognition": 40.0})

    found = team_focus(p, p.manager)

    assert labels(found["strongest"]) == ["collaboration", "values"]
    assert labels(found["weakest"]) == ["recognition", "growth"]


def test_the_latest_period_with_shown_figures_is_used_when_this_one_has_none(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES, suppressed=tuple(Q4_FIGURES))
    figures(p.org, p.support, {"growth": 45.0, "values": 70.0}, Q3)

    found = team_focus(p, p.manager)

    assert found["period_label"] == "2026-Q3" and not found["is_current"]
    assert labels(found["strongest"]) == ["values"]


def test_no_figures_say_why_not_enough_or_none_yet(world):
    p = world
    assert team_focus(p, p.manager)["why_empty"] == "missing"

    figures(p.org, p.support, {"growth": 45.0}, suppressed=("growth",))
    found = team_focus(p, p.manager)

    assert found["period"] is None and found["why_empty"] == "suppressed"
    assert "Not enough responses yet" in found["hint"]


def test_what_moves_with_engagement_is_ranked_by_r_and_a_suppressed_one_is_not_shown(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES)
    correlation(p.org, p.support, "growth", 0.62)
    correlation(p.org, p.support, "collaboration", 0.15)
    correlation(p.org, p.support, "recognition", 0.41)
    correlation(p.org, p.support, "values", None, suppressed=True)

    found = team_focus(p, p.manager)

    assert labels(found["moves"]) == ["growth", "recognition", "collaboration"]
    assert labels(found["moves_hidden"]) == ["values"]
    growth = found["moves"][0]
    assert growth.is_lever and growth.moves == "moves with engagement strongly"
    assert found["moves"][2].moves == "moves with engagement slightly"


def test_plain_words_for_r():
    assert focus.strength_words(0.05) == "does not move with engagement"
    assert focus.strength_words(-0.4) == "moves against engagement clearly"
    assert focus.strength_words(None).startswith("no pattern")


def test_the_organisation_page_lists_the_teams_a_manager_manages_or_is_on(world):
    p = world
    figures(p.org, None, Q4_FIGURES)
    figures(p.org, p.support, {"growth": 20.0, "values": 90.0})
    figures(p.org, p.sales, {"growth": 60.0, "values": 10.0})

    as_manager = focus.organisation_focus(membership=p.manager, today=TODAY)
    as_admin = focus.organisation_focus(membership=p.admin, today=TODAY)

    assert labels(as_manager["focus"]["strongest"]) == ["customer_focus", "collaboration", "values"]
    assert [row["team"].name for row in as_manager["teams"]] == ["Support"]
    assert [row["team"].name for row in as_admin["teams"]] == ["Sales", "Support"]
    sales = as_admin["teams"][0]["focus"]
    assert labels(sales["strongest"]) == ["growth"] and labels(sales["weakest"]) == ["values"]


def test_month_granularity_reads_months(world):
    p = world
    figures(p.org, p.support, {"growth": 20.0, "values": 90.0}, dt.date(2026, 11, 1), granularity="month")

    found = team_focus(p, p.manager, granularity="month")

    assert found["period_label"] == "2026-11" and labels(found["weakest"]) == ["growth"]
    assert focus.chosen_granularity("week") == "quarter"


def test_plan_defaults_start_from_the_first_running_organisation_goal_and_this_quarter(world):
    p = world
    figures(p.org, p.support, Q4_FIGURES)
    GoalFactory(organization=p.org, title="Ended", period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))

    d = focus.plan_defaults(membership=p.manager, team=p.support, driver="growth", granularity="quarter", today=TODAY)

    assert d["title"] == "Improve Growth" and d["parent"] == p.org_goal
    assert (d["period_start"], d["period_end"]) == (Q4, dt.date(2026, 12, 31))
    assert d["current"] == 30 and d["target"] == 40 and d["current_period"] == "2026-Q4"
