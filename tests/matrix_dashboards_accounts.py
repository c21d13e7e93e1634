"""Authorization matrix rows for account health and accounts at risk (dashboards).

Everyone has an at-risk list: the accounts they read in full (the outsider gets
Globex's). An account's health is for the people who read it in full, as its details
are: ``p.teams.account`` (the member's team, which the manager manages) for everyone of
Acme; ``p.teams.other_account`` (a team nobody but admins works on) answers 403 to
member and manager, who may see that it exists; another organisation's is not found.
"""

from tests.authz import Route
from tests.matrix_rows import EVERYONE, acme, acme_object, api_roles, collection, object_routes, on_object, pk

ROUTES = [
    Route(name="dashboards:at_risk", expect=EVERYONE),
    *object_routes("dashboards:account_health", "GET", *pk("account"), admin=200, manager=200, member=200),
    Route(
        name="dashboards:account_health",
        variant="other-account",
        kwargs=lambda p: {"pk": p.teams.other_account.pk},
        expect=acme_object(admin=200, manager=403, member=403),
    ),
    *collection("api-accounts-at-risk", member=200),
    *on_object("api-account-health", member=200, pk="account"),
    Route(
        name="api-account-health",
        variant="other-account",
        kwargs=acme(pk="other_account"),
        expect=api_roles(member=403, manager=403, admin=200),
    ),
]
