"""Browser journey for the manager dashboard (issue 13, point 1): a manager logs in,
opens Dashboard, sees their team's card, switches the scores to the week (htmx swaps
the figures in place), and opens "how is this computed"; at desktop and phone width,
with no sideways scrolling on the phone.

Chromium starts as in tests/conftest.py (the app may not import tests/, a layer above it).
"""

import shutil
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from dashboards.tests.test_manager import NOW, populate
from teamhub.lib.testing import require
from teams.models import Stage
from teams.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_ARGS += ["--disable-component-update"]


@pytest.fixture
def page(live_server):
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed")
    # While Playwright runs this thread has an event loop; the test's own ORM calls are
    # synchronous and safe, so Django may make them (tests/conftest.py says the same).
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def login(page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def support(personas, live_server):
    team = TeamFactory(organization=personas.org, name="Support", stage=Stage.PERFORMING, managers=[personas.manager])
    populate(personas, team)
    return personas


def test_a_manager_reads_the_cards_switches_to_the_week_and_opens_how_it_is_computed(support, page):
    with time_machine.travel(NOW, tick=True):
        login(page, support.manager.user.email, TEST_PASSWORD)
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 860})
            page.goto("/")
            if width == 1280:
                nav = page.get_by_role("navigation", name="Main")
                nav.get_by_text("Dashboards").click()
                nav.get_by_role("link", name="Your teams").click()
            else:
                page.goto("/dashboard/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Your teams")
            card = page.get_by_role("article", name="Support")
            expect(card).to_contain_text("Engagement")
            expect(card).to_contain_text("+10.0")
            expect(card).to_contain_text("not enough responses")

            page.get_by_role("navigation", name="Period of the scores").get_by_role("link", name="Week").click()
            expect(page.get_by_role("heading", name="Trends by week")).to_be_visible()
            expect(page).to_have_url(f"{page.url.split('?')[0]}?granularity=week")
            expect(page.get_by_role("link", name="Week")).to_have_attribute("aria-current", "page")
            expect(page.locator("canvas[data-chart]").first).to_be_visible()

            card = page.get_by_role("article", name="Support")
            card.locator("summary", has_text="How is this computed?").first.click()
            explanation = card.locator("details[open] .score-explain__body").first
            expect(explanation).to_contain_text("Percent favourable")
            expect(explanation).to_contain_text("Sample size: 12")
            if width == 360:
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{overflow}px of sideways scrolling at 360 px"
