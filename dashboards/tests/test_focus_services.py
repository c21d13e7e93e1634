"""The one-step action plan (dashboards.services.action_plans): a team goal linked to
the driver with its key result, in one transaction; a bad driver, team, parent or
target refused with nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dashboards.services import action_plans
from dashboards.tests import test_focus_selectors as base
from dashboards.tests.test_focus_selectors import Q4_FIGURES, TODAY, figures
from teams.models import Goal, KeyResult
from teams.tests.factories import GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

world = base.world  # the fixture


def create(p, **overrides):
    fields = {
        "actor": p.manager,
        "team": p.support,
        "driver": "growth",
        "parent": p.org_goal,
        "target": Decimal("45"),
        "today": TODAY,
    }
    return action_plans.action_plan_create(**{**fields, **overrides})


@pytest.fixture
def scored(world):
    figures(world.org, world.support, Q4_FIGURES)
    figures(world.org, world.sales, Q4_FIGURES)
    return world


def nothing_saved():
    return Goal.objects.filter(team__isnull=False).count() == 0 and KeyResult.objects.count() == 0


def test_a_plan_is_a_team_goal_linked_to_the_driver_with_one_key_result(scored):
    p = scored

    goal = create(p, title="")

    assert (goal.team, goal.parent, goal.driver, goal.owner) == (p.support, p.org_goal, "growth", p.manager)
    assert goal.title == "Improve Growth"
    assert (goal.period_start, goal.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    [kr] = goal.key_results.all()
    assert kr.title == "Raise Growth favourable from 30% to 45%"
    assert (kr.baseline, kr.current, kr.target, kr.unit) == (Decimal(30), Decimal(30), Decimal(45), "%")
    assert kr.direction == KeyResult.Direction.UP and kr.kind == KeyResult.Kind.RESULT


def test_an_admin_plans_for_any_team_and_the_title_is_kept(scored):
    p = scored

    goal = create(p, actor=p.admin, team=p.sales, title="Grow people")

    assert goal.title == "Grow people" and goal.team == p.sales and goal.owner == p.admin


@pytest.mark.parametrize("driver", ["engagement", "happiness", ""])
def test_a_driver_that_is_not_one_is_refused_and_nothing_is_saved(scored, driver):
    with pytest.raises(ValidationError) as refused:
        create(scored, driver=driver)

    assert "driver" in refused.value.message_dict and nothing_saved()


def test_a_driver_without_a_figure_to_start_from_is_refused(world):
    p = world
    figures(p.org, p.support, {"growth": 20.0}, suppressed=("growth",))

    with pytest.raises(ValidationError) as refused:
        create(p)

    assert "not enough responses" in refused.value.message_dict["driver"][0] and nothing_saved()


def test_another_organisations_team_is_refused(scored):
    p = scored
    globex_team = TeamFactory(organization=p.other_org, name="Globex team")

    with pytest.raises(ValidationError) as refused:
        create(p, team=globex_team)

    assert "team" in refused.value.message_dict and nothing_saved()


def test_a_manager_may_not_plan_for_a_team_they_do_not_manage(scored):
    with pytest.raises(PermissionDenied):
        create(scored, team=scored.sales)
    with pytest.raises(PermissionDenied):
        create(scored, actor=scored.member)

    assert nothing_saved()


def test_the_parent_must_be_an_organisation_goal_of_ours(scored):
    p = scored
    globex_goal = GoalFactory(organization=p.other_org)
    team_goal = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal)

    for parent in (None, globex_goal, team_goal):
        with pytest.raises(ValidationError) as refused:
            create(p, parent=parent)
        assert "parent" in refused.value.message_dict

    assert Goal.objects.filter(driver__gt="").count() == 0 and KeyResult.objects.count() == 0


@pytest.mark.parametrize(
    ("target", "says"), [("30", "Aim above"), ("12", "Aim above"), ("101", "at most 100"), ("x", "number")]
)
def test_a_target_not_above_the_baseline_or_past_100_is_refused(scored, target, says):
    with pytest.raises(ValidationError) as refused:
        create(scored, target=target)

    assert says in refused.value.message_dict["target"][0] and nothing_saved()


def test_a_refusal_after_the_goal_is_made_leaves_nothing_behind(scored, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"title": "The key result could not be saved."})

    monkeypatch.setattr(action_plans, "key_result_create", refuse)

    with pytest.raises(ValidationError):
        create(scored)

    assert nothing_saved()
