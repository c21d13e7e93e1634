"""Authorization matrix rows for the admins' "recompute now" page (the objects:
surveys/tests/test_scores_api.py ``make_score_objects``; ``score_run`` is a finished run)."""

from tests.authz import Route
from tests.matrix_rows import ADMIN_ONLY, TO, admin_only, object_routes, pk

ROUTES = [
    Route(name="surveys:scores_configure", expect=ADMIN_ONLY),
    # The outsider (Globex's admin) recomputes Globex's scores.
    Route(name="surveys:scores_recompute", method="POST", expect=admin_only(TO("surveys:scores_configure"))),
    *object_routes("surveys:score_run_progress", "GET", *pk("score_run"), admin=200),
]
