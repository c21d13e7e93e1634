"""The two signed webhooks, through the real endpoints: what verifies, what is refused,
what a replay does, and what happens to a response nobody can match."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from inbound import hooks, services
from inbound.models import InboundSource, Scheme, SeenWebhook, UnmatchedResponse
from inbound.tests.conftest import typeform_body
from outbox.models import DirtyScope
from surveys.models import NpsFeedback

pytestmark = pytest.mark.django_db


def _standard(client, org_slug, secret, payload, *, msg_id="msg_1", at=None, body=None):
    body = body if body is not None else json.dumps(payload).encode()
    at = at or timezone.now()
    signature = Webhook(secret).sign(msg_id, at, body)
    headers = {
        "HTTP_WEBHOOK_ID": msg_id,
        "HTTP_WEBHOOK_TIMESTAMP": str(int(at.timestamp())),
        "HTTP_WEBHOOK_SIGNATURE": signature,
    }
    return client.post(f"/hooks/{org_slug}/nps/", body, content_type="application/json", **headers)


def _typeform(client, org_slug, secret, body, signature=None):
    signature = signature or hooks.typeform_signature(secret, body)
    return client.post(
        f"/hooks/{org_slug}/typeform/", body, content_type="application/json", HTTP_TYPEFORM_SIGNATURE=signature
    )


@pytest.fixture
def standard(acme):
    source, secret = services.source_create(actor=acme.admin, scheme=Scheme.STANDARD)
    return source, secret


@pytest.fixture
def typeform(acme):
    source, secret = services.source_create(actor=acme.admin, scheme=Scheme.TYPEFORM)
    services.source_configure(
        actor=acme.admin,
        source=source,
        score_field="nps_score",
        comment_field="nps_reason",
        contact_field="work_email",
        account_field="account",
    )
    return source, secret


ROW = {"account_ref": "ACME-1", "contact_email": "jo@customer.example", "score": 3, "comment": "Slow delivery."}


def test_standard_webhook_records_feedback_as_the_system(client, acme, standard):
    _, secret = standard
    response = _standard(client, "acme", secret, {"type": "nps.response", "data": ROW})

    assert response.status_code == 202, response.content
    feedback = NpsFeedback.objects.get(pk=response.json()["feedback"])
    assert (feedback.account, feedback.contact, feedback.score, feedback.team) == (
        acme.account,
        acme.contact,
        3,
        acme.support,
    )
    assert feedback.channel == NpsFeedback.Channel.WEBHOOK
    assert feedback.external_id == "msg_1"  # no external_id in the payload: the message's id
    assert DirtyScope.objects.filter(organization=acme.org, scope_type="account", scope_id=acme.account.pk).exists()


def test_standard_webhook_refuses_a_bad_signature(client, acme, standard):
    response = _standard(client, "acme", "whsec_" + "A" * 43 + "=", {"data": ROW})

    assert response.status_code == 401
    assert not NpsFeedback.objects.exists()
    assert not SeenWebhook.objects.exists()


def test_standard_webhook_refuses_a_tampered_body(client, acme, standard):
    _, secret = standard
    body = json.dumps({"data": ROW}).encode()
    at = timezone.now()
    signature = Webhook(secret).sign("msg_1", at, body)
    tampered = body.replace(b'"score": 3', b'"score": 10')
    response = client.post(
        "/hooks/acme/nps/",
        tampered,
        content_type="application/json",
        HTTP_WEBHOOK_ID="msg_1",
        HTTP_WEBHOOK_TIMESTAMP=str(int(at.timestamp())),
        HTTP_WEBHOOK_SIGNATURE=signature,
    )
    assert response.status_code == 401
    assert not NpsFeedback.objects.exists()


@pytest.mark.parametrize("minutes", [-6, 6], ids=["old", "ahead"])
def test_standard_webhook_refuses_a_timestamp_over_five_minutes_away(client, acme, standard, minutes):
    _, secret = standard
    response = _standard(client, "acme", secret, {"data": ROW}, at=timezone.now() + dt.timedelta(minutes=minutes))

    assert response.status_code == 401
    # Refused like any bad signature: a stranger learns nothing of the organisation's set-up.
    assert response.json()["error"]["message"] == hooks.NOT_VERIFIED
    assert not NpsFeedback.objects.exists()


def test_standard_webhook_replay_changes_nothing(client, acme, standard):
    _, secret = standard
    first = _standard(client, "acme", secret, {"data": {**ROW, "external_id": "r-1"}})
    # The same message again (a replay), then the same response as a new message (a retry).
    replay = _standard(client, "acme", secret, {"data": {**ROW, "external_id": "r-1"}})
    retry = _standard(client, "acme", secret, {"data": {**ROW, "external_id": "r-1"}}, msg_id="msg_2")

    assert first.status_code == 202
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    assert NpsFeedback.objects.count() == 1


def test_standard_webhook_refuses_another_organisations_secret(client, acme, standard):
    _, globex_secret = services.source_create(actor=acme.outsider, scheme=Scheme.STANDARD)

    response = _standard(client, "acme", globex_secret, {"data": ROW})

    assert response.status_code == 401
    assert not NpsFeedback.objects.exists()


def test_unknown_organisation_and_unconfigured_webhook_answer_like_a_bad_signature(client, acme):
    secret = "whsec_" + "B" * 43 + "="
    unknown = _standard(client, "nobody-here", secret, {"data": ROW})
    unconfigured = _standard(client, "acme", secret, {"data": ROW})

    assert unknown.status_code == unconfigured.status_code == 401
    assert unknown.json() == unconfigured.json()


def test_standard_webhook_bad_payload_is_a_400_and_may_be_sent_again(client, acme, standard):
    _, secret = standard
    bad = _standard(client, "acme", secret, {"data": {**ROW, "score": 11}})
    fixed = _standard(client, "acme", secret, {"data": ROW})

    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["score"] == ["The score must be from 0 to 10."]
    assert fixed.status_code == 202  # the failed message's id was not remembered


def test_standard_webhook_keeps_an_unmatched_response(client, acme, standard):
    _, secret = standard
    response = _standard(client, "acme", secret, {"data": {"account_ref": "NOPE-9", "score": 6, "comment": "Meh"}})

    assert response.status_code == 202
    kept = UnmatchedResponse.objects.get(pk=response.json()["unmatched"])
    assert (kept.account_ref, kept.score, kept.comment, kept.source) == ("NOPE-9", 6, "Meh", Scheme.STANDARD)
    assert "NOPE-9" in kept.reason
    assert not NpsFeedback.objects.exists()


def test_rotation_keeps_the_previous_secret_for_the_overlap_only(client, acme, standard):
    source, old = standard
    source, new = services.source_rotate(actor=acme.admin, source=source)

    assert _standard(client, "acme", new, {"data": {**ROW, "external_id": "a"}}, msg_id="m-a").status_code == 202
    assert _standard(client, "acme", old, {"data": {**ROW, "external_id": "b"}}, msg_id="m-b").status_code == 202
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        late = _standard(client, "acme", old, {"data": {**ROW, "external_id": "c"}}, msg_id="m-c")
    assert late.status_code == 401


def test_rotation_without_overlap_refuses_the_old_secret_at_once(client, acme, standard):
    source, old = standard
    services.source_rotate(actor=acme.admin, source=source, keep_previous=False)

    assert _standard(client, "acme", old, {"data": ROW}).status_code == 401


def test_secret_is_stored_encrypted(acme, standard):
    source, secret = standard
    stored = InboundSource.objects.get(pk=source.pk).secret
    assert secret not in stored
    assert services.source_secrets(source) == [secret]


# --- Typeform -------------------------------------------------------------------------------


def test_typeform_response_is_recorded_from_its_mapped_answers(client, acme, typeform):
    _, secret = typeform
    submitted = (timezone.now() - dt.timedelta(minutes=3)).replace(microsecond=0)
    response = _typeform(client, "acme", secret, typeform_body(submitted_at=submitted.isoformat()))

    assert response.status_code == 202, response.content
    feedback = NpsFeedback.objects.get()
    assert (feedback.account, feedback.contact, feedback.score) == (acme.account, acme.contact, 9)
    assert feedback.comment == "Support answers within the hour."
    assert feedback.external_id == "typeform:a3a12ec67a1365927098a606107fac15"
    assert feedback.received_at == submitted


@pytest.mark.parametrize("age", [dt.timedelta(hours=25), dt.timedelta(minutes=-10)], ids=["old", "ahead"])
def test_typeform_refuses_a_response_submitted_too_long_ago_or_ahead(client, acme, typeform, age):
    """Typeform signs the body, not the time: a signed response from yesterday is a replay."""
    _, secret = typeform
    body = typeform_body(submitted_at=(timezone.now() - age).isoformat())

    response = _typeform(client, "acme", secret, body)

    assert response.status_code == 401
    assert "more than 24 hours ago or ahead of now" in response.json()["error"]["message"]
    assert not NpsFeedback.objects.exists()


def test_typeform_redelivery_records_once(client, acme, typeform):
    _, secret = typeform
    first = _typeform(client, "acme", secret, typeform_body())
    again = _typeform(client, "acme", secret, typeform_body())

    assert (first.status_code, again.status_code) == (202, 200)
    assert NpsFeedback.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=", "sha256=bm90IHRoZSBzaWduYXR1cmU=", "sha1=abc"],
    ids=["missing", "empty", "wrong", "other-scheme"],
)
def test_typeform_refuses_a_bad_signature(client, acme, typeform, signature):
    response = client.post(
        "/hooks/acme/typeform/", typeform_body(), content_type="application/json", HTTP_TYPEFORM_SIGNATURE=signature
    )
    assert response.status_code == 401
    assert not NpsFeedback.objects.exists()


def test_typeform_refuses_a_tampered_body(client, acme, typeform):
    _, secret = typeform
    body = typeform_body()
    signature = hooks.typeform_signature(secret, body)

    response = _typeform(client, "acme", secret, body.replace(b'"number": 9', b'"number": 0'), signature=signature)

    assert response.status_code == 401
    assert not NpsFeedback.objects.exists()


def test_typeform_refuses_another_organisations_secret(client, acme, typeform):
    _, globex_secret = services.source_create(actor=acme.outsider, scheme=Scheme.TYPEFORM)

    assert _typeform(client, "acme", globex_secret, typeform_body()).status_code == 401


def test_typeform_unknown_contact_is_kept_unmatched(client, acme, typeform):
    _, secret = typeform
    payload = json.loads(typeform_body())
    payload["form_response"]["hidden"] = {}
    payload["form_response"]["answers"][2]["email"] = "stranger@elsewhere.example"
    body = json.dumps(payload).encode()

    response = _typeform(client, "acme", secret, body)

    assert response.status_code == 202
    kept = UnmatchedResponse.objects.get()
    assert (kept.contact_ref, kept.score, kept.source) == ("stranger@elsewhere.example", 9, Scheme.TYPEFORM)
    assert kept.identifiers["token"] == "a3a12ec67a1365927098a606107fac15"
    # Delivered again: still one.
    assert _typeform(client, "acme", secret, body).status_code == 200
    assert UnmatchedResponse.objects.count() == 1


def test_old_message_ids_are_purged_and_a_late_retry_is_still_recorded_once(client, acme, standard):
    from inbound.tasks import purge_seen_webhooks

    _, secret = standard
    _standard(client, "acme", secret, {"data": ROW}, msg_id="msg_old")
    SeenWebhook.objects.update(received_at=timezone.now() - dt.timedelta(days=8))
    _standard(client, "acme", secret, {"data": ROW}, msg_id="msg_new")

    assert purge_seen_webhooks() == 1
    assert list(SeenWebhook.objects.values_list("webhook_id", flat=True)) == ["msg_new"]
    # The sender retries the old message, re-signed: its external id (the message id) finds the row.
    retry = _standard(client, "acme", secret, {"data": ROW}, msg_id="msg_old")
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    assert NpsFeedback.objects.count() == 2


def test_the_webhooks_need_no_csrf_token_or_login(acme, typeform):
    from django.test import Client

    _, secret = typeform
    strict = Client(enforce_csrf_checks=True)

    assert _typeform(strict, "acme", secret, typeform_body()).status_code == 202


def test_typeform_ignores_other_events_and_refuses_a_score_out_of_range(client, acme, typeform):
    source, secret = typeform
    ping = json.dumps({"event_type": "form_ping"}).encode()
    services.source_configure(actor=acme.admin, source=source, kind="csat")

    ignored = _typeform(client, "acme", secret, ping)
    too_high = _typeform(client, "acme", secret, typeform_body())  # 9 on a CSAT form

    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"
    assert too_high.status_code == 400
    assert too_high.json()["error"]["fields"]["score"] == ["The score must be from 1 to 5."]
    assert not NpsFeedback.objects.exists() and not UnmatchedResponse.objects.exists()
