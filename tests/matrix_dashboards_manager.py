"""Authorization matrix rows for the manager dashboard (issue 13, point 1): its page and
its API. Managers and admins; members are refused (403). The page uses the current
organisation, so the outsider (Globex's admin) sees Globex's; the API names Acme, of
which the outsider is no member (404)."""

from tests.authz import Route
from tests.matrix_rows import MANAGERS, collection

ROUTES = [
    Route(name="dashboards:manager", expect=MANAGERS),
    *collection("api-dashboard", member=403, manager=200),
]
