#!/usr/bin/env python
"""Run the whole product on one machine: web (gunicorn) and a Celery worker with
embedded beat, on the embedded default (SQLite + filesystem broker under var/) or
whatever the environment configures. Ctrl-C stops everything.

Used by `make run`; the processes are the same ones production runs separately.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = {
        "web": subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "teamhub.wsgi",
                "--bind",
                f"{args.host}:{args.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
        ),
        "worker": subprocess.Popen(
            # -B embeds beat: one process runs the periodic jobs too (embedded default only;
            # production runs exactly one separate beat).
            [
                str(BIN / "celery"),
                "-A",
                "teamhub",
                "worker",
                "-B",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            cwd=ROOT,
            env=env,
        ),
    }

    def stop(*_):
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        url = f"http://{args.host}:{args.port}"
        if _wait_until_healthy(url, processes["web"]):
            _announce(url)
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        failed = [name for name, process in processes.items() if process.poll() not in (None, 0)]
        print(f"TeamHub stopped: {', '.join(failed) or 'a process'} exited.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


def _wait_until_healthy(url: str, web: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (our own URL)
                return json.load(response)["status"] == "ok"
        except OSError:
            time.sleep(0.3)
    return False


def _announce(url: str) -> None:
    from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

    logins = "".join(f"    {role:<8} {email}\n" for role, email in DEMO_LOGINS)
    print(
        f"\n  TeamHub is running at {url}\n"
        f"  Demo logins (password {DEMO_PASSWORD}):\n{logins}"
        "  Press Ctrl-C to stop.\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
