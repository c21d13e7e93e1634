"""The browser harness: Debian's Chromium driven by Playwright against a live server.

A test asks for ``page`` (a fresh browser context on the live server) and ``login``.
When a browser test fails, a full-page screenshot goes to ``test-artifacts/`` under
the test's name. Without Chromium or Playwright the tests skip with the reason; under
``CI=true`` they fail instead.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from teamhub.lib.testing import require

CHROMIUM = os.environ.get("TEAMHUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Keep each phase's outcome on the item, so the page fixture knows the test failed.
    setattr(item, f"report_{report.when}", report)
    return report


# Per module, not per session: while Playwright runs, this thread has an event loop, and
# Django refuses ORM calls in a thread with one. The browser tests' own ORM calls are
# synchronous and safe, so they are allowed while the browser is open, and only then:
# no later test (or subprocess) inherits the setting.
@pytest.fixture(scope="module")
def browser():
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed")
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def login():
    """``login(page, email, password)``: log in through the form, as a person would."""

    def log_in(page, email: str, password: str) -> None:
        page.goto("/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return log_in
