"""Authorization matrix rows for customers/ (import and export); see tests/test_authorization_matrix.py.

``p.teams.customer_import`` was uploaded by Acme's manager (headers "Account",
"External ID", "Team"; no mapping yet), ``p.other_teams.customer_import`` by Globex's
admin. An import is visible to its uploader and to admins: Acme's member and the
outsider get 404. Importing needs the manager role (members: 403 on the list).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz import Route
from tests.matrix_rows import (
    EVERYONE,
    MANAGERS,
    TO,
    acme_object,
    collection,
    globex_object,
    managers,
    on_object,
    pk,
)

MAPPING = {"name": "Account", "external_ref": "External ID", "team": "Team"}


def _csv(p):
    return {"file": SimpleUploadedFile("crm.csv", b"Account,External ID\nNew Co,N-1\n", content_type="text/csv")}


def _import_pages(name, method="GET", *, data=None, success=200, refused_success=False):
    """Rows for Acme's import (the manager's) and an other-org row for Globex's."""
    ok = TO(success, refused=refused_success) if isinstance(success, str) else success
    # Not object_routes: Globex's row keeps ``refused`` too.
    acme_kwargs, globex_kwargs = pk("customer_import")
    return [
        Route(
            name=name,
            method=method,
            kwargs=acme_kwargs,
            data=data,
            expect=acme_object(admin=ok, manager=ok, member=404),
        ),
        Route(name=name, variant="other-org", method=method, kwargs=globex_kwargs, data=data, expect=globex_object(ok)),
    ]


def _map_data(p):
    return {**MAPPING, "default_team": ""}


ROUTES = [
    # --- Pages ---
    Route(name="customers:imports", expect=MANAGERS),
    Route(name="customers:imports", method="POST", data=_csv, expect=managers(TO("customers:import_map"))),
    *_import_pages("customers:import_detail"),
    *_import_pages("customers:import_map"),
    *_import_pages("customers:import_map", "POST", data=_map_data, success="customers:import_preview"),
    *_import_pages("customers:import_preview"),
    # The scene's import has no mapping yet: starting it is turned back to the preview.
    *_import_pages("customers:import_start", "POST", success="customers:import_preview", refused_success=True),
    *_import_pages("customers:import_progress"),
    Route(name="customers:export", expect=EVERYONE),
    # --- API ---
    *collection("api-imports", member=403, manager=200),
    # JSON without a file: the role check passes, the body does not.
    *collection("api-imports", "POST", data=lambda p: {"mapping": MAPPING}, member=403, manager=400),
    *on_object("api-import", member=404, manager=200, pk="customer_import"),
    *on_object(
        "api-import-start", "POST", data=lambda p: {"mapping": MAPPING}, member=404, manager=202, pk="customer_import"
    ),
]
