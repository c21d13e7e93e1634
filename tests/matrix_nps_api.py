"""Authorization matrix rows for customer surveys: the API (see matrix_nps_pages for the
objects). Members do not run customer surveys: a round is not found for them."""

import datetime as dt

from django.utils import timezone

from tests.matrix_rows import collection, on_object


def _round(p):
    closes = (timezone.now() + dt.timedelta(days=10)).isoformat()
    return {"title": "Spring NPS", "kind": "nps", "accounts": [p.teams.account.pk], "closes_at": closes}


ROUTES = [
    *collection("api-nps-rounds", member=403, manager=200),
    *collection("api-nps-rounds", "POST", data=_round, member=403, manager=201),
    *on_object("api-nps-round", member=404, manager=200, pk="nps_draft"),
    *on_object("api-nps-round", "DELETE", member=404, manager=204, pk="nps_draft"),
    *on_object("api-nps-round-audience", member=404, manager=200, pk="nps_draft"),
    *on_object("api-nps-round-send", "POST", member=404, manager=200, pk="nps_draft"),
    *on_object("api-nps-round-close", "POST", member=404, manager=200, pk="nps_round"),
    *on_object("api-nps-round-answers", member=404, manager=200, pk="nps_round"),
]
