"""Writing a recompute's snapshots, in the caller's transaction: the new rows go into a
temporary table, are upserted from it in one statement, and the snapshots of the same
periods that are not among them (the data no longer supports them) are deleted.

A row whose figure has not changed is left as it is — no new row version, no write —
so the nightly repair of a large organisation, which mostly confirms what is there,
writes little, and ``computed_at`` tells when a figure last changed. The upsert runs in
key order, so two recomputes at once take their row locks in the same order and cannot
deadlock. On PostgreSQL the rows are streamed in with COPY; on SQLite (the embedded
default) with one batched insert.
"""

from django.db import connection

from surveys.models.scores import ScoreSnapshot

COLUMNS = [
    "organization_id",
    "scope_type",
    "scope_id",
    "metric",
    "granularity",
    "period_start",
    "value",
    "sample_size",
    "suppressed",
    "components",
    "computed_at",
]
KEY = ["organization_id", "scope_type", "scope_id", "metric", "granularity", "period_start"]
COMPARED = ["value", "sample_size", "suppressed", "components"]
UPDATED = [*COMPARED, "computed_at"]

# The statements name only the model's own table and columns, never input.
_TABLE = ScoreSnapshot._meta.db_table
_COLUMNS = ", ".join(COLUMNS)
_KEY = ", ".join(KEY)
_CREATE = f"CREATE TEMPORARY TABLE score_incoming AS SELECT {_COLUMNS} FROM {_TABLE} WHERE 1 = 0"  # noqa: S608
_INSERT = f"INSERT INTO score_incoming ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
_COPY = f"COPY score_incoming ({_COLUMNS}) FROM STDIN"
_INDEX = f"CREATE INDEX score_incoming_key ON score_incoming ({_KEY})"
_DROP = "DROP TABLE score_incoming"
_SAME_KEY = " AND ".join(f"i.{name} = {_TABLE}.{name}" for name in KEY)


def _upsert_sql(vendor: str) -> str:
    # A null-safe "differs": PostgreSQL's IS DISTINCT FROM, SQLite's IS NOT.
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"{_TABLE}.{name} {differs} excluded.{name}" for name in COMPARED)
    # (SQLite needs a WHERE in an INSERT ... SELECT before ON CONFLICT, to parse it.)
    return (
        f"INSERT INTO {_TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM score_incoming WHERE 1 = 1 "  # noqa: S608
        f"ORDER BY {_KEY} ON CONFLICT ({_KEY}) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in UPDATED)
        + f" WHERE {changed}"
    )


def _delete_sql(starts: int, kept: int) -> str:
    keeping = f"AND metric NOT IN ({', '.join(['%s'] * kept)}) " if kept else ""
    return (
        f"DELETE FROM {_TABLE} WHERE organization_id = %s AND granularity = %s "  # noqa: S608
        f"AND period_start IN ({', '.join(['%s'] * starts)}) {keeping}"
        f"AND NOT EXISTS (SELECT 1 FROM score_incoming AS i WHERE {_SAME_KEY})"
    )


def replace(organization_id: int, periods: dict[str, list], rows: list[tuple], *, keep_metrics=()) -> None:
    """Make the organisation's snapshots of ``periods`` (first days by granularity)
    exactly ``rows`` (tuples of ``COLUMNS``, components as JSON text) — but for the
    snapshots of ``keep_metrics``, which a recompute of other sources leaves alone."""
    keep_metrics = sorted(keep_metrics)
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(_CREATE)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(_COPY) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            day, moment = ops.adapt_datefield_value, ops.adapt_datetimefield_value
            cursor.executemany(_INSERT, [(*row[:5], day(row[5]), *row[6:10], moment(row[10])) for row in rows])
        # An index on the key and statistics for the planner: without them it takes the
        # new table for a few rows and scans it once per old snapshot (minutes, at a large
        # organisation's scale), whatever it believes of the snapshots table.
        cursor.execute(_INDEX)
        cursor.execute("ANALYZE score_incoming")
        cursor.execute(_upsert_sql(connection.vendor))
        for granularity, starts in periods.items():
            if starts:
                days = [ops.adapt_datefield_value(start) for start in starts]
                cursor.execute(
                    _delete_sql(len(days), len(keep_metrics)), [organization_id, granularity, *days, *keep_metrics]
                )
        cursor.execute(_DROP)
