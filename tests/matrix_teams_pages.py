"""Authorization matrix rows for the teams/ pages (see tests/test_authorization_matrix.py).

``p`` is the Scene: ``p.teams`` holds Acme's rows, ``p.other_teams`` Globex's. Acme's
manager manages ``p.teams.team`` and not ``p.teams.unmanaged_team``; Acme's member is on
``p.teams.team`` (``p.teams.team_membership``) and holds ``p.teams.member_strength``.
"""

from tests.authz import LOGIN, Redirect, Route

ADMIN_ONLY = {"anonymous": LOGIN, "outsider": 200, "member": 403, "manager": 403, "admin": 200}
EVERYONE = {"anonymous": LOGIN, "outsider": 200, "member": 200, "manager": 200, "admin": 200}


def admin_only(success):
    """An organisation-wide setting: the outsider (Globex's admin) acts on Globex."""
    return {"anonymous": LOGIN, "outsider": success, "member": 403, "manager": 403, "admin": success}


def acme_object(*, admin, manager=403, member=403):
    """An object of Acme's: it does not exist for the outsider."""
    return {"anonymous": LOGIN, "outsider": 404, "member": member, "manager": manager, "admin": admin}


def globex_object(outsider):
    """The same route aimed at Globex's object: 404 for every Acme persona."""
    return {"anonymous": LOGIN, "outsider": outsider, "member": 404, "manager": 404, "admin": 404}


def object_routes(name, method, acme_kwargs, globex_kwargs, *, data=None, **expect):
    """A row for Acme's object and an ``other-org`` row for Globex's."""
    success = expect["admin"]
    return [
        Route(name=name, method=method, kwargs=acme_kwargs, data=data, expect=acme_object(**expect)),
        Route(
            name=name,
            variant="other-org",
            method=method,
            kwargs=globex_kwargs,
            data=data,
            # Globex's admin acts on Globex's object as Acme's admin does on Acme's.
            expect=globex_object(success if isinstance(success, int) else Redirect(success.to)),
        ),
    ]


def pk(attribute):
    """kwargs for Acme's and Globex's object named ``attribute`` on TeamsObjects."""
    return (
        lambda p: {"pk": getattr(p.teams, attribute).pk},
        lambda p: {"pk": getattr(p.other_teams, attribute).pk},
    )


def own_teams(p):
    """The requester's organisation's teams/ rows (Acme's for anonymous)."""
    return p.other_teams if p.me is not None and p.me.organization_id == p.other_org.pk else p.teams


TO = Redirect  # reads as "redirects to"

