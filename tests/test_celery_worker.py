"""A real Celery worker against the configured broker.

Tasks enqueued on commit run in the worker; a task enqueued in a transaction that
rolls back never reaches the broker. The worker is a separate process
(``celery -A teamhub worker``), never eager mode, on the test database and the broker
the test settings resolve to: SQLite and the filesystem broker on the embedded default,
PostgreSQL and Redis in CI.
"""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu.exceptions import OperationalError

from accounts import services
from accounts.models import Invitation
from accounts.tasks import send_invitation_email
from accounts.tests.factories import InvitationFactory
from teamhub.celery import app
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.testing import require

# transaction=True: rows must be committed for the worker process to see them, and
# on_commit callbacks only fire on a real commit.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUES = [queue.name for queue in settings.CELERY_TASK_QUEUES]
WAIT_SECONDS = 60
POLL_SECONDS = 0.2
STOP_SECONDS = 10
# One process taking one message at a time (prefetch multiplier 1), so messages run in
# the order they were published; no heartbeats, gossip or mingle to wait for.
WORKER_COMMAND = [
    *(sys.executable, "-m", "celery", "-A", "teamhub", "worker", "--loglevel", "info"),
    *("--pool", "solo", "--concurrency", "1", "--queues", ",".join(QUEUES)),
    *("--without-heartbeat", "--without-gossip", "--without-mingle"),
]


def _test_database_url() -> str:
    """The test database (not the configured one) as the URL the worker's settings read."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "A worker process cannot share an in-memory SQLite database."
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'], safe='')}"
    pytest.fail(f"No DATABASE_URL for the {connection.vendor} test database.", pytrace=False)


def _queued_messages_by_queue() -> dict[str, int]:
    """Messages waiting in the broker, per queue."""
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        # A plain (not passive) declare: Redis has no key for an empty queue.
        return {name: channel.queue_declare(queue=name).message_count for name in QUEUES}


def _queued_messages() -> int:
    return sum(_queued_messages_by_queue().values())


def _email_sent(invitation: Invitation) -> bool:
    return Invitation.objects.filter(pk=invitation.pk, email_sent_at__isnull=False).exists()


class Worker:
    """One ``celery -A teamhub worker`` process, its output kept in a log file."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.process = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "teamhub.settings.test",
            "DATABASE_URL": _test_database_url(),
            "TEAMHUB_VAR_DIR": str(settings.VAR_DIR),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        }
        command = [*WORKER_COMMAND, "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_for(self, condition, what: str) -> None:
        """Poll ``condition`` until it holds; fail early if the worker dies."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited ({self.process.returncode}) before {what}.\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"No {what} after {WAIT_SECONDS} s.\n{self.log()}")
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # warm shutdown: finishes the task in hand
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no output)"
        return f"--- worker log ({self.log_path}) ---\n{text}"


@pytest.fixture
def broker():
    """The configured broker, reachable (a failure under CI=true) and with every queue empty."""
    with app.connection_for_write() as conn:
        try:
            conn.ensure_connection(max_retries=1)
        except OperationalError as exc:
            require(False, f"Celery broker not reachable at {conn.as_uri()}: {exc}")
    # Leftovers of an earlier, interrupted run would be consumed first and blur the result.
    app.control.purge()


@pytest.fixture
def worker(transactional_db, broker, tmp_path):
    """A worker the test starts when it chooses; stopped before the database is flushed."""
    worker = Worker(tmp_path / "worker.log")
    yield worker
    worker.stop()


def test_a_message_reaches_only_the_queue_it_is_sent_to(broker):
    with app.connection_for_write() as conn:
        # Exchange, queue and binding, as a worker consuming every queue declares them.
        for queue in app.amqp.queues.values():
            queue.bind(conn.default_channel).declare()
    try:
        send_invitation_email.apply_async(args=(0, "inv_nothing"))  # routed to "notifications"

        expected = {name: int(name == "notifications") for name in QUEUES}
        assert _queued_messages_by_queue() == expected
    finally:
        app.control.purge()


def test_invitation_created_in_committed_transaction_is_emailed_by_worker(personas, worker):
    worker.start()

    invitation, _ = services.invitation_create(actor=personas.admin, email="dana@example.com", role="member")

    worker.wait_for(lambda: _email_sent(invitation), "invitation e-mail sent by the worker")


def test_task_enqueued_in_rolled_back_transaction_never_reaches_worker(personas, worker):
    # Committed and pending, so a send that escaped the rollback would be recorded.
    forgotten = InvitationFactory(organization=personas.org, invited_by=personas.admin.user)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_invitation_email, forgotten.pk, "inv_rolled-back")
        raise RuntimeError("roll back")
    invitation, _ = services.invitation_create(actor=personas.admin, email="erin@example.com", role="member")

    # Checked before any worker consumes: only the committed invitation's message was sent.
    assert _queued_messages() == 1
    worker.start()
    # The worker takes messages in publish order, so once the later one is done an
    # escaped earlier message would have run too.
    worker.wait_for(lambda: _email_sent(invitation), "invitation e-mail sent by the worker")
    forgotten.refresh_from_db()
    assert forgotten.email_sent_at is None, worker.log()
