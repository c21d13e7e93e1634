"""The import API: upload and start, start with a mapping, poll; by role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.imports import parsing
from customers.imports.run import run_import
from customers.models import CustomerImport
from teams import services as team_services

CSV = b"Company,CRM ID,Team\nNew Co,N-1,Support\nBad Co,,Support\n"


@pytest.fixture
def team(personas):
    return team_services.team_create(actor=personas.admin, name="Support", managers=[personas.manager])


def url(slug="acme", pk=None, start=False):
    base = f"/api/v1/orgs/{slug}/imports/"
    return base + (f"{pk}/" if pk else "") + ("start/" if start else "")


def test_manager_uploads_and_starts_then_polls_errors(
    personas, team, api_client_for, django_capture_on_commit_callbacks
):
    client = api_client_for(personas.manager)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url(), {"file": SimpleUploadedFile("crm.csv", CSV)}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["mapping"]["external_ref"] == "CRM ID"
    assert len(callbacks) == 1
    run_import(body["id"])
    polled = client.get(url(pk=body["id"])).json()
    assert polled["status"] == "failed" and polled["error_count"] == 1
    assert polled["errors"] == [
        {"row": 3, "column": "external_ref", "reason": polled["errors"][0]["reason"]},
    ]


def test_upload_only_then_start_with_mapping(personas, team, api_client_for):
    client = api_client_for(personas.manager)
    data = {"file": SimpleUploadedFile("crm.csv", b"A,B\nX,1\n"), "start": "false"}
    created = client.post(url(), data, format="multipart").json()
    assert created["status"] == "uploaded"
    response = client.post(
        url(pk=created["id"], start=True),
        {"mapping": {"name": "A", "external_ref": "B"}, "default_team": team.pk},
        format="json",
    )
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "queued"
    done = run_import(created["id"])
    assert done.status == CustomerImport.Status.SUCCEEDED and done.accounts_created == 1
    assert client.get(url(pk=created["id"])).json()["percent"] == 100


def test_bad_mapping_answers_400_and_keeps_nothing(personas, team, api_client_for):
    client = api_client_for(personas.manager)
    data = {"file": SimpleUploadedFile("crm.csv", b"A,B\nX,1\n"), "mapping": '{"name": "Nope"}'}
    response = client.post(url(), data, format="multipart")
    assert response.status_code == 400 and "mapping" in response.json()["error"]["fields"]
    assert not CustomerImport.objects.exists()


def test_member_is_refused_and_others_imports_are_hidden(personas, team, api_client_for):
    client = api_client_for(personas.manager)
    created = client.post(url(), {"file": SimpleUploadedFile("c.csv", CSV), "start": "false"}, format="multipart")
    pk = created.json()["id"]
    assert api_client_for(personas.member).get(url()).status_code == 403
    assert api_client_for(personas.member).get(url(pk=pk)).status_code == 404
    assert api_client_for(personas.admin).get(url(pk=pk)).status_code == 200
    assert api_client_for(personas.outsider).get(url("globex", pk=pk)).status_code == 404
    assert [i["id"] for i in api_client_for(personas.admin).get(url()).json()["results"]] == [pk]


def test_upload_of_a_file_with_nul_characters_answers_400_and_keeps_nothing(personas, team, api_client_for):
    data = {"file": SimpleUploadedFile("crm.csv", b"Company,CRM ID,Team\nNew\x00 Co,N-1,Support\n")}

    response = api_client_for(personas.manager).post(url(), data, format="multipart")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["fields"]) == ("invalid", {"file": [parsing.NUL_MESSAGE]})
    assert not CustomerImport.objects.exists()


def test_a_mapping_nested_too_deeply_answers_400_and_keeps_nothing(personas, team, api_client_for):
    data = {"file": SimpleUploadedFile("crm.csv", b"A,B\nX,1\n"), "mapping": "[" * 1000}

    response = api_client_for(personas.manager).post(url(), data, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"mapping": ["Give the mapping as a JSON object."]}
    assert not CustomerImport.objects.exists()


def test_start_with_json_nested_too_deeply_answers_400_and_changes_nothing(personas, team, api_client_for):
    client = api_client_for(personas.manager)
    data = {"file": SimpleUploadedFile("crm.csv", b"A,B\nX,1\n"), "start": "false"}
    created = client.post(url(), data, format="multipart").json()

    response = client.post(url(pk=created["id"], start=True), "[" * 1000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    customer_import = CustomerImport.objects.get()
    assert (customer_import.status, customer_import.mapping) == (CustomerImport.Status.UPLOADED, created["mapping"])
