"""Authorization matrix rows for feedback from other tools: pages and the two webhooks.

``p.teams.feedback_source`` (Standard Webhooks) and ``p.teams.typeform_source`` are
Acme's webhooks, ``p.teams.unmatched`` a response nobody matched, ``p.teams.nps_import``
an NPS history import uploaded by the manager (Globex: by its admin). Webhook secrets
and the unmatched list are the admins' (their lists a 403 to other roles, their objects
not found); an import its uploader's and the admins'.
The webhooks are public, and every request here is unsigned: 401 for everyone.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz import Route, every
from tests.matrix_rows import ADMIN_ONLY, MANAGERS, TO, admin_only, managers, object_routes, own_teams, pk


def _assign(p):
    teams = own_teams(p)
    return {f"u{teams.unmatched.pk}-account": teams.account.pk}


def _mapping(p):
    return {"kind": "nps", "score_field": "nps_score", "comment_field": "why", "contact_field": "email"}


def _history_mapping(p):
    return dict(own_teams(p).nps_import.mapping)


def _csv(p):
    return {
        "file": SimpleUploadedFile("nps.csv", b"Response ID,Account,Score,Date\nR-1,X-1,9,2026-01-01\n", "text/csv")
    }


ROUTES = [
    Route(name="inbound:sources", expect=ADMIN_ONLY),
    # Both webhooks exist already: the page says to rotate instead.
    Route(
        name="inbound:source_create",
        method="POST",
        data=lambda p: {"scheme": "standard"},
        expect=admin_only(TO("inbound:sources")),
    ),
    Route(name="inbound:source_create", variant="get", expect=admin_only(405)),
    *object_routes("inbound:source_rotate", "POST", *pk("feedback_source"), admin=200, manager=404, member=404),
    *object_routes(
        "inbound:source_delete", "POST", *pk("feedback_source"), admin=TO("inbound:sources"), manager=404, member=404
    ),
    *object_routes("inbound:typeform_mapping", "GET", *pk("typeform_source"), admin=200, manager=404, member=404),
    *object_routes(
        "inbound:typeform_mapping",
        "POST",
        *pk("typeform_source"),
        data=_mapping,
        admin=TO("inbound:sources"),
        manager=404,
        member=404,
    ),
    Route(name="inbound:unmatched", expect=ADMIN_ONLY),
    *object_routes(
        "inbound:unmatched_assign",
        "POST",
        *pk("unmatched"),
        data=_assign,
        admin=TO("inbound:unmatched"),
        manager=404,
        member=404,
    ),
    *object_routes(
        "inbound:unmatched_dismiss", "POST", *pk("unmatched"), admin=TO("inbound:unmatched"), manager=404, member=404
    ),
    # NPS history imports: managers and admins; an import is its uploader's (the manager) and the admins'.
    Route(name="inbound:imports", expect=MANAGERS),
    Route(name="inbound:imports", method="POST", data=_csv, expect=managers(TO("inbound:import_map"))),
    *object_routes("inbound:import_detail", "GET", *pk("nps_import"), admin=200, manager=200, member=404),
    *object_routes("inbound:import_progress", "GET", *pk("nps_import"), admin=200, manager=200, member=404),
    *object_routes("inbound:import_map", "GET", *pk("nps_import"), admin=200, manager=200, member=404),
    *object_routes(
        "inbound:import_map",
        "POST",
        *pk("nps_import"),
        data=_history_mapping,
        admin=TO("inbound:import_preview"),
        manager=TO("inbound:import_preview"),
        member=404,
    ),
    *object_routes("inbound:import_preview", "GET", *pk("nps_import"), admin=200, manager=200, member=404),
    *object_routes(
        "inbound:import_start",
        "POST",
        *pk("nps_import"),
        admin=TO("inbound:import_detail"),
        manager=TO("inbound:import_detail"),
        member=404,
    ),
    # The webhooks: no login, and nothing without a valid signature.
    Route(
        name="inbound:hook_standard",
        method="POST",
        kwargs=lambda p: {"org_slug": p.org.slug},
        data=lambda p: {"data": {"account_ref": "X", "score": 9}},
        expect=every(401),
    ),
    Route(name="inbound:hook_standard", kwargs=lambda p: {"org_slug": p.org.slug}, expect=every(405)),
    Route(
        name="inbound:hook_typeform",
        method="POST",
        kwargs=lambda p: {"org_slug": p.org.slug},
        data=lambda p: {"form_response": {"token": "t"}},
        expect=every(401),
    ),
    Route(name="inbound:hook_typeform", kwargs=lambda p: {"org_slug": p.org.slug}, expect=every(405)),
]
