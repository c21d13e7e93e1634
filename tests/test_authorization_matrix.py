"""The authorization matrix: every route by every persona, and the status each must get.

How it works
    ``test_every_route_is_declared`` walks the URL resolver: a route the project
    serves with no row in ``ROUTES`` (nor a ``GROUPS`` entry for its namespace)
    fails, and so does a row naming a route that no longer exists. Each row of
    ``ROUTES`` then becomes one test per persona (anonymous, outsider, member,
    manager, admin), with ids like ``accounts:member_update-POST-member``. Each
    test checks the status (and, for redirects, where to), that a refused request
    (login redirect, 401, 403, 404, 405, ``BOUNCE``) and every GET changed nothing
    in the database, that no answer (a refusal least of all) shows the persona a
    string it may not read (``Scene.restricted_strings``: a pending invitation's
    e-mail, another team's customer details, a handoff or notification not theirs, a
    failed delivery, a webhook's secret path, others' API tokens…), and that
    anonymous and the outsider never read Acme's data.

Adding a route
    Add one ``Route`` per method to ``ROUTES``, in its app's section::

        Route(
            name="teams:value_update",  # the namespaced URL name
            method="POST",  # one row per method
            kwargs=lambda p: {"pk": p.teams.value.pk},  # p is the Scene (tests/authz.py)
            data=lambda p: {"name": "Customer first"},  # a valid-looking body
            expect={
                "anonymous": LOGIN,  # 302 to /login/?next=<this path>
                "outsider": 404,  # Globex's admin: Acme's object does not exist for them
                "member": 403,
                "manager": 403,
                "admin": Redirect("teams:values"),
            },
        ),

    An object-addressing route also gets ``variant="other-org"`` rows pointing at
    an object of Globex (404 for every Acme persona), and API routes a
    ``"cross-slug"`` row (Globex slug, Acme object). Objects a new route needs go
    on ``Scene`` in ``tests/authz.py``; a string of one that only some personas may
    read goes in ``Scene._readers``. ``tests/matrix_rows.py`` builds the common
    shapes (``object_routes`` and ``on_object`` add the twins), so most rows are
    one call.

The rules the rows encode
    Pages: anonymous → ``LOGIN`` (302 to /login/?next=…); a role below the page's
    → 403; an object of another organisation → 404 for every persona of this one,
    whatever their role. The outsider is admin of Globex, so a page about "my
    organisation" answers them 200 with Globex's data (and never Acme's).
    API: anonymous → 401 with a Bearer challenge; an org slug the user is not a
    member of → 404; a role not allowed → 403; an object of another organisation,
    or one the role may not see, → 404; a method the route does not have → 405.
    Requests log in for real (``force_login``); API requests use an ``APIClient``
    with CSRF checks off, since CSRF has tests of its own.

Known app bugs are listed in ``KNOWN_BUGS``: the row states the correct status
and the case is a strict xfail, so fixing the app turns it into a failure that
asks for the entry to be removed.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from accounts.testing import PERSONA_NAMES, make_personas
from accounts.tests.factories import TEST_PASSWORD
from tests import authz
from tests.authz import (
    ADMIN_LOGIN,
    BOUNCE,
    Redirect,
    Route,
    RouteGroup,
    changed_tables,
    db_fingerprint,
    every,
    make_scene,
    play,
    undeclared_and_stale,
)
from tests.matrix_customers_api import ROUTES as CUSTOMERS_API_ROUTES
from tests.matrix_customers_import import ROUTES as CUSTOMERS_IMPORT_ROUTES
from tests.matrix_customers_pages import ROUTES as CUSTOMERS_PAGE_ROUTES
from tests.matrix_dashboards_accounts import ROUTES as DASHBOARDS_ACCOUNTS_ROUTES
from tests.matrix_dashboards_brief import ROUTES as DASHBOARDS_BRIEF_ROUTES
from tests.matrix_dashboards_digest import ROUTES as DASHBOARDS_DIGEST_ROUTES
from tests.matrix_dashboards_focus import ROUTES as DASHBOARDS_FOCUS_ROUTES
from tests.matrix_dashboards_manager import ROUTES as DASHBOARDS_MANAGER_ROUTES
from tests.matrix_dashboards_organization import ROUTES as DASHBOARDS_ORGANIZATION_ROUTES
from tests.matrix_dashboards_silos import ROUTES as DASHBOARDS_SILOS_ROUTES
from tests.matrix_feedback_api import ROUTES as FEEDBACK_API_ROUTES
from tests.matrix_feedback_pages import ROUTES as FEEDBACK_PAGE_ROUTES
from tests.matrix_hub_home import ROUTES as HUB_HOME_ROUTES
from tests.matrix_inbound_api import ROUTES as INBOUND_API_ROUTES
from tests.matrix_inbound_pages import ROUTES as INBOUND_PAGE_ROUTES
from tests.matrix_nps_api import ROUTES as NPS_API_ROUTES
from tests.matrix_nps_pages import ROUTES as NPS_PAGE_ROUTES
from tests.matrix_rows import (
    ADMIN_ONLY,
    EVERYONE,
    NOT_FOUND,
    acme_object,
    admin_only,
    api_roles,
    collection,
    everyone,
    globex_object,
    object_routes,
    on_scene_object,
)
from tests.matrix_scores_api import ROUTES as SCORES_API_ROUTES
from tests.matrix_scores_pages import ROUTES as SCORES_PAGE_ROUTES
from tests.matrix_surveys_api import ROUTES as SURVEYS_API_ROUTES
from tests.matrix_surveys_pages import ROUTES as SURVEYS_PAGE_ROUTES
from tests.matrix_teams_api import ROUTES as TEAMS_API_ROUTES
from tests.matrix_teams_pages import ROUTES as TEAMS_PAGE_ROUTES
from tests.matrix_work_api import ROUTES as WORK_API_ROUTES
from tests.matrix_work_pages import ROUTES as WORK_PAGE_ROUTES

NEW_PASSWORD = "a-much-longer-passphrase-9"

# --- Pages: authentication -------------------------------------------------------------

ROUTES = [
    Route(name="accounts:login", expect=everyone(Redirect("home"), anonymous=200)),
    Route(
        name="accounts:login",
        method="POST",
        data=lambda p: {"username": p.member.user.email, "password": TEST_PASSWORD},
        expect=every(Redirect("home")),
    ),
    Route(name="accounts:logout", expect=every(405)),
    Route(name="accounts:logout", method="POST", expect=every(Redirect("accounts:login"))),
    Route(name="accounts:password_change", expect=EVERYONE),
    Route(
        name="accounts:password_change",
        method="POST",
        data=lambda p: {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        expect=everyone(Redirect("accounts:account")),
    ),
    Route(name="accounts:password_reset", expect=every(200)),
    Route(
        name="accounts:password_reset",
        method="POST",
        data=lambda p: {"email": p.member.user.email},
        expect=every(Redirect("accounts:password_reset_done")),
    ),
    Route(name="accounts:password_reset_done", expect=every(200)),
    Route(
        name="accounts:password_reset_confirm",
        kwargs=lambda p: p.password_reset_kwargs(p.member.user),
        expect=every(302),  # to the same view's set-password URL, the token moved into the session
    ),
    Route(
        name="accounts:password_reset_confirm",
        variant="bad-token",
        kwargs=lambda p: {"uidb64": "MQ", "token": "bad-token"},
        expect=every(200),  # the "link is not valid" page
    ),
    Route(name="accounts:password_reset_complete", expect=every(200)),
    # --- Pages: own account and tokens ----------------------------------------------------
    Route(name="accounts:account", expect=EVERYONE),
    Route(
        name="accounts:account",
        method="POST",
        data=lambda p: {"full_name": "Renamed Person"},
        expect=everyone(Redirect("accounts:account")),
    ),
    Route(name="accounts:api_tokens", hidden=lambda p: p.foreign_token_names(), expect=EVERYONE),
    Route(
        name="accounts:api_tokens",
        method="POST",
        data=lambda p: {"name": "CI"},
        hidden=lambda p: p.foreign_token_names(),
        expect=EVERYONE,
    ),
    Route(name="accounts:api_token_revoke", kwargs=lambda p: {"pk": p.own_token.pk}, expect=everyone(405)),
    Route(
        name="accounts:api_token_revoke",
        method="POST",
        kwargs=lambda p: {"pk": p.own_token.pk},
        expect=everyone(Redirect("accounts:api_tokens")),
    ),
    Route(
        name="accounts:api_token_revoke",
        variant="others-token",
        method="POST",
        kwargs=lambda p: {"pk": p.others_token.pk},
        expect=everyone(404),
    ),
    # --- Pages: organisations ---------------------------------------------------------------
    Route(name="home", expect=EVERYONE),
    # Every persona has an organisation, so the page sends them home.
    Route(name="accounts:no_organisation", expect=everyone(Redirect("home"))),
    Route(name="accounts:switch_organisation", expect=everyone(405)),
    Route(
        name="accounts:switch_organisation",
        method="POST",
        data=lambda p: {"org": p.org.slug},
        # Acme's slug: the outsider is no member of Acme.
        expect={**everyone(Redirect("home")), "outsider": 404},
    ),
    Route(name="accounts:organization_settings", expect=ADMIN_ONLY),
    Route(
        name="accounts:organization_settings",
        method="POST",
        data=lambda p: {
            "name": "Renamed Ltd",
            "timezone": "Europe/London",
            "anonymity_threshold": 5,
            "comment_threshold": 8,
            "handoff_sla_hours": 48,
            "weight_survey": "0.40",
            "weight_responsiveness": "0.30",
            "weight_follow_through": "0.15",
            "weight_breadth": "0.15",
            "survey_throttle_days": 30,
            "detractor_sla_days": 2,
        },
        # The outsider changes their own organisation, Globex.
        expect=admin_only(Redirect("accounts:organization_settings")),
    ),
    Route(name="accounts:members", expect=ADMIN_ONLY),
    # Each row sets a role the membership does not have yet (not object_routes: their data differ).
    Route(
        name="accounts:member_update",
        method="POST",
        kwargs=lambda p: {"pk": p.manager.pk},
        data=lambda p: {"action": "role", "role": "member"},
        expect=acme_object(admin=Redirect("accounts:members")),
    ),
    Route(
        name="accounts:member_update",
        variant="other-org",
        method="POST",
        kwargs=lambda p: {"pk": p.other_member.pk},
        data=lambda p: {"action": "role", "role": "manager"},
        # The outsider is Globex's admin: for them this is their own colleague.
        expect=globex_object(Redirect("accounts:members")),
    ),
    Route(name="accounts:invitations", expect=ADMIN_ONLY),
    Route(
        name="accounts:invitations",
        method="POST",
        data=lambda p: {"email": "newhire@example.com", "role": "member"},
        expect=ADMIN_ONLY,
    ),
    # Invitations are visible to admins only, so to anyone else this one does not exist;
    # the outsider revokes Globex's own.
    *object_routes(
        "accounts:invitation_revoke",
        "POST",
        lambda p: {"pk": p.invitation.pk},
        lambda p: {"pk": p.other_invitation.pk},
        admin=Redirect("accounts:invitations"),
        manager=404,
        member=404,
    ),
    # The invitation link is the capability: whoever holds it may see whom it invites to what.
    Route(
        name="accounts:invitation_accept",
        kwargs=lambda p: {"token": p.invitation_token},
        leak_check=False,
        expect=every(200),
    ),
    Route(
        name="accounts:invitation_accept",
        method="POST",
        kwargs=lambda p: {"token": p.invitation_token},
        data=lambda p: {"full_name": "New Hire", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        leak_check=False,
        # Logged in as someone other than the invitee: refused, the invitation stays open.
        expect=everyone(BOUNCE, anonymous=Redirect("home")),
    ),
    Route(
        name="accounts:invitation_accept",
        variant="unknown-token",
        kwargs=lambda p: {"token": "inv_not-a-real-token"},
        expect=every(404),
    ),
    Route(
        name="accounts:invitation_accept",
        variant="unknown-token",
        method="POST",
        kwargs=lambda p: {"token": "inv_not-a-real-token"},
        data=lambda p: {"full_name": "New Hire", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        expect=every(404),
    ),
    # --- Public plumbing ----------------------------------------------------------------------
    Route(name="healthz", expect=every(200)),
    Route(name="api-schema", expect=every(200)),
    Route(name="api-docs", expect=every(200)),
    # --- API: the caller ----------------------------------------------------------------------
    Route(name="api-me", expect=everyone(200, anonymous=401)),
    Route(name="api-orgs", expect=everyone(200, anonymous=401)),
    Route(name="api-tokens", hidden=lambda p: p.foreign_token_names(), expect=everyone(200, anonymous=401)),
    Route(name="api-tokens", method="POST", data=lambda p: {"name": "CI"}, expect=everyone(201, anonymous=401)),
    Route(name="api-token", kwargs=lambda p: {"pk": p.own_token.pk}, expect=everyone(405, anonymous=401)),
    Route(
        name="api-token",
        method="DELETE",
        kwargs=lambda p: {"pk": p.own_token.pk},
        expect=everyone(204, anonymous=401),
    ),
    Route(
        name="api-token",
        variant="others-token",
        method="DELETE",
        kwargs=lambda p: {"pk": p.others_token.pk},
        expect=NOT_FOUND,
    ),
    # --- API: organisation-scoped -------------------------------------------------------------
    *collection("api-org", member=200),
    *collection("api-org", "PATCH", data=lambda p: {"handoff_sla_hours": 48}, member=403, admin=200),
    *collection("api-org", "DELETE", member=405),
    *collection("api-memberships", member=200),
    Route(
        name="api-membership",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.manager.pk},
        expect=api_roles(member=200),
    ),
    Route(
        name="api-membership",
        variant="inactive",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.inactive_member.pk},
        # Only admins see deactivated memberships.
        expect=api_roles(member=404, admin=200),
    ),
    Route(
        name="api-membership",
        variant="other-org",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.other_member.pk},
        expect=NOT_FOUND,
    ),
    Route(
        name="api-membership",
        variant="cross-slug",
        kwargs=lambda p: {"org_slug": p.other_org.slug, "pk": p.manager.pk},
        expect=NOT_FOUND,
    ),
    # Each row sets a role the membership does not have yet (not on_scene_object: their data differ).
    Route(
        name="api-membership",
        method="PATCH",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.manager.pk},
        data=lambda p: {"role": "member"},
        expect=api_roles(member=403, admin=200),
    ),
    Route(
        name="api-membership",
        variant="other-org",
        method="PATCH",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.other_member.pk},
        data=lambda p: {"role": "manager"},
        expect=NOT_FOUND,
    ),
    Route(
        name="api-membership",
        variant="cross-slug",
        method="PATCH",
        kwargs=lambda p: {"org_slug": p.other_org.slug, "pk": p.manager.pk},
        data=lambda p: {"role": "member"},
        expect=NOT_FOUND,
    ),
    *collection("api-invitations", member=403, admin=200),
    *collection(
        "api-invitations",
        "POST",
        data=lambda p: {"email": "newhire@example.com", "role": "member"},
        member=403,
        admin=201,
    ),
    # Visible to admins only: anyone else gets the 404 of an object they may not see.
    *on_scene_object("api-invitation", member=404, admin=200, pk=("invitation", "other_invitation")),
    *on_scene_object("api-invitation-revoke", "POST", member=404, admin=200, pk=("invitation", "other_invitation")),
    # --- Django admin: nobody here is staff (a representative subset; GROUPS covers the rest) ---
    Route(name="admin:index", expect=every(ADMIN_LOGIN)),
    Route(name="admin:login", expect=every(200)),
    Route(name="admin:accounts_membership_changelist", expect=every(ADMIN_LOGIN)),
    Route(
        name="admin:accounts_user_change",
        kwargs=lambda p: {"object_id": p.admin.user.pk},
        expect=every(ADMIN_LOGIN),
    ),
    Route(
        name="admin:accounts_organization_add",
        method="POST",
        data=lambda p: {"name": "Sneaky", "slug": "sneaky"},
        expect=every(ADMIN_LOGIN),
    ),
]

ROUTES += TEAMS_PAGE_ROUTES + TEAMS_API_ROUTES
ROUTES += CUSTOMERS_PAGE_ROUTES + CUSTOMERS_API_ROUTES + CUSTOMERS_IMPORT_ROUTES
ROUTES += WORK_PAGE_ROUTES + WORK_API_ROUTES
ROUTES += SURVEYS_PAGE_ROUTES + SURVEYS_API_ROUTES
ROUTES += INBOUND_PAGE_ROUTES + INBOUND_API_ROUTES
ROUTES += NPS_PAGE_ROUTES + NPS_API_ROUTES
ROUTES += FEEDBACK_PAGE_ROUTES + FEEDBACK_API_ROUTES
ROUTES += SCORES_PAGE_ROUTES + SCORES_API_ROUTES
ROUTES += DASHBOARDS_ACCOUNTS_ROUTES
ROUTES += DASHBOARDS_BRIEF_ROUTES
ROUTES += DASHBOARDS_DIGEST_ROUTES
ROUTES += DASHBOARDS_FOCUS_ROUTES
ROUTES += DASHBOARDS_MANAGER_ROUTES
ROUTES += DASHBOARDS_ORGANIZATION_ROUTES
ROUTES += DASHBOARDS_SILOS_ROUTES
ROUTES += HUB_HOME_ROUTES

GROUPS = [
    RouteGroup("admin", "Django admin: staff only, and no persona is staff; subset above"),
]


def _ids(label_method: str, *personas: str) -> list[str]:
    return [f"{label_method}-{persona}" for persona in personas]


# The table holds the correct answer; the app still gives another. Each entry is a
# strict xfail: once the app is fixed the case passes, fails as XPASS, and the entry goes.
KNOWN_BUGS: dict[str, str] = {}


def _cases():
    for route in ROUTES:
        for persona in PERSONA_NAMES:
            case_id = route.case_id(persona)
            marks = [pytest.mark.xfail(reason=KNOWN_BUGS[case_id], strict=True)] if case_id in KNOWN_BUGS else []
            yield pytest.param(route, persona, id=case_id, marks=marks)


def test_every_route_is_declared():
    """Each served URL pattern has rows (or a group); each row names a served route."""
    missing, stale, empty = undeclared_and_stale(ROUTES, GROUPS)
    problems = []
    if missing:
        problems.append("Routes without a declared expectation (add Route rows):\n  " + "\n  ".join(missing))
    if stale:
        problems.append("Rows for routes that no longer exist:\n  " + "\n  ".join(stale))
    if empty:
        problems.append("Groups that cover no route:\n  " + "\n  ".join(empty))
    assert not problems, "\n".join(problems)


def test_case_ids_are_unique():
    """Two rows for the same name and method need different variants."""
    ids = [route.case_id("") for route in ROUTES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """One scene for every case, as Django's setUpTestData does: its rows are committed
    once, each case runs in a transaction that is rolled back, and the rows are flushed
    when the module is done. Building it per case cost most of the matrix's time."""
    with django_db_blocker.unblock():
        yield make_scene(make_personas())
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_fingerprint_sees_a_change(scene):
    """The harness would be blind if the fingerprint missed an ordinary write."""
    before = db_fingerprint()
    scene.org.name = "Renamed"
    scene.org.save(update_fields=["name"])
    assert changed_tables(before, db_fingerprint()) == ["accounts.organization"]


