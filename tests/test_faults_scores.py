"""Scores stay fresh and lose nothing when things break: real Celery workers, real beat
processes and the real broker (the configured one: the filesystem broker on the embedded
default, Redis in CI; the outage test runs its own Redis on another port).

Each test prints what it observed (run with ``-s`` to see it). Waiting is always for a
condition, with a timeout; the machine may be slow and busy.
"""

import ast
import datetime as dt
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
from celery import Celery
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from customers.tests.factories import CustomerAccountFactory
from outbox.models import DirtyScope
from surveys import services as surveys
from surveys import tasks
from surveys.models.scores import ScoreSnapshot
from surveys.scoring import runs
from surveys.tests.conftest import acme, answer, answered_round, close, open_results_round, staffed  # noqa: F401
from teamhub.celery import app
from teamhub.lib.testing import require
from teams.tests.factories import TeamFactory, ValueFactory
from tests.test_celery_worker import _test_database_url
from work import services as work

# transaction=True: the workers must see committed rows, and on_commit must really fire.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 120  # a deadline only: a busy machine (tests run two at a time) is slow
POLL_SECONDS = 0.05
FAULT_REDIS_PORT = 6391
SWEEP_SECONDS = 15  # the outage test's sweep interval (production: 60)

SUCCEEDED = re.compile(r"^Task (?P<name>[\w.]+)\[(?P<id>[\w-]+)\] succeeded in [\d.e-]+s: (?P<result>.*)$", re.S)


# --- Processes ----------------------------------------------------------------------------------


def _env(broker_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "teamhub.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEAMHUB_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": broker_url,
    }


