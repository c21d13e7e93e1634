"""Authorization matrix rows for the silo map: its page and API, and one pair's.

Managers and admins read the whole organisation's map (team-level counts); members are
refused (403). A pair is addressed by two team ids: ``team`` and ``unmanaged_team``
(the manager manages only the first — the map is organisation-wide all the same). A
team of another organisation is not found, for members too (404 before 403). The
outsider, Globex's admin, reads Globex's map.
"""

from tests.authz import Route
from tests.matrix_rows import MANAGERS, collection, object_routes, on_object


def _pair(objects):
    return {"team_a": objects.team.pk, "team_b": objects.unmanaged_team.pk}


ROUTES = [
    Route(name="dashboards:silos", expect=MANAGERS),
    *object_routes(
        "dashboards:silo_pair",
        "GET",
        lambda p: _pair(p.teams),
        lambda p: _pair(p.other_teams),
        admin=200,
        manager=200,
        member=403,
    ),
    *collection("api-silo-map", member=403, manager=200),
    *on_object("api-silo-map-pair", member=403, manager=200, team_a="team", team_b="unmanaged_team"),
]
