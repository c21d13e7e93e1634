"""Benchmark the CSV import: 100,000 accounts with one contact each, imported twice.

Runs the import's run function directly (the code the Celery task runs) against the
configured database: first fresh (all creates), then the same file again (all
updates). Prints the elapsed seconds and rows per second; asserts nothing.

    TEAMHUB_VAR_DIR=/tmp/bench .venv/bin/python scripts/bench_import.py [rows]
"""

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamhub.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from customers.imports import services  # noqa: E402
from customers.imports.run import run_import  # noqa: E402
from customers.models import CustomerImport  # noqa: E402
from teamhub.lib.tenancy import Role  # noqa: E402
from teams.models import Team  # noqa: E402

HEADER = "Account Name,External ID,Segment,Status,Annual Revenue,Team,Lead,Contact Name,Email,Phone,Preferences\n"


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(
                f"Customer {i},CRM-{i:07d},{('Gold', 'Silver', 'Bronze')[i % 3]},Active,{i * 10}.50,Bench team,"
                f"bench-manager@example.com,Contact {i},contact{i}@customer.example,+41 44 {i:07d},Mornings\n"
            )


def setup_org() -> Membership:
    suffix = uuid.uuid4().hex[:8]
    org = Organization.objects.create(name=f"Bench {suffix}", slug=f"bench-{suffix}")
    user = User.objects.filter(email="bench-manager@example.com").first() or User.objects.create_user(
        email="bench-manager@example.com", password=uuid.uuid4().hex
    )
    manager = Membership.objects.create(organization=org, user=user, role=Role.MANAGER)
    team = Team.objects.create(organization=org, name="Bench team")
    team.managers.add(manager)
    return manager


def timed_run(manager: Membership, path: Path, label: str, rows: int) -> None:
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    customer_import = services.import_upload(actor=manager, uploaded_file=upload)
    # Queued by hand: import_start would send the task to a broker, and here the run is timed in-process.
    CustomerImport.objects.filter(pk=customer_import.pk).update(status=CustomerImport.Status.QUEUED)
    started = time.perf_counter()
    done = run_import(customer_import.pk)
    elapsed = time.perf_counter() - started
    print(
        f"{label}: {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s — {done.get_status_display()}: "
        f"{done.accounts_created} accounts created, {done.accounts_updated} updated, "
        f"{done.contacts_created} contacts created, {done.contacts_updated} updated"
        + (f"; first error {done.errors[0]}" if done.errors else "")
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    from django.db import connection

    print(f"Database: {connection.vendor}; {rows:,} rows, one account and one contact each")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        write_csv(path, rows)
        print(f"CSV: {path.stat().st_size / 1e6:.1f} MB")
        manager = setup_org()
        timed_run(manager, path, "fresh import (creates)", rows)
        timed_run(manager, path, "re-import (updates)  ", rows)


if __name__ == "__main__":
    main()
