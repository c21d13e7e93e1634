"""The two signed webhooks: verifying a delivery and reading its payload.

Standard Webhooks (``POST /hooks/<org>/nps/``): verified by the ``standardwebhooks``
package — the ``webhook-signature`` HMAC over ``webhook-id.webhook-timestamp.body``,
and a timestamp within five minutes of now. A ``webhook-id`` already received is
answered 200 with ``"status": "duplicate"`` and changes nothing: senders retry any
answer that is not a 2xx, so a 409 would have a delivered message sent again for days.

Typeform (``POST /hooks/<org>/typeform/``): ``Typeform-Signature: sha256=<base64 of
HMAC-SHA256(secret, raw body)>``, compared in constant time; the response's ``token``
is its external id, so a retried delivery is recorded once.

Unknown organisation, no webhook configured and a bad signature all answer the same
401, so the endpoints tell a stranger nothing.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accounts.models import Organization
from inbound import services
from inbound.models import InboundSource, Scheme, UnmatchedResponse
from inbound.rows import Row, check_score, parse_row, parse_time
from surveys.services.feedback import RECORD_FEEDBACK
from teamhub.lib.actors import system_actor

MAX_BODY = 256 * 1024
NOT_VERIFIED = "The signature does not verify: check the URL and the secret."


@dataclass
class Outcome:
    status: int
    body: dict = field(default_factory=dict)


def refused(message: str = NOT_VERIFIED) -> Outcome:
    return Outcome(401, {"error": {"status": 401, "code": "not_verified", "message": message}})


def invalid(fields: dict, message: str = "The payload is not valid: nothing was recorded.") -> Outcome:
    fields = {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    return Outcome(400, {"error": {"status": 400, "code": "invalid", "message": message, "fields": fields}})


def _source(org_slug: str, scheme: str) -> InboundSource | None:
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        return None
    return InboundSource.objects.filter(organization=organization, scheme=scheme).select_related("organization").first()


def _spend_a_verification(body: bytes) -> None:
    """An HMAC over the body for nothing, so an unknown organisation takes about as long
    to refuse as a wrong signature and the time tells no one which slugs exist."""
    hmac.new(b"no secret", body, hashlib.sha256).digest()


def _answer(status: str, obj) -> Outcome:
    key = "unmatched" if isinstance(obj, UnmatchedResponse) else "feedback"
    return Outcome(200 if status == "duplicate" else 202, {"status": status, key: obj.pk})


# --- Standard Webhooks ---------------------------------------------------------------------


def _verify_standard(source: InboundSource, body: bytes, headers: dict) -> str | None:
    """None when one of the source's secrets verifies; else why not."""
    reason = NOT_VERIFIED
    for secret in services.source_secrets(source):
        try:
            Webhook(secret).verify(body, headers, json_parse=False)
        except WebhookVerificationError:
            # One answer for every failure — a missing header, an old timestamp, a bad
            # signature — as for an organisation with no webhook: a stranger cannot
            # learn which organisations have one by how it is refused.
            continue
        return None
    return reason


def receive_standard(*, org_slug: str, body: bytes, headers: dict) -> Outcome:
    source = _source(org_slug, Scheme.STANDARD)
    if source is None:
        _spend_a_verification(body)
        return refused()
    problem = _verify_standard(source, body, headers)
    if problem:
        return refused(problem)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return invalid({"non_field_errors": "The body is not JSON."})
    data = payload.get("data", payload) if isinstance(payload, dict) else payload
    organization = source.organization
    row = parse_row(data, tz=services.org_timezone(organization))
    if row.errors:
        return invalid(row.errors)
    webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
    # The sender's id for the response, else the message's: a retried message is one response.
    row.external_id = row.external_id or webhook_id[:120]
    actor = system_actor(organization, "the Standard Webhooks endpoint", RECORD_FEEDBACK)
    try:
        with transaction.atomic():
            if not services.webhook_seen(organization=organization, webhook_id=webhook_id):
                return Outcome(200, {"status": "duplicate", "message": "This webhook-id was received before."})
            status, obj = services.webhook_record(
                actor=actor, source=Scheme.STANDARD, row=row, identifiers=_ids_of(row)
            )
    except ValidationError as error:  # rolled back: the message id is not remembered either
        return invalid(_fields_of(error))
    return _answer(status, obj)


def _fields_of(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in error.message_dict.items()}
    return {"non_field_errors": error.messages}


def _ids_of(row: Row) -> dict:
    keys = ("account_id", "account_ref", "contact_id", "contact_email")
    return {key: getattr(row, key) for key in keys if getattr(row, key)}


