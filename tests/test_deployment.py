"""What can be checked of the production set-up without a Docker engine: that
docker-compose.yml parses, runs the services the design names with commands that
match the app, and that the image's build steps (static files) work."""

import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_postgres_and_redis():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_compose_web_serves_the_wsgi_app_with_gunicorn():
    command = _compose()["services"]["web"]["command"]
    assert command[:2] == ["gunicorn", settings.WSGI_APPLICATION.rsplit(".", 1)[0]]


def test_compose_worker_consumes_every_queue_the_app_declares():
    command = _compose()["services"]["worker"]["command"]
    assert command[:4] == ["celery", "-A", "teamhub", "worker"]
    queues = set(command[command.index("-Q") + 1].split(","))
    assert queues == {queue.name for queue in settings.CELERY_TASK_QUEUES}


def test_compose_beat_uses_the_database_scheduler():
    command = _compose()["services"]["beat"]["command"]
    assert command[:4] == ["celery", "-A", "teamhub", "beat"]
    assert command[command.index("--scheduler") + 1] == settings.CELERY_BEAT_SCHEDULER


def test_compose_configures_production_through_the_settings_variables():
    environment = _compose()["x-teamhub"]["environment"]
    assert environment["TEAMHUB_ENV"] == "production"
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"):
        assert required in environment
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")
    # Web and worker share a cache (import progress), so it cannot be per-container files.
    assert environment["CACHE_URL"].startswith("redis://redis:6379")


def test_production_static_build_succeeds(tmp_path):
    """The Dockerfile's collectstatic step: hashed, compressed files for whitenoise."""
    env = {
        **os.environ,
        "TEAMHUB_ENV": "production",
        "SECRET_KEY": "build-only",
        "ALLOWED_HOSTS": "build",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'build.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "STATIC_ROOT": str(tmp_path / "static"),
        "TEAMHUB_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "teamhub.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "css").glob("teamhub.*.css.gz"))
