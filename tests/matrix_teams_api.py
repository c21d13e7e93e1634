"""Authorization matrix rows for the teams/ API (see tests/test_authorization_matrix.py).

Every route is under ``/api/v1/orgs/{org_slug}/``. ``p`` is the Scene: ``p.teams`` holds
Acme's rows, ``p.other_teams`` Globex's. Acme's manager manages ``p.teams.team`` and
not ``p.teams.unmanaged_team``; Acme's member is on ``p.teams.team`` and holds
``p.teams.member_strength``. An object route also gets an ``other-org`` row (Acme's
slug, Globex's object) and a ``cross-slug`` row (Globex's slug, Acme's object): 404 for
everyone who is logged in.
"""

from tests.matrix_rows import collection, on_object

ROUTES = [
    # --- Configuration: everyone reads, admins write ---
    *collection("api-values", member=200),
    *collection("api-values", "POST", data=lambda p: {"name": "Be kind"}, member=403, admin=201),
    *on_object("api-value", member=200, pk="value"),
    *on_object("api-value", "PATCH", data=lambda p: {"name": "Renamed"}, member=403, admin=200, pk="value"),
    *collection("api-functions", member=200),
    *collection("api-functions", "POST", data=lambda p: {"name": "Finance"}, member=403, admin=201),
    *on_object("api-function", member=200, pk="function"),
    *on_object("api-function", "PATCH", data=lambda p: {"name": "Care"}, member=403, admin=200, pk="function"),
    # The function still has a role: a 400 that says so, nothing deleted.
    *on_object("api-function", "DELETE", member=403, admin=400, pk="function"),
    *collection("api-roles", member=200),
    *collection(
        "api-roles",
        "POST",
        data=lambda p: {
            "function": p.teams.function.pk,
            "name": "Analyst",
            "criteria": [{"looks_like": "Answers with numbers", "measure": "Reports used"}],
        },
        member=403,
        admin=201,
    ),
    *on_object("api-role", member=200, pk="job_role"),
    *on_object("api-role", "PATCH", data=lambda p: {"name": "Renamed role"}, member=403, admin=200, pk="job_role"),
    # Someone holds the role: 400, nothing deleted.
    *on_object("api-role", "DELETE", member=403, admin=400, pk="job_role"),
    *on_object(
        "api-role-criteria",
        "POST",
        data=lambda p: {"looks_like": "Calm under pressure", "measure": "Escalations"},
        member=403,
        admin=201,
        role_pk="job_role",
    ),
    *on_object(
        "api-role-criterion",
        "PATCH",
        data=lambda p: {"measure": "Fewer escalations"},
        member=403,
        admin=200,
        pk="role_criterion",
    ),
    *on_object("api-role-criterion", "DELETE", member=403, admin=204, pk="role_criterion"),
    *collection("api-strengths", member=200),
    *collection("api-strengths", "POST", data=lambda p: {"name": "SQL", "kind": "skill"}, member=403, admin=201),
    *on_object("api-strength", member=200, pk="strength"),
    *on_object("api-strength", "PATCH", data=lambda p: {"name": "Bargaining"}, member=403, admin=200, pk="strength"),
    *on_object("api-strength", "DELETE", member=403, admin=204, pk="strength"),
    *on_object("api-strength-holders", member=200, strength_pk="strength"),
    # --- Teams: admins create them, their managers run them ---
    *collection("api-teams", member=200),
    *collection("api-teams", "POST", data=lambda p: {"name": "Wholesale"}, member=403, admin=201),
    *on_object("api-team", member=200, pk="team"),
    *on_object("api-team", "PATCH", data=lambda p: {"mission": "Heard"}, member=403, manager=200, pk="team"),
    *on_object(
        "api-team",
        "PATCH",
        variant="unmanaged",
        data=lambda p: {"mission": "Taken over"},
        member=403,
        manager=403,
        admin=200,
        pk="unmanaged_team",
    ),
    *on_object(
        "api-team-stage",
        "POST",
        data=lambda p: {"stage": "developing", "note": "Plans together"},
        member=403,
        manager=200,
        pk="team",
    ),
    *on_object(
        "api-team-stage",
        "POST",
        variant="unmanaged",
        data=lambda p: {"stage": "developing"},
        member=403,
        manager=403,
        admin=200,
        pk="unmanaged_team",
    ),
    *on_object(
        "api-team-commitments",
        "POST",
        data=lambda p: {"commitment": "customer_first", "is_kept": True},
        member=403,
        manager=200,
        pk="team",
    ),
    *on_object(
        "api-team-commitments",
        "PUT",
        data=lambda p: {"commitment": "improves", "is_kept": True, "note": "Monthly"},
        member=403,
        manager=200,
        pk="team",
    ),
    *on_object("api-team-stage-changes", member=200, team_pk="team"),
    *on_object("api-team-members", member=200, team_pk="team"),
    *on_object(
        "api-team-members",
        "POST",
        data=lambda p: {"membership": p.admin.pk, "team_role": "member"},
        member=403,
        manager=201,
        team_pk="team",
    ),
    *on_object("api-team-member", member=200, pk="team_membership"),
    *on_object(
        "api-team-member",
        "PATCH",
        data=lambda p: {"team_role": "lead"},
        member=403,
        manager=200,
        pk="team_membership",
    ),
    *on_object("api-team-member", "DELETE", member=403, manager=204, pk="team_membership"),
    # --- Excellence: the person themselves and their team's managers ---
    *on_object("api-team-member-criteria", member=200, team_membership_pk="team_membership"),
    *on_object(
        "api-team-member-criteria",
        "POST",
        data=lambda p: {"looks_like": "Shares what works", "measure": "Notes"},
        member=201,
        team_membership_pk="team_membership",
    ),
    *on_object("api-criterion", "PATCH", data=lambda p: {"measure": "Same-day replies"}, member=200, pk="criterion"),
    *on_object("api-criterion", "DELETE", member=204, pk="criterion"),
    *on_object("api-team-member-excellence-history", member=200, team_membership_pk="team_membership"),
    # --- Goals: organisation goals are the admins', team goals their team managers' ---
    *collection("api-goals", member=200),
    *collection(
        "api-goals",
        "POST",
        data=lambda p: {"title": "Grow repeat business", "period_start": "2026-10-01", "period_end": "2026-12-31"},
        member=403,
        admin=201,
    ),
    *on_object("api-goal", member=200, pk="goal"),
    *on_object("api-goal", "PATCH", data=lambda p: {"status": "at_risk"}, member=403, admin=200, pk="goal"),
    # A team goal serves it: 400, nothing deleted.
    *on_object("api-goal", "DELETE", member=403, admin=400, pk="goal"),
    *on_object(
        "api-goal",
        "PATCH",
        variant="team-goal",
        data=lambda p: {"status": "on_track"},
        member=403,
        manager=200,
        pk="team_goal",
    ),
    *on_object("api-goal", "DELETE", variant="team-goal", member=403, manager=204, pk="team_goal"),
    *on_object(
        "api-goal-key-results",
        "POST",
        data=lambda p: {"title": "Reopened tickets", "baseline": "10", "target": "2"},
        member=403,
        manager=201,
        goal_pk="team_goal",
    ),
    *on_object("api-key-result", member=200, pk="key_result"),
    *on_object(
        "api-key-result",
        "PATCH",
        data=lambda p: {"title": "Median reply (h)"},
        member=403,
        manager=200,
        pk="key_result",
    ),
    *on_object("api-key-result", "DELETE", member=403, manager=204, pk="key_result"),
    *on_object("api-key-result-check-ins", member=200, key_result_pk="key_result"),
    *on_object(
        "api-key-result-check-ins",
        "POST",
        data=lambda p: {"value": "12", "note": "Faster"},
        member=403,
        manager=201,
        key_result_pk="key_result",
    ),
    # --- People: own strengths, endorsements, the directory ---
    *collection("api-my-strengths", member=200),
    *collection("api-my-strengths", "POST", data=lambda p: {"strength": p.teams.strength.pk, "level": 3}, member=201),
    # Only the holder removes a strength; to anyone else it is not one of "my" strengths.
    *on_object("api-my-strength", "DELETE", member=204, manager=404, pk="member_strength"),
    # Colleagues endorse it; the holder cannot.
    *on_object("api-member-strength-endorse", "POST", member=400, manager=201, pk="member_strength"),
    *on_object("api-member-strength-endorse", "DELETE", member=204, pk="member_strength"),
    *collection("api-directory", member=200),
]
