"""Celery entry points for inbound: thin."""

from celery import shared_task

from inbound import services


@shared_task(name="inbound.purge_seen_webhooks", queue="default")
def purge_seen_webhooks() -> int:
    """Periodic: forget Standard Webhooks message ids too old to be replayed."""
    return services.seen_webhooks_purge()
