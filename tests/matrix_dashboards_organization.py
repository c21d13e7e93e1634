"""Authorization matrix rows for the organisation view (issue 13, point 2): its page and
its API. Admins only: managers (who have their own dashboard) and members are refused
(403). The page uses the current organisation, so the outsider (Globex's admin) sees
Globex's; the API names Acme, of which the outsider is no member (404)."""

from tests.authz import Route
from tests.matrix_rows import ADMIN_ONLY, collection

ROUTES = [
    Route(name="dashboards:organization", expect=ADMIN_ONLY),
    *collection("api-organization-dashboard", member=403, manager=403, admin=200),
]
