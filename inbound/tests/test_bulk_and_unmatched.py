"""The bulk API (all or nothing, problems by row index) and the unmatched list
(assigning records feedback and takes it off the list)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbound import services
from inbound.models import Scheme, UnmatchedResponse
from surveys.models import NpsFeedback

pytestmark = pytest.mark.django_db

URL = "/api/v1/orgs/acme/nps-feedback/bulk/"


def _rows(n, **extra):
    return [{"account_ref": "ACME-1", "score": i % 11, "external_id": f"ext-{i}", **extra} for i in range(n)]


def test_bulk_records_every_row(api_client_for, acme):
    rows = [*_rows(3), {"account": acme.account.pk, "contact_email": "jo@customer.example", "score": 4, "kind": "csat"}]

    response = api_client_for(acme.manager).post(URL, {"rows": rows}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["created"] == 4
    assert NpsFeedback.objects.filter(channel="api").count() == 4
    csat = NpsFeedback.objects.get(kind="csat")
    assert (csat.contact, csat.team) == (acme.contact, acme.support)


def test_bulk_saves_nothing_when_one_row_fails_and_names_each_by_index(api_client_for, acme):
    rows = [*_rows(2), {"account_ref": "ACME-1", "score": 12}, {"account_ref": "NOPE", "score": 5}, {"score": 5}]

    response = api_client_for(acme.admin).post(URL, {"rows": rows}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Nothing was saved: 3 of 5 rows have problems."
    assert error["fields"]["rows[2].score"] == ["The score must be from 0 to 10."]
    assert "NOPE" in error["fields"]["rows[3].account_ref"][0]
    assert "rows[4].account" in error["fields"]
    assert not NpsFeedback.objects.exists()


def test_bulk_refuses_a_manager_for_another_teams_account(api_client_for, acme):
    rows = [*_rows(1), {"account_ref": "ACME-2", "score": 8}]

    response = api_client_for(acme.manager).post(URL, {"rows": rows}, format="json")

    assert response.status_code == 400
    assert "Sales" in response.json()["error"]["fields"]["rows[1].account"][0]
    assert not NpsFeedback.objects.exists()


def test_bulk_does_not_find_another_organisations_account(api_client_for, acme):
    response = api_client_for(acme.admin).post(
        URL, {"rows": [{"account": acme.globex_account.pk, "score": 8}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rows[0].account"] == [f"No account has the id {acme.globex_account.pk}."]


def test_bulk_refuses_more_than_a_thousand_rows(api_client_for, acme):
    response = api_client_for(acme.admin).post(URL, {"rows": _rows(1001)}, format="json")

    assert response.status_code == 400
    assert "at most 1,000 rows" in response.json()["error"]["fields"]["rows"][0]
    assert not NpsFeedback.objects.exists()


def test_bulk_resend_is_idempotent(api_client_for, acme):
    client = api_client_for(acme.admin)
    client.post(URL, {"rows": _rows(3)}, format="json")
    again = client.post(URL, {"rows": _rows(3)}, format="json")

    assert again.status_code == 201
    assert (again.json()["created"], again.json()["existing"]) == (0, 3)
    assert NpsFeedback.objects.count() == 3


def test_bulk_is_refused_to_members(api_client_for, acme):
    assert api_client_for(acme.member).post(URL, {"rows": _rows(1)}, format="json").status_code == 403


def _unmatched(acme, **changes):
    values = {
        "kind": "nps",
        "score": 2,
        "comment": "Nobody called back.",
        "reason": "No contact",
        "contact_ref": "new@customer.example",
        "received_at": "2026-11-30T10:00:00Z",
        "external_id": "typeform:tok-1",
        **changes,
    }
    return UnmatchedResponse.objects.create(organization=acme.org, source=Scheme.TYPEFORM, **values)


def test_assigning_an_unmatched_response_records_it_and_takes_it_off_the_list(acme):
    item = _unmatched(acme)

    feedback = services.unmatched_assign(actor=acme.admin, unmatched=item, account=acme.account, contact=acme.contact)

    assert (feedback.account, feedback.contact, feedback.score, feedback.team) == (
        acme.account,
        acme.contact,
        2,
        acme.support,
    )
    assert feedback.external_id == "typeform:tok-1" and feedback.channel == "webhook"
    assert not UnmatchedResponse.objects.exists()


def test_assign_refuses_a_contact_of_another_account(acme):
    item = _unmatched(acme)
    with pytest.raises(Exception, match="contacts"):
        services.unmatched_assign(actor=acme.admin, unmatched=item, account=acme.other_account, contact=acme.contact)
    assert UnmatchedResponse.objects.filter(pk=item.pk).exists()
    assert not NpsFeedback.objects.exists()


def test_unmatched_api_assign_and_dismiss(api_client_for, acme):
    item, other = _unmatched(acme), _unmatched(acme, external_id="typeform:tok-2")
    client = api_client_for(acme.admin)

    listed = client.get("/api/v1/orgs/acme/unmatched-feedback/")
    assigned = client.post(
        f"/api/v1/orgs/acme/unmatched-feedback/{item.pk}/assign/", {"account": acme.account.pk}, format="json"
    )
    dismissed = client.post(f"/api/v1/orgs/acme/unmatched-feedback/{other.pk}/dismiss/")

    assert (
        listed.status_code == 200
        and len(listed.json()["results"] if "results" in listed.json() else listed.json()) == 2
    )
    assert assigned.status_code == 200
    assert NpsFeedback.objects.get(pk=assigned.json()["feedback"]).account == acme.account
    assert dismissed.status_code == 204
    assert not UnmatchedResponse.objects.exists()


def test_unmatched_page_assigns(client_for, acme):
    item = _unmatched(acme)
    client = client_for(acme.admin)

    page = client.get("/configure/unmatched-feedback/")
    response = client.post(
        f"/configure/unmatched-feedback/{item.pk}/assign/",
        {f"u{item.pk}-account": acme.account.pk, f"u{item.pk}-contact": ""},
    )

    assert page.status_code == 200 and b"Nobody called back." in page.content
    assert response.status_code == 302
    assert NpsFeedback.objects.get().account == acme.account


def test_unmatched_page_issues_the_same_queries_for_one_row_and_many(client_for, acme):
    client = client_for(acme.admin)
    _unmatched(acme)
    client.get("/configure/unmatched-feedback/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get("/configure/unmatched-feedback/")
    for n in range(2, 8):
        _unmatched(acme, external_id=f"typeform:tok-{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/configure/unmatched-feedback/")
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_bulk_reports_every_problem_of_a_row_at_once(api_client_for, acme):
    response = api_client_for(acme.admin).post(URL, {"rows": [{"account_ref": "NOPE", "score": 12}]}, format="json")

    fields = response.json()["error"]["fields"]
    assert set(fields) == {"non_field_errors", "rows[0].account_ref", "rows[0].score"}
