"""Reading a CRM's CSV export: encoding, delimiter, headers, and which column is which."""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Target:
    """A field a column can fill, and header names that usually mean it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()


ACCOUNT_TARGETS = (
    Target(
        "name",
        "Account name",
        ("account", "accountname", "company", "companyname", "customer", "organisation", "organization", "name"),
    ),
    Target(
        "external_ref",
        "External reference",
        (
            "externalid",
            "externalref",
            "externalreference",
            "crmid",
            "id",
            "accountid",
            "customerid",
            "reference",
            "ref",
        ),
    ),
    Target("segment", "Segment or tier", ("segment", "tier", "tiersegment")),
    Target("status", "Status", ("status", "accountstatus", "stage")),
    Target("annual_revenue", "Annual revenue", ("annualrevenue", "revenue", "arr")),
    Target("team", "Owning team (by name)", ("team", "owningteam", "ownerteam")),
    Target(
        "lead", "Account lead (by e-mail)", ("lead", "leademail", "accountlead", "owner", "owneremail", "accountowner")
    ),
)
CONTACT_TARGETS = (
    Target("contact_name", "Contact name", ("contact", "contactname", "fullname")),
    Target("contact_email", "Contact e-mail", ("email", "emailaddress", "contactemail", "mail")),
    Target("contact_phone", "Contact phone", ("phone", "phonenumber", "contactphone", "telephone", "mobile")),
    Target("contact_title", "Contact job title", ("title", "jobtitle", "position", "contacttitle", "role")),
    Target("contact_channel", "Preferred channel", ("preferredchannel", "channel")),
    Target("contact_preferences", "Preferences", ("preferences", "preference")),
    Target("contact_notes", "Personal notes", ("personalnotes", "notes", "note")),
    Target("contact_opt_out", "Survey opt-out", ("surveyoptout", "optout", "donotsurvey")),
)
TARGETS = {target.key: target for target in (*ACCOUNT_TARGETS, *CONTACT_TARGETS)}


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def suggest_mapping(headers: list[str], targets: dict[str, Target] | None = None) -> dict[str, str]:
    """For each field (of ``targets``: the accounts import's when None), the first
    header whose name means it; each header used once.

    An exact synonym wins over a partial one, so "Contact Email" goes to the
    contact's e-mail rather than to the lead's.
    """
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for target in (targets or TARGETS).values():
            if target.key in mapping:
                continue
            for header in headers:
                key = normalise(header)
                if header in used or not key:
                    continue
                hit = key in target.synonyms if exact else any(len(s) > 3 and s in key for s in target.synonyms)
                if hit:
                    mapping[target.key] = header
                    used.add(header)
                    break
    return mapping


NUL_MESSAGE = (
    "This file holds NUL characters: it looks like a spreadsheet or binary file rather than CSV. "
    "Save it as CSV (UTF-8) and upload it again."
)


def decode(data: bytes) -> str:
    # A CSV never holds NUL; a spreadsheet, a UTF-16 export or a binary file does. The
    # pages and the API refuse NUL in text, so rows imported with one could never be edited.
    if b"\x00" in data:
        raise ValidationError({"file": NUL_MESSAGE})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file is not UTF-8 text: save it from your CRM as CSV (UTF-8)."}) from None


def sniff_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most (Excel in many locales writes ";")."""
    return max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","


def read_rows(data: bytes, limit: int | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Headers and the data rows of a CSV file, each with its number as a spreadsheet
    shows it (the header is row 1); blank rows are skipped but keep their number.
    ``limit``: read only that many data rows (a preview)."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    rows = []
    try:
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                rows.append((number, row))
                if limit is not None and len(rows) > limit:
                    break
    except csv.Error as error:
        raise ValidationError({"file": f"The file is not valid CSV: {error}."}) from None
    if not rows:
        raise ValidationError({"file": "The file is empty: it needs a header row and at least one row."})
    headers = [cell.strip() for cell in rows[0][1]]
    check_headers(headers)
    return headers, rows[1:]


def check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise ValidationError({"file": "The first row must name the columns."})
    named = [h for h in headers if h]
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise ValidationError({"file": f"Two columns have the same name: {', '.join(duplicates)}."})


def read_upload(uploaded) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Check an uploaded file's size and read it."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The file is larger than {limit} MB: split it into smaller files."})
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return read_rows(data)
