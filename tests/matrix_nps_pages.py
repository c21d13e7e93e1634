"""Authorization matrix rows for customer surveys: pages, and the contact's link.

``p.teams.nps_draft`` is a draft NPS round for ``p.teams.account`` (owned by the team
the manager manages), by the admin; ``p.teams.nps_round`` was sent and asked
``p.teams.contact``, whose personal link is ``p.teams.nps_token``;
``p.teams.nps_closed_token`` is the same contact's link in a closed round. Globex has
the same. Members do not browse customer surveys: a round is not found for them.

The link is the capability: whoever holds it answers for that contact, logged in or
not, in whichever organisation they are (so no leak check there). Its one-click GET
records a score by design (the issue's "one click records the score"); it is tested
in surveys/tests/test_nps_public.py. The matrix checks that every GET leaves the
database as it was, so its rows here pin the answers that change nothing: a score
outside the scale (400), a closed round (410), an unknown token (404).
"""

import datetime as dt

from django.utils import timezone

from tests.authz import Route, every
from tests.matrix_rows import MANAGERS, TO, managers, object_routes, own_teams, pk


def _round(p):
    return {
        "title": "Spring NPS",
        "kind": "nps",
        "accounts": [own_teams(p).account.pk],
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }


def _link(attribute="nps_token"):
    return lambda p: {"token": getattr(p.teams, attribute)}


DETAIL = TO("surveys:nps_detail")

ROUTES = [
    Route(name="surveys:nps_list", expect=MANAGERS),
    Route(name="surveys:nps_create", expect=MANAGERS),
    Route(name="surveys:nps_create", method="POST", data=_round, expect=managers(DETAIL)),
    *object_routes("surveys:nps_detail", "GET", *pk("nps_draft"), admin=200, manager=200, member=404),
    *object_routes("surveys:nps_send", "POST", *pk("nps_draft"), admin=DETAIL, manager=DETAIL, member=404),
    *object_routes("surveys:nps_close", "POST", *pk("nps_round"), admin=DETAIL, manager=DETAIL, member=404),
    *object_routes(
        "surveys:nps_discard",
        "POST",
        *pk("nps_draft"),
        admin=TO("surveys:nps_list"),
        manager=TO("surveys:nps_list"),
        member=404,
    ),
    # The contact's personal link: no login.
    Route(name="surveys:link", kwargs=_link(), leak_check=False, expect=every(200)),
    Route(
        name="surveys:link",
        method="POST",
        kwargs=_link(),
        data=lambda p: {"score": "7", "comment": "Good, mostly"},
        leak_check=False,
        expect=every(TO("surveys:link")),
    ),
    Route(name="surveys:link", variant="closed", kwargs=_link("nps_closed_token"), expect=every(410)),
    Route(
        name="surveys:link",
        variant="closed",
        method="POST",
        kwargs=_link("nps_closed_token"),
        data=lambda p: {"score": "7"},
        expect=every(410),
    ),
    Route(name="surveys:link", variant="unknown-token", kwargs=lambda p: {"token": "x" * 43}, expect=every(404)),
    Route(
        name="surveys:link",
        variant="unknown-token",
        method="POST",
        kwargs=lambda p: {"token": "x" * 43},
        data=lambda p: {"score": "7"},
        expect=every(404),
    ),
    Route(
        name="surveys:link_score",
        kwargs=lambda p: {"token": p.teams.nps_token, "score": 42},
        leak_check=False,
        expect=every(400),
    ),
    Route(
        name="surveys:link_score",
        variant="closed",
        kwargs=lambda p: {"token": p.teams.nps_closed_token, "score": 7},
        expect=every(410),
    ),
    Route(
        name="surveys:link_score",
        variant="unknown-token",
        kwargs=lambda p: {"token": "x" * 43, "score": 7},
        expect=every(404),
    ),
    Route(name="surveys:link_opt_out", kwargs=_link(), leak_check=False, expect=every(200)),
    Route(name="surveys:link_opt_out", method="POST", kwargs=_link(), leak_check=False, expect=every(200)),
    Route(
        name="surveys:link_opt_out",
        variant="unknown-token",
        method="POST",
        kwargs=lambda p: {"token": "x" * 43},
        expect=every(404),
    ),
]
