"""The import run, as the Celery task calls it: check every row, then write all or nothing.

Set-based: the organisation's teams, people, accounts and contacts are read once;
accounts and contacts are written with ``bulk_create`` / ``bulk_update`` in batches,
so the number of queries grows with batches, never with rows.
"""

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from customers.imports import kinds, parsing
from customers.imports.rows import Context, Row, cells_of, check_row
from customers.models import Contact, CustomerAccount, CustomerImport
from customers.services import can_import

logger = logging.getLogger(__name__)

BATCH = 2000
ACCOUNT_COLUMNS = {
    "name": "name",
    "segment": "segment",
    "status": "status",
    "annual_revenue": "annual_revenue",
    "lead": "lead_id",
}
CONTACT_COLUMNS = {
    "contact_name": "name",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_title": "title",
    "contact_channel": "preferred_channel",
    "contact_preferences": "preferences",
    "contact_notes": "personal_notes",
    "contact_opt_out": "survey_opt_out",
}
REMEMBERED = {"preferences", "personal_notes"}


def progress_cache_key(import_id: int) -> str:
    return f"customers:import-progress:{import_id}"


# Long enough for any import; the entry is deleted when the run ends anyway.
PROGRESS_TTL = 60 * 60


class Progress:
    """Writes ``processed_rows`` where the polling page can read it.

    Outside the write transaction a plain UPDATE does. Inside it nobody else would see
    an UPDATE before the commit, so the figures go to the shared cache instead (a file
    cache on the embedded default, Redis in production), which the page reads first.
    """

    def __init__(self, import_id: int):
        self.import_id = import_id
        self.key = progress_cache_key(import_id)

    def __call__(self, processed: int, message: str = "") -> None:
        changes = {"processed_rows": processed, **({"message": message} if message else {})}
        if connection.in_atomic_block:
            cache.set(self.key, changes, timeout=PROGRESS_TTL)
        else:
            CustomerImport.objects.filter(pk=self.import_id, status=CustomerImport.Status.RUNNING).update(**changes)

    def close(self) -> None:
        cache.delete(self.key)


def run_import(import_id: int) -> CustomerImport | None:
    """Run a queued import. A redelivered message for a finished import does nothing;
    one for a run a lost worker left half done starts again (nothing was written)."""
    claimed = CustomerImport.objects.filter(
        pk=import_id, status__in=[CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING]
    ).update(
        status=CustomerImport.Status.RUNNING, started_at=timezone.now(), processed_rows=0, message="Checking rows…"
    )
    if not claimed:
        return None
    customer_import = CustomerImport.objects.select_related("created_by", "default_team").get(pk=import_id)
    progress = Progress(import_id)
    kind = kinds.get(customer_import.kind)
    try:
        if kind is None:
            _run(customer_import, progress)
        else:
            _run_kind(customer_import, kind, progress)
    except Exception:
        logger.exception("Import failed", extra={"import_id": import_id})
        _finish(
            customer_import, failed=True, message="Nothing was imported: the import stopped on an unexpected error."
        )
    finally:
        progress.close()
    customer_import.refresh_from_db()
    return customer_import


def _run(customer_import: CustomerImport, progress: Progress) -> None:
    importer = customer_import.created_by
    if importer is None or not importer.is_active or not can_import(importer):
        _finish(customer_import, failed=True, message="Nothing was imported: its uploader may no longer import.")
        return
    try:
        with customer_import.file.open("rb") as handle:
            headers, raw_rows = parsing.read_rows(handle.read())
    except ValidationError as error:
        _finish(customer_import, failed=True, message=" ".join(error.messages))
        return
    CustomerImport.objects.filter(pk=customer_import.pk).update(total_rows=len(raw_rows))
    ctx = Context.load(importer=importer, default_team=customer_import.default_team)
    rows, errors = check_rows(customer_import, headers, raw_rows, ctx, progress)
    if errors:
        rows_failed = len({e["row"] for e in errors})
        message = (
            f"Nothing was imported: {rows_failed} of {len(raw_rows)} rows have problems. Fix them and upload again."
        )
        _finish(customer_import, failed=True, message=message, errors=errors)
        return
    progress(0, f"Writing {len(rows)} rows…")
    try:
        with transaction.atomic():
            counts = write_rows(customer_import, rows, progress)
            _finish(customer_import, failed=False, message="Imported.", counts=counts)
    except DatabaseError as error:
        # Another change (an account added meanwhile with the same reference) broke a
        # constraint: the transaction rolled back, so nothing was written.
        logger.warning("Import rolled back", extra={"import_id": customer_import.pk, "error": str(error)})
        _finish(customer_import, failed=True, message=f"Nothing was imported: the database refused a row ({error}).")


