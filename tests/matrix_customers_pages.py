"""Authorization matrix rows for customers/ (pages); see tests/test_authorization_matrix.py.

``p.teams.account`` is owned by ``p.teams.team`` (Acme's manager manages it, Acme's
member is on it); ``p.teams.other_account`` is owned by ``p.teams.unmanaged_team``, so
member and manager see only whom to ask and change nothing there. Its contact
(``p.teams.other_contact``) and follow-up (``p.teams.other_follow_up``) do not exist
for them: 404.
"""

from tests.authz import Route
from tests.matrix_rows import EVERYONE, MANAGERS, TO, acme_object, managers, object_routes, own_teams, pk

DETAIL = TO("customers:account_detail")


def other_account(name, method="GET", *, data=None, **expect):
    """The same route on the account of a team nobody but admins works on."""
    return Route(
        name=name,
        variant="other-account",
        method=method,
        kwargs=lambda p: {"pk": p.teams.other_account.pk},
        data=data,
        expect=acme_object(**expect),
    )


def other_account_detail(name, attribute, method="GET", *, data=None, admin):
    """A contact or follow-up of ``other_account``: only admins work on it."""
    return Route(
        name=name,
        variant="other-account",
        method=method,
        kwargs=lambda p: {"pk": getattr(p.teams, attribute).pk},
        data=data,
        expect=acme_object(admin=admin, manager=404, member=404),
    )


CONTACT = {"name": "Ada Byron", "preferred_channel": "phone", "preferences": "Calls before nine"}
FOLLOW_UP = {"summary": "Send the new price list"}

ROUTES = [
    # --- Accounts ---
    Route(name="customers:account_list", expect=EVERYONE),
    Route(name="customers:account_create", expect=MANAGERS),
    Route(
        name="customers:account_create",
        method="POST",
        data=lambda p: {"name": "Birch Ltd", "owning_team": own_teams(p).team.pk, "status": "active"},
        expect=managers(DETAIL),
    ),
    *object_routes("customers:account_detail", "GET", *pk("account"), admin=200, manager=200, member=200),
    # Everyone may see whom to ask about any account of the organisation.
    other_account("customers:account_detail", admin=200, manager=200, member=200),
    *object_routes("customers:account_update", "GET", *pk("account"), admin=200, manager=200),
    *object_routes(
        "customers:account_update",
        "POST",
        *pk("account"),
        data=lambda p: {"name": "Renamed Outdoors", "status": "at_risk"},
        admin=DETAIL,
        manager=DETAIL,
    ),
    other_account(
        "customers:account_update", "POST", data=lambda p: {"name": "Taken", "status": "active"}, admin=DETAIL
    ),
    *object_routes("customers:account_transfer", "GET", *pk("account"), admin=200, manager=200),
    *object_routes(
        "customers:account_transfer",
        "POST",
        *pk("account"),
        data=lambda p: {"to_team": own_teams(p).unmanaged_team.pk, "reason": "Sales takes the renewal"},
        admin=DETAIL,
        manager=DETAIL,
    ),
    other_account(
        "customers:account_transfer",
        "POST",
        data=lambda p: {"to_team": p.teams.team.pk, "reason": "Support takes it"},
        admin=DETAIL,
    ),
    # --- Contacts ---
    *object_routes(
        "customers:contact_create",
        "POST",
        *pk("account"),
        data=lambda p: CONTACT,
        admin=DETAIL,
        manager=DETAIL,
        member=DETAIL,
    ),
    other_account("customers:contact_create", "POST", data=lambda p: CONTACT, admin=DETAIL),
    *object_routes("customers:contact_update", "GET", *pk("contact"), admin=200, manager=200, member=200),
    *object_routes(
        "customers:contact_update",
        "POST",
        *pk("contact"),
        data=lambda p: {**CONTACT, "name": "Jo Walker"},
        admin=DETAIL,
        manager=DETAIL,
        member=DETAIL,
    ),
    *object_routes(
        "customers:contact_mark_reviewed", "POST", *pk("contact"), admin=DETAIL, manager=DETAIL, member=DETAIL
    ),
    *object_routes("customers:contact_delete", "POST", *pk("contact"), admin=DETAIL, manager=DETAIL, member=DETAIL),
    other_account_detail("customers:contact_update", "other_contact", admin=200),
    other_account_detail(
        "customers:contact_update", "other_contact", "POST", data=lambda p: {**CONTACT, "name": "Kim"}, admin=DETAIL
    ),
    other_account_detail("customers:contact_delete", "other_contact", "POST", admin=DETAIL),
    # --- Follow-ups ---
    *object_routes(
        "customers:follow_up_create",
        "POST",
        *pk("account"),
        data=lambda p: FOLLOW_UP,
        admin=DETAIL,
        manager=DETAIL,
        member=DETAIL,
    ),
    other_account("customers:follow_up_create", "POST", data=lambda p: FOLLOW_UP, admin=DETAIL),
    *object_routes("customers:follow_up_update", "GET", *pk("follow_up"), admin=200, manager=200, member=200),
    *object_routes(
        "customers:follow_up_update",
        "POST",
        *pk("follow_up"),
        data=lambda p: {"summary": "Quote for 40 jackets"},
        admin=DETAIL,
        manager=DETAIL,
        member=DETAIL,
    ),
    *object_routes(
        "customers:follow_up_status",
        "POST",
        *pk("follow_up"),
        data=lambda p: {"status": "in_progress"},
        admin=DETAIL,
        manager=DETAIL,
        member=DETAIL,
    ),
    other_account_detail("customers:follow_up_update", "other_follow_up", admin=200),
    other_account_detail(
        "customers:follow_up_status",
        "other_follow_up",
        "POST",
        data=lambda p: {"status": "in_progress"},
        admin=DETAIL,
    ),
    # --- Turnaround: every team's, for everyone in the organisation ---
    *object_routes("customers:turnaround", "GET", *pk("team"), admin=200, manager=200, member=200),
]
