"""Celery entry points for customers: thin, ids in, the import run out."""

from celery import shared_task

from customers.imports import run, services


@shared_task(name="customers.run_import", queue="imports", time_limit=15 * 60, soft_time_limit=14 * 60)
def run_import(import_id: int) -> None:
    """Idempotent under acks_late: a finished import is left alone, and a run a lost
    worker interrupted wrote nothing (one transaction), so it starts over."""
    run.run_import(import_id)


@shared_task(name="customers.purge_import_files", queue="default")
def purge_import_files() -> int:
    """Periodic: remove the files of imports finished or left long enough ago."""
    return services.import_files_purge()
