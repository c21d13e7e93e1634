"""Test settings: the environment's settings, made fast and quiet.

The database and broker still come from the environment, so the same suite runs on
the embedded default (SQLite, filesystem broker) and on PostgreSQL + Redis in CI.
"""

import os
import re


def _isolate_parallel_worker(worker: str) -> None:
    """Under pytest-xdist each worker process gets its own var/ (SQLite files, the
    filesystem broker, the file cache) and its own Redis databases, so that tests in
    one process never see another's broker messages, cache entries or rate limits.
    PostgreSQL needs nothing: pytest-django names each worker's test database."""
    number = int(worker.removeprefix("gw"))
    if number == 0:
        return
    var_dir = os.environ.get("TEAMHUB_VAR_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", "var")
    os.environ["TEAMHUB_VAR_DIR"] = os.path.join(var_dir, f"xdist-{worker}")
    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        url = os.environ.get(name, "")
        match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
        if match:
            # Two databases per worker: gw1 takes the next free pair after gw0's, and so on.
            os.environ[name] = f"{match[1]}/{int(match[2]) + 2 * number}"


# Once per worker: the processes a test starts (a Celery worker, beat) inherit the
# environment, already pointing at the worker's own var/ and databases.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("TEAMHUB_TEST_ISOLATED_FOR") != _worker:
    _isolate_parallel_worker(_worker)
    os.environ["TEAMHUB_TEST_ISOLATED_FOR"] = _worker

from teamhub.settings import *  # noqa: E402, F403
from teamhub.settings import LOGGING  # noqa: E402

# A fast hasher: tests create many users; strength is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Axes stays on (its behaviour is under test); its handler keeps attempts in the database.
LOGGING["root"]["level"] = "WARNING"
