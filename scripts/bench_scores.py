"""Benchmark the scores engine on PostgreSQL (issue 12): a large organisation, then the
full recompute against its floor, the incremental recompute through the real worker,
the worker's peak memory and the engine's rows per second.

The organisation — 10,000 members, 600 teams, 40 functions, 50,000 accounts, 1,000,000
survey answers, 200,000 NPS feedback rows, 300,000 handoffs, 100,000 wins and 20,000
follow-ups over two years — is generated with set-based SQL and a fixed seed, so two
runs hold the same rows. Generating **empties every TeamHub table first**: the script
refuses any database but PostgreSQL, and any name without "bench" in it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/teamhub_bench \
    CACHE_URL=redis://127.0.0.1:6379/5 CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \
    .venv/bin/python scripts/bench_scores.py            # generate, then measure
    ... scripts/bench_scores.py --reuse                 # measure the rows already there
    ... scripts/bench_scores.py --reuse --profile       # and time each source in-process

The floor is scripts/bench_scores_floor.sql: the same values by hand-written read-only
SQL. Prints figures with their targets; asserts nothing.
"""

# The SQL below is built from this module's constants only; every value is a parameter.
# ruff: noqa: S608

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamhub.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization  # noqa: E402
from outbox.models import DirtyScope  # noqa: E402
from surveys import bank  # noqa: E402
from surveys.models import Question, ScoreSnapshot, SurveyInvitation, SurveyRound  # noqa: E402
from surveys.models.feedback import FeedbackKind  # noqa: E402

SEED = 0.4217
TZ = "Europe/Zurich"
DAYS = 730
MEMBERS, TEAMS, FUNCTIONS, ACCOUNTS = 10_000, 600, 40, 50_000
FEEDBACK, HANDOFFS, WINS, FOLLOW_UPS = 200_000, 300_000, 100_000, 20_000
ROUNDS, QUESTIONS_PER_ROUND = 24, 6
TARGETS = {"ratio": 2.0, "incremental_ms": 200.0, "memory_mb": 500.0}
APPS = ("accounts", "outbox", "notifications", "teams", "customers", "work", "surveys", "inbound", "dashboards", "hub")
FLOOR_SQL = ROOT / "scripts" / "bench_scores_floor.sql"
# Tables the engine reads: their rows are the input of "rows per second".
INPUT_TABLES = (
    "surveys_answer",
    "surveys_surveyinvitation",
    "surveys_npsfeedback",
    "teams_handoff",
    "teams_win",
    "teams_win_collaborators",
    "customers_followup",
)


# --- Safety ----------------------------------------------------------------------------------


def refuse_unless_bench_database() -> None:
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql":
        sys.exit(f"bench-scores runs on PostgreSQL only (this is {connection.vendor}): set DATABASE_URL.")
    if "bench" not in str(name).lower():
        sys.exit(f"Refusing database {name!r}: generating empties it. Use a database named like teamhub_bench.")


# --- Generation --------------------------------------------------------------------------------

# Who is where, as SQL expressions of a membership id m (2..10000; 1 is the admin, on no
# team): its team, its function, its job role (two per function).
TEAM_OF = "(((({m}) - 2) % 600) + 1)"
FUNCTION_OF = "(((({m}) * 7) % 40) + 1)"
ROLE_OF = "(2 * (((({m}) * 7) % 40)) + 1 + (({m}) % 2))"
# A team's leaning, from -0.1 to 0.1: some teams are happier, some customers too.
BIAS = "(((({t}) * 53) % 100) / 100.0 - 0.5) * 0.2"


def _t(expression: str, **names) -> str:
    return expression.format(**names)


