"""Enqueueing Celery tasks after the transaction that needs them commits."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits; never on rollback.

    ``robust=True``: a broker that is down must not turn the user's committed save
    into an error page. The failure is logged; work that must not be lost is also
    recorded in the database (an outbox) and swept up by a periodic job.
    """

    # A plain function, not functools.partial: Django's robust on_commit logs a
    # failing callback by its ``__qualname__``, which a partial lacks, so the
    # AttributeError would escape and fail the request after all.
    def send_after_commit():
        _send(task, args, kwargs)

    send_after_commit.__qualname__ = f"enqueue_on_commit({task.name})"
    transaction.on_commit(send_after_commit, robust=True)


def _send(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        logger.exception("Could not enqueue task", extra={"task": task.name})
        raise