def _read(customer_import: CustomerImport):
    """The file's headers and rows, or None once the import was failed for it."""
    importer = customer_import.created_by
    if importer is None or not importer.is_active or not can_import(importer):
        _finish(customer_import, failed=True, message="Nothing was imported: its uploader may no longer import.")
        return None
    try:
        with customer_import.file.open("rb") as handle:
            return parsing.read_rows(handle.read())
    except ValidationError as error:
        _finish(customer_import, failed=True, message=" ".join(error.messages))
        return None


def _run_kind(customer_import: CustomerImport, kind: kinds.ImportKind, progress: Progress) -> None:
    """A registered kind's run: its check over every row, then its write, all or nothing."""
    read = _read(customer_import)
    if read is None:
        return
    headers, raw_rows = read
    CustomerImport.objects.filter(pk=customer_import.pk).update(total_rows=len(raw_rows))
    indexes = column_indexes(customer_import.mapping, headers)
    numbered = [(number, cells_of(raw, indexes)) for number, raw in raw_rows]
    prepared, errors = kind.check(customer_import, numbered)
    if errors:
        rows_failed = len({e["row"] for e in errors})
        message = (
            f"Nothing was imported: {rows_failed} of {len(raw_rows)} rows have problems. Fix them and upload again."
        )
        _finish(customer_import, failed=True, message=message, errors=errors)
        return
    progress(0, f"Writing {len(raw_rows)} rows…")
    try:
        with transaction.atomic():
            counts = kind.write(customer_import, prepared, progress)
            _finish(customer_import, failed=False, message="Imported.", kind_counts=counts, total=len(raw_rows))
    except ValidationError as error:
        # A rule the write checks again (feedback_record's) refused a row: nothing stays.
        _finish(customer_import, failed=True, message=f"Nothing was imported: {' '.join(error.messages)}")
    except DatabaseError as error:
        logger.warning("Import rolled back", extra={"import_id": customer_import.pk, "error": str(error)})
        _finish(customer_import, failed=True, message=f"Nothing was imported: the database refused a row ({error}).")


def column_indexes(mapping: dict, headers: list[str]) -> dict[str, int]:
    return {key: headers.index(header) for key, header in mapping.items() if header in headers}


def check_rows(customer_import, headers, raw_rows, ctx: Context, progress=None) -> tuple[list[Row], list[dict]]:
    indexes = column_indexes(customer_import.mapping, headers)
    rows, errors, seen_refs = [], [], {}
    for count, (number, raw) in enumerate(raw_rows, start=1):
        row = check_row(number, cells_of(raw, indexes), ctx, seen_refs)
        rows.append(row)
        errors.extend(row.errors)
        if progress is not None and count % BATCH == 0:
            progress(count)
    return rows, errors


def write_rows(customer_import: CustomerImport, rows: list[Row], progress) -> dict:
    """Create or update every row's account and contact, in batches."""
    mapped = set(customer_import.mapping)
    account_fields = [f for key, f in ACCOUNT_COLUMNS.items() if key in mapped] + ["updated_at"]
    contact_fields = [f for key, f in CONTACT_COLUMNS.items() if key in mapped] + ["notes_reviewed_at"]
    contacts = _existing_contacts(customer_import.organization_id) if any(r.existing for r in rows) else {}
    counts = dict.fromkeys(("accounts_created", "accounts_updated", "contacts_created", "contacts_updated"), 0)
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        created, updated = _write_accounts(customer_import.organization_id, batch, account_fields, now)
        new_contacts, changed_contacts = _contacts_of(batch, contacts, now)
        Contact.objects.bulk_create(new_contacts, batch_size=BATCH)
        update_rows(Contact, changed_contacts, contact_fields)
        counts["accounts_created"] += created
        counts["accounts_updated"] += updated
        counts["contacts_created"] += len(new_contacts)
        counts["contacts_updated"] += len(changed_contacts)
        progress(start + len(batch))
    return counts


