"""The weekly digest goes once per person and week with two beat processes: real
``celery beat`` processes both sending "dashboards.send_digests" every second, a real
worker on the "notifications" queue running it and the e-mails it queues, on the
configured broker (the filesystem broker on the embedded default, Redis in CI).

The worker's clock is the real one, so the digest is made due by the preferences: each
person's day and hour are set to the current hour of their organisation's time zone
(Acme in Tokyo, Globex in New York), which keeps it due for the next six hours.

It prints what it observed (run with ``-s``). Waiting is for a condition, with a timeout.
"""

import sys
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboards.models import DigestSent
from dashboards.services import digest as services
from notifications.models import Delivery
from teamhub.celery import app
from teams.tests.factories import TeamFactory, TeamMembershipFactory
from tests.test_faults_scores import (  # noqa: F401 (broker and processes are fixtures)
    Process,
    _env,
    broker,
    processes,
    ready,
    results,
    sent,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BEAT_SCRIPT = """
import sys
from teamhub.celery import app
app.conf.beat_schedule = {"send-weekly-digests": {"task": "dashboards.send_digests", "schedule": float(sys.argv[2])}}
app.start(["beat", "--loglevel", "info", "--scheduler", "celery.beat:PersistentScheduler", "-s", sys.argv[1]])
"""


def worker(tmp_path, broker_url: str) -> Process:
    command = [
        *(sys.executable, "-m", "celery", "-A", "teamhub", "worker", "--loglevel", "info"),
        *("--queues", "notifications", "--pool", "prefork", "--concurrency", "2"),
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
        *("--hostname", f"digest-{uuid.uuid4().hex[:8]}@%h"),
    ]
    return Process("worker", tmp_path / "worker.log", command, _env(broker_url))


def beat(tmp_path, broker_url: str, name: str) -> Process:
    command = [sys.executable, "-c", BEAT_SCRIPT, str(tmp_path / f"{name}-schedule"), "1"]
    return Process(name, tmp_path / f"{name}.log", command, _env(broker_url))


def _due_now(membership, zone: str, *, enabled=True) -> None:
    local = timezone.now().astimezone(ZoneInfo(zone))
    services.digest_preference_set(actor=membership, enabled=enabled, weekday=local.weekday(), hour=local.hour)


@pytest.fixture
def due(personas):
    """Bob manages Support, Charlie is on it and opted in, Alice (admin) gets every
    team; Globex's admin manages Globex support. All due this hour; Dan, on Support,
    did not opt in."""
    p = personas
    p.org.timezone, p.other_org.timezone = "Asia/Tokyo", "America/New_York"
    p.org.save(update_fields=["timezone"])
    p.other_org.save(update_fields=["timezone"])
    support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    TeamMembershipFactory(team=support, membership=p.member)
    p.dan = TeamMembershipFactory(team=support, membership__organization=p.org).membership
    TeamFactory(organization=p.other_org, name="Globex support", managers=[p.outsider])
    for person in (p.manager, p.member, p.admin):
        _due_now(person, "Asia/Tokyo")
    _due_now(p.outsider, "America/New_York")
    p.expected = {p.manager.pk, p.member.pk, p.admin.pk, p.outsider.pk}
    return p


def test_two_beat_processes_deliver_each_digest_once(due, broker, processes, tmp_path):  # noqa: F811
    p = due
    app.control.purge()
    the_worker = worker(tmp_path, broker).start()
    processes.append(the_worker)
    wait_for(lambda: ready(the_worker), "worker ready", the_worker)
    beats = [beat(tmp_path, broker, f"beat-{n}") for n in (1, 2)]
    for one in beats:
        processes.append(one.start())

    wait_for(
        lambda: all(sent(b, "send-weekly-digests") >= 3 for b in beats),
        "each beat sending the digest job three times",
        the_worker,
        *beats,
    )
    for one in beats:
        one.stop()
    runs_sent = sum(sent(b, "send-weekly-digests") for b in beats)
    wait_for(
        lambda: len(results(the_worker, "dashboards.send_digests")) >= runs_sent,
        "every digest run handled",
        the_worker,
    )
    pending = Delivery.objects.filter(kind="weekly_digest").exclude(status=Delivery.Status.SENT)
    wait_for(
        lambda: Delivery.objects.filter(kind="weekly_digest").count() >= len(p.expected) and not pending.exists(),
        "every digest e-mail sent",
        the_worker,
    )
    runs = results(the_worker, "dashboards.send_digests")
    delivered = list(results(the_worker, "notifications.deliver"))
    the_worker.stop()

    deliveries = Counter(
        Delivery.objects.filter(kind="weekly_digest", status=Delivery.Status.SENT).values_list(
            "recipient_id", flat=True
        )
    )
    claimed = Counter(DigestSent.objects.values_list("membership_id", flat=True))
    print(
        f"\n[digest, two beats] runs sent {runs_sent} ({[sent(b, 'send-weekly-digests') for b in beats]} per beat): "
        f"{sum(1 for r in runs if r.get('sent'))} sent digests ({sum(r.get('sent', 0) for r in runs)} in all), "
        f"{sum(1 for r in runs if r.get('skipped'))} found the lock held, the rest found nothing due; "
        f"digest rows per person {dict(claimed)}; e-mails sent per person {dict(deliveries)}; "
        f"deliver tasks run {len(delivered)}"
    )
    assert sum(r.get("sent", 0) for r in runs) == len(p.expected)
    assert deliveries == Counter(dict.fromkeys(p.expected, 1))  # exactly one e-mail each
    assert claimed == Counter(dict.fromkeys(p.expected, 1))
    assert p.dan.pk not in deliveries
