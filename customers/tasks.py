"""Celery entry points for customers: thin, ids in, the import run out."""

from celery import shared_task

from customers.imports import run


@shared_task(name="customers.run_import", queue="imports", time_limit=15 * 60, soft_time_limit=14 * 60)
def run_import(import_id: int) -> None:
    """Idempotent under acks_late: a finished import is left alone, and a run a lost
    worker interrupted wrote nothing (one transaction), so it starts over."""
    run.run_import(import_id)
