"""Import use cases for pages and the API: upload, map columns, preview, start."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from customers.imports import kinds, parsing
from customers.imports.rows import Context, check_row
from customers.imports.run import column_indexes
from customers.models import CustomerImport
from customers.services import can_import
from teamhub.lib.queue import enqueue_on_commit
from teams.access import manages_team
from teams.models import Team

PREVIEW_ROWS = 10
EDITABLE = (CustomerImport.Status.UPLOADED, CustomerImport.Status.FAILED)


def require_importer(actor: Membership) -> None:
    if not can_import(actor):
        raise PermissionDenied("Only managers and admins import accounts.")


def _kind(key: str) -> kinds.ImportKind | None:
    kind = kinds.get(key)
    if kind is None and key != kinds.ACCOUNTS:
        raise ValidationError({"kind": f"“{key}” is not a kind of import."})
    return kind


def targets_of(key: str) -> dict[str, parsing.Target]:
    """The fields a column can fill, for an import of that kind."""
    kind = _kind(key)
    return parsing.TARGETS if kind is None else kind.targets_by_key


@transaction.atomic
def import_upload(*, actor: Membership, uploaded_file, kind: str = kinds.ACCOUNTS) -> CustomerImport:
    """Store a CSV file and read its headers; the columns are mapped next."""
    require_importer(actor)
    targets = targets_of(kind)
    if uploaded_file is None:
        raise ValidationError({"file": "Choose a CSV file."})
    headers, _ = parsing.read_upload(uploaded_file)
    customer_import = CustomerImport(
        organization_id=actor.organization_id,
        created_by=actor,
        kind=kind,
        filename=(uploaded_file.name or "import.csv")[:200],
        headers=headers,
        mapping=parsing.suggest_mapping(headers, targets),
    )
    customer_import.file.save(uploaded_file.name or "import.csv", uploaded_file, save=False)
    customer_import.save()
    return customer_import


def _check_editable(customer_import: CustomerImport) -> None:
    if customer_import.status not in EDITABLE:
        raise ValidationError(f"This import is {customer_import.get_status_display().lower()}: it cannot change now.")
    _check_file(customer_import)


def _check_file(customer_import: CustomerImport) -> None:
    if not customer_import.file:
        raise ValidationError(
            f"Its file was removed after {settings.IMPORT_FILE_RETENTION_DAYS} days, as every import's is: "
            "upload the CSV again."
        )


@transaction.atomic
def import_configure(
    *, actor: Membership, customer_import: CustomerImport, mapping: dict, default_team: Team | None
) -> CustomerImport:
    """Say which column fills which field, and the team for rows that name none."""
    require_importer(actor)
    _check_editable(customer_import)
    if not isinstance(mapping, dict):
        raise ValidationError({"mapping": "Give the mapping as an object: field name to column name."})
    mapping = {key: header for key, header in mapping.items() if header}
    kind = _kind(customer_import.kind)
    if kind is not None:
        return _configure_kind(customer_import, kind, mapping)
    errors = {}
    unknown = sorted(set(mapping) - set(parsing.TARGETS))
    missing_headers = sorted({h for h in mapping.values() if h not in customer_import.headers})
    if unknown:
        errors["mapping"] = f"Unknown fields: {', '.join(unknown)}."
    elif missing_headers:
        errors["mapping"] = f"The file has no column named {', '.join(missing_headers)}."
    elif "name" not in mapping or "external_ref" not in mapping:
        errors["mapping"] = "Choose the columns with the account name and its external reference."
    if default_team is not None and not (
        default_team.organization_id == actor.organization_id and manages_team(actor, default_team)
    ):
        errors["default_team"] = "Choose a team you manage."
    elif default_team is None and "team" not in mapping:
        errors["default_team"] = "Choose a default team, or the column that names each row's team."
    if errors:
        raise ValidationError(errors)
    customer_import.mapping = mapping
    customer_import.default_team = default_team
    customer_import.save(update_fields=["mapping", "default_team"])
    return customer_import


def _configure_kind(customer_import: CustomerImport, kind: kinds.ImportKind, mapping: dict) -> CustomerImport:
    unknown = sorted(set(mapping) - set(kind.targets_by_key))
    missing_headers = sorted({h for h in mapping.values() if h not in customer_import.headers})
    missing = [kind.targets_by_key[key].label for key in kind.required if key not in mapping]
    if unknown:
        raise ValidationError({"mapping": f"Unknown fields: {', '.join(unknown)}."})
    if missing_headers:
        raise ValidationError({"mapping": f"The file has no column named {', '.join(missing_headers)}."})
    if missing:
        raise ValidationError({"mapping": f"Choose the columns with: {', '.join(missing)}."})
    customer_import.mapping = mapping
    customer_import.save(update_fields=["mapping"])
    return customer_import


def is_mapped(customer_import: CustomerImport) -> bool:
    kind = _kind(customer_import.kind)
    required = ("name",) if kind is None else kind.required
    return all(key in customer_import.mapping for key in required)


@transaction.atomic
def import_start(*, actor: Membership, customer_import: CustomerImport) -> CustomerImport:
    """Queue the run on the "imports" queue once this transaction commits."""
    from customers.tasks import run_import  # the task module imports the run

    require_importer(actor)
    _check_editable(customer_import)
    if not is_mapped(customer_import):
        raise ValidationError("Map the columns first.")
    started = (
        CustomerImport.objects.filter(pk=customer_import.pk, status__in=EDITABLE)
        .exclude(file="")
        .update(
            status=CustomerImport.Status.QUEUED,
            processed_rows=0,
            errors=[],
            counts={},
            message="Waiting for a worker…",
            started_at=None,
            finished_at=None,
            **dict.fromkeys(("accounts_created", "accounts_updated", "contacts_created", "contacts_updated"), 0),
        )
    )
    if not started:  # a double click: the first one queued it
        raise ValidationError("This import has already started.")
    enqueue_on_commit(run_import, customer_import.pk)
    customer_import.refresh_from_db()
    return customer_import


def import_preview(*, customer_import: CustomerImport, limit: int = PREVIEW_ROWS) -> dict:
    """The first rows as the mapping reads them, each cell with its problem (if any).

    Checked by the same rules as the run, against the accounts those rows name; a
    clash with a later row (a duplicate reference) shows only when the import runs.
    """
    _check_file(customer_import)
    with customer_import.file.open("rb") as handle:
        headers, raw_rows = parsing.read_rows(handle.read(), limit=limit)
    raw_rows = raw_rows[:limit]
    indexes = column_indexes(customer_import.mapping, headers)
    kind = _kind(customer_import.kind)
    if kind is not None:
        return _preview_kind(customer_import, kind, indexes, raw_rows)
    ref_index = indexes.get("external_ref")
    refs = {raw[ref_index].strip() for _, raw in raw_rows if ref_index is not None and ref_index < len(raw)}
    ctx = Context.load(importer=customer_import.created_by, default_team=customer_import.default_team, refs=refs)
    columns = [key for key in parsing.TARGETS if key in indexes]
    rows, seen = [], {}
    for number, raw in raw_rows:
        cells = {key: (raw[i].strip() if i < len(raw) else "") for key, i in indexes.items()}
        checked = check_row(number, cells, ctx, seen)
        problems = {}
        for error in checked.errors:
            problems.setdefault(error["column"], []).append(error["reason"])
        rows.append(
            {
                "number": number,
                "ok": not checked.errors,
                "cells": [{"value": cells[key], "problems": problems.pop(key, [])} for key in columns],
                "other_problems": [reason for reasons in problems.values() for reason in reasons],
            }
        )
    return {"columns": [parsing.TARGETS[key] for key in columns], "rows": rows}


def _preview_kind(customer_import: CustomerImport, kind: kinds.ImportKind, indexes: dict, raw_rows) -> dict:
    """A registered kind's preview: its own check, run on the first rows."""
    columns = [key for key in kind.targets_by_key if key in indexes]
    numbered = [
        (number, {key: (raw[i].strip() if i < len(raw) else "") for key, i in indexes.items()})
        for number, raw in raw_rows
    ]
    _, errors = kind.check(customer_import, numbered)
    problems_by_row: dict[int, dict[str, list[str]]] = {}
    for error in errors:
        problems_by_row.setdefault(error["row"], {}).setdefault(error["column"], []).append(error["reason"])
    rows = []
    for number, cells in numbered:
        problems = problems_by_row.get(number, {})
        rows.append(
            {
                "number": number,
                "ok": not problems,
                "cells": [{"value": cells[key], "problems": problems.pop(key, [])} for key in columns],
                "other_problems": [reason for reasons in problems.values() for reason in reasons],
            }
        )
    return {"columns": [kind.targets_by_key[key] for key in columns], "rows": rows}


def import_files_purge(*, now=None) -> int:
    """Remove the files of imports finished, or uploaded and left, more than
    IMPORT_FILE_RETENTION_DAYS ago; the import's record, counts and row errors stay.
    Returns how many files were removed. Periodic (beat), safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    stale = (
        CustomerImport.objects.exclude(file="")
        .exclude(status__in=[CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING])
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
    )
    removed = 0
    for customer_import in stale.iterator():
        name = customer_import.file.name
        # Forget the file first: a row pointing at a missing file would break its page.
        claimed = (
            CustomerImport.objects.filter(pk=customer_import.pk, file=name)
            .exclude(status__in=[CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING])  # not if just started
            .update(file="", file_removed_at=now)
        )
        if claimed:
            customer_import.file.storage.delete(name)
            removed += 1
    return removed
