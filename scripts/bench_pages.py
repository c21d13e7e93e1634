"""Benchmark the dashboard pages (issue 13, point 10): on the scores benchmark's large
organisation, served by gunicorn over real HTTP, the p50 and p95 of the manager dashboard,
the organisation view, the silo map, an account health page, the accounts-at-risk list
and the meeting brief, cold and warm, against a p95 of 150 ms warm for each.

The organisation is scripts/bench_scores.py's (10,000 members, 600 teams, 50,000
accounts, 1,000,000 answers …), made by its generator, which **empties every TeamHub
table first** (PostgreSQL only, a database name with "bench" in it). Its scores come from
one in-process ``recompute_all`` rather than bench_scores' worker run: the pages need
snapshots, not the worker's timing (then ANALYZE, as the generator's ran before any
snapshot existed). Both are skipped when the organisation and its
snapshots are already there, so later runs reuse them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/teamhub_bench \
    CACHE_URL=redis://127.0.0.1:6379/5 CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \
    .venv/bin/python scripts/bench_pages.py             # generate if needed, then measure
    ... scripts/bench_pages.py --generate               # generate again even if present
    ... scripts/bench_pages.py --warm 50 --cold 3       # more warm samples, fewer cold ones
    ... scripts/bench_pages.py --page brief --page silos  # some pages only
    ... scripts/bench_pages.py --jit-off                # PostgreSQL's JIT off for the server

Who looks: the generator's membership 2, made manager of six teams (1-6; it manages
team 1 only as generated), reads every page but the organisation view, which the admin
(membership 1) reads; the account health page is of the account of those teams with
the most NPS feedback. Both get a known password here and log in through /login/ with
its CSRF token, keeping the session cookie (sessions live in the database, so they
outlive a restart of the server).

The server: ``gunicorn teamhub.wsgi`` on 127.0.0.1:8765 with 2 workers of 4 threads
(the Dockerfile's worker class, fewer workers), the project's gunicorn.conf.py, and
TEAMHUB_ENV=development with DEBUG off. Production settings would refuse plain HTTP
(HTTPS redirect, secure-only cookies); development differs from them only in those, in
the secret key's source and in serving static files through finders, none of which the
measured pages touch. The database, cache and broker are the environment's (PostgreSQL,
Redis), with persistent database connections as in production. PostgreSQL's JIT compiles
any query its planner costs above ``jit_above_cost``, which on this organisation cost
seconds per request: TeamHub's settings now turn it off on their connections (a
DATABASE_URL with ``?options=-c jit=on`` measures it on); ``--jit-off`` also sets
``PGOPTIONS=-c jit=off`` for older settings. The run prints which setting it measured.

What is measured: the time from sending a GET to having read the whole body, in this
process, one request at a time; anything but a 200 stops the run.

* **cold**: for each page, ``--cold`` times: stop gunicorn, clear the cache (the Redis
  database of CACHE_URL), start gunicorn and wait until both workers have loaded the
  application (gunicorn's post_worker_init hook), then time the page's first request.
  It pays what a fresh worker pays once: the URL configuration and the views' imports,
  template compilation, the database connection. PostgreSQL's buffers and the
  operating system's page cache stay warm: this is cold for the application, not for the
  machine.
* **warm**: per page, after its cold samples, a gunicorn started afresh on an empty cache,
  ``--warmup`` untimed requests (enough for both workers to have served the page), then
  ``--warm`` timed ones.

p50 and p95 are nearest-rank percentiles of those samples (with 5 cold samples, the p95
is the slowest). Each page has ``--budget`` seconds per phase: once spent, it gets no
more samples (marked ``*``), and a request unanswered by then is a timeout, after which
that server is killed (a worker would go on rendering and slow the next page).
Afterwards each page that answered is rendered once more in-process by Django's test
client to count its SQL queries and their time. Prints figures with the target; asserts
nothing.
"""