# --- Typeform ------------------------------------------------------------------------------


def typeform_signature(secret: str, body: bytes) -> str:
    """The header value Typeform sends: sha256= and the base64 HMAC-SHA256 of the body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def _verify_typeform(source: InboundSource, body: bytes, header: str) -> bool:
    header = (header or "").strip()
    if not header.startswith("sha256="):
        return False
    return any(
        hmac.compare_digest(typeform_signature(secret, body).encode(), header.encode())
        for secret in services.source_secrets(source)
    )


def _answer_value(answer: dict):
    """The value of one Typeform answer, whatever its type."""
    kind = answer.get("type")
    if kind == "choice":
        return (answer.get("choice") or {}).get("label")
    if kind == "choices":
        return ", ".join((answer.get("choices") or {}).get("labels") or [])
    return answer.get(kind)


def _find(answers: list, key: str):
    """The answer to the question whose ref or id is ``key``."""
    for answer in answers:
        question = answer.get("field") if isinstance(answer.get("field"), dict) else {}
        if key and key in (question.get("ref"), question.get("id")):
            return _answer_value(answer)
    return None


def read_typeform(source: InboundSource, payload) -> tuple[Row, dict]:
    """A Typeform ``form_response`` as a row, with the identifying values it held."""
    row = Row(kind=source.kind)
    response = payload.get("form_response") if isinstance(payload, dict) else None
    if not isinstance(response, dict):
        row.fail("form_response", "This is not a Typeform form_response payload.")
        return row, {}
    answers = [a for a in response.get("answers") or [] if isinstance(a, dict)]
    hidden = response.get("hidden") if isinstance(response.get("hidden"), dict) else {}

    def value_of(name):
        found = _find(answers, name)
        return hidden.get(name) if found is None and name else found

    row.score = _find(answers, source.score_field) if source.score_field else None
    if source.score_field and row.score is None:
        row.fail("score", f"The response has no answer to “{source.score_field}”, the score's question.")
    elif not source.score_field:
        row.fail("score", "Map the score's question on TeamHub's Typeform page first.")
    else:
        check_score(row)
    row.comment = str(value_of(source.comment_field) or "")[:4000] if source.comment_field else ""
    row.contact_email = str(value_of(source.contact_field) or "").strip().lower()[:254]
    row.account_ref = str(value_of(source.account_field) or "").strip()[:64]
    # Prefixed: a Typeform token and a Standard Webhooks sender's id share the webhook channel.
    token = str(response.get("token") or "")[:100]
    row.external_id = f"typeform:{token}" if token else ""
    row.received_at = parse_time(response.get("submitted_at"), tz=services.org_timezone(source.organization))
    identifiers = {"token": token, "hidden": hidden}
    if row.contact_email:
        identifiers["contact"] = row.contact_email
    if row.account_ref:
        identifiers["account"] = row.account_ref
    return row, identifiers


# Typeform retries a failed delivery for some hours; anything older is refused.
TYPEFORM_MAX_AGE_HOURS = 24


def _fresh(submitted_at) -> bool:
    if submitted_at is None:
        return False
    now = timezone.now()
    return now - dt.timedelta(hours=TYPEFORM_MAX_AGE_HOURS) <= submitted_at <= now + dt.timedelta(minutes=5)


def receive_typeform(*, org_slug: str, body: bytes, signature: str) -> Outcome:
    source = _source(org_slug, Scheme.TYPEFORM)
    if source is None:
        _spend_a_verification(body)
        return refused()
    if not _verify_typeform(source, body, signature):
        return refused()
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return invalid({"non_field_errors": "The body is not JSON."})
    if isinstance(payload, dict) and payload.get("event_type") not in (None, "form_response"):
        return Outcome(200, {"status": "ignored", "message": "Only form_response events are recorded."})
    row, identifiers = read_typeform(source, payload)
    if row.errors:
        return invalid(row.errors)
    if not _fresh(row.received_at):
        # Typeform signs the body, not the time: a response submitted long ago is a
        # replay (its token would be a duplicate too, unless it was never recorded).
        return refused(
            f"The response's submitted_at is more than {TYPEFORM_MAX_AGE_HOURS} hours ago or ahead of now: "
            "nothing was recorded."
        )
    actor = system_actor(source.organization, "the Typeform webhook", RECORD_FEEDBACK)
    try:
        with transaction.atomic():
            status, obj = services.webhook_record(actor=actor, source=Scheme.TYPEFORM, row=row, identifiers=identifiers)
    except ValidationError as error:
        return invalid(_fields_of(error))
    return _answer(status, obj)
