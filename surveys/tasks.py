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