ROUTES = [
    # --- Configuration (admins) ---
    Route(name="teams:values", expect=ADMIN_ONLY),
    Route(
        name="teams:values", method="POST", data=lambda p: {"name": "Be kind"}, expect=admin_only(TO("teams:values"))
    ),
    *object_routes("teams:value_update", "GET", *pk("value"), admin=200),
    *object_routes(
        "teams:value_update", "POST", *pk("value"), data=lambda p: {"name": "Renamed"}, admin=TO("teams:values")
    ),
    *object_routes(
        "teams:value_archive", "POST", *pk("value"), data=lambda p: {"action": "archive"}, admin=TO("teams:values")
    ),
    Route(name="teams:functions", expect=ADMIN_ONLY),
    Route(
        name="teams:functions",
        method="POST",
        data=lambda p: {"name": "Finance"},
        expect=admin_only(TO("teams:functions")),
    ),
    *object_routes("teams:function_update", "GET", *pk("function"), admin=200),
    *object_routes(
        "teams:function_update", "POST", *pk("function"), data=lambda p: {"name": "Care"}, admin=TO("teams:functions")
    ),
    # The function still has a role: refused with a message, nothing deleted.
    *object_routes("teams:function_delete", "POST", *pk("function"), admin=TO("teams:functions", refused=True)),
    Route(name="teams:roles", expect=ADMIN_ONLY),
    Route(
        name="teams:roles",
        method="POST",
        data=lambda p: {"function": own_teams(p).function.pk, "name": "Analyst"},
        expect=admin_only(TO("teams:role_detail")),
    ),
    *object_routes("teams:role_detail", "GET", *pk("job_role"), admin=200),
    *object_routes(
        "teams:role_detail",
        "POST",
        *pk("job_role"),
        data=lambda p: {"function": own_teams(p).function.pk, "name": "Renamed role"},
        admin=TO("teams:role_detail"),
    ),
    # Someone holds the role: refused with a message, nothing deleted.
    *object_routes("teams:role_delete", "POST", *pk("job_role"), admin=TO("teams:role_detail", refused=True)),
    *object_routes(
        "teams:role_criterion_add",
        "POST",
        *pk("job_role"),
        data=lambda p: {"looks_like": "Calm under pressure", "measure": "Escalations"},
        admin=TO("teams:role_detail"),
    ),
    *object_routes(
        "teams:role_criterion_update",
        "POST",
        *pk("role_criterion"),
        data=lambda p: {"looks_like": "Reworded", "measure": "Still measured"},
        admin=TO("teams:role_detail"),
    ),
    *object_routes("teams:role_criterion_delete", "POST", *pk("role_criterion"), admin=TO("teams:role_detail")),
    Route(name="teams:strengths", expect=ADMIN_ONLY),
    Route(
        name="teams:strengths",
        method="POST",
        data=lambda p: {"name": "SQL", "kind": "skill"},
        expect=admin_only(TO("teams:strengths")),
    ),
    *object_routes("teams:strength_update", "GET", *pk("strength"), admin=200),
    *object_routes(
        "teams:strength_update",
        "POST",
        *pk("strength"),
        data=lambda p: {"name": "Bargaining", "kind": "skill"},
        admin=TO("teams:strengths"),
    ),
    *object_routes("teams:strength_delete", "POST", *pk("strength"), admin=TO("teams:strengths")),
    Route(name="teams:team_create", expect=ADMIN_ONLY),
    Route(
        name="teams:team_create",
        method="POST",
        data=lambda p: {"name": "Wholesale"},
        expect=admin_only(TO("teams:team_detail")),
    ),
    # --- Goals ---
    Route(name="teams:goals", expect=EVERYONE),
    Route(name="teams:goal_create", expect=ADMIN_ONLY),
    Route(
        name="teams:goal_create",
        method="POST",
        data=lambda p: {
            "title": "Grow repeat business",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "status": "on_track",
        },
        expect=admin_only(TO("teams:goal_detail")),
    ),
    *object_routes("teams:goal_detail", "GET", *pk("goal"), admin=200, manager=200, member=200),
    *object_routes("teams:goal_update", "GET", *pk("goal"), admin=200),
    *object_routes(
        "teams:goal_update",
        "POST",
        *pk("goal"),
        data=lambda p: {
            "title": "Delight every customer",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "status": "at_risk",
        },
        admin=TO("teams:goal_detail"),
    ),
    # A team goal serves it: refused with a message, nothing deleted.
    *object_routes("teams:goal_delete", "POST", *pk("goal"), admin=TO("teams:goal_detail", refused=True)),
    Route(
        name="teams:goal_update",
        variant="team-goal",
        kwargs=lambda p: {"pk": p.teams.team_goal.pk},
        expect=acme_object(admin=200, manager=200),
    ),
    Route(
        name="teams:goal_delete",
        variant="team-goal",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.team_goal.pk},
        expect=acme_object(admin=TO("teams:goals"), manager=TO("teams:goals")),
    ),
    *object_routes(
        "teams:key_result_create",
        "GET",
        lambda p: {"pk": p.teams.team_goal.pk},
        lambda p: {"pk": p.other_teams.team_goal.pk},
        admin=200,
        manager=200,
    ),
    *object_routes(
        "teams:key_result_create",
        "POST",
        lambda p: {"pk": p.teams.team_goal.pk},
        lambda p: {"pk": p.other_teams.team_goal.pk},
        data=lambda p: {
            "title": "Reopened tickets",
            "kind": "output",
            "baseline": "10",
            "target": "2",
            "direction": "down",
        },
        admin=TO("teams:goal_detail"),
        manager=TO("teams:goal_detail"),
    ),
    *object_routes("teams:key_result_update", "GET", *pk("key_result"), admin=200, manager=200),
    *object_routes(
        "teams:key_result_update",
        "POST",
        *pk("key_result"),
        data=lambda p: {
            "title": "Median reply (h)",
            "kind": "result",
            "baseline": "24",
            "target": "6",
            "direction": "down",
        },
        admin=TO("teams:goal_detail"),
        manager=TO("teams:goal_detail"),
    ),
    *object_routes(
        "teams:key_result_delete",
        "POST",
        *pk("key_result"),
        admin=TO("teams:goal_detail"),
        manager=TO("teams:goal_detail"),
    ),
    *object_routes(
        "teams:check_in_create",
        "POST",
        *pk("key_result"),
        data=lambda p: {"value": "12", "note": "Faster this week"},
        admin=TO("teams:goal_detail"),
        manager=TO("teams:goal_detail"),
    ),
    # --- Teams ---
    Route(name="teams:team_list", expect=EVERYONE),
    *object_routes("teams:team_detail", "GET", *pk("team"), admin=200, manager=200, member=200),
    *object_routes("teams:team_update", "GET", *pk("team"), admin=200, manager=200),
    *object_routes(
        "teams:team_update",
        "POST",
        *pk("team"),
        data=lambda p: {"name": "Customer care", "mission": "Every customer heard"},
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    Route(
        name="teams:team_update",
        variant="unmanaged",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.unmanaged_team.pk},
        data=lambda p: {"name": "Taken over"},
        expect=acme_object(admin=TO("teams:team_detail")),
    ),
    *object_routes(
        "teams:team_stage",
        "POST",
        *pk("team"),
        data=lambda p: {"stage": "developing", "note": "Plans together now"},
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    Route(
        name="teams:team_stage",
        variant="unmanaged",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.unmanaged_team.pk},
        data=lambda p: {"stage": "developing"},
        expect=acme_object(admin=TO("teams:team_detail")),
    ),
    *object_routes(
        "teams:team_commitment",
        "POST",
        lambda p: {"pk": p.teams.team.pk, "commitment": "customer_first"},
        lambda p: {"pk": p.other_teams.team.pk, "commitment": "customer_first"},
        data=lambda p: {"is_kept": "on", "kept_since": "2026-11-01", "note": "NPS up"},
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    *object_routes(
        "teams:team_member_add",
        "POST",
        *pk("team"),
        data=lambda p: {"membership": (p.admin if own_teams(p) is p.teams else p.outsider).pk, "team_role": "member"},
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    *object_routes(
        "teams:team_goal_create",
        "GET",
        *pk("team"),
        admin=200,
        manager=200,
    ),
    *object_routes(
        "teams:team_goal_create",
        "POST",
        *pk("team"),
        data=lambda p: {
            "title": "Resolve on first contact",
            "parent": own_teams(p).goal.pk,
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "status": "on_track",
        },
        admin=TO("teams:goal_detail"),
        manager=TO("teams:goal_detail"),
    ),
    Route(
        name="teams:team_goal_create",
        variant="unmanaged",
        kwargs=lambda p: {"pk": p.teams.unmanaged_team.pk},
        expect=acme_object(admin=200),
    ),
    *object_routes(
        "teams:team_member_update",
        "POST",
        *pk("team_membership"),
        data=lambda p: {"team_role": "lead", "job_role": own_teams(p).job_role.pk},
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    *object_routes(
        "teams:team_member_remove",
        "POST",
        *pk("team_membership"),
        admin=TO("teams:team_detail"),
        manager=TO("teams:team_detail"),
    ),
    # --- Excellence: the person and their team's managers ---
    *object_routes("teams:member_excellence", "GET", *pk("team_membership"), admin=200, manager=200, member=200),
    *object_routes(
        "teams:criterion_add",
        "POST",
        *pk("team_membership"),
        data=lambda p: {"looks_like": "Shares what works", "measure": "Wiki pages a month"},
        admin=TO("teams:member_excellence"),
        manager=TO("teams:member_excellence"),
        member=TO("teams:member_excellence"),
    ),
    *object_routes(
        "teams:criterion_update",
        "POST",
        *pk("criterion"),
        data=lambda p: {"looks_like": "Every customer hears back the same day", "measure": "First-response time"},
        admin=TO("teams:member_excellence"),
        manager=TO("teams:member_excellence"),
        member=TO("teams:member_excellence"),
    ),
    *object_routes(
        "teams:criterion_delete",
        "POST",
        *pk("criterion"),
        admin=TO("teams:member_excellence"),
        manager=TO("teams:member_excellence"),
        member=TO("teams:member_excellence"),
    ),
    # --- Directory and strengths ---
    Route(name="teams:directory", expect=EVERYONE),
    Route(
        name="teams:person",
        kwargs=lambda p: {"pk": p.member.pk},
        expect=acme_object(admin=200, manager=200, member=200),
    ),
    Route(
        name="teams:person",
        variant="other-org",
        kwargs=lambda p: {"pk": p.other_member.pk},
        expect=globex_object(200),
    ),
    Route(
        name="teams:my_strength_set",
        method="POST",
        data=lambda p: {"strength": own_teams(p).strength.pk, "level": "3"},
        expect={
            "anonymous": LOGIN,
            "outsider": TO("teams:person"),
            "member": TO("teams:person"),
            "manager": TO("teams:person"),
            "admin": TO("teams:person"),
        },
    ),
    # The member's own strength: only they remove it; colleagues endorse it, they cannot.
    *object_routes(
        "teams:my_strength_remove",
        "POST",
        *pk("member_strength"),
        admin=403,
        manager=403,
        member=TO("teams:person"),
    ),
    *object_routes(
        "teams:endorse",
        "POST",
        *pk("member_strength"),
        admin=TO("teams:person"),
        manager=TO("teams:person"),
        member=403,
    ),
    *object_routes(
        "teams:unendorse",
        "POST",
        *pk("member_strength"),
        admin=TO("teams:person"),
        manager=TO("teams:person"),
        member=TO("teams:person"),
    ),
]
