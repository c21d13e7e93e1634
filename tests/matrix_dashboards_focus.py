"""Authorization matrix rows for focus areas and action plans: the two pages, the
one-step plan form and its POST, a plan's page, and their API.

The organisation's focus areas are for managers and admins (the outsider, Globex's
admin, reads Globex's). A team's (``team``: the manager manages it, the member is on
it) are for its people; ``unmanaged_team``'s are refused to the member and the
manager (403); another organisation's team is not found. Managers of the team and
admins make plans. The Scene has no driver figure and no action plan, so the rows'
``kwargs`` give both organisations' teams a recognition figure this quarter and make
each ``team_goal`` an action plan for recognition — inside the case's transaction,
rolled back after it, and before the database fingerprint is taken.
"""

import datetime as dt

from django.utils import timezone

from surveys.models import ScoreSnapshot
from surveys.scoring.periods import QUARTER, period_of
from teams.models import Goal
from tests.authz import LOGIN, Redirect, Route
from tests.matrix_rows import MANAGERS, NOT_FOUND, api_roles, collection, globex_object, own_teams

PLAN = Redirect("dashboards:focus_plan")


def _prepare(p) -> None:
    today = timezone.localdate()
    quarter = period_of(QUARTER, today)
    for teams in (p.teams, p.other_teams):
        for team in (teams.team, teams.unmanaged_team):
            ScoreSnapshot.objects.update_or_create(
                organization_id=team.organization_id,
                scope_type="team",
                scope_id=team.pk,
                metric="favourable.recognition",
                granularity="quarter",
                period_start=quarter.start,
                defaults={
                    "value": 40.0,
                    "sample_size": 8,
                    "suppressed": False,
                    "components": {"favourable": 8, "answers": 20},
                    "computed_at": timezone.now(),
                },
            )
        # The organisation goal must still run for a plan to serve it.
        Goal.objects.filter(pk=teams.goal.pk, period_end__lt=today).update(period_end=today + dt.timedelta(days=90))
        Goal.objects.filter(pk=teams.team_goal.pk).update(driver="recognition")


def _on(teams_of, attribute):
    def kwargs(p):
        _prepare(p)
        return {"pk": getattr(teams_of(p), attribute).pk}

    return kwargs


def _acme(attribute):
    return _on(lambda p: p.teams, attribute)


def _globex(attribute):
    return _on(lambda p: p.other_teams, attribute)


def _plan_form(p):
    """A valid one-step plan, serving the requester's organisation's goal."""
    return {
        "driver": "recognition",
        "granularity": "quarter",
        "title": "Matrix plan",
        "parent": own_teams(p).goal.pk,
        "target": "60",
    }


def _api(attribute=None, org="acme"):
    """Acme's slug and object; "globex-object": Acme's slug with Globex's object;
    "globex": Globex's slug with Acme's object."""

    def kwargs(p):
        _prepare(p)
        slug = (p.other_org if org == "globex" else p.org).slug
        found = {"org_slug": slug}
        if attribute:
            teams = p.other_teams if org == "globex-object" else p.teams
            found["pk"] = getattr(teams, attribute).pk
        return found

    return kwargs


def _api_plan(team_attribute):
    def data(p):
        return {
            "driver": "recognition",
            "team": getattr(p.teams, team_attribute).pk,
            "parent": p.teams.goal.pk,
            "target": 60,
        }

    return data


def _api_globex_team(p):
    return {"driver": "recognition", "team": p.other_teams.team.pk, "parent": p.teams.goal.pk, "target": 60}


TEAM_READERS = {"anonymous": LOGIN, "outsider": 404, "member": 200, "manager": 200, "admin": 200}
ADMIN_ONLY_TEAM = {"anonymous": LOGIN, "outsider": 404, "member": 403, "manager": 403, "admin": 200}
PLANNERS = {"anonymous": LOGIN, "outsider": 404, "member": 403, "manager": PLAN, "admin": PLAN}
EVERYONE_404 = {"anonymous": LOGIN, "outsider": 404, "member": 404, "manager": 404, "admin": 404}

ROUTES = [
    # The organisation's focus areas.
    Route(name="dashboards:focus", expect=MANAGERS),
    # A team's.
    Route(name="dashboards:focus_team", kwargs=_acme("team"), expect=TEAM_READERS),
    Route(name="dashboards:focus_team", variant="unmanaged", kwargs=_acme("unmanaged_team"), expect=ADMIN_ONLY_TEAM),
    Route(name="dashboards:focus_team", variant="other-org", kwargs=_globex("team"), expect=globex_object(200)),
    # The one-step plan: its form and its POST.
    Route(
        name="dashboards:focus_plan_create",
        kwargs=_acme("team"),
        expect={**PLANNERS, "manager": 200, "admin": 200},
    ),
    Route(
        name="dashboards:focus_plan_create",
        method="POST",
        kwargs=_acme("team"),
        data=_plan_form,
        expect=PLANNERS,
    ),
    Route(
        name="dashboards:focus_plan_create",
        variant="unmanaged",
        method="POST",
        kwargs=_acme("unmanaged_team"),
        data=_plan_form,
        expect={**PLANNERS, "manager": 403},
    ),
    Route(
        name="dashboards:focus_plan_create",
        variant="other-org",
        method="POST",
        kwargs=_globex("team"),
        data=_plan_form,
        expect=globex_object(PLAN),
    ),
    # A plan's page: ``team_goal`` made an action plan for recognition.
    Route(name="dashboards:focus_plan", kwargs=_acme("team_goal"), expect=TEAM_READERS),
    Route(name="dashboards:focus_plan", variant="other-org", kwargs=_globex("team_goal"), expect=globex_object(200)),
    # An organisation goal is no action plan.
    Route(name="dashboards:focus_plan", variant="not-a-plan", kwargs=_acme("goal"), expect=EVERYONE_404),
    # API: the organisation's focus areas (a team's, ?team=, are in dashboards/tests/test_focus_api.py).
    *collection("api-focus-areas", member=403, manager=200),
    Route(
        name="api-action-plans",
        method="POST",
        kwargs=_api(),
        data=_api_plan("team"),
        expect=api_roles(member=403, manager=201),
    ),
    Route(
        name="api-action-plans",
        variant="unmanaged-team",
        method="POST",
        kwargs=_api(),
        data=_api_plan("unmanaged_team"),
        expect=api_roles(member=403, manager=403, admin=201),
    ),
    Route(
        name="api-action-plans",
        variant="other-org-team",
        method="POST",
        kwargs=_api(),
        data=_api_globex_team,
        expect=api_roles(member=403, manager=400),
    ),
    Route(name="api-action-plan", kwargs=_api("team_goal"), expect=api_roles(member=200)),
    Route(name="api-action-plan", variant="other-org", kwargs=_api("team_goal", "globex-object"), expect=NOT_FOUND),
    Route(name="api-action-plan", variant="cross-slug", kwargs=_api("team_goal", "globex"), expect=NOT_FOUND),
    Route(name="api-action-plan", variant="not-a-plan", kwargs=_api("goal"), expect=api_roles(member=404)),
]