def generation_steps() -> list[tuple[str, str]]:
    """(label, SQL) in order. Each runs after ``setseed``, serially, so random() gives the
    same rows every time."""
    team_m, role_m = _t(TEAM_OF, m="m"), _t(ROLE_OF, m="m")
    return [
        (
            "users and memberships",
            f"""
            INSERT INTO accounts_user (password, is_superuser, email, full_name, is_active, is_staff, date_joined)
            SELECT '!bench', false, 'bench-' || i || '@bench.example', 'Member ' || i, true, false, %(start)s
            FROM generate_series(1, {MEMBERS}) i;
            INSERT INTO accounts_membership (role, is_active, created_at, user_id, organization_id)
            SELECT CASE WHEN i = 1 THEN 'admin' WHEN i <= {TEAMS + 1} THEN 'manager' ELSE 'member' END,
                   true, %(start)s, i, %(org)s
            FROM generate_series(1, {MEMBERS}) i;
            """,
        ),
        (
            "functions, roles, teams, values",
            f"""
            INSERT INTO teams_function (name, "order", organization_id)
            SELECT 'Function ' || lpad(i::text, 2, '0'), i, %(org)s FROM generate_series(1, {FUNCTIONS}) i;
            INSERT INTO teams_jobrole (name, purpose, function_id, organization_id)
            SELECT 'Role ' || i, '', (i + 1) / 2, %(org)s FROM generate_series(1, {2 * FUNCTIONS}) i;
            INSERT INTO teams_team (name, mission, stage, created_at, organization_id, webhook_url)
            SELECT 'Team ' || lpad(i::text, 3, '0'), '', 'performing', %(start)s, %(org)s, ''
            FROM generate_series(1, {TEAMS}) i;
            INSERT INTO teams_team_managers (team_id, membership_id)
            SELECT i, i + 1 FROM generate_series(1, {TEAMS}) i;
            INSERT INTO teams_value (name, description, "order", is_active, created_at, organization_id)
            SELECT 'Value ' || i, '', i, true, %(start)s, %(org)s FROM generate_series(1, 5) i;
            """,
        ),
        (
            "team memberships",
            # Everyone on one team; one in ten members on a second team as well.
            f"""
            INSERT INTO teams_teammembership (team_role, joined_at, job_role_id, membership_id, team_id)
            SELECT CASE WHEN m <= {TEAMS + 1} THEN 'lead' ELSE 'member' END, %(start)s, {role_m}, m, {team_m}
            FROM generate_series(2, {MEMBERS}) m;
            INSERT INTO teams_teammembership (team_role, joined_at, job_role_id, membership_id, team_id)
            SELECT 'member', %(start)s, {role_m}, m, ((m * 13) % {TEAMS}) + 1
            FROM generate_series({TEAMS + 2}, {MEMBERS}) m
            WHERE m % 10 = 0 AND ((m * 13) % {TEAMS}) + 1 <> {team_m};
            """,
        ),
        (
            "accounts and contacts",
            f"""
            INSERT INTO customers_customeraccount (name, external_ref, segment, status, annual_revenue, created_at,
                                                   updated_at, lead_id, organization_id, owning_team_id)
            SELECT 'Customer ' || i, 'B-' || lpad(i::text, 6, '0'), (ARRAY['Gold', 'Silver', 'Bronze'])[1 + i % 3],
                   'active', (i % 1000) * 100, %(start)s, %(start)s, ((i - 1) % {TEAMS}) + 2, %(org)s,
                   ((i - 1) % {TEAMS}) + 1
            FROM generate_series(1, {ACCOUNTS}) i;
            INSERT INTO customers_contact (name, email, phone, title, preferred_channel, preferences, personal_notes,
                                           survey_opt_out, created_at, account_id, language)
            SELECT 'Contact ' || i, 'contact-' || i || '@customer.example', '', '', 'email', '', '', false,
                   %(start)s, i, ''
            FROM generate_series(1, {ACCOUNTS}) i;
            """,
        ),
        (
            "survey invitations",
            # Everyone invited to every monthly round; 60-82 % answer, depending on the
            # team; the round still open has had fewer answers so far.
            f"""
            INSERT INTO surveys_surveyinvitation (answered, notified_at, function_id, membership_id, team_id, round_id)
            SELECT random() < (0.60 + 0.22 * ((CASE WHEN m = 1 THEN 1 ELSE {team_m} END * 37) % 100) / 100.0)
                              * CASE WHEN r.status = 'open' THEN 0.65 ELSE 1 END,
                   r.opens_at,
                   CASE WHEN m = 1 THEN NULL ELSE {_t(FUNCTION_OF, m="m")} END, m,
                   CASE WHEN m = 1 THEN NULL ELSE {team_m} END, r.id
            FROM surveys_surveyround r CROSS JOIN generate_series(1, {MEMBERS}) m
            ORDER BY r.id, m;
            """,
        ),
        (
            "survey responses",
            """
            INSERT INTO surveys_response (id, submitted_on, function_id, organization_id, team_id, round_id)
            SELECT md5('response-' || i.id)::uuid,
                   LEAST((r.opens_at AT TIME ZONE %(tz)s)::date + floor(random() * 5)::int, %(today)s),
                   i.function_id, %(org)s, i.team_id, i.round_id
            FROM surveys_surveyinvitation i JOIN surveys_surveyround r ON r.id = i.round_id
            WHERE i.answered ORDER BY i.id;
            """,
        ),
        (
            "survey answers",
            # Agreement: 55-75 % favourable by team; eNPS: about 40 % promoters, 25 % detractors.
            f"""
            INSERT INTO surveys_answer (id, value, text, question_id, response_id)
            SELECT md5('answer-' || response_id || '-' || question_id)::uuid,
                   CASE WHEN kind = 'scale' THEN
                        CASE WHEN u < 0.25 THEN floor(u / 0.25 * 7) WHEN u < 0.60 THEN 7 + floor((u - 0.25) / 0.35 * 2)
                             ELSE 9 + floor((u - 0.60) / 0.40 * 2) END
                        ELSE CASE WHEN u < 0.06 THEN 1 WHEN u < 0.18 THEN 2 WHEN u < 0.35 THEN 3 WHEN u < 0.75 THEN 4
                                  ELSE 5 END END,
                   '', question_id, response_id
            FROM (SELECT s.id AS response_id, rq.question_id, q.kind,
                         GREATEST(0, LEAST(0.9999, random() + COALESCE({_t(BIAS, t="s.team_id")}, 0))) AS u
                  FROM surveys_response s
                  JOIN surveys_roundquestion rq ON rq.round_id = s.round_id
                  JOIN surveys_question q ON q.id = rq.question_id
                  ORDER BY s.id, rq.question_id) x;
            """,
        ),
        (
            "NPS and CSAT feedback",
            # 85 % NPS, 15 % CSAT; one in twenty arrived while another team owned the account.
            f"""
            INSERT INTO surveys_npsfeedback (kind, score, comment, channel, external_id, received_at,
                                             possible_reference, updated_at, account_id, contact_id,
                                             organization_id, team_id)
            SELECT kind,
                   CASE WHEN kind = 'nps' THEN
                        CASE WHEN u < 0.20 THEN floor(u / 0.20 * 7) WHEN u < 0.55 THEN 7 + floor((u - 0.20) / 0.35 * 2)
                             ELSE 9 + floor((u - 0.55) / 0.45 * 2) END
                        ELSE CASE WHEN u < 0.05 THEN 1 WHEN u < 0.12 THEN 2 WHEN u < 0.30 THEN 3 WHEN u < 0.65 THEN 4
                                  ELSE 5 END END,
                   '', 'import', '', at, false, at, a, a, %(org)s,
                   CASE WHEN moved THEN ((team + 16) % {TEAMS}) + 1 ELSE team END
            FROM (SELECT a, ((a - 1) % {TEAMS}) + 1 AS team, at, moved, kind,
                         GREATEST(0, LEAST(0.9999, u + {_t(BIAS, t="((a - 1) % 600) + 1")})) AS u
                  FROM (SELECT 1 + floor(random() * {ACCOUNTS})::int AS a,
                               %(start)s + random() * interval '{DAYS} days' AS at,
                               random() < 0.05 AS moved,
                               CASE WHEN random() < 0.85 THEN 'nps' ELSE 'csat' END AS kind,
                               random() AS u
                        FROM generate_series(1, {FEEDBACK}) i) y) x;
            """,
        ),
        (
            "follow-ups",
            f"""
            INSERT INTO customers_followup (summary, status, created_at, first_response_at, resolved_at, outcome,
                                            account_id, contact_id, owner_id, team_id)
            SELECT 'Follow-up ' || i, CASE WHEN resolved IS NULL THEN 'open' ELSE 'done' END, at, responded,
                   resolved, '', a, a, ((a - 1) % {TEAMS}) + 2, ((a - 1) % {TEAMS}) + 1
            FROM (SELECT i, a, at, responded,
                         CASE WHEN responded IS NOT NULL AND r2 < 0.8
                                   AND responded - ln(1 - r3) * interval '48 hours' < %(now)s
                              THEN responded - ln(1 - r3) * interval '48 hours' END AS resolved
                  FROM (SELECT i, a, at, r2, r3,
                               CASE WHEN r1 < 0.85 AND at - ln(1 - r4) * interval '8 hours' < %(now)s
                                    THEN at - ln(1 - r4) * interval '8 hours' END AS responded
                        FROM (SELECT i, 1 + floor(random() * {ACCOUNTS})::int AS a,
                                     %(start)s + random() * interval '{DAYS} days' AS at,
                                     random() AS r1, random() AS r2, random() AS r3, random() AS r4
                              FROM generate_series(1, {FOLLOW_UPS}) i) z) y) x;
            """,
        ),
        (
            "handoffs",
            # A quarter to a teammate, half to anyone, a quarter to a team. Accepted after
            # an exponential wait (mean 14 h: ~82 % within the 24 h SLA); the last week's
            # are still open.
            f"""
            INSERT INTO teams_handoff (subject, context, customer_expects, status, reason, created_at, accepted_at,
                                       closed_at, sla_hours, accepted_by_id, account_id, organization_id, sender_id,
                                       sender_team_id, to_member_id, to_team_id, receiving_team_id)
            SELECT 'Handoff ' || i, '', '', status,
                   CASE WHEN status IN ('declined', 'returned') THEN 'Not ours to take on (benchmark).' ELSE '' END,
                   at, accepted_at,
                   CASE WHEN status IN ('completed', 'returned')
                             THEN LEAST(accepted_at - ln(1 - d2) * interval '72 hours', %(now)s)
                        WHEN status = 'declined' THEN at + d2 * interval '24 hours'
                        WHEN status = 'cancelled' THEN COALESCE(accepted_at, at) + d2 * interval '24 hours' END,
                   24, CASE WHEN accepted_at IS NOT NULL THEN COALESCE(to_member, to_team + 1) END,
                   account, %(org)s, sender, {_t(TEAM_OF, m="sender")}, to_member, to_team,
                   COALESCE(to_team, {_t(TEAM_OF, m="to_member")})
            FROM (SELECT *, CASE WHEN status IN ('completed', 'accepted', 'returned')
                                      OR (status = 'cancelled' AND st < 0.855)
                                 THEN at - ln(1 - d1) * interval '14 hours' END AS accepted_at
                  FROM (SELECT *, CASE WHEN at > %(now)s - interval '7 days' THEN 'open'
                                       WHEN st < 0.62 OR st >= 0.90 THEN 'completed'
                                       WHEN st < 0.68 THEN 'accepted' WHEN st < 0.74 THEN 'returned'
                                       WHEN st < 0.83 THEN 'declined' WHEN st < 0.88 THEN 'cancelled'
                                       ELSE 'open' END AS status,
                               CASE WHEN kind < 0.25 THEN CASE WHEN sender + 600 <= {MEMBERS} THEN sender + 600
                                                               ELSE sender - 600 END
                                    WHEN kind < 0.75 THEN CASE WHEN other = sender THEN {MEMBERS + 2} - sender
                                                               ELSE other END END AS to_member,
                               CASE WHEN kind >= 0.75 THEN team END AS to_team
                        FROM (SELECT i, 2 + floor(random() * {MEMBERS - 1})::int AS sender, random() AS kind,
                                     2 + floor(random() * {MEMBERS - 1})::int AS other,
                                     1 + floor(random() * {TEAMS})::int AS team,
                                     1 + floor(random() * {ACCOUNTS})::int AS account,
                                     %(start)s + random() * interval '{DAYS} days' AS at,
                                     random() AS st, random() AS d1, random() AS d2
                              FROM generate_series(1, {HANDOFFS}) i) z) y) x;
            """,
        ),
        (
            "wins, values and collaborators",
            # Six in ten about one of the team's customers; 0-3 collaborators, a little
            # over half of them teammates.
            f"""
            INSERT INTO teams_win (title, story, impact, created_at, account_id, author_id, organization_id, team_id)
            SELECT 'Win ' || i, '', '', at,
                   CASE WHEN r < 0.6 THEN LEAST(team + {TEAMS} * floor(r2 * 83)::int, {ACCOUNTS}) END,
                   author, %(org)s, team
            FROM (SELECT i, author, {_t(TEAM_OF, m="author")} AS team, at, r, r2
                  FROM (SELECT i, 2 + floor(random() * {MEMBERS - 1})::int AS author,
                               %(start)s + random() * interval '{DAYS} days' AS at, random() AS r, random() AS r2
                        FROM generate_series(1, {WINS}) i) y) x;
            INSERT INTO teams_win_values (win_id, value_id) SELECT id, 1 + id % 5 FROM teams_win;
            INSERT INTO teams_win_collaborators (win_id, membership_id)
            SELECT win_id, membership_id FROM (
                SELECT w.id AS win_id, w.author_id,
                       CASE WHEN random() < 0.55
                            THEN CASE WHEN w.author_id + 600 * j <= {MEMBERS} THEN w.author_id + 600 * j
                                      ELSE w.author_id - 600 * j END
                            ELSE 2 + floor(random() * {MEMBERS - 1})::int END AS membership_id
                FROM teams_win w CROSS JOIN LATERAL generate_series(1, (w.id * 7) % 4) j
                ORDER BY w.id, j) x
            WHERE membership_id <> author_id AND membership_id >= 2
            ON CONFLICT DO NOTHING;
            """,
        ),
    ]


