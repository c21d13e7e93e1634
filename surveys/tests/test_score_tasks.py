"""The score tasks' options, the sweep and the nightly repair, and the recompute sent
on commit by the outbox (to the real configured broker: messages are counted there)."""

import logging
import threading

import pytest
from celery import Celery
from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection, transaction

from outbox.models import DirtyScope
from outbox.services import mark_dirty
from surveys import tasks
from surveys.models.scores import ScoreSnapshot
from surveys.tests.conftest import RESULTS_ANSWERING
from teamhub.celery import app
from teamhub.lib.dblocks import database_lock
from teams.tests.factories import ValueFactory
from work import services as work

SCORE_TASKS = [tasks.recompute_dirty, tasks.sweep, tasks.recompute_all_nightly]


def _queued(queue: str = "scores") -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue=queue).message_count


@pytest.fixture
def broker():
    """The configured broker with every queue empty (and left empty)."""
    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture
def no_repairs_noted(staffed):
    """No night's repair noted for Acme or Globex, before or after."""
    keys = [f"scores.repaired:{tasks._night().isoformat()}:{org.pk}" for org in (staffed.org, staffed.other_org)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def _win(acme, **kwargs):
    kwargs.setdefault("values", [ValueFactory(organization=acme.org)])
    return work.win_create(actor=acme.eve, title="Renewed early", **kwargs)


# --- Options ------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", SCORE_TASKS, ids=lambda task: task.name)
def test_every_score_task_is_late_acked_bounded_and_on_the_scores_queue(task):
    assert task.queue == "scores"
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert OperationalError in task.autoretry_for
    assert 0 < task.max_retries <= 10
    assert task.retry_backoff and task.retry_jitter
    assert 0 < task.retry_backoff_max <= 60
    # Below the broker's redelivery of unacknowledged messages, the soft limit first.
    assert task.soft_time_limit < task.time_limit < settings.BROKER_VISIBILITY_TIMEOUT
    if "visibility_timeout" in settings.CELERY_BROKER_TRANSPORT_OPTIONS:
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.BROKER_VISIBILITY_TIMEOUT


def test_score_tasks_sent_by_name_are_routed_to_the_scores_queue():
    for name in ("scores.recompute_dirty", "scores.sweep", "scores.recompute_all_nightly", "scores.recompute_now"):
        assert app.amqp.router.route({}, name)["queue"].name == "scores"


def test_beat_sweeps_every_minute_and_repairs_every_night():
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert by_task["scores.sweep"] == 60
    assert by_task["scores.recompute_all_nightly"] == crontab(hour=2, minute=30)


# --- Enqueued on commit -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_committed_save_sends_one_recompute_per_organisation_and_transaction(
    staffed, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _win(staffed)
        _win(staffed)
        mark_dirty(organization=staffed.other_org, at=RESULTS_ANSWERING)

    sent = [cb for cb in callbacks if hasattr(cb, "recompute_organization_id")]
    assert sorted(cb.recompute_organization_id for cb in sent) == sorted([staffed.org.pk, staffed.other_org.pk])
    assert _queued() == 2
    assert DirtyScope.objects.filter(organization=staffed.org).exists()


@pytest.mark.django_db
def test_a_save_rolled_back_sends_nothing_and_a_later_one_in_the_transaction_does(
    staffed, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _win(staffed)
            raise RuntimeError("roll back")
        mark_dirty(organization=staffed.other_org, at=RESULTS_ANSWERING)

    assert [cb.recompute_organization_id for cb in callbacks if hasattr(cb, "recompute_organization_id")] == [
        staffed.other_org.pk
    ]
    assert _queued() == 1
    assert not DirtyScope.objects.filter(organization=staffed.org).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_sends_nothing(staffed, broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        _win(staffed)
        raise RuntimeError("roll back")

    assert _queued() == 0
    assert not DirtyScope.objects.exists()


@pytest.fixture
def broker_refusing(monkeypatch):
    """The current Celery app points at a port where nothing listens: every send fails."""
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    refusing = Celery("teamhub-refusing", set_as_current=False)
    refusing.config_from_object("django.conf:settings", namespace="CELERY")
    refusing.conf.broker_url = "redis://127.0.0.1:1/0"
    refusing.conf.broker_transport_options = {}
    refusing.set_current()
    try:
        yield refusing
    finally:
        app.set_current()


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_refuses_the_message_does_not_fail_the_save(staffed, broker_refusing, caplog):
    with caplog.at_level(logging.ERROR):
        win = _win(staffed)  # its own transaction, committed: the send runs, and fails

    assert win.pk is not None and DirtyScope.objects.filter(organization=staffed.org).exists()
    assert any("Could not enqueue the score recompute" in record.getMessage() for record in caplog.records)


# --- The tasks, run in this process -------------------------------------------------------------


@pytest.mark.django_db
def test_recompute_dirty_consumes_the_marks_and_a_second_copy_finds_none(answered_round, staffed):
    assert DirtyScope.objects.filter(organization=staffed.org).exists()

    assert tasks.recompute_dirty(staffed.org.pk) > 0
    assert tasks.recompute_dirty(staffed.org.pk) == 0
    assert ScoreSnapshot.objects.filter(organization=staffed.org).exists()


@pytest.mark.django_db
def test_the_sweep_recomputes_every_organisation_with_marks(answered_round, staffed):
    mark_dirty(organization=staffed.other_org, at=RESULTS_ANSWERING)

    result = tasks.sweep()

    assert result["organizations"] == sorted([staffed.org.pk, staffed.other_org.pk])
    assert not DirtyScope.objects.exists()
    assert tasks.sweep() == {"organizations": [], "marks": 0}


@pytest.mark.django_db(transaction=True)
def test_the_sweep_leaves_the_work_to_the_one_holding_its_lock(staffed):
    mark_dirty(organization=staffed.org, at=RESULTS_ANSWERING)
    held, release = threading.Event(), threading.Event()

    def other_sweep():  # another process's sweep: its own database connection
        try:
            with database_lock("scores.sweep") as mine:
                assert mine
                held.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=other_sweep)
    other.start()
    try:
        assert held.wait(30)
        assert tasks.sweep() == {"skipped": True}
        assert DirtyScope.objects.exists()
    finally:
        release.set()
        other.join(30)
    assert tasks.sweep()["organizations"] == [staffed.org.pk]


@pytest.mark.django_db
def test_the_nightly_repair_does_each_organisation_once_a_night(answered_round, staffed, no_repairs_noted):
    DirtyScope.objects.all().delete()

    first = tasks.recompute_all_nightly()
    second = tasks.recompute_all_nightly()

    assert set(first["organizations"]) >= {staffed.org.pk, staffed.other_org.pk}
    assert staffed.org.pk not in second["organizations"]
    assert ScoreSnapshot.objects.filter(organization=staffed.org).exists()
