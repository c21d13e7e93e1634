"""An action plan in one step: from a weak driver, a team goal aligned to an
organisation goal, linked to the driver, with one key result that raises the driver's
percent favourable from its current figure to a target (issue 13, focus areas).

The goal and its key result are made by teams' own services (their rules: who may,
alignment, baseline and target) inside one transaction here, so a refusal at any
step leaves nothing behind. The baseline is read from the team's scores, never taken
from the caller: it is the figure the person sees on the focus page.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Membership
from dashboards.selectors.focus import DRIVER_KEYS, current_favourable, driver_label, this_quarter
from surveys.models.scores import Granularity
from surveys.scoring.periods import Period
from teams.access import require_team_manager
from teams.models import Goal, KeyResult, Team
from teams.services.goals import goal_create, key_result_create

PERCENT = Decimal("1")


def _percent(value) -> str:
    return f"{Decimal(value).quantize(PERCENT, ROUND_HALF_UP)}"


def key_result_title(*, driver: str, baseline, target) -> str:
    return f"Raise {driver_label(driver)} favourable from {_percent(baseline)}% to {_percent(target)}%"


def _checked_target(target, baseline: Decimal) -> Decimal:
    try:
        target = Decimal(str(target))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"target": "Enter the target as a number of percent."}) from None
    if not target.is_finite() or target > 100:
        raise ValidationError({"target": "A percent favourable is at most 100."})
    if target <= baseline:
        raise ValidationError({"target": f"Aim above today's {_percent(baseline)}%: the plan is to raise it."})
    return target.quantize(Decimal("0.01"))


@transaction.atomic
def action_plan_create(
    *,
    actor: Membership,
    team: Team,
    driver: str,
    parent: Goal | None,
    target,
    title: str = "",
    granularity: str = Granularity.QUARTER,
    today=None,
) -> Goal:
    """The team's goal for ``driver`` this quarter, serving ``parent``, with the key
    result "Raise <driver> favourable from <current>% to <target>%" (unit %, baseline
    the current figure). Managers of the team and admins only."""
    if team.organization_id != actor.organization_id:
        raise ValidationError({"team": "Choose a team of your organisation."})
    require_team_manager(actor, team)
    if driver not in DRIVER_KEYS:
        raise ValidationError({"driver": "Choose one of the survey's drivers (engagement is the outcome, not one)."})
    snapshot = current_favourable(membership=actor, team=team, driver=driver, granularity=granularity, today=today)
    if snapshot is None:
        raise ValidationError(
            {"driver": f"{driver_label(driver)} has no figure to start from yet (not enough responses)."}
        )
    baseline = Decimal(str(snapshot.value)).quantize(PERCENT, ROUND_HALF_UP)
    target = _checked_target(target, baseline)
    quarter = this_quarter(membership=actor, today=today)
    measured = Period(snapshot.granularity, snapshot.period_start).label
    goal = goal_create(
        actor=actor,
        team=team,
        title=(title or "").strip() or f"Improve {driver_label(driver)}",
        description=(
            f"Action plan for {driver_label(driver)}, made from the team's focus areas: "
            f"{_percent(baseline)}% favourable in {measured}."
        ),
        parent=parent,
        owner=actor,
        period_start=quarter.start,
        period_end=quarter.end - dt.timedelta(days=1),
    )
    # teams' goal_create takes no driver (teams knows nothing of surveys): set it here,
    # in the same transaction.
    goal.driver = driver
    goal.save(update_fields=["driver"])
    key_result_create(
        actor=actor,
        goal=goal,
        title=key_result_title(driver=driver, baseline=baseline, target=target),
        baseline=baseline,
        target=target,
        unit="%",
        kind=KeyResult.Kind.RESULT,
    )
    return goal
