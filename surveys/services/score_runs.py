"""An admin's "recompute now": asking for a full recompute of the organisation's
scores, and the worker's side of it (surveys.tasks.recompute_now), which records its
progress on the run so the page and the API can show it."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership
from surveys.models import ScoreRun
from surveys.scoring import runs
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role, require_role

logger = logging.getLogger(__name__)

# A run still queued after this long lost its message (the broker was down): asking
# again sends it again (a second delivery is harmless, the task claims the run).
RESEND_AFTER = timedelta(minutes=1)
ERROR_LENGTH = 500


def _enqueue(run: ScoreRun) -> None:
    from surveys.tasks import recompute_now  # tasks import services

    enqueue_on_commit(recompute_now, run.pk)


@transaction.atomic
def score_recompute_request(*, actor: Membership, now=None) -> tuple[ScoreRun, bool]:
    """Queue a full recompute of the actor's organisation, unless one is already queued
    or running: then that one is returned. (the run, whether it is new)."""
    require_role(actor, Role.ADMIN)
    now = now or timezone.now()
    active = ScoreRun.objects.for_org(actor.organization_id).active().first()
    if active is None:
        try:
            with transaction.atomic():
                run = ScoreRun.objects.create(organization_id=actor.organization_id, requested_by=actor)
        except IntegrityError:
            # Another request created one at the same moment: that one is the run.
            active = ScoreRun.objects.for_org(actor.organization_id).active().first()
        else:
            _enqueue(run)
            return run, True
    if active is None:  # it finished in between
        return score_recompute_request(actor=actor, now=now)
    if active.status == ScoreRun.Status.QUEUED and active.created_at < now - RESEND_AFTER:
        _enqueue(active)
    return active, False


def score_run_execute(*, run_id: int) -> ScoreRun | None:
    """The worker's side: claim the run (queued, or running when a lost worker's message
    is delivered again), recompute every period, telling the run after each chunk, and
    record how it ended. Not one transaction, on purpose: progress must be seen while
    it runs; each chunk of the recompute is its own transaction (surveys.scoring.engine).
    A run already done or failed is left alone (a duplicate message)."""
    now = timezone.now()
    claimed = ScoreRun.objects.filter(pk=run_id, status__in=ScoreRun.ACTIVE).update(
        status=ScoreRun.Status.RUNNING, started_at=Coalesce("started_at", now)
    )
    if not claimed:
        return ScoreRun.objects.filter(pk=run_id).first()
    run = ScoreRun.objects.get(pk=run_id)

    def progress(done: int, total: int) -> None:
        ScoreRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        written = runs.recompute_all(run.organization_id, progress=progress)
    except Exception as error:
        logger.exception("Score recompute failed", extra={"run": run_id})
        ScoreRun.objects.filter(pk=run_id).update(
            status=ScoreRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH],
        )
    else:
        run.refresh_from_db(fields=["total"])
        ScoreRun.objects.filter(pk=run_id).update(
            status=ScoreRun.Status.DONE, finished_at=timezone.now(), done=run.total, written=written
        )
    return ScoreRun.objects.get(pk=run_id)
