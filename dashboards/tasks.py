"""Celery entry points for the dashboards: thin, calling services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from dashboards.services import digest
from teamhub.lib.dblocks import database_lock


@shared_task(
    name="dashboards.send_digests",
    queue="notifications",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=5,
    retry_backoff_max=60,
    time_limit=10 * 60,  # below the broker's visibility timeout (an hour)
    soft_time_limit=9 * 60,
)
def send_digests() -> dict:
    """Periodic (every 15 minutes): queue the weekly digests due now. Each digest is
    claimed by a unique row (once per person and week), so two beats, a retry or a
    redelivered message send nothing twice; the lock only spares the second the work."""
    with database_lock("dashboards.send_digests") as mine:
        if not mine:
            return {"skipped": True}
        return digest.digests_send_due()
