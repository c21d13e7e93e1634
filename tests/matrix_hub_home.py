"""Authorization matrix rows for the member home's API (issue 13, point 8). Everyone in
the organisation reads their own home; anonymous 401; the outsider, no member of Acme, 404.
The page's row ("home") stays with the project's own routes."""

from tests.matrix_rows import collection

ROUTES = [
    *collection("api-home", member=200),
]
