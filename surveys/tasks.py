"""Celery entry points for surveys: thin, calling services."""

import datetime as dt

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.log import get_task_logger
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from accounts.models import Organization
from outbox.models import DirtyScope
from surveys import services
from surveys.scoring import runs
from teamhub.lib.dblocks import database_lock
from teamhub.lib.locks import held_once

logger = get_task_logger(__name__)


@shared_task(name="surveys.run_rounds", queue="surveys", time_limit=300, soft_time_limit=270)
def run_rounds() -> dict:
    """Periodic (every minute): open, remind and close the rounds whose time has come,
    and plan the next ones. Correct if two run at once (every step is a conditional
    update or a unique row); the lock only spares the second the work."""
    with held_once("surveys.run_rounds", seconds=240) as mine:
        if not mine:
            return {"skipped": True}
        return vars(services.rounds_run())


@shared_task(name="surveys.send_nps_invitations", queue="surveys", time_limit=600, soft_time_limit=570)
def send_nps_invitations(round_id: int) -> int:
    """Queue the e-mail of each contact a sent NPS round asks (ids only: each e-mail's
    personal links are derived when it is sent). Twice is harmless: each once."""
    from surveys.services import nps_rounds

    return nps_rounds.nps_invitations_send(round_id=round_id)


@shared_task(name="surveys.run_nps_rounds", queue="surveys", time_limit=300, soft_time_limit=270)
def run_nps_rounds() -> dict:
    """Periodic (every minute): close NPS rounds whose time is up, and send invitations
    whose message was lost. Correct if two run at once; the lock spares the work."""
    from surveys.services import nps_rounds

    with held_once("surveys.run_nps_rounds", seconds=240) as mine:
        if not mine:
            return {"skipped": True}
        return nps_rounds.nps_rounds_run()


@shared_task(
    name="scores.recompute_now",
    queue="scores",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,  # below the broker's visibility timeout (an hour)
    soft_time_limit=29 * 60,
)
def recompute_now(run_id: int) -> dict:
    """An admin's "recompute now": every period of the run's organisation, recording
    progress on the run. Delivered twice (a lost worker), it runs again: the engine's
    upserts make that harmless; a finished run is left alone."""
    from surveys.services import score_runs

    run = score_runs.score_run_execute(run_id=run_id)
    return {"run": run_id, "status": run.status if run else None}


# --- Scores: fresh without losing work ---------------------------------------------------
#
# Every score task is on the "scores" queue, takes ids only and is idempotent: the engine
# upserts by key and deletes only the marks it read, so a redelivered or duplicated
# message writes the same rows. acks_late + reject_on_worker_lost: a worker that dies
# mid-recompute leaves the message to run again. Transient database errors (a deadlock,
# a lock timeout, a dropped connection) are retried a few times with back-off; the
# sweep picks up whatever still fails. Hard limits stay below the broker's visibility
# timeout (settings.BROKER_VISIBILITY_TIMEOUT), so a running task is never redelivered.

SCORE_TASK_OPTIONS = {
    "queue": "scores",
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
}
# A night's repair of one organisation counts as done for this long (so a second beat's
# message, or a late duplicate, does not do it again); a killed run is not marked done.
REPAIR_DONE_SECONDS = 20 * 60 * 60


def _drain(organization_id: int) -> int:
    """Consume the organisation's marks, pass after pass, until none is left."""
    consumed = 0
    while True:
        try:
            marks = runs.recompute_dirty(organization_id)
        except Organization.DoesNotExist:  # deleted meanwhile: its marks went with it
            return consumed
        consumed += marks
        if marks < runs.MARKS_PER_PASS:
            return consumed


@shared_task(name="scores.recompute_dirty", time_limit=5 * 60, soft_time_limit=4 * 60, **SCORE_TASK_OPTIONS)
def recompute_dirty(organization_id: int) -> int:
    """Sent on commit after new data marks the organisation: recompute the periods its
    marks name. Returns how many marks it consumed (0 when another copy got there)."""
    return _drain(organization_id)


@shared_task(name="scores.sweep", time_limit=5 * 60, soft_time_limit=4 * 60, **SCORE_TASK_OPTIONS)
def sweep() -> dict:
    """Periodic (every minute): recompute every organisation that still has marks — those
    whose message was lost with a broker outage or a dead worker. Under a database lock:
    with two beat processes (or a sweep outliving its minute) one does the work and the
    other returns at once, finding nothing left."""
    with database_lock("scores.sweep") as mine:
        if not mine:
            return {"skipped": True}
        organizations = list(DirtyScope.objects.order_by().values_list("organization_id", flat=True).distinct())
        marks = {organization_id: _drain(organization_id) for organization_id in sorted(organizations)}
        return {"organizations": sorted(pk for pk, count in marks.items() if count), "marks": sum(marks.values())}


def _night() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


@shared_task(
    bind=True,
    name="scores.recompute_all_nightly",
    time_limit=settings.BROKER_VISIBILITY_TIMEOUT - 10 * 60,
    soft_time_limit=settings.BROKER_VISIBILITY_TIMEOUT - 15 * 60,
    **SCORE_TASK_OPTIONS,
)
def recompute_all_nightly(self) -> dict:
    """Nightly: recompute every period of each organisation, repairing whatever the
    incremental path got wrong. Once a night per organisation, whichever beat sent it:
    each one done is noted (in the shared cache); a run cut short by a dead worker or the
    time limit carries on with the organisations not yet done."""
    with database_lock("scores.recompute_all_nightly") as mine:
        if not mine:
            return {"skipped": True}
        night, repaired = _night(), []
        try:
            for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
                done_key = f"scores.repaired:{night.isoformat()}:{organization_id}"
                if cache.get(done_key):
                    continue

                def progress(done, total, organization_id=organization_id):
                    logger.info("Scores repair: organisation %s, %s of %s periods", organization_id, done, total)

                runs.recompute_all(organization_id, progress=progress)
                cache.set(done_key, True, timeout=REPAIR_DONE_SECONDS)
                repaired.append(organization_id)
        except SoftTimeLimitExceeded:
            # Carry on in a fresh message with the organisations not yet done.
            raise self.retry(countdown=1) from None
        return {"night": night.isoformat(), "organizations": repaired}
