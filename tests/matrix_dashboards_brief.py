"""Authorization matrix rows for the meeting brief: its page, its PDF and its API.

Managers brief the teams they manage, admins any team; members are refused (403). The
outsider (Globex's admin) briefs Globex's teams on the pages and is no member of Acme
in the API (404). Without a query string each brief covers every team the persona may
brief over the last seven days. (The matrix sends a GET without its ``data``, so the
refusal of a team one may not brief — a form error on the page, a 400 for the PDF and
the API — is tested in dashboards/tests/test_brief.py.)
"""

from tests.authz import Route
from tests.matrix_rows import MANAGERS, collection

ROUTES = [
    Route(name="dashboards:brief", expect=MANAGERS),
    Route(name="dashboards:brief_pdf", expect=MANAGERS),
    *collection("api-brief", member=403, manager=200),
]
