"""Authorization matrix rows for feedback from other tools: the API (see
matrix_inbound_pages for the objects)."""

from tests.matrix_rows import collection, on_object


def _rows(p):
    return {"rows": [{"account": p.teams.account.pk, "score": 9, "external_id": "matrix-1"}]}


ROUTES = [
    # The manager manages the account's team: recorded for them and the admin.
    *collection("api-nps-feedback-bulk", "POST", data=_rows, member=403, manager=201),
    *collection("api-feedback-webhooks", member=403, admin=200),
    # Both webhooks exist: creating one again is a 400 that says to rotate.
    *collection("api-feedback-webhooks", "POST", data=lambda p: {"scheme": "typeform"}, member=403, admin=400),
    *on_object("api-feedback-webhook", member=404, admin=200, pk="feedback_source"),
    *on_object(
        "api-feedback-webhook",
        "PATCH",
        data=lambda p: {"score_field": "nps_score"},
        member=404,
        admin=200,
        pk="typeform_source",
    ),
    *on_object("api-feedback-webhook", "DELETE", member=404, admin=204, pk="feedback_source"),
    *on_object("api-feedback-webhook-rotate", "POST", member=404, admin=200, pk="feedback_source"),
    *collection("api-unmatched-feedback", member=403, admin=200),
    *on_object(
        "api-unmatched-feedback-assign",
        "POST",
        data=lambda p: {"account": p.teams.account.pk},
        member=404,
        admin=200,
        pk="unmatched",
    ),
    *on_object("api-unmatched-feedback-dismiss", "POST", member=404, admin=204, pk="unmatched"),
    *collection("api-nps-imports", member=403, manager=200),
    # JSON without a file (the matrix sends JSON): the role check passes, the body does not.
    *collection("api-nps-imports", "POST", data=lambda p: {"start": False}, member=403, manager=400),
    *on_object("api-nps-import", member=404, manager=200, pk="nps_import"),
    *on_object("api-nps-import-start", "POST", member=404, manager=202, pk="nps_import"),
]
