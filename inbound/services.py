"""Feedback from other tools: the use cases pages, the API and the webhooks call.

Every response is recorded by ``surveys.services.feedback_record`` — the same checks,
the owning team at that moment, the outbox marked — and a webhook's response that
names an account or contact TeamHub cannot find is kept as an
:class:`~inbound.models.UnmatchedResponse` for an admin, not dropped.
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Organization
from customers.models import Contact, CustomerAccount
from inbound import crypto
from inbound.models import InboundSource, Scheme, SeenWebhook, UnmatchedResponse
from inbound.rows import Matcher, Row, parse_row
from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from surveys.services.feedback import feedback_record
from teamhub.lib.tenancy import Role, require_role, require_same_org

MAX_BULK_ROWS = 1000
# After a rotation the previous secret still verifies this long, so the sender can be
# switched over without a delivery refused in between.
ROTATION_OVERLAP = dt.timedelta(hours=24)
MAPPING_FIELDS = ("kind", "score_field", "comment_field", "contact_field", "account_field")


# --- Secrets ------------------------------------------------------------------------------


def _new_secret(scheme: str) -> str:
    return crypto.new_standard_secret() if scheme == Scheme.STANDARD else crypto.new_typeform_secret()


@transaction.atomic
def source_create(*, actor: Membership, scheme: str) -> tuple[InboundSource, str]:
    """The organisation's webhook of ``scheme`` with a new secret; returns (source, the
    secret in clear), the only time it is shown."""
    require_role(actor, Role.ADMIN)
    if scheme not in Scheme.values:
        raise ValidationError({"scheme": f"“{scheme}” is not a webhook scheme (standard or typeform)."})
    secret = _new_secret(scheme)
    source = InboundSource(
        organization_id=actor.organization_id, scheme=scheme, secret=crypto.encrypt(secret), created_by=actor
    )
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        label = Scheme(scheme).label
        raise ValidationError({"scheme": f"Your organisation has a {label} secret already: rotate it."}) from None
    return source, secret


@transaction.atomic
def source_rotate(*, actor: Membership, source: InboundSource, keep_previous: bool = True) -> tuple[InboundSource, str]:
    """A new secret; the old one keeps verifying for ROTATION_OVERLAP unless
    ``keep_previous`` is false (a leaked secret is cut off at once)."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, source)
    source = InboundSource.objects.select_for_update().get(pk=source.pk)
    secret = _new_secret(source.scheme)
    now = timezone.now()
    source.previous_secret = source.secret if keep_previous else ""
    source.previous_valid_until = now + ROTATION_OVERLAP if keep_previous else None
    source.secret = crypto.encrypt(secret)
    source.rotated_at = now
    source.save(update_fields=["secret", "previous_secret", "previous_valid_until", "rotated_at"])
    return source, secret


@transaction.atomic
def source_delete(*, actor: Membership, source: InboundSource) -> None:
    """Turn the webhook off: every later delivery is refused."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, source)
    source.delete()


@transaction.atomic
def source_configure(*, actor: Membership, source: InboundSource, **mapping) -> InboundSource:
    """Typeform: which answer is the score, which the comment, and which answer or
    hidden field names the contact (an e-mail) or the account (its external reference)."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, source)
    if source.scheme != Scheme.TYPEFORM:
        raise ValidationError("Only a Typeform webhook maps its form's fields: a Standard Webhooks payload names them.")
    unknown = sorted(set(mapping) - set(MAPPING_FIELDS))
    if unknown:
        raise ValidationError({NON_FIELD_ERRORS: [f"Unknown settings: {', '.join(unknown)}."]})
    values = {name: (mapping.get(name, getattr(source, name)) or "").strip() for name in MAPPING_FIELDS}
    errors = {}
    if values["kind"] not in FeedbackKind.values:
        errors["kind"] = "Choose NPS or CSAT."
    if not values["score_field"]:
        errors["score_field"] = "Name the question that holds the score (its ref or id in Typeform)."
    if not values["contact_field"] and not values["account_field"]:
        errors["contact_field"] = "Name the answer or hidden field that tells who answered: a contact's e-mail."
        errors["account_field"] = "…or the hidden field with the account's external reference."
    for name in MAPPING_FIELDS[1:]:
        if len(values[name]) > 120:
            errors[name] = "Keep this under 120 characters."
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(source, name, value)
    source.save(update_fields=list(MAPPING_FIELDS))
    return source


def source_secrets(source: InboundSource, *, now=None) -> list[str]:
    """The secrets a delivery may be signed with now: the current one, and the previous
    one during its overlap."""
    now = now or timezone.now()
    found = [crypto.decrypt(source.secret)]
    if source.previous_secret and source.previous_valid_until and source.previous_valid_until > now:
        found.append(crypto.decrypt(source.previous_secret))
    return [secret for secret in found if secret]


# --- The bulk API -------------------------------------------------------------------------


def org_timezone(organization: Organization) -> zoneinfo.ZoneInfo:
    """Times sent without an offset are the organisation's."""
    return zoneinfo.ZoneInfo(organization.timezone or "UTC")


def _row_errors(errors: dict[int, dict], total: int) -> ValidationError:
    summary = f"Nothing was saved: {len(errors)} of {total} rows have problems."
    detail = {NON_FIELD_ERRORS: [summary]}
    for index, problems in sorted(errors.items()):
        for name, messages in problems.items():
            detail[f"rows[{index}].{name}"] = messages if isinstance(messages, list) else [messages]
    return ValidationError(detail)