def _survey(organization: Organization, start: dt.datetime, now: dt.datetime) -> None:
    """The pulse survey: every bank statement and the eNPS question, asked six at a time
    (the eNPS question every round) in 24 monthly rounds; the last is open now."""
    from zoneinfo import ZoneInfo

    from surveys.models import RoundQuestion, Survey

    zone = ZoneInfo(TZ)
    local_now = now.astimezone(zone)
    months = [(local_now.year, local_now.month)]
    while len(months) < ROUNDS:
        year, month = months[-1]
        months.append((year - 1, 12) if month == 1 else (year, month - 1))
    months.reverse()
    survey = Survey.objects.create(
        organization=organization,
        title="Monthly pulse",
        cadence=Survey.Cadence.MONTHLY,
        first_opens_on=dt.date(*months[0], 1),
        opens_at=dt.time(9),
        open_days=5,
        questions_per_round=QUESTIONS_PER_ROUND,
        status=Survey.Status.ACTIVE,
    )
    agreement = Question.objects.bulk_create(
        Question(survey=survey, order=n, kind=Question.Kind.AGREEMENT, text=q.text, driver=q.driver, bank_key=q.key)
        for n, q in enumerate(bank.BANK)
    )
    enps = Question.objects.create(
        survey=survey, order=len(agreement), kind=Question.Kind.SCALE, text=bank.ENPS_TEXT, bank_key=bank.ENPS_KEY
    )
    rounds = []
    for number, (year, month) in enumerate(months, start=1):
        opens = dt.datetime(year, month, 1, 9, tzinfo=zone)
        last = number == ROUNDS
        closes = max(opens + dt.timedelta(days=5), now + dt.timedelta(days=7)) if last else opens + dt.timedelta(days=5)
        rounds.append(
            SurveyRound(
                organization=organization,
                survey=survey,
                number=number,
                opens_at=opens,
                closes_at=closes,
                remind_at=opens + dt.timedelta(days=2),
                status=SurveyRound.Status.OPEN if last else SurveyRound.Status.CLOSED,
                opened_at=opens,
                closed_at=None if last else closes,
            )
        )
    rounds = SurveyRound.objects.bulk_create(rounds)
    asked = per_round = QUESTIONS_PER_ROUND - 1
    RoundQuestion.objects.bulk_create(
        RoundQuestion(round=round_, question=question, order=order)
        for n, round_ in enumerate(rounds)
        for order, question in enumerate(
            [agreement[(n * asked + k) % len(agreement)] for k in range(per_round)] + [enps]
        )
    )


