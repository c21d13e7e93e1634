"""Authorization matrix rows for customers/ (import and export); see tests/test_authorization_matrix.py.

``p.teams.customer_import`` was uploaded by Acme's manager (headers "Account",
"External ID", "Team"; no mapping yet), ``p.other_teams.customer_import`` by Globex's
admin. An import is visible to its uploader and to admins: Acme's member and the
outsider get 404. Importing needs the manager role (members: 403 on the list).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz import LOGIN, Redirect, Route

MAPPING = {"name": "Account", "external_ref": "External ID", "team": "Team"}
IMPORTERS = {"anonymous": LOGIN, "outsider": 200, "member": 403, "manager": 200, "admin": 200}
API_NOT_FOUND = {"anonymous": 401, "outsider": 404, "member": 404, "manager": 404, "admin": 404}


def _csv(p):
    return {"file": SimpleUploadedFile("crm.csv", b"Account,External ID\nNew Co,N-1\n", content_type="text/csv")}


def _import_pages(name, method="GET", *, data=None, success=200, refused_success=False):
    """Rows for Acme's import (the manager's) and an other-org row for Globex's."""
    ok = Redirect(success, refused=refused_success) if isinstance(success, str) else success
    globex_ok = Redirect(success, refused=refused_success) if isinstance(success, str) else success
    return [
        Route(
            name=name,
            method=method,
            kwargs=lambda p: {"pk": p.teams.customer_import.pk},
            data=data,
            expect={"anonymous": LOGIN, "outsider": 404, "member": 404, "manager": ok, "admin": ok},
        ),
        Route(
            name=name,
            variant="other-org",
            method=method,
            kwargs=lambda p: {"pk": p.other_teams.customer_import.pk},
            data=data,
            expect={"anonymous": LOGIN, "outsider": globex_ok, "member": 404, "manager": 404, "admin": 404},
        ),
    ]


def _api(**objects):
    return lambda p: {"org_slug": p.org.slug, **{k: getattr(p.teams, v).pk for k, v in objects.items()}}


def _api_object(name, method="GET", *, data=None, success):
    def globex_objects(p):
        return {"org_slug": p.org.slug, "pk": p.other_teams.customer_import.pk}

    def globex_slug(p):
        return {"org_slug": p.other_org.slug, "pk": p.teams.customer_import.pk}

    expect = {"anonymous": 401, "outsider": 404, "member": 404, "manager": success, "admin": success}
    return [
        Route(name=name, method=method, kwargs=_api(pk="customer_import"), data=data, expect=expect),
        Route(name=name, method=method, variant="other-org", kwargs=globex_objects, data=data, expect=API_NOT_FOUND),
        Route(name=name, method=method, variant="cross-slug", kwargs=globex_slug, data=data, expect=API_NOT_FOUND),
    ]


def _map_data(p):
    return {**MAPPING, "default_team": ""}


ROUTES = [
    # --- Pages ---
    Route(name="customers:imports", expect=IMPORTERS),
    Route(
        name="customers:imports",
        method="POST",
        data=_csv,
        expect={
            "anonymous": LOGIN,
            "outsider": Redirect("customers:import_map"),
            "member": 403,
            "manager": Redirect("customers:import_map"),
            "admin": Redirect("customers:import_map"),
        },
    ),
    *_import_pages("customers:import_detail"),
    *_import_pages("customers:import_map"),
    *_import_pages("customers:import_map", "POST", data=_map_data, success="customers:import_preview"),
    *_import_pages("customers:import_preview"),
    # The scene's import has no mapping yet: starting it is turned back to the preview.
    *_import_pages("customers:import_start", "POST", success="customers:import_preview", refused_success=True),
    *_import_pages("customers:import_progress"),
    Route(name="customers:export", expect={**IMPORTERS, "member": 200}),
    # --- API ---
    Route(
        name="api-imports",
        kwargs=_api(),
        expect={"anonymous": 401, "outsider": 404, "member": 403, "manager": 200, "admin": 200},
    ),
    Route(
        name="api-imports",
        method="POST",
        kwargs=_api(),
        # JSON without a file: the role check passes, the body does not.
        data=lambda p: {"mapping": MAPPING},
        expect={"anonymous": 401, "outsider": 404, "member": 403, "manager": 400, "admin": 400},
    ),
    *_api_object("api-import", success=200),
    *_api_object("api-import-start", "POST", data=lambda p: {"mapping": MAPPING}, success=202),
]