def _row(case_id: str) -> Route:
    return next(route for route in ROUTES if route.case_id("") == case_id)


def _answers_also_showing(text: str):
    """``_send`` as it is, with ``text`` slipped into every response body."""
    send = authz._send

    def send_and_leak(*args, **kwargs):
        response = send(*args, **kwargs)
        response.content += f"<p>{text}</p>".encode()
        return response

    return send_and_leak


@pytest.mark.django_db
def test_leak_check_sees_a_restricted_string_in_a_refusal(scene, client_for, monkeypatch):
    """The harness would be blind if a refusal could show what its persona may not
    read: the member's 404 for the manager's notification, with a failed delivery's
    error in it, fails; the admin's same 404 with the same error passes, since admins
    read failed deliveries."""
    route = _row("api-notification-read-POST-")
    monkeypatch.setattr(authz, "_send", _answers_also_showing(scene.teams.failed_delivery.last_error))

    with pytest.raises(AssertionError, match=r"as member \(404\) revealed .*mail relay refused"):
        play(route, "member", scene, client_for)
    play(route, "admin", scene, client_for)


def test_known_bugs_name_real_cases():
    """A typo in KNOWN_BUGS would silently stop marking the case."""
    ids = {route.case_id(persona) for route in ROUTES for persona in PERSONA_NAMES}
    assert set(KNOWN_BUGS) <= ids, sorted(set(KNOWN_BUGS) - ids)


@pytest.mark.parametrize(("route", "persona"), list(_cases()))
@pytest.mark.django_db
def test_route_answers_persona_as_declared(route, persona, scene, client_for):
    cache.clear()  # rate limits (a survey link's) count per case, not across the table
    play(route, persona, scene, client_for)
