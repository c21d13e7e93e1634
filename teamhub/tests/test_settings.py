"""Production settings refuse to start half-configured, and pass Django's deploy checks.

Each case runs in a fresh interpreter: settings are read once per process. None of
them connects to a database or broker (``check --deploy`` does not connect).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SETUP = "import django; django.setup()"
PRODUCTION_ENV = {
    "SECRET_KEY": "k3Jx9-vQ2mZpL8rT4wYc7NbF1hGd6sAe0uIo5PlKj_MnBvCxZqWeRtYuIoP",
    "ALLOWED_HOSTS": "teamhub.example.com",
    "DATABASE_URL": "postgres://u@127.0.0.1/x",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
# Anything the surrounding environment might set that would change the outcome.
CLEARED = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "TEAMHUB_ENV", "DEBUG", "TEAMHUB_VAR_DIR", "EMAIL_URL"}


def _run(args, tmp_path, **env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="teamhub.settings",
        TEAMHUB_ENV="production",
        TEAMHUB_VAR_DIR=str(tmp_path / "var"),
        **env_overrides,
    )
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _run(["-c", SETUP], tmp_path, **{k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("allowed_hosts", [None, ""])
def test_production_without_allowed_hosts_refuses_to_start(tmp_path, allowed_hosts):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    if allowed_hosts is not None:
        env["ALLOWED_HOSTS"] = allowed_hosts

    result = _run(["-c", SETUP], tmp_path, **env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
