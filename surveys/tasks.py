"""Celery entry points for surveys: thin, calling services."""

from celery import shared_task

from surveys import services
from teamhub.lib.locks import held_once


@shared_task(name="surveys.run_rounds", queue="surveys", time_limit=300, soft_time_limit=270)
def run_rounds() -> dict:
    """Periodic (every minute): open, remind and close the rounds whose time has come,
    and plan the next ones. Correct if two run at once (every step is a conditional
    update or a unique row); the lock only spares the second the work."""
    with held_once("surveys.run_rounds", seconds=240) as mine:
        if not mine:
            return {"skipped": True}
        return vars(services.rounds_run())