def empty_teamhub_tables() -> None:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in APPS and model._meta.managed and not model._meta.proxy
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")  # model table names


def generate() -> None:
    refuse_unless_bench_database()
    now = timezone.now()
    start = now - dt.timedelta(days=DAYS)
    began = time.perf_counter()
    print(f"Generating (seed {SEED}): emptying TeamHub's tables in {connection.settings_dict['NAME']}")
    empty_teamhub_tables()
    organization = Organization.objects.create(name="Bench Organisation", slug="bench", timezone=TZ)
    params = {
        "org": organization.pk,
        "start": start,
        "now": now,
        "today": timezone.localtime(now).date(),
        "tz": TZ,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")  # one process: random() in a fixed order
        cursor.execute("SET synchronous_commit = off")
    for label, sql in generation_steps():
        if label == "survey invitations":
            _survey(organization, start, now)
        step = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [SEED])
            for statement in filter(str.strip, sql.split(";")):
                cursor.execute(statement.replace(" % ", " %% "), params)  # modulo, not a placeholder
        print(f"  {label:<34} {time.perf_counter() - step:6.1f} s")
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {'ANALYZE':<34} {time.perf_counter() - step:6.1f} s")
    print(f"Generation: {time.perf_counter() - began:.1f} s")


# --- Measuring ---------------------------------------------------------------------------------


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _revision() -> str:
    """Which code is measured: the checkout, its commit, and whether the engine has local
    changes (read-only git commands: nothing here touches the index)."""
    git = shutil.which("git")
    revision = ROOT / "REVISION"  # an exported tree (git archive) names its commit here
    if revision.exists() or git is None:
        return f"{ROOT} at {revision.read_text().strip() if revision.exists() else 'unknown revision'}"
    commit = subprocess.run([git, "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    changed = subprocess.run([git, "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "surveys/scoring"], check=False)
    local = " with local changes in surveys/scoring" if changed.returncode else ""
    return f"{ROOT} at {commit.stdout.strip() or 'unknown revision'}{local}"