import argparse
import http.cookiejar
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
# Importing the scores benchmark sets Django up (its settings, this checkout's code).
import bench_scores  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Membership, Organization  # noqa: E402
from customers.models import CustomerAccount  # noqa: E402
from surveys.models import ScoreSnapshot  # noqa: E402
from surveys.scoring.runs import recompute_all  # noqa: E402
from teams.models import Team  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
WORKERS, THREADS = 2, 4
TARGET_MS = 150.0
# The bench organisation's two readers only, set by this script on its own database.
PASSWORD = "bench-pages-password-0123"  # noqa: S105
ADMIN_ID, MANAGER_ID = 1, 2  # the generator's admin and the manager of team 1
MANAGED_TEAMS = 6
VAR_DIR = Path(os.environ.get("TEAMHUB_VAR_DIR", ROOT / "var"))
READY_DIR = VAR_DIR / "bench-pages-ready"
GUNICORN_CONF = VAR_DIR / "bench-pages-gunicorn.conf.py"
GUNICORN_LOG = VAR_DIR / "bench-pages-gunicorn.log"
# The project's gunicorn.conf.py, plus a hook telling this script a worker is ready.
HOOK = f"""\
exec(compile(open({str(ROOT / "gunicorn.conf.py")!r}).read(), "gunicorn.conf.py", "exec"))


def post_worker_init(worker):
    open({str(READY_DIR)!r} + "/" + str(worker.pid), "w").close()
"""


@dataclass
class Page:
    key: str
    label: str
    path: str
    reader: str  # "manager" or "admin"


# --- The organisation and its readers ------------------------------------------------------


def prepare(regenerate: bool) -> Organization:
    bench_scores.refuse_unless_bench_database()
    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(slug="bench").first()
    if regenerate or organization is None:
        bench_scores.generate()
        organization = Organization.objects.get(slug="bench")
    if not ScoreSnapshot.objects.filter(organization=organization).exists():
        started = time.perf_counter()
        print("Recomputing every score in-process (once; later runs reuse them) …", flush=True)
        written = recompute_all(organization.pk)
        print(f"  {written:,} snapshots in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the generator's ANALYZE saw no snapshots yet
    return organization


def readers(organization: Organization) -> dict[str, Membership]:
    """The admin and a manager of several teams, each with a password to log in with."""
    admin = Membership.objects.select_related("user").get(pk=ADMIN_ID, organization=organization)
    manager = Membership.objects.select_related("user").get(pk=MANAGER_ID, organization=organization)
    manager.managed_teams.add(*Team.objects.filter(organization=organization).order_by("pk")[:MANAGED_TEAMS])
    for membership in (admin, manager):
        if not membership.user.check_password(PASSWORD):
            membership.user.set_password(PASSWORD)
            membership.user.save(update_fields=["password"])
    return {"admin": admin, "manager": manager}


def busiest_account(manager: Membership) -> CustomerAccount:
    """The account of the manager's teams with the most NPS feedback."""
    return (
        CustomerAccount.objects.filter(owning_team__in=manager.managed_teams.all())
        .annotate(feedback=Count("nps_feedback"))
        .order_by("-feedback", "pk")
        .first()
    )


def pages(account: CustomerAccount) -> list[Page]:
    return [
        Page("manager", "Manager dashboard", "/dashboard/", "manager"),
        Page("organization", "Organisation view", "/dashboard/organization/", "admin"),
        Page("silos", "Silo map", "/dashboard/silos/", "manager"),
        Page("health", f"Account health (#{account.pk})", f"/dashboard/accounts/{account.pk}/health/", "manager"),
        Page("at_risk", "Accounts at risk", "/dashboard/accounts/at-risk/", "manager"),
        Page("brief", "Meeting brief", "/dashboard/brief/", "manager"),
    ]


# --- The server --------------------------------------------------------------------------------


def server_environment() -> dict:
    environment = {**os.environ, "TEAMHUB_ENV": "development", "DEBUG": "false", "PYTHONPATH": str(ROOT)}
    environment["ALLOWED_HOSTS"] = HOST
    return environment


def start_server() -> subprocess.Popen:
    READY_DIR.mkdir(parents=True, exist_ok=True)
    for marker in READY_DIR.iterdir():
        marker.unlink()
    GUNICORN_CONF.write_text(HOOK)
    log = GUNICORN_LOG.open("a")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "teamhub.wsgi",
            "--config",
            str(GUNICORN_CONF),
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=server_environment(),
        start_new_session=True,  # its own process group, which stop_server can end whole
    )
    deadline = time.monotonic() + 60
    while len(list(READY_DIR.iterdir())) < WORKERS:
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            sys.exit(f"gunicorn did not start: see {GUNICORN_LOG}")
        time.sleep(0.05)
    return server


