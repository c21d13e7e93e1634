"""Writing a recompute's snapshots: upsert the rows, then delete the ones of the same
periods the data no longer supports — all in the caller's transaction.

On PostgreSQL the rows are streamed with COPY into a temporary table and upserted
from it in one statement, in key order (so two recomputes at once take their row locks
in the same order and cannot deadlock), which writes a large organisation's hundreds of
thousands of snapshots in seconds. Elsewhere (SQLite, the embedded default) Django's
bulk upsert does the same in batches.
"""

import json
from collections.abc import Iterable

from django.db import connection

from surveys.models.scores import ScoreSnapshot

UNIQUE = ["organization", "scope_type", "scope_id", "metric", "granularity", "period_start"]
UPDATED = ["value", "sample_size", "suppressed", "components", "computed_at"]
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
BATCH = 2_000


def write(rows: list[ScoreSnapshot]) -> None:
    """Upsert ``rows`` (unsaved snapshots) on their unique key."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_upsert(rows)
    else:
        ScoreSnapshot.objects.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=UNIQUE, update_fields=UPDATED
        )


def delete_stale(organization_id: int, granularity: str, starts: Iterable, computed_before) -> None:
    """Delete the snapshots of those periods not written by this recompute."""
    ScoreSnapshot.objects.filter(
        organization_id=organization_id,
        granularity=granularity,
        period_start__in=list(starts),
        computed_at__lt=computed_before,
    ).delete()


# The statements name only the model's own table and columns, never input.
_TABLE = ScoreSnapshot._meta.db_table
_COLUMNS = ", ".join(COLUMNS)
_KEY = ", ".join(f"{name}_id" if name == "organization" else name for name in UNIQUE)
_CREATE = f"CREATE TEMPORARY TABLE score_incoming ON COMMIT DROP AS SELECT {_COLUMNS} FROM {_TABLE} WITH NO DATA"  # noqa: S608
_COPY = f"COPY score_incoming ({_COLUMNS}) FROM STDIN"
_UPSERT = (
    f"INSERT INTO {_TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM score_incoming ORDER BY {_KEY} "  # noqa: S608
    f"ON CONFLICT ({_KEY}) DO UPDATE SET " + ", ".join(f"{name} = EXCLUDED.{name}" for name in UPDATED)
)


def _copy_upsert(rows: list[ScoreSnapshot]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_CREATE)
        with cursor.cursor.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.organization_id,
                        row.scope_type,
                        row.scope_id,
                        row.metric,
                        row.granularity,
                        row.period_start,
                        row.value,
                        row.sample_size,
                        row.suppressed,
                        json.dumps(row.components),
                        row.computed_at,
                    )
                )
        cursor.execute(_UPSERT)
        cursor.execute("DROP TABLE score_incoming")
