"""Webhook secrets on the page and in the API: admins only, shown once, rotated, and
the Typeform mapping; and the import kinds registry they plug NPS history into."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.imports import kinds
from customers.imports import services as import_services
from inbound import services
from inbound.models import InboundSource, Scheme

pytestmark = pytest.mark.django_db

API = "/api/v1/orgs/acme/feedback-webhooks/"


def test_the_page_shows_a_new_secret_once(client_for, acme):
    client = client_for(acme.admin)

    created = client.post("/configure/feedback-sources/new/", {"scheme": "standard"})
    secret = created.context["secret"]
    later = client.get("/configure/feedback-sources/")

    assert created.status_code == 200 and secret.startswith("whsec_")
    assert secret.encode() in created.content
    assert secret.encode() not in later.content
    assert b"/hooks/acme/nps/" in later.content


def test_rotating_on_the_page_shows_the_new_secret_and_keeps_the_old_for_a_day(client_for, acme):
    source, old = services.source_create(actor=acme.admin, scheme=Scheme.TYPEFORM)
    client = client_for(acme.admin)

    response = client.post(f"/configure/feedback-sources/{source.pk}/rotate/", {"keep_previous": "on"})

    new = response.context["secret"]
    assert new != old and new.encode() in response.content
    assert services.source_secrets(InboundSource.objects.get(pk=source.pk)) == [new, old]


def test_only_admins_make_secrets(acme):
    with pytest.raises(PermissionDenied):
        services.source_create(actor=acme.manager, scheme=Scheme.STANDARD)


def test_a_second_webhook_of_a_scheme_is_refused(acme):
    services.source_create(actor=acme.admin, scheme=Scheme.STANDARD)
    with pytest.raises(ValidationError, match="rotate it"):
        services.source_create(actor=acme.admin, scheme=Scheme.STANDARD)


def test_the_api_returns_the_secret_only_when_made(api_client_for, acme):
    client = api_client_for(acme.admin)

    created = client.post(API, {"scheme": "standard"}, format="json")
    pk = created.json()["id"]
    fetched = client.get(f"{API}{pk}/")
    listed = client.get(API)
    rotated = client.post(f"{API}{pk}/rotate/", {"keep_previous": False}, format="json")

    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    assert "secret" not in fetched.json() and created.json()["secret"] not in listed.content.decode()
    assert rotated.status_code == 200 and rotated.json()["secret"] != created.json()["secret"]
    assert rotated.json()["previous_valid_until"] is None


def test_the_api_refuses_managers(api_client_for, acme):
    assert api_client_for(acme.manager).post(API, {"scheme": "standard"}, format="json").status_code == 403


def test_typeform_mapping_on_the_page_and_its_errors(client_for, acme):
    source, _ = services.source_create(actor=acme.admin, scheme=Scheme.TYPEFORM)
    client = client_for(acme.admin)
    url = f"/configure/feedback-sources/{source.pk}/typeform/"

    missing = client.post(url, {"kind": "nps", "score_field": "nps_score"})
    saved = client.post(url, {"kind": "csat", "score_field": "sat", "comment_field": "why", "account_field": "account"})

    assert missing.status_code == 400 and b"tells who answered" in missing.content
    assert saved.status_code == 302
    source.refresh_from_db()
    assert (source.kind, source.score_field, source.account_field) == ("csat", "sat", "account")


def test_a_standard_webhook_has_no_mapping(api_client_for, acme):
    source, _ = services.source_create(actor=acme.admin, scheme=Scheme.STANDARD)

    response = api_client_for(acme.admin).patch(f"{API}{source.pk}/", {"score_field": "x"}, format="json")

    assert response.status_code == 400


def test_turning_a_webhook_off_deletes_it(client_for, acme):
    source, _ = services.source_create(actor=acme.admin, scheme=Scheme.STANDARD)

    response = client_for(acme.admin).post(f"/configure/feedback-sources/{source.pk}/delete/")

    assert response.status_code == 302
    assert not InboundSource.objects.exists()


def test_the_registry_knows_nps_history_and_refuses_unknown_kinds(acme):
    assert kinds.keys() == ["accounts", "nps_history"]
    history = kinds.get("nps_history")
    with pytest.raises(ValueError):
        kinds.register(dataclasses.replace(history, key="accounts"))
    with pytest.raises(ValidationError, match="not a kind of import"):
        import_services.import_upload(
            actor=acme.admin, uploaded_file=SimpleUploadedFile("x.csv", b"a\n1\n"), kind="something-else"
        )
