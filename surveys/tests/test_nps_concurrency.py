"""Customer survey rounds sent once under real concurrency: two copies of the sending
task, or two clicks on Send, running at the same moment in two threads (each with its
own database connection), ask each contact once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from notifications.models import Delivery
from surveys.models import NpsInvitation
from surveys.services import nps_rounds
from surveys.tests import test_nps_scene as scene
from surveys.tests.test_nps_scene import make_round

pytestmark = pytest.mark.django_db(transaction=True)

shop, _fresh_limits = scene.shop, scene._fresh_limits


def _at_once(work, times: int = 2) -> list:
    """Run ``work`` in ``times`` threads released together; their results or errors."""
    start, results = threading.Barrier(times), []

    def run():
        start.wait()
        try:
            results.append(work())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_copies_of_the_sending_task_at_once_queue_each_email_once(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear, shop.boots, shop.skis])
    nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    results = _at_once(lambda: nps_rounds.nps_invitations_send(round_id=round_.pk))
    assert sum(results) == 3  # however the two shared the work
    assert Delivery.objects.filter(kind="nps_invitation").count() == 3
    assert not NpsInvitation.objects.filter(sent_at__isnull=True).exists()


def test_two_clicks_on_send_at_once_send_the_round_once(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear, shop.boots])
    results = _at_once(lambda: nps_rounds.nps_round_send(actor=shop.admin, round_=round_))
    assert sorted(map(type, results), key=str) == sorted([int, ValidationError], key=str)
    assert NpsInvitation.objects.filter(round=round_).count() == 2
