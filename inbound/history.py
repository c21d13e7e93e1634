"""CSV import of NPS history, as a kind of customers' import pipeline.

The pipeline (upload, mapping with suggestions, preview, background run with progress,
row errors, all or nothing) is customers'; this module says what the columns mean and
writes each row through ``feedback_record`` as the person who uploaded the file, on the
"import" channel. The response id column makes a re-import idempotent: a response
already recorded is found, not doubled.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from customers.access import can_manage_account
from customers.imports import kinds
from customers.imports.parsing import Target
from inbound.rows import Matcher, parse_row
from inbound.services import org_timezone
from surveys.models import NpsFeedback
from surveys.services.feedback import feedback_record

NPS_HISTORY = "nps_history"
PROGRESS_EVERY = 200

TARGETS = (
    Target(
        "external_id",
        "Response id",
        ("responseid", "response", "id", "externalid", "surveyresponseid", "token", "responsetoken"),
    ),
    Target(
        "account_ref",
        "Account's external reference",
        ("accountref", "externalref", "accountid", "crmid", "customerid", "account", "reference"),
    ),
    Target("contact_email", "Contact e-mail", ("email", "contactemail", "emailaddress", "respondentemail", "mail")),
    Target("score", "Score", ("score", "npsscore", "nps", "rating", "csat", "csatscore", "likelihood")),
    Target("kind", "Kind (nps or csat)", ("kind", "type", "surveytype", "metric")),
    Target("comment", "Comment", ("comment", "comments", "feedback", "reason", "verbatim", "text", "answer")),
    Target(
        "received_at",
        "Answered on (date or date-time)",
        ("receivedat", "date", "submittedat", "answeredat", "respondedat", "createdat", "timestamp", "submitted"),
    ),
)
# A row's field, as the matcher names it, to the column it came from.
COLUMN_OF = {"account": "account_ref", "contact": "contact_email", "non_field_errors": "external_id"}


def _cells_as_data(cells: dict[str, str]) -> dict:
    return {key: value for key, value in cells.items() if value != ""}


def check(customer_import, numbered) -> tuple[list, list[dict]]:
    importer = customer_import.created_by
    tz = org_timezone(importer.organization)
    rows = [(number, parse_row(_cells_as_data(cells), tz=tz)) for number, cells in numbered]
    matcher = Matcher(importer.organization_id, [row for _, row in rows])
    prepared, errors, seen = [], [], {}

    def fail(number, column, reason):
        errors.append({"row": number, "column": COLUMN_OF.get(column, column), "reason": reason})

    for number, row in rows:
        for name, messages in row.errors.items():
            for message in messages:
                fail(number, name, message)
        if not row.external_id:
            fail(number, "external_id", "The response id is missing: re-imports recognise a response by it.")
        elif row.external_id in seen:
            fail(number, "external_id", f"“{row.external_id}” is also on row {seen[row.external_id]}.")
        else:
            seen[row.external_id] = number
        if row.received_at is None and "received_at" not in row.errors:
            fail(number, "received_at", "The date is missing: history needs the day it was answered.")
        # Matched even when another cell has a problem, so the file is fixed in one go.
        account, contact, problems = matcher.match(row)
        for name, message in problems.items():
            if name not in row.errors:
                fail(number, name, message)
        if row.errors:
            continue
        if account is not None and not problems and not can_manage_account(importer, account):
            fail(
                number, "account_ref", f"{account.name} belongs to {account.owning_team.name}, which you do not manage."
            )
        prepared.append((number, row, account, contact))
    return prepared, errors


def write(customer_import, prepared, progress) -> dict[str, int]:
    importer = customer_import.created_by
    created = existing = 0
    for count, (number, row, account, contact) in enumerate(prepared, start=1):
        try:
            _, is_new = feedback_record(
                actor=importer,
                account=account,
                contact=contact,
                score=row.score,
                kind=row.kind,
                comment=row.comment,
                channel=NpsFeedback.Channel.IMPORT,
                external_id=row.external_id,
                received_at=row.received_at,
            )
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(f"row {number}: {' '.join(getattr(error, 'messages', [str(error)]))}") from None
        created += is_new
        existing += not is_new
        if count % PROGRESS_EVERY == 0:
            progress(count)
    return {"Feedback recorded": created, "Already imported before": existing}


KIND = kinds.register(
    kinds.ImportKind(
        key=NPS_HISTORY,
        label="NPS history",
        description="Past NPS or CSAT answers from another tool, one row per response.",
        targets=TARGETS,
        required=("external_id", "score", "received_at"),
        check=check,
        write=write,
    )
)
