"""Celery entry points for daily work: thin, calling services."""

from celery import shared_task

from work import notices


@shared_task(name="work.sweep_sla_breaches", queue="notifications")
def sweep_sla_breaches() -> int:
    """Periodic: flag open handoffs that waited past their SLA (each once)."""
    return notices.notify_sla_breaches()
