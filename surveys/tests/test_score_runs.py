"""An admin's "recompute now": the run (one at a time per organisation), the task that
recomputes every period and records its progress, the API (POST …/scores/recompute/,
GET …/scores/recompute/{id}/) and the page under Admin with its self-updating bar."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from surveys import services
from surveys.models import ScoreRun, ScoreSnapshot
from surveys.scoring import engine, runs
from surveys.tasks import recompute_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_source():
    """Add a source of figures to the engine for one test (the engine's own extension
    point): ``extra_source(fn)``."""
    added = []

    def add(source):
        engine.register_source(source)
        added.append(source)

    yield add
    for source in added:
        engine.SOURCES.remove(source)


def test_an_admin_queues_one_run_and_a_second_request_gets_the_same(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        run, new = services.score_recompute_request(actor=personas.admin)
    assert new and run.status == ScoreRun.Status.QUEUED and run.requested_by == personas.admin
    assert len(sent) == 1  # the task, once the run is committed
    with django_capture_on_commit_callbacks() as sent_again:
        again, new = services.score_recompute_request(actor=personas.admin)
    assert (again.pk, new, len(sent_again)) == (run.pk, False, 0)
    # Another organisation runs its own.
    theirs, new = services.score_recompute_request(actor=personas.outsider)
    assert new and theirs.pk != run.pk


def test_a_run_whose_message_was_lost_is_sent_again_when_asked_again(personas, django_capture_on_commit_callbacks):
    services.score_recompute_request(actor=personas.admin)
    with django_capture_on_commit_callbacks() as sent:
        services.score_recompute_request(actor=personas.admin, now=timezone.now() + dt.timedelta(minutes=2))
    assert len(sent) == 1 and ScoreRun.objects.count() == 1


def test_only_admins_ask_for_a_recompute(personas):
    for persona in (personas.manager, personas.member):
        with pytest.raises(PermissionDenied):
            services.score_recompute_request(actor=persona)
    assert not ScoreRun.objects.exists()


def test_the_database_refuses_two_active_runs_of_one_organisation(personas):
    ScoreRun.objects.create(organization=personas.org, status=ScoreRun.Status.RUNNING)
    ScoreRun.objects.create(organization=personas.org, status=ScoreRun.Status.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreRun.objects.create(organization=personas.org)


def test_the_task_recomputes_every_period_recording_progress_as_it_goes(answered_round, staffed, extra_source):
    org = staffed.org
    run, _ = services.score_recompute_request(actor=staffed.admin)
    seen = []

    def watch(organization, granularity, start, end):
        seen.append(ScoreRun.objects.values_list("status", "done", "total").get(pk=run.pk))
        return []

    extra_source(watch)
    result = recompute_now(run.pk)

    run.refresh_from_db()
    periods = len(runs.all_periods(org))
    assert result == {"run": run.pk, "status": "done"}
    assert (run.status, run.done, run.total, run.percent) == ("done", periods, periods, 100)
    assert run.started_at <= run.finished_at and run.error == ""
    assert run.written == ScoreSnapshot.objects.filter(organization=org).count() > 0
    assert {status for status, _, _ in seen} == {"running"}
    assert seen[0][1] == 0  # progress told as it went, not only at the end
    assert sorted(done for _, done, _ in seen) == [done for _, done, _ in seen]


def test_a_message_delivered_again_after_a_lost_worker_runs_again_and_a_finished_run_is_left(answered_round, staffed):
    run = ScoreRun.objects.create(organization=staffed.org, status=ScoreRun.Status.RUNNING, done=1, total=9)
    recompute_now(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.done == run.total
    finished_at = run.finished_at
    snapshots = list(ScoreSnapshot.objects.order_by("pk").values_list("pk", "computed_at"))
    recompute_now(run.pk)  # a duplicate message
    run.refresh_from_db()
    assert run.finished_at == finished_at
    assert list(ScoreSnapshot.objects.order_by("pk").values_list("pk", "computed_at")) == snapshots


def test_a_failing_recompute_marks_the_run_failed_and_the_next_request_starts_anew(
    answered_round, staffed, extra_source
):
    def broken(organization, granularity, start, end):
        raise RuntimeError("the source is unreachable")

    extra_source(broken)
    run, _ = services.score_recompute_request(actor=staffed.admin)
    assert recompute_now(run.pk)["status"] == "failed"
    run.refresh_from_db()
    assert run.error == "RuntimeError: the source is unreachable" and run.finished_at
    again, new = services.score_recompute_request(actor=staffed.admin)
    assert new and again.pk != run.pk


# --- The API ------------------------------------------------------------------------------


def test_the_api_queues_a_run_answers_the_same_while_it_runs_and_shows_progress(personas, api_client_for):
    admin = api_client_for(personas.admin)
    base = f"/api/v1/orgs/{personas.org.slug}/scores/recompute/"
    first = admin.post(base)
    assert first.status_code == 202, first.content
    body = first.json()
    assert (body["status"], body["percent"], body["requested_by"]["id"]) == ("queued", 0, personas.admin.pk)
    assert admin.post(base).json()["id"] == body["id"]
    recompute_now(body["id"])  # nothing to recompute yet: done at once
    progress = admin.get(f"{base}{body['id']}/").json()
    assert (progress["status"], progress["percent"], progress["total"]) == ("done", 100, 0)
    for persona in (personas.manager, personas.member):
        client = api_client_for(persona)
        assert client.post(base).status_code == 403
        assert client.get(f"{base}{body['id']}/").status_code == 403
    theirs = api_client_for(personas.outsider)
    other_base = f"/api/v1/orgs/{personas.other_org.slug}/scores/recompute/"
    assert theirs.get(f"{other_base}{body['id']}/").status_code == 404
    assert theirs.post(base).status_code == 404


# --- The page -----------------------------------------------------------------------------


def test_the_page_shows_an_empty_state_then_the_bar_while_running_and_the_last_runs(personas, client_for):
    admin = client_for(personas.admin)
    page = admin.get("/configure/scores/")
    assert page.status_code == 200
    assert b"No recompute yet" in page.content and b"Recompute now" in page.content
    response = admin.post("/configure/scores/recompute/")
    assert response.status_code == 302 and response["Location"] == "/configure/scores/"
    run = ScoreRun.objects.get()
    ScoreRun.objects.filter(pk=run.pk).update(status="running", done=3, total=12)
    html = admin.get("/configure/scores/").content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="25"' in html
    assert "3 of 12 periods" in html and f'hx-get="/configure/scores/runs/{run.pk}/"' in html
    fragment = admin.get(f"/configure/scores/runs/{run.pk}/").content.decode()
    assert 'aria-valuenow="25"' in fragment and "hx-trigger" in fragment
    ScoreRun.objects.filter(pk=run.pk).update(status="done", done=12, written=80)
    fragment = admin.get(f"/configure/scores/runs/{run.pk}/").content.decode()
    assert 'aria-valuenow="100"' in fragment and "hx-trigger" not in fragment  # it stops polling
    assert "80 scores written" in fragment
    assert client_for(personas.manager).get("/configure/scores/").status_code == 403
    assert client_for(personas.member).get(f"/configure/scores/runs/{run.pk}/").status_code == 403
    assert client_for(personas.outsider).get(f"/configure/scores/runs/{run.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_five_requests_at_once_make_one_run(personas):
    """Each in its own thread and database connection, released together."""
    start, results = threading.Barrier(5), []

    def ask():
        start.wait()
        try:
            results.append(services.score_recompute_request(actor=personas.admin))
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    run = ScoreRun.objects.get()
    assert [(found.pk, new) for found, new in sorted(results, key=lambda r: not r[1])] == [(run.pk, True)] + [
        (run.pk, False)
    ] * 4