def print_environment(organization: Organization) -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    print(f"Date: {timezone.now():%Y-%m-%d %H:%M} UTC; CPU: {cpu}, {os.cpu_count()} cores")
    print(f"PostgreSQL: {_scalar('SHOW server_version')}; database {connection.settings_dict['NAME']}")
    print(f"Engine: {_revision()}")
    counts = {table: _scalar(f"SELECT count(*) FROM {table}") for table in INPUT_TABLES}
    counts["members"] = Membership.objects.filter(organization=organization).count()
    counts["teams"] = _scalar("SELECT count(*) FROM teams_team")
    counts["functions"] = _scalar("SELECT count(*) FROM teams_function")
    counts["accounts"] = _scalar("SELECT count(*) FROM customers_customeraccount")
    counts["responses"] = _scalar("SELECT count(*) FROM surveys_response")
    print("Rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    return counts


def run_floor(organization: Organization) -> tuple[float, dict]:
    params = {
        "org": organization.pk,
        "tz": organization.timezone,
        "threshold": organization.anonymity_threshold,
        **{f"w_{name}": float(weight) for name, weight in organization.collaboration_weights.items()},
    }
    sql = FLOOR_SQL.read_text()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION READ ONLY")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    values = {(s, int(i), m, g, p): (float(v), int(n)) for s, i, m, g, p, v, n in rows}
    return elapsed, values


class PeakMemory:
    """Polls a process tree's resident memory (the worker and its pool children) from
    /proc, every 50 ms, in a thread; ``peak`` in bytes."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_child = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError):
            pass
        return 0

    def _children(self, pid: int) -> list[int]:
        try:
            found = []
            for task in Path(f"/proc/{pid}/task").iterdir():
                found += [int(c) for c in (task / "children").read_text().split()]
            return found
        except (FileNotFoundError, ProcessLookupError):
            return []

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            children = self._children(self.pid)
            sizes = [self._rss(child) for child in children]
            self.peak = max(self.peak, self._rss(self.pid) + sum(sizes))
            self.peak_child = max([self.peak_child, *sizes])

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def empty_broker() -> None:
    """Drop what an earlier, interrupted run left in the broker (a nightly repair that a
    killed worker never acknowledged comes back after the visibility timeout)."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("redis"):
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def start_worker(log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "teamhub",
            "worker",
            "-Q",
            "scores",
            "-c",
            "1",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        # This checkout's code (the one being measured) before any installed copy.
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in log_path.read_text():
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    worker.terminate()
    sys.exit(f"The worker did not start: see {log_path}")


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()


def full_recompute_on_worker(organization: Organization, worker: subprocess.Popen) -> tuple[float, PeakMemory]:
    """The nightly repair as production runs it: sent to the scores queue, run by the
    worker; done when the task notes the organisation repaired in the shared cache."""
    from celery import current_app

    from surveys.tasks import _night

    done_key = f"scores.repaired:{_night().isoformat()}:{organization.pk}"
    cache.delete(done_key)  # else tonight's repair counts as done already
    with PeakMemory(worker.pid) as memory:
        started = time.perf_counter()
        current_app.send_task("scores.recompute_all_nightly")
        while not cache.get(done_key):
            if worker.poll() is not None:
                sys.exit("The worker died during the full recompute.")
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    return elapsed, memory


def compare(floor: dict, organization: Organization) -> tuple[int, list, int]:
    """(compared, mismatches, suppressed skipped) over a sample: every organisation, team
    and function snapshot, and the accounts whose id ends in 7."""
    compared, mismatches, suppressed = 0, [], 0
    snapshots = (
        ScoreSnapshot.objects.filter(organization=organization)
        .extra(where=["(scope_type <> 'account' OR scope_id %% 10 = 7)"])
        .values_list(
            "scope_type",
            "scope_id",
            "metric",
            "granularity",
            "period_start",
            "value",
            "sample_size",
            "suppressed",
            "components",
        )
        .iterator(chunk_size=20_000)
    )
    seen = set()
    for scope_type, scope_id, metric, granularity, start, value, sample, hidden, components in snapshots:
        key = (scope_type, scope_id, metric, granularity, start)
        seen.add(key)
        if hidden:
            suppressed += 1
            continue
        compared += 1
        expected = floor.get(key)
        if expected is None or abs(expected[0] - value) > 1e-6 or expected[1] != sample:
            mismatches.append((key, (value, sample), expected, "survey" in components))
    missing = [key for key in floor if (key[0] != "account" or key[1] % 10 == 7) and key not in seen]
    return compared, mismatches, suppressed, missing


def _current_week_start(organization: Organization) -> dt.date:
    from zoneinfo import ZoneInfo

    today = timezone.localtime(timezone.now(), ZoneInfo(organization.timezone)).date()
    return today - dt.timedelta(days=today.weekday())


def one_change(organization: Organization, n: int) -> None:
    """One new answer, one new NPS row and one handoff accepted, through the services, in
    one transaction (so one outbox enqueue on commit)."""
    from customers.models import CustomerAccount
    from surveys.services.feedback import feedback_record
    from surveys.services.responses import response_submit
    from work.models import Handoff
    from work.services.handoffs import handoff_accept

    round_ = SurveyRound.objects.get(organization=organization, status=SurveyRound.Status.OPEN)
    invitation = (
        SurveyInvitation.objects.select_related("round__organization", "membership")
        .filter(round=round_, answered=False, membership__is_active=True)
        .order_by("pk")
        .first()
    )
    question = round_.questions.filter(kind=Question.Kind.AGREEMENT).order_by("pk").first()
    admin = Membership.objects.get(organization=organization, role="admin", pk=1)
    account = CustomerAccount.objects.get(pk=1 + n * 97)
    handoff = (
        Handoff.objects.filter(organization=organization, status="open", to_member__isnull=False)
        .order_by("-created_at")
        .first()
    )
    response_submit(actor=invitation.membership, invitation=invitation, answers={question.pk: 4})
    feedback_record(actor=admin, account=account, score=9, channel="api", kind=FeedbackKind.NPS)
    handoff_accept(actor=handoff.to_member, handoff=handoff)


def incremental(organization: Organization, repeats: int = 5) -> list[float]:
    week = _current_week_start(organization)
    snapshot = ScoreSnapshot.objects.filter(
        organization=organization, scope_type="org", metric="nps", granularity="week", period_start=week
    )
    SurveyRound.objects.filter(organization=organization, status=SurveyRound.Status.OPEN).update(
        closes_at=timezone.now() + dt.timedelta(days=7)
    )
    times = []
    for n in range(repeats):
        before = snapshot.values_list("computed_at", flat=True).first()
        with transaction.atomic():
            one_change(organization, n)
            started = time.perf_counter()  # the commit (and the on-commit enqueue) follow
        deadline = time.monotonic() + 120
        while snapshot.values_list("computed_at", flat=True).first() == before:
            if time.monotonic() > deadline:
                sys.exit("The incremental recompute did not update the snapshot within 2 minutes.")
            time.sleep(0.005)
        times.append((time.perf_counter() - started) * 1000)
        while DirtyScope.objects.filter(organization=organization).exists():  # the task finished
            time.sleep(0.01)
    return times


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def profile_in_process(organization: Organization, periods: int | None = None) -> None:
    """The full recompute in this process, with time taken around each source's SQL and
    rollup, suppression, collaboration, building the rows, and the upsert."""
    from surveys.models.scores import ScoreSnapshot as Snapshot
    from surveys.scoring import engine, feedback, pulse, runs, work

    spent: dict = defaultdict(float)
    calls: dict = defaultdict(int)

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                calls[name] += 1

        return wrapper

    granularity_spent: dict = defaultdict(float)

    def by_granularity(name, function):
        def wrapper(organization, granularity, start, end):
            started = time.perf_counter()
            try:
                return function(organization, granularity, start, end)
            finally:
                granularity_spent[(name, granularity)] += time.perf_counter() - started

        return wrapper

    patches = [
        (pulse, "_answer_counts", "pulse SQL: answers"),
        (pulse, "_invitation_counts", "pulse SQL: invitations"),
        (feedback, "_counts", "feedback SQL"),
        (work, "_handoff_counts", "work SQL: handoffs"),
        (work, "_win_counts", "work SQL: wins"),
        (work, "turnaround", "work SQL: turnaround"),
        (engine, "suppress", "engine: suppress"),
        (engine, "combine_collaboration", "engine: combine collaboration"),
        (engine, "_rows", "engine: build rows"),
        (engine, "recompute", "engine.recompute (total)"),
    ]
    try:  # the snapshot writer, where the engine has one
        from surveys.scoring import store

        patches += [
            (store, name, f"upsert: store.{name}")
            for name in ("write", "delete_stale", "replace")
            if hasattr(store, name)
        ]
    except ImportError:
        pass
    originals = [(module, attr, getattr(module, attr)) for module, attr, _ in patches]
    sources, all_periods = list(engine.SOURCES), runs.all_periods
    manager = Snapshot.objects
    bulk_create = manager.bulk_create
    try:
        for module, attr, name in patches:
            setattr(module, attr, timed(name, getattr(module, attr)))
        engine.SOURCES[:] = [
            timed(f"source {s.__module__.rsplit('.', 1)[-1]} (SQL + rollup)", by_granularity(s.__module__, s))
            for s in sources
        ]
        manager.bulk_create = timed("upsert: bulk_create", bulk_create)
        everything = runs.all_periods(organization)
        if periods:  # the oldest ``periods`` only: a sample of the full recompute
            runs.all_periods = lambda organization, **kwargs: everything[:periods]
        started = time.perf_counter()
        written = runs.recompute_all(organization.pk)
        total = time.perf_counter() - started
    finally:
        runs.all_periods = all_periods
        for module, attr, function in originals:
            setattr(module, attr, function)
        engine.SOURCES[:] = sources
        del manager.bulk_create
    share = f"{min(periods, len(everything))} of {len(everything)} periods" if periods else "every period"
    print(f"\nIn-process recompute ({share}): {total:.1f} s, {written:,} snapshots written")
    for name in sorted(spent, key=lambda k: -spent[k]):
        print(f"  {name:<40} {spent[name]:8.1f} s  {100 * spent[name] / total:5.1f} %  ({calls[name]} calls)")
    sql = {
        "pulse": ("pulse SQL: answers", "pulse SQL: invitations"),
        "feedback": ("feedback SQL",),
        "work": ("work SQL: handoffs", "work SQL: wins", "work SQL: turnaround"),
    }
    for source, names in sql.items():
        whole = spent[f"source {source} (SQL + rollup)"]
        in_sql = sum(spent[n] for n in names)
        print(f"  {source:<9} SQL {in_sql:7.1f} s, Python rollup {whole - in_sql:7.1f} s")
    rest = spent["engine.recompute (total)"] - sum(
        spent[k] for k in spent if k.startswith(("source", "engine:", "upsert"))
    )
    print(f"  {'engine: other (commit, stale rows, ...)':<40} {rest:8.1f} s")
    print(
        "  per source and granularity: "
        + ", ".join(
            f"{module.rsplit('.', 1)[-1]}/{g} {s:.1f} s" for (module, g), s in sorted(granularity_spent.items())
        )
    )


def explain_engine_queries(organization: Organization, granularity: str = "quarter") -> None:
    """EXPLAIN ANALYZE of each SELECT the engine's sources send for one granularity over
    all the data (one chunk's worth of periods per source, as recompute_all sends them)."""
    from django.test.utils import CaptureQueriesContext

    from surveys.scoring import engine
    from surveys.scoring.periods import period_of

    first = engine.first_day_of_data(organization)
    end = period_of(granularity, timezone.localdate()).end
    with CaptureQueriesContext(connection) as captured:
        for source in engine.SOURCES:
            source(organization, granularity, period_of(granularity, first).start, end)
    print(f"\nEXPLAIN ANALYZE of the engine's queries ({granularity}, {first} to {end}):")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"  {float(query['time']):6.2f} s as run — {sql[:150]}…")
        for line in plan[:6] + [line for line in plan if "Execution Time" in line or "Sort Method" in line][:4]:
            print(f"      {line[:160]}")


def print_comparison(floor: dict, organization: Organization) -> None:
    compared, mismatches, suppressed, missing = compare(floor, organization)
    print(
        f"Floor vs snapshots (sample: org, team, function, accounts ending in 7): {compared:,} compared, "
        f"{len(mismatches):,} mismatches, {suppressed:,} suppressed skipped, {len(missing):,} floor values without a "
        f"snapshot"
    )
    collaboration = [m for m in mismatches if m[0][2] == "collaboration"]
    if mismatches:
        print(
            f"  of the mismatches, {len(collaboration):,} are collaboration (survey part hidden by the complement "
            f"rule, which the floor does not apply: {sum(1 for m in collaboration if not m[3]):,})"
        )
        for key, got, expected, _ in mismatches[:5]:
            print(f"  e.g. {key}: engine {got}, floor {expected}")
    for key in missing[:3]:
        print(f"  e.g. no snapshot for {key}: floor {floor[key]}")


def measure(args) -> None:
    refuse_unless_bench_database()
    organization = Organization.objects.get(slug="bench")
    counts = print_environment(organization)
    if args.floor_only:
        floor_seconds, floor = run_floor(organization)
        print(f"Floor (read-only SQL, {len(floor):,} values): {floor_seconds:.1f} s")
        print_comparison(floor, organization)
        return
    if args.explain_only:
        explain_engine_queries(organization)
        return
    if args.profile_only:
        profile_in_process(organization, args.periods)
        if args.explain:
            explain_engine_queries(organization)
        return
    input_rows = sum(counts[table] for table in INPUT_TABLES)

    floor_seconds, floor = run_floor(organization)
    print(f"Floor (read-only SQL, {len(floor):,} values): {floor_seconds:.1f} s")

    before = ScoreSnapshot.objects.filter(organization=organization).count()
    DirtyScope.objects.filter(organization=organization).delete()
    log_path = Path(os.environ.get("TEAMHUB_VAR_DIR", ROOT / "var")) / "bench-scores-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    empty_broker()
    worker = start_worker(log_path)
    try:
        full_seconds, memory = full_recompute_on_worker(organization, worker)
        after = ScoreSnapshot.objects.filter(organization=organization).count()
        times = incremental(organization, args.repeats)
    finally:
        stop_worker(worker)

    print_comparison(floor, organization)

    ratio = full_seconds / floor_seconds
    median, worst = statistics.median(times), max(times)
    peak_mb = memory.peak / 2**20
    print(f"\nFull recompute on the worker: {full_seconds:.1f} s ({before:,} snapshots before, {after:,} after)")
    print(f"  ratio to the floor: {ratio:.1f}x (target ≤ {TARGETS['ratio']:.0f}x) {verdict(ratio <= TARGETS['ratio'])}")
    print(
        f"Incremental (answer + NPS row + handoff move, commit to snapshot), {len(times)} runs: median "
        f"{median:.0f} ms, max {worst:.0f} ms (target ≤ {TARGETS['incremental_ms']:.0f} ms) "
        f"{verdict(worst <= TARGETS['incremental_ms'])}; each: " + ", ".join(f"{t:.0f}" for t in times)
    )
    print(
        f"Worker peak memory (main + pool child RSS): {peak_mb:.0f} MB, child alone {memory.peak_child / 2**20:.0f} MB "
        f"(target < {TARGETS['memory_mb']:.0f} MB) {verdict(peak_mb < TARGETS['memory_mb'])}"
    )
    print(
        f"Engine throughput: {input_rows / full_seconds:,.0f} input rows/s ({input_rows:,} rows), "
        f"{after / full_seconds:,.0f} snapshots/s; floor: {input_rows / floor_seconds:,.0f} rows/s"
    )
    if args.profile:
        profile_in_process(organization, args.periods)
    if args.explain:
        explain_engine_queries(organization)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="measure the rows already generated")
    parser.add_argument("--profile", action="store_true", help="also time each source in-process")
    parser.add_argument("--profile-only", action="store_true", help="only time each source in-process")
    parser.add_argument("--periods", type=int, help="profile the oldest N periods only (26: one chunk)")
    parser.add_argument("--floor-only", action="store_true", help="only time the floor and compare it")
    parser.add_argument("--explain-only", action="store_true", help="only EXPLAIN ANALYZE the engine's queries")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the engine's queries")
    parser.add_argument("--repeats", type=int, default=5, help="incremental runs (default 5)")
    args = parser.parse_args()
    refuse_unless_bench_database()
    call_command("migrate", verbosity=0)
    if not args.reuse:
        generate()
    measure(args)


if __name__ == "__main__":
    main()