def _write_accounts(organization_id: int, batch: list[Row], fields: list[str], now) -> tuple[int, int]:
    new, changed = [], []
    for row in batch:
        if row.existing is not None:
            account = row.existing
            for name, value in row.account.items():
                setattr(account, name, value)
            account.updated_at = now
            changed.append(account)
        else:
            account = CustomerAccount(organization_id=organization_id, owning_team=row.team, **row.account)
            new.append(account)
        row.saved = account
    CustomerAccount.objects.bulk_create(new, batch_size=BATCH)
    update_rows(CustomerAccount, changed, fields)
    return len(new), len(changed)


def update_rows(model, objs: list, fields: list[str], rows_per_statement: int = 1000) -> None:
    """``bulk_update`` as one ``UPDATE … FROM (VALUES …)`` per 1,000 rows.

    Django's ``bulk_update`` builds a ``CASE WHEN`` expression per row and field in
    Python, which alone takes minutes for 100,000 rows. PostgreSQL and SQLite (3.33+)
    both name the columns of a ``VALUES`` list column1, column2, …
    """
    if not objs:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    # SQLite's column affinity converts; PostgreSQL needs the types (parameters may be untyped).
    typed = connection.vendor == "postgresql"

    def value(position: int, field) -> str:
        ref = f"v.column{position}"
        return f"CAST({ref} AS {field.db_type(connection)})" if typed else ref

    assignments = ", ".join(f"{qn(f.column)} = {value(i, f)}" for i, f in enumerate(columns[1:], start=2))
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    table = qn(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), rows_per_statement):
            chunk = objs[start : start + rows_per_statement]
            params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in chunk for f in columns]
            # Only identifiers from the model's meta are formatted in; every value is a parameter.
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v "  # noqa: S608
                f"WHERE {table}.{qn(meta.pk.column)} = {value(1, meta.pk)}",
                params,
            )


def _existing_contacts(organization_id: int) -> dict[tuple, Contact]:
    """Contacts by (account, e-mail) and by (account, name): one query."""
    found = {}
    for contact in Contact.objects.filter(account__organization_id=organization_id).order_by("-pk"):
        found[(contact.account_id, "name", contact.name.lower())] = contact
        if contact.email:
            found[(contact.account_id, "email", contact.email.lower())] = contact
    return found


def _contacts_of(batch: list[Row], contacts: dict, now) -> tuple[list[Contact], list[Contact]]:
    new, changed = [], []
    for row in (r for r in batch if r.contact):
        account_id = row.saved.pk
        email = row.contact.get("email")
        contact = None
        if row.existing is not None:
            # By e-mail within the account, else by name.
            contact = contacts.get((account_id, "email", email)) if email else None
            contact = contact or contacts.get((account_id, "name", row.contact["name"].lower()))
        if contact is None:
            contact = Contact(account_id=account_id, **row.contact)
            if REMEMBERED & set(row.contact):
                contact.notes_reviewed_at = now
            new.append(contact)
            continue
        if any(getattr(contact, f) != v for f, v in row.contact.items() if f in REMEMBERED):
            contact.notes_reviewed_at = now
        for name, value in row.contact.items():
            setattr(contact, name, value)
        changed.append(contact)
    return new, changed


def _finish(
    customer_import: CustomerImport,
    *,
    failed: bool,
    message: str,
    errors=None,
    counts=None,
    kind_counts=None,
    total=None,
) -> None:
    status = CustomerImport.Status.FAILED if failed else CustomerImport.Status.SUCCEEDED
    changes = {"status": status, "message": message, "finished_at": timezone.now(), "errors": errors or []}
    if kind_counts is not None:
        changes.update(counts=kind_counts, processed_rows=total, total_rows=total)
    elif not failed:
        changes["processed_rows"] = changes["total_rows"] = sum(
            counts[k] for k in ("accounts_created", "accounts_updated")
        )
    CustomerImport.objects.filter(pk=customer_import.pk).update(**changes, **(counts or {}))
