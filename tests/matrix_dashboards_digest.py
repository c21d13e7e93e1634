"""Authorization matrix rows for the weekly digest: its settings page, its one-click
unsubscribe and its API.

Everyone has their own digest preference (the page and the API address only the
caller's own, so there is no id to guess); the outsider (Globex's admin) changes their
own on the page and is no member of Acme in the API (404). The unsubscribe link is the
capability: whoever holds it stops that one person's digest, logged in or not, so no
leak check there (its page names the person's e-mail address); a token TeamHub did
not sign is a 404 for everyone and changes nothing.
"""

from tests.authz import Route, every
from tests.matrix_rows import TO, collection, everyone


def _token(p):
    from dashboards.services.digest import unsubscribe_token

    return {"token": unsubscribe_token(p.member)}


def _forged(p):
    return {"token": f"{p.admin.pk}:forged-signature"}


ROUTES = [
    Route(name="dashboards:digest", expect=everyone(200)),
    Route(
        name="dashboards:digest",
        method="POST",
        data=lambda p: {"enabled": "on", "weekday": "0", "hour": "8"},
        expect=everyone(TO("dashboards:digest")),
    ),
    Route(name="dashboards:digest_unsubscribe", kwargs=_token, leak_check=False, expect=every(200)),
    Route(name="dashboards:digest_unsubscribe", method="POST", kwargs=_token, leak_check=False, expect=every(200)),
    Route(name="dashboards:digest_unsubscribe", variant="forged", kwargs=_forged, expect=every(404)),
    Route(name="dashboards:digest_unsubscribe", variant="forged", method="POST", kwargs=_forged, expect=every(404)),
    *collection("api-digest", member=200),
    *collection("api-digest", "PATCH", data=lambda p: {"enabled": True, "hour": 8}, member=200),
]