@transaction.atomic
def feedback_bulk_record(*, actor: Membership, rows) -> list[tuple[NpsFeedback, bool]]:
    """Record up to MAX_BULK_ROWS rows, all or nothing: one row with a problem saves
    none, and every problem is reported by the row's index (from 0) and field."""
    if not isinstance(rows, list) or not rows:
        raise ValidationError({"rows": "Send the feedback as a non-empty list of rows."})
    if len(rows) > MAX_BULK_ROWS:
        raise ValidationError(
            {"rows": f"Send at most {MAX_BULK_ROWS:,} rows per call; this one has {len(rows):,}. Split it."}
        )
    parsed = [parse_row(data, tz=org_timezone(actor.organization)) for data in rows]
    matcher = Matcher(actor.organization_id, parsed)
    errors: dict[int, dict] = {}
    results = []
    for index, row in enumerate(parsed):
        # Matched even when another field has a problem, so every problem shows at once.
        account, contact, problems = matcher.match(row)
        problems = {**{name: [message] for name, message in problems.items()}, **row.errors}
        if problems:
            errors[index] = problems
            continue
        try:
            results.append(_record(actor, row, account, contact, channel=NpsFeedback.Channel.API))
        except ValidationError as error:
            errors[index] = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        except PermissionDenied as error:
            errors[index] = {"account": [str(error)]}
    if errors:
        raise _row_errors(errors, len(rows))
    return results


def _record(actor, row: Row, account, contact, *, channel: str, external_id: str | None = None):
    return feedback_record(
        actor=actor,
        account=account,
        contact=contact,
        score=row.score,
        kind=row.kind,
        comment=row.comment,
        channel=channel,
        external_id=row.external_id if external_id is None else external_id,
        received_at=row.received_at,
    )


# --- Webhooks: record, or keep unmatched ----------------------------------------------------


def webhook_seen(*, organization: Organization, webhook_id: str) -> bool:
    """Remember a Standard Webhooks message id; False when it was seen before. Call it
    inside the transaction that records the message, so a failed one is not remembered."""
    try:
        with transaction.atomic():
            SeenWebhook.objects.create(organization=organization, webhook_id=webhook_id[:255])
    except IntegrityError:
        return False
    return True


# A webhook-id older than this can no longer be replayed: its signed timestamp is
# refused after five minutes, and a sender's retry re-signs under a new timestamp but
# keeps the response's external id, which feedback_record recognises on its own.
SEEN_KEPT = dt.timedelta(days=7)


def seen_webhooks_purge(*, now=None) -> int:
    """Forget message ids older than SEEN_KEPT; periodic (beat), safe to run twice."""
    cutoff = (now or timezone.now()) - SEEN_KEPT
    deleted, _ = SeenWebhook.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def webhook_record(*, actor, source: str, row: Row, identifiers: dict) -> tuple[str, object]:
    """Record a webhook's response as feedback, or keep it unmatched. Returns
    ("recorded" | "duplicate" | "unmatched", the row). ``actor`` is the system actor
    of the webhook, granted RECORD_FEEDBACK."""
    organization = actor.organization
    channel = NpsFeedback.Channel.WEBHOOK
    if row.external_id:
        # Redelivered after an admin assigned it from the unmatched list.
        existing = NpsFeedback.objects.filter(
            organization=organization, channel=channel, external_id=row.external_id
        ).first()
        if existing is not None:
            return "duplicate", existing
    account, contact, problems = Matcher(organization.pk, [row]).match(row)
    if problems or account is None:
        return _keep_unmatched(organization, source, row, identifiers, problems)
    feedback, created = _record(actor, row, account, contact, channel=channel)
    return ("recorded" if created else "duplicate"), feedback


def _keep_unmatched(organization, source: str, row: Row, identifiers: dict, problems: dict):
    reason = " ".join(problems.values()) or "No account was named."
    values = {
        "kind": row.kind,
        "score": row.score,
        "comment": row.comment,
        "account_ref": row.account_ref or (str(row.account_id) if row.account_id else ""),
        "contact_ref": row.contact_email or (str(row.contact_id) if row.contact_id else ""),
        "identifiers": identifiers,
        "reason": reason[:300],
        "received_at": row.received_at or timezone.now(),
    }
    if not row.external_id:
        return "unmatched", UnmatchedResponse.objects.create(organization=organization, source=source, **values)
    try:
        with transaction.atomic():
            kept = UnmatchedResponse.objects.create(
                organization=organization, source=source, external_id=row.external_id, **values
            )
    except IntegrityError:
        kept = UnmatchedResponse.objects.get(organization=organization, source=source, external_id=row.external_id)
        return "duplicate", kept
    return "unmatched", kept


# --- The unmatched list ---------------------------------------------------------------------


def _locked(unmatched: UnmatchedResponse) -> UnmatchedResponse:
    locked = UnmatchedResponse.objects.select_for_update().filter(pk=unmatched.pk).first()
    if locked is None:  # two admins at once: the first one's choice stands
        raise ValidationError("This response was already assigned or dismissed.")
    return locked


@transaction.atomic
def unmatched_assign(
    *, actor: Membership, unmatched: UnmatchedResponse, account: CustomerAccount, contact: Contact | None = None
) -> NpsFeedback:
    """Record the response as the account's (and contact's) feedback and take it off the list."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, unmatched, account)
    unmatched = _locked(unmatched)
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": f"Choose one of {account.name}'s contacts, or none."})
    feedback, _ = feedback_record(
        actor=actor,
        account=account,
        contact=contact,
        score=unmatched.score,
        kind=unmatched.kind,
        comment=unmatched.comment,
        channel=NpsFeedback.Channel.WEBHOOK,
        external_id=unmatched.external_id,
        received_at=unmatched.received_at,
    )
    unmatched.delete()
    return feedback


@transaction.atomic
def unmatched_dismiss(*, actor: Membership, unmatched: UnmatchedResponse) -> None:
    """Drop a response nobody can place (a test, a stranger)."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, unmatched)
    _locked(unmatched).delete()
