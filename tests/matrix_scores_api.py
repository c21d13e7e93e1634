"""Authorization matrix rows for the scores API (the objects: surveys/tests/test_scores_api.py
``make_score_objects``).

Everyone reads scores, narrowed by surveys.access.access_scores: a score the persona
may not read is not found, like another organisation's. ``team_score`` is the
member's team's (the manager manages it), ``hidden_score`` a suppressed one of it (not
for its member), ``other_team_score`` of the team nobody here is on, ``function_score``
a function's (managers and admins), ``org_score`` the organisation's, ``account_score``
``other_account``'s NPS (admins only: nobody else has full access to it). "Recompute
now" is the admins'.
"""

from tests.authz import Route
from tests.matrix_rows import acme, api_roles, collection, on_object

ROUTES = [
    *collection("api-scores", member=200),
    # Without a scope: the organisation's current scores.
    *collection("api-scores-current", member=200),
    *on_object("api-score-explanation", member=200, pk="team_score"),
    *(
        Route(name="api-score-explanation", variant=variant, kwargs=acme(pk=attribute), expect=expect)
        for variant, attribute, expect in (
            ("suppressed", "hidden_score", api_roles(member=404, manager=200)),
            ("other-team", "other_team_score", api_roles(member=404, manager=404, admin=200)),
            ("function", "function_score", api_roles(member=404, manager=200)),
            ("organisation", "org_score", api_roles(member=200)),
            ("account", "account_score", api_roles(member=404, manager=404, admin=200)),
        )
    ),
    *collection("api-scores-recompute", "POST", member=403, admin=202),
    *on_object("api-scores-recompute-run", member=403, admin=200, pk="score_run"),
]
