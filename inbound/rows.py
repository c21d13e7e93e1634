"""One feedback as other tools send it — a bulk row, a Standard Webhooks payload —
read and matched to the organisation's accounts and contacts.

A row names its account by ``account`` (TeamHub's id) or ``account_ref`` (the
account's external reference) and, optionally, its contact by ``contact`` (id) or
``contact_email``; then ``score``, ``kind`` (nps, the default, or csat), ``comment``,
``received_at`` (ISO 8601; the time it arrived when left out) and ``external_id``
(the sender's id for the response: the same id twice is recorded once).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from customers.models import Contact, CustomerAccount
from surveys.models.feedback import SCORE_RANGES, FeedbackKind

FIELDS = (
    "account",
    "account_ref",
    "contact",
    "contact_email",
    "score",
    "kind",
    "comment",
    "received_at",
    "external_id",
)
TEXT_LIMITS = {"account_ref": 64, "contact_email": 254, "comment": 4000, "external_id": 120}
# A clock a little fast is forgiven; a response from next week is a mistake.
FUTURE_SLACK = dt.timedelta(hours=1)
MAX_ID = 2**63 - 1


@dataclass
class Row:
    account_id: int | None = None
    account_ref: str = ""
    contact_id: int | None = None
    contact_email: str = ""
    score: object = None
    kind: str = FeedbackKind.NPS
    comment: str = ""
    received_at: dt.datetime | None = None
    external_id: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _id(row: Row, data: dict, name: str) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        row.fail(name, "Give the id as a whole number.")
        return None
    if not 0 < int(value) <= MAX_ID:
        row.fail(name, f"No {name} has the id {value}.")
        return None
    return int(value)


def _text(row: Row, data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        row.fail(name, "Give this as text.")
        return ""
    value = str(value).strip()
    if "\x00" in value:
        row.fail(name, "The text holds a NUL character.")
        return ""
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        row.fail(name, f"Keep this under {limit} characters.")
    return value


def parse_time(value, *, tz) -> dt.datetime | None:
    """An ISO 8601 date-time (without offset: the organisation's time) or a date (its
    midnight); None when it is neither."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        moment = dt.datetime.combine(day, dt.time())
    return timezone.make_aware(moment, tz) if timezone.is_naive(moment) else moment


def check_score(row: Row) -> None:
    """The same rule feedback_record applies, early: an unmatched response keeps its score too."""
    if row.kind not in FeedbackKind.values:
        row.fail("kind", f"“{row.kind}” is not a kind of feedback (nps or csat).")
        return
    low, high = SCORE_RANGES[FeedbackKind(row.kind)]
    score = row.score
    if isinstance(score, str) and score.strip().lstrip("-").isdigit():
        score = int(score.strip())
    if score is None or score == "":
        row.fail("score", "The score is missing.")
    elif isinstance(score, bool) or not isinstance(score, int):
        row.fail("score", f"The score must be a whole number from {low} to {high}.")
    elif not low <= score <= high:
        row.fail("score", f"The score must be from {low} to {high}.")
    else:
        row.score = score


def parse_row(data, *, tz) -> Row:
    """Read one row; its problems, by field, are on ``row.errors``."""
    row = Row()
    if not isinstance(data, dict):
        row.fail("non_field_errors", "Each row is an object with the feedback's fields.")
        return row
    unknown = sorted(str(key) for key in data if key not in FIELDS)
    if unknown:
        row.fail("non_field_errors", f"Unknown fields: {', '.join(unknown)}.")
    row.account_id = _id(row, data, "account")
    row.account_ref = _text(row, data, "account_ref")
    row.contact_id = _id(row, data, "contact")
    row.contact_email = _text(row, data, "contact_email").lower()
    row.comment = _text(row, data, "comment")
    row.external_id = _text(row, data, "external_id")
    row.kind = data.get("kind") or FeedbackKind.NPS
    row.score = data.get("score")
    check_score(row)
    named = row.account_id or row.account_ref or row.contact_id or row.contact_email
    if not named and not {"account", "contact"} & set(row.errors):
        row.fail(
            "account",
            "Name the account (account: its id, or account_ref: its external reference) or the contact "
            "(contact or contact_email).",
        )
    if data.get("received_at") not in (None, ""):
        row.received_at = parse_time(data["received_at"], tz=tz)
        if row.received_at is None:
            row.fail("received_at", "Give the time as ISO 8601, e.g. 2026-11-30T14:05:00Z.")
        elif row.received_at > timezone.now() + FUTURE_SLACK:
            row.fail("received_at", "This time is in the future.")
    return row


class Matcher:
    """The accounts and contacts a batch of rows names, read in two queries."""

    def __init__(self, organization_id: int, rows: list[Row]):
        ids = {r.account_id for r in rows if r.account_id}
        refs = {r.account_ref for r in rows if r.account_ref}
        accounts = CustomerAccount.objects.for_org(organization_id).select_related("owning_team")
        found = list(accounts.filter(Q(pk__in=ids) | Q(external_ref__in=refs))) if ids or refs else []
        self.by_id = {a.pk: a for a in found}
        self.by_ref = {a.external_ref: a for a in found if a.external_ref}
        contact_ids = {r.contact_id for r in rows if r.contact_id}
        emails = {r.contact_email for r in rows if r.contact_email}
        contacts = Contact.objects.filter(account__organization_id=organization_id).annotate(lower=Lower("email"))
        found_contacts = (
            list(contacts.filter(Q(pk__in=contact_ids) | Q(lower__in=emails)).select_related("account__owning_team"))
            if contact_ids or emails
            else []
        )
        self.contact_by_id = {c.pk: c for c in found_contacts}
        self.contacts_by_email: dict[str, list[Contact]] = {}
        for contact in found_contacts:
            if contact.lower:
                self.contacts_by_email.setdefault(contact.lower, []).append(contact)

    def match(self, row: Row) -> tuple[CustomerAccount | None, Contact | None, dict[str, str]]:
        """(account, contact, problems by field). A contact found by e-mail alone names
        its account; two contacts with the e-mail on different accounts name none."""
        problems = {}
        account = None
        if row.account_id:
            account = self.by_id.get(row.account_id)
            if account is None:
                problems["account"] = f"No account has the id {row.account_id}."
        elif row.account_ref:
            account = self.by_ref.get(row.account_ref)
            if account is None:
                problems["account_ref"] = f"No account has the external reference “{row.account_ref}”."
        contact = None
        if row.contact_id:
            contact = self.contact_by_id.get(row.contact_id)
            if contact is None:
                problems["contact"] = f"No contact has the id {row.contact_id}."
        elif row.contact_email:
            candidates = self.contacts_by_email.get(row.contact_email, [])
            if account is not None:
                candidates = [c for c in candidates if c.account_id == account.pk]
            if len(candidates) == 1:
                contact = candidates[0]
            elif candidates:
                problems["contact_email"] = f"Several accounts have a contact “{row.contact_email}”: name the account."
            else:
                problems["contact_email"] = f"No contact has the e-mail “{row.contact_email}”" + (
                    f" at {account.name}." if account else "."
                )
        if contact is not None and account is None and not problems.get("account") and not problems.get("account_ref"):
            account = contact.account
        if contact is not None and account is not None and contact.account_id != account.pk:
            problems["contact"] = "The contact is not one of this account's."
        return account, contact, problems