def stop_server(server: subprocess.Popen, *, hard: bool = False) -> None:
    """Stop gunicorn; ``hard`` when a request may still be running: a worker busy
    rendering outlives its master's shutdown, so the whole process group goes."""
    if hard and server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
    elif server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    server.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page, say) is an answer to report, not follow


def log_in(membership: Membership) -> urllib.request.OpenerDirector:
    """A browser of one: the login form's CSRF token, then the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    form = opener.open(f"{BASE}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": membership.user.email, "password": PASSWORD}
    ).encode()
    try:
        opener.open(f"{BASE}/login/", data=body, timeout=30)
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    else:
        sys.exit(f"Logging in as {membership.user.email} failed: the form came back.")
    if not any(cookie.name == "sessionid" for cookie in jar):
        sys.exit(f"Logging in as {membership.user.email} set no session cookie.")
    return opener


class TooSlow(Exception):
    """A request still unanswered after the page's time budget."""


def timed_get(opener: urllib.request.OpenerDirector, path: str, timeout: float) -> float:
    """Milliseconds from sending the request to the body's last byte."""
    started = time.perf_counter()
    try:
        with opener.open(BASE + path, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as answer:
        status = answer.code
    except TimeoutError as error:
        raise TooSlow(path) from error
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        sys.exit(f"GET {path} answered {status}: see {GUNICORN_LOG}")
    return elapsed


# --- Measuring ---------------------------------------------------------------------------------


@dataclass
class Samples:
    times: list[float] = field(default_factory=list)
    cut_short: bool = False  # the budget ran out: fewer samples, or (no samples) a request timed out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure_cold(page: Page, opener, rounds: int, budget: float) -> Samples:
    """Each sample: a restarted gunicorn with an empty cache, and the page's first request."""
    samples, deadline = Samples(), time.monotonic() + budget
    for _ in range(rounds):
        if samples.times and time.monotonic() > deadline:
            samples.cut_short = True
            break
        cache.clear()
        server = start_server()
        try:
            samples.times.append(timed_get(opener, page.path, budget))
        except TooSlow:
            samples.cut_short = True
            break
        finally:
            stop_server(server, hard=samples.cut_short)
    return samples


def measure_warm(page: Page, opener, warmup: int, repeats: int, budget: float) -> tuple[Samples, bool]:
    """``warmup`` untimed requests, then ``repeats`` timed ones, within ``budget`` seconds.
    Returns the samples and whether a request was left running (the server must go)."""
    samples, deadline = Samples(), time.monotonic() + budget
    try:
        for _ in range(warmup):
            timed_get(opener, page.path, budget)
            if time.monotonic() > deadline:
                break
        for _ in range(repeats):
            if samples.times and time.monotonic() > deadline:
                samples.cut_short = True
                break
            samples.times.append(timed_get(opener, page.path, budget))
    except TooSlow:
        samples.cut_short = True
        return samples, True
    return samples, False


def count_queries(chosen: list[Page], members: dict[str, Membership]) -> dict[str, tuple[int, float]]:
    """Each page once more, in-process: its SQL queries and their total time (ms)."""
    clients = {}
    for reader, membership in members.items():
        clients[reader] = Client(SERVER_NAME=HOST)
        clients[reader].force_login(membership.user)
    counts = {}
    for page in chosen:
        with CaptureQueriesContext(connection) as queries:
            answer = clients[page.reader].get(page.path)
        if answer.status_code != 200:
            sys.exit(f"In-process GET {page.path} answered {answer.status_code}.")
        counts[page.key] = (len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return counts


def _cells(samples: Samples | None) -> str:
    if samples is None:
        return f"{'-':>9} {'-':>9}"
    if not samples.times:
        return f"{'timeout':>9} {'timeout':>9}"
    mark = "*" if samples.cut_short else " "
    return f"{percentile(samples.times, 0.5):8.0f}{mark} {percentile(samples.times, 0.95):8.0f}{mark}"


def report_line(page: Page, cold: Samples | None, warm: Samples, queries: tuple[int, float] | None) -> str:
    ok = bool(warm.times) and percentile(warm.times, 0.95) <= TARGET_MS
    sql = f"{queries[0]:>7} {queries[1]:7.0f}" if queries else f"{'-':>7} {'-':>7}"
    samples = f"n={len(cold.times) if cold else 0}/{len(warm.times)}"
    return f"{page.label:<28} {_cells(cold)} {_cells(warm)}  {sql}  {samples:<9} {'PASS' if ok else 'MISS'}"


def report(chosen: list[Page], cold: dict, warm: dict, queries: dict) -> None:
    heads = ("cold p50", "cold p95", "warm p50", "warm p95")
    print(f"\n{'page':<28} " + " ".join(f"{h:>9}" for h in heads) + f"  {'queries':>7} {'SQL ms':>7}  cold/warm")
    for page in chosen:
        print(report_line(page, cold.get(page.key), warm[page.key], queries.get(page.key)))
    print(
        f"ms, client-side, one request at a time; target: warm p95 <= {TARGET_MS:.0f} ms. * the page's time "
        "budget ran out (fewer samples); timeout: not one answer within it. Queries and SQL ms: one more "
        "in-process render (not done for a page that timed out)."
    )


def jit_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generate", action="store_true", help="generate the organisation again (empties the DB)")
    parser.add_argument("--cold", type=int, default=5, help="cold samples per page (default 5; 0: none)")
    parser.add_argument("--warm", type=int, default=30, help="warm samples per page (default 30)")
    parser.add_argument("--warmup", type=int, default=6, help="untimed requests per page before (default 6)")
    parser.add_argument("--budget", type=float, default=60, help="seconds per page and phase at most (default 60)")
    parser.add_argument("--page", action="append", help="only this page (repeatable): manager, organization, …")
    parser.add_argument("--jit-off", action="store_true", help="PostgreSQL JIT off for the server (PGOPTIONS)")
    args = parser.parse_args()
    if args.jit_off:
        os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c jit=off".strip()  # read by libpq

    organization = prepare(args.generate)
    members = readers(organization)
    account = busiest_account(members["manager"])
    chosen = [page for page in pages(account) if not args.page or page.key in args.page]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"{os.cpu_count()} CPUs; {connection.settings_dict['NAME']}: "
        f"{Membership.objects.filter(organization=organization).count():,} members, "
        f"{ScoreSnapshot.objects.filter(organization=organization).count():,} snapshots; PostgreSQL jit "
        f"{jit_setting()}; manager {members['manager'].user.email} of {members['manager'].managed_teams.count()} "
        f"teams, admin {members['admin'].user.email}; gunicorn {WORKERS} workers x {THREADS} threads on {BASE}",
        flush=True,
    )
    server = start_server()
    try:
        openers = {reader: log_in(membership) for reader, membership in members.items()}
    finally:
        stop_server(server)
    cold, warm = {}, {}
    for page in chosen:
        if args.cold:
            cold[page.key] = measure_cold(page, openers[page.reader], args.cold, args.budget)
        cache.clear()
        server = start_server()
        running = True
        try:
            warm[page.key], running = measure_warm(page, openers[page.reader], args.warmup, args.warm, args.budget)
        finally:
            stop_server(server, hard=running)
        print("  " + report_line(page, cold.get(page.key), warm[page.key], None), flush=True)
    queries = count_queries([page for page in chosen if warm[page.key].times], members)
    report(chosen, cold, warm, queries)
    print(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
