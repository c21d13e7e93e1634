"""NPS history through customers' import pipeline: suggestions, preview, the run (all or
nothing, row errors) and a re-import that records nothing twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.imports import services as import_services
from customers.imports.run import run_import
from customers.models import CustomerImport
from inbound.history import NPS_HISTORY
from surveys.models import NpsFeedback

pytestmark = pytest.mark.django_db

GOOD = (
    "Response ID,Account,Email,NPS Score,Comment,Submitted At\n"
    "R-1,ACME-1,jo@customer.example,9,Great support,2026-03-02\n"
    "R-2,ACME-1,,4,Slow invoices,2026-03-05T10:30:00\n"
    "R-3,,jo@customer.example,10,,2026-04-01\n"
)


def _upload(actor, text, name="nps.csv"):
    return import_services.import_upload(
        actor=actor, uploaded_file=SimpleUploadedFile(name, text.encode(), "text/csv"), kind=NPS_HISTORY
    )


def _run(actor, text):
    item = _upload(actor, text)
    import_services.import_start(actor=actor, customer_import=item)
    return run_import(item.pk)


def test_upload_suggests_the_columns(acme):
    item = _upload(acme.admin, GOOD)

    assert item.kind == NPS_HISTORY
    assert item.mapping == {
        "external_id": "Response ID",
        "account_ref": "Account",
        "contact_email": "Email",
        "score": "NPS Score",
        "comment": "Comment",
        "received_at": "Submitted At",
    }


def test_preview_marks_problems_by_cell(acme):
    item = _upload(acme.admin, GOOD + "R-4,NOPE,,11,,2026-04-02\n")

    preview = import_services.import_preview(customer_import=item)

    last = preview["rows"][-1]
    assert not last["ok"]
    problems = {c["value"]: c["problems"] for c in last["cells"]}
    assert problems["11"] == ["The score must be from 0 to 10."]
    assert problems["NOPE"] == ["No account has the external reference “NOPE”."]  # both at once
    assert all(row["ok"] for row in preview["rows"][:3])


def test_import_records_every_row_through_feedback_record(acme):
    done = _run(acme.manager, GOOD)

    assert done.status == CustomerImport.Status.SUCCEEDED, done.message
    assert done.counts == {"Feedback recorded": 3, "Already imported before": 0}
    rows = {f.external_id: f for f in NpsFeedback.objects.filter(channel="import")}
    assert set(rows) == {"R-1", "R-2", "R-3"}
    assert rows["R-3"].account == acme.account and rows["R-3"].contact == acme.contact
    assert rows["R-1"].team == acme.support
    assert rows["R-2"].received_at.hour == 10


def test_reimport_records_nothing_twice(acme):
    _run(acme.admin, GOOD)
    again = _run(acme.admin, GOOD)

    assert again.status == CustomerImport.Status.SUCCEEDED
    assert again.counts == {"Feedback recorded": 0, "Already imported before": 3}
    assert NpsFeedback.objects.count() == 3


def test_one_bad_row_imports_nothing_and_lists_every_problem(acme):
    text = GOOD + "R-4,NOPE,,7,,2026-04-02\nR-1,ACME-1,,7,,2026-04-02\nR-6,ACME-2,,7,,\n"

    done = _run(acme.manager, text)

    assert done.status == CustomerImport.Status.FAILED
    assert not NpsFeedback.objects.exists()
    by_row = {(e["row"], e["column"]) for e in done.errors}
    assert (5, "account_ref") in by_row  # unknown account
    assert (6, "external_id") in by_row  # R-1 twice in the file
    assert (7, "received_at") in by_row  # no date
    assert (7, "account_ref") not in by_row or any("do not manage" in e["reason"] for e in done.errors)


def test_manager_may_not_import_another_teams_history(acme):
    done = _run(acme.manager, "Response ID,Account,Score,Date\nR-9,ACME-2,8,2026-01-01\n")

    assert done.status == CustomerImport.Status.FAILED
    assert "do not manage" in done.errors[0]["reason"]


def test_history_imports_stay_off_the_accounts_import_pages(client_for, acme):
    item = _upload(acme.admin, GOOD)
    client = client_for(acme.admin)

    assert client.get(f"/customers/imports/{item.pk}/").status_code == 404
    assert item.filename.encode() not in client.get("/customers/imports/").content
    assert client.get(f"/customers/nps-imports/{item.pk}/").status_code == 200


def test_history_import_pages_walk_through(client_for, acme):
    client = client_for(acme.admin)
    upload = client.post("/customers/nps-imports/", {"file": SimpleUploadedFile("h.csv", GOOD.encode(), "text/csv")})
    item = CustomerImport.objects.get(kind=NPS_HISTORY)
    assert upload.status_code == 302 and upload["Location"] == f"/customers/nps-imports/{item.pk}/columns/"

    mapping = client.post(f"/customers/nps-imports/{item.pk}/columns/", item.mapping)
    preview = client.get(f"/customers/nps-imports/{item.pk}/preview/")

    assert mapping.status_code == 302
    assert preview.status_code == 200 and b"Great support" in preview.content


def test_api_upload_and_start(api_client_for, acme, django_capture_on_commit_callbacks):
    client = api_client_for(acme.admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/api/v1/orgs/acme/nps-imports/", {"file": SimpleUploadedFile("h.csv", GOOD.encode(), "text/csv")}
        )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "queued"
    run_import(response.json()["id"])
    assert client.get(f"/api/v1/orgs/acme/nps-imports/{response.json()['id']}/").json()["counts"] == {
        "Feedback recorded": 3,
        "Already imported before": 0,
    }