class Process:
    """A child process (worker, beat or Redis), its output in a log file."""

    def __init__(self, name: str, log_path, command: list[str], env: dict | None = None):
        self.name, self.log_path, self.command, self.env = name, log_path, command, env
        self.process = None

    def start(self) -> "Process":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self

    def text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def messages(self) -> list[str]:
        """The log's messages: JSON lines' ``message``, other lines as they are."""
        found = []
        for line in self.text().splitlines():
            try:
                found.append(json.loads(line)["message"])
            except (ValueError, KeyError, TypeError):
                found.append(line)
        return found

    def log(self) -> str:
        return f"--- {self.name} log ({self.log_path}) ---\n{self.text()[-6000:]}"

    def children(self) -> list[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as handle:
            return [int(pid) for pid in handle.read().split()]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_for(condition, what: str, *processes: Process, seconds: float = WAIT_SECONDS):
    """Poll ``condition`` until it holds (returns its value); fail early if a process dies."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.process.poll() is not None:
                logs = "\n".join(p.log() for p in processes)
                pytest.fail(f"{process.name} exited ({process.process.returncode}) before {what}.\n{logs}")
        if time.monotonic() > deadline:
            pytest.fail(f"No {what} after {seconds} s.\n" + "\n".join(p.log() for p in processes))
        time.sleep(POLL_SECONDS)


def worker(tmp_path, broker_url: str, *, concurrency: int = 1, name: str = "worker") -> Process:
    command = [
        *(sys.executable, "-m", "celery", "-A", "teamhub", "worker", "--loglevel", "info", "--queues", "scores"),
        *("--pool", "prefork", "--concurrency", str(concurrency)),
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
        *("--hostname", f"faults-{uuid.uuid4().hex[:8]}@%h"),
    ]
    return Process(name, tmp_path / f"{name}.log", command, _env(broker_url))


# A real ``celery beat`` with the score jobs on short intervals (every other job left out).
BEAT_SCRIPT = """
import sys
from teamhub.celery import app
app.conf.beat_schedule = {
    "sweep-dirty-scores": {"task": "scores.sweep", "schedule": float(sys.argv[2])},
    "repair-scores-nightly": {"task": "scores.recompute_all_nightly", "schedule": float(sys.argv[3])},
}
app.start(["beat", "--loglevel", "info", "--scheduler", "celery.beat:PersistentScheduler", "-s", sys.argv[1]])
"""


def beat(tmp_path, broker_url: str, *, sweep: float, nightly: float, name: str = "beat") -> Process:
    command = [sys.executable, "-c", BEAT_SCRIPT, str(tmp_path / f"{name}-schedule"), str(sweep), str(nightly)]
    return Process(name, tmp_path / f"{name}.log", command, _env(broker_url))


def ready(process: Process) -> bool:
    return any(message.endswith(" ready.") for message in process.messages())


def results(process: Process, task_name: str) -> list:
    """The return values of the worker's successful runs of ``task_name``, in order."""
    found = []
    for message in process.messages():
        match = SUCCEEDED.match(message)
        if match and match["name"] == task_name:
            found.append(ast.literal_eval(match["result"]))
    return found


def sent(process: Process, entry: str) -> int:
    return sum(f"Sending due task {entry} " in message for message in process.messages())


# --- Data and comparison ------------------------------------------------------------------------


def rows(organization) -> dict:
    """The organisation's snapshots by key, without when they were computed."""
    return {
        (s.scope_type, s.scope_id, s.metric, s.granularity, s.period_start): (
            s.value,
            s.sample_size,
            s.suppressed,
            s.components,
        )
        for s in ScoreSnapshot.objects.filter(organization=organization)
    }


class _RollBack(Exception):
    pass


def clean_rows(organization) -> dict:
    """What a clean full recompute from nothing writes, computed in a transaction that is
    then rolled back (the stored rows stay as the workers left them)."""
    computed = {}
    try:
        with transaction.atomic():
            ScoreSnapshot.objects.filter(organization=organization).delete()
            runs.recompute_all(organization.pk)
            computed = rows(organization)
            raise _RollBack
    except _RollBack:
        pass
    return computed


def one_row_per_key(organization) -> bool:
    keys = ("scope_type", "scope_id", "metric", "granularity", "period_start")
    return not (
        ScoreSnapshot.objects.filter(organization=organization)
        .values(*keys)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )


def feedback_weekly(p, weeks: int, *, org=None, prefix="w"):
    """One NPS answer a week for ``weeks`` weeks back from today, on an account of
    Support (or of ``org``'s own)."""
    org = org or p.org
    team = p.support if org == p.org else TeamFactory(organization=org, name="Globex support")
    account = CustomerAccountFactory(organization=org, owning_team=team)
    actor = p.admin if org == p.org else p.outsider
    now = timezone.now()
    for n in range(weeks):
        surveys.feedback_record(
            actor=actor,
            account=account,
            score=n % 11,
            channel="api",
            external_id=f"{prefix}{n}",
            received_at=now - dt.timedelta(weeks=n),
        )


@pytest.fixture
def broker():
    """The configured broker, reachable (a failure under CI=true), every queue empty."""
    with app.connection_for_write() as conn:
        try:
            conn.ensure_connection(max_retries=1)
        except Exception as exc:  # any failure to connect means "not here"
            require(False, f"Celery broker not reachable at {conn.as_uri()}: {exc}")
    app.control.purge()
    yield settings.CELERY_BROKER_URL
    app.control.purge()


@pytest.fixture
def no_repairs_noted(staffed):  # noqa: F811
    keys = [f"scores.repaired:{tasks._night().isoformat()}:{org.pk}" for org in (staffed.org, staffed.other_org)]
    from django.core.cache import cache

    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def processes():
    """Every process a test starts, stopped at the end whatever happens."""
    started = []
    yield started
    for process in reversed(started):
        process.stop()


# --- (a) Redis stopped while people save --------------------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def fault_redis(tmp_path, processes, monkeypatch):
    """A Redis of the test's own (port 6391, nothing kept on disk) that the test may stop
    and start; this process's Celery sends through it meanwhile."""
    server = shutil.which("redis-server")
    require(server is not None, "redis-server is not installed: the Redis outage test needs its own Redis")
    require(_port_free(FAULT_REDIS_PORT), f"Port {FAULT_REDIS_PORT} is taken: the outage test needs it for its Redis")
    command = [server, "--port", str(FAULT_REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--dir", str(tmp_path)]
    redis = Process("redis", tmp_path / "redis.log", command)

    def start():
        redis.start()
        wait_for(lambda: _redis_up(FAULT_REDIS_PORT), "Redis answering", redis, seconds=20)

    def stop():
        redis.stop()
        assert not _redis_up(FAULT_REDIS_PORT)

    redis.up, redis.down = start, stop
    redis.url = f"redis://127.0.0.1:{FAULT_REDIS_PORT}/0"
    start()
    processes.append(redis)
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)
    sending = Celery("teamhub-faults", set_as_current=False)
    sending.config_from_object("django.conf:settings", namespace="CELERY")
    sending.conf.broker_url = redis.url
    sending.conf.broker_transport_options = {"visibility_timeout": settings.BROKER_VISIBILITY_TIMEOUT}
    sending.set_current()
    try:
        yield redis
    finally:
        app.set_current()
        sending.close()


def test_a_redis_outage_fails_no_save_and_the_sweep_catches_up(staffed, fault_redis, processes, tmp_path, caplog):  # noqa: F811
    p = staffed  # Acme: Support 7, Sales 6, Tiny 2 (surveys/tests/conftest.py)
    round_ = open_results_round(p)
    for person in p.sales_people:
        answer(round_, person, {"engagement.proud": 3, "engagement.motivated": 2, "collaboration.help": 5, "enps": 7})
    kindness = ValueFactory(organization=p.org)
    runs.recompute_all(p.org.pk)  # the baseline: everything computed, nothing marked
    DirtyScope.objects.all().delete()
    before = rows(p.org)

    the_worker = worker(tmp_path, fault_redis.url).start()
    the_beat = beat(tmp_path, fault_redis.url, sweep=SWEEP_SECONDS, nightly=24 * 3600).start()
    processes += [the_worker, the_beat]
    wait_for(lambda: ready(the_worker), "worker ready", the_worker)
    wait_for(lambda: any("beat: Starting" in m for m in the_beat.messages()), "beat started", the_beat)

    fault_redis.down()
    caplog.set_level(logging.ERROR, logger="outbox.services")
    durations = []
    for person in p.support_people:
        started = time.monotonic()
        answer(round_, person, {"engagement.proud": 5, "engagement.motivated": 4, "collaboration.help": 4, "enps": 9})
        durations.append(time.monotonic() - started)
    for title in ("Renewed early", "Saved the launch"):
        started = time.monotonic()
        work.win_create(actor=p.eve, title=title, values=[kindness])
        durations.append(time.monotonic() - started)
    # The round closes while Redis is still away: its answers are what it brings to the
    # scores (an open round's answers count once it has closed).
    started = time.monotonic()
    close(round_)
    durations.append(time.monotonic() - started)
    marked = DirtyScope.objects.filter(organization=p.org).count()
    assert marked > 0  # every save committed, with its marks
    refused = [r for r in caplog.records if r.getMessage().startswith("Could not enqueue the score recompute")]
    # Each save that marks something tried its message, and it was refused (the answers
    # mark nothing: they wait for the round's closing).
    assert len(refused) == len(durations) - len(p.support_people)
    assert rows(p.org) == before  # and nothing recomputed while the broker was away

    fault_redis.up()
    back = time.monotonic()
    # Caught up: the marks consumed and the sweep that consumed them finished (its result
    # is logged a moment after its transaction deleted the marks).
    wait_for(
        lambda: (
            not DirtyScope.objects.filter(organization=p.org).exists()
            and any(p.org.pk in s.get("organizations", []) for s in results(the_worker, "scores.sweep"))
        ),
        "marks consumed after Redis returned",
        the_worker,
        the_beat,
    )
    caught_up = time.monotonic() - back
    sweeps = results(the_worker, "scores.sweep")
    the_beat.stop()
    the_worker.stop()

    print(
        f"\n[outage] {len(durations)} saves with Redis down all succeeded ({len(refused)} messages refused, "
        f"slowest save {max(durations):.2f} s, {marked} marks left); Redis back -> scores caught up in "
        f"{caught_up:.1f} s (sweep every {SWEEP_SECONDS} s); sweeps that did work: "
        f"{[s for s in sweeps if s.get('marks')]}"
    )
    assert caught_up <= 2 * SWEEP_SECONDS, f"caught up in {caught_up:.1f} s\n{the_worker.log()}"
    assert any(p.org.pk in s.get("organizations", []) for s in sweeps)
    after = rows(p.org)
    assert after != before
    assert after == clean_rows(p.org)


# --- (b) A worker killed mid-recompute ----------------------------------------------------------


def test_a_worker_killed_mid_recompute_runs_it_again_to_the_same_snapshots(
    staffed,  # noqa: F811
    broker,
    no_repairs_noted,
    processes,
    tmp_path,
):
    p = staffed  # Acme: Support 7, Sales 6, Tiny 2 (surveys/tests/conftest.py)
    feedback_weekly(p, 4 * 52)  # four years: some 270 periods, ten chunks of 26
    DirtyScope.objects.all().delete()
    app.control.purge()
    total_periods = len(runs.all_periods(p.org))

    the_worker = worker(tmp_path, broker).start()
    processes.append(the_worker)
    wait_for(lambda: ready(the_worker), "worker ready", the_worker)
    message = tasks.recompute_all_nightly.apply_async()

    progress = re.compile(rf"Scores repair: organisation {p.org.pk}, (\d+) of (\d+) periods$")

    def part_done():
        return [m for m in the_worker.messages() if (hit := progress.search(m)) and hit[1] != hit[2]]

    wait_for(part_done, "a first part of the repair", the_worker)
    children = the_worker.children()
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)
    killed_after = part_done()[-1]
    assert not results(the_worker, "scores.recompute_all_nightly"), "finished before it could be killed"

    repaired = wait_for(lambda: results(the_worker, "scores.recompute_all_nightly"), "the repair run again", the_worker)
    lost = [m for m in the_worker.messages() if "WorkerLostError" in m or "SIGKILL" in m]
    the_worker.stop()

    print(
        f"\n[sigkill] repair {message.id} of {total_periods} periods: child {children[0]} killed after "
        f"“{killed_after}”; worker said: {lost[:1]}; run again -> {repaired}"
    )
    assert lost
    assert repaired == [{"night": tasks._night().isoformat(), "organizations": sorted([p.org.pk, p.other_org.pk])}]
    assert one_row_per_key(p.org)
    assert rows(p.org) == clean_rows(p.org) != {}


# --- (c) The same recompute five times at once --------------------------------------------------


def test_the_same_recompute_delivered_five_times_at_once_writes_one_identical_row_per_key(
    answered_round,  # noqa: F811
    staffed,  # noqa: F811
    broker,
    processes,
    tmp_path,
):
    p = staffed  # Acme: Support 7, Sales 6, Tiny 2 (surveys/tests/conftest.py)
    marks = DirtyScope.objects.filter(organization=p.org).count()
    assert marks > 0
    app.control.purge()  # the answers' own messages: only the five below are delivered
    task_id = str(uuid.uuid4())
    for _ in range(5):
        tasks.recompute_dirty.apply_async(args=(p.org.pk,), task_id=task_id)

    the_worker = worker(tmp_path, broker, concurrency=5).start()
    processes.append(the_worker)
    consumed = wait_for(
        lambda: (done := results(the_worker, "scores.recompute_dirty")) and len(done) == 5 and done,
        "five runs of the recompute",
        the_worker,
    )
    the_worker.stop()

    print(
        f"\n[five at once] {marks} marks; the five runs consumed {consumed} "
        "(each run that found the marks recomputed them, at the same time)"
    )
    assert sum(consumed) >= marks and any(consumed)
    assert not DirtyScope.objects.filter(organization=p.org).exists()
    assert one_row_per_key(p.org)
    assert rows(p.org) == clean_rows(p.org) != {}


# --- (d) Two beat processes ---------------------------------------------------------------------


def test_two_beat_processes_get_each_periodic_job_done_once(
    staffed,  # noqa: F811
    broker,
    no_repairs_noted,
    processes,
    tmp_path,
):
    p = staffed  # Acme: Support 7, Sales 6, Tiny 2 (surveys/tests/conftest.py)
    feedback_weekly(p, 12)
    feedback_weekly(p, 6, org=p.other_org, prefix="g")
    marks = Counter(DirtyScope.objects.values_list("organization_id", flat=True))
    app.control.purge()  # as if every on-commit message were lost: only the sweeps remain

    the_worker = worker(tmp_path, broker, concurrency=2).start()
    processes.append(the_worker)
    wait_for(lambda: ready(the_worker), "worker ready", the_worker)
    beats = [beat(tmp_path, broker, sweep=2, nightly=3, name=f"beat-{n}") for n in (1, 2)]
    for one in beats:
        processes.append(one.start())

    def each_beat_sent_enough():
        return all(sent(b, "sweep-dirty-scores") >= 3 and sent(b, "repair-scores-nightly") >= 2 for b in beats)

    wait_for(each_beat_sent_enough, "each beat sending each job several times", the_worker, *beats)
    for one in beats:
        one.stop()
    sweeps_sent = sum(sent(b, "sweep-dirty-scores") for b in beats)
    repairs_sent = sum(sent(b, "repair-scores-nightly") for b in beats)
    wait_for(
        lambda: (
            len(results(the_worker, "scores.sweep")) >= sweeps_sent
            and len(results(the_worker, "scores.recompute_all_nightly")) >= repairs_sent
        ),
        "every message sent handled",
        the_worker,
    )
    sweeps = results(the_worker, "scores.sweep")
    repairs = results(the_worker, "scores.recompute_all_nightly")
    the_worker.stop()

    swept = Counter(pk for s in sweeps for pk in s.get("organizations", []))
    repaired = Counter(pk for r in repairs for pk in r.get("organizations", []))
    print(
        f"\n[two beats] sweeps sent {sweeps_sent}: {sum(1 for s in sweeps if s.get('marks'))} did work, "
        f"{sum(1 for s in sweeps if s.get('skipped'))} found the lock held, the rest found nothing; "
        f"organisations swept {dict(swept)} ({sum(marks.values())} marks, {sum(s.get('marks', 0) for s in sweeps)} "
        f"consumed). Repairs sent {repairs_sent}: organisations repaired {dict(repaired)}"
    )
    assert swept == Counter(marks.keys())  # each organisation's marks recomputed by one sweep
    assert sum(s.get("marks", 0) for s in sweeps) == sum(marks.values())
    assert not DirtyScope.objects.exists()
    assert repaired == Counter({p.org.pk: 1, p.other_org.pk: 1})  # one repair each, this night
