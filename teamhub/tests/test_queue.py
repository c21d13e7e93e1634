"""enqueue_on_commit: tasks leave after the commit, never on rollback, never failing the save."""

import logging
from unittest import mock

import pytest
from django.db import transaction

from teamhub.lib.queue import enqueue_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    fake = mock.Mock()
    fake.name = "tests.fake_task"
    return fake


def test_enqueue_on_commit_sends_after_the_commit(task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 7, "raw", flag=True)
        task.apply_async.assert_not_called()

    task.apply_async.assert_called_once_with(args=(7, "raw"), kwargs={"flag": True})


def test_enqueue_on_commit_sends_nothing_on_rollback(task, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(task, 7)
        raise RuntimeError

    assert callbacks == []
    task.apply_async.assert_not_called()


def test_enqueue_on_commit_logs_a_broker_failure_instead_of_raising(task, django_capture_on_commit_callbacks, caplog):
    task.apply_async.side_effect = ConnectionError("broker down")

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 7)

    assert any(r.getMessage() == "Could not enqueue task" and r.task == "tests.fake_task" for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_broker_failure_outside_a_transaction_does_not_raise(task, caplog):
    # Autocommit: Django runs the callback at once through its own robust path,
    # which is what a real request hits after its transaction commits.
    task.apply_async.side_effect = ConnectionError("broker down")

    with caplog.at_level(logging.ERROR):
        enqueue_on_commit(task, 7)

    task.apply_async.assert_called_once()
    assert any("Could not enqueue task" in r.getMessage() for r in caplog.records)
