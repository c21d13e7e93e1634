"""Browser journey for "recompute now" (issue 12): an admin opens Scores under the Admin
menu, presses Recompute now, and watches the progress bar fill to 100% by itself while
the task runs (in-process here, as the worker would run it)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from surveys.models import ScoreRun, ScoreSnapshot
from surveys.tasks import recompute_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def test_an_admin_recomputes_the_scores_and_sees_the_bar_reach_100(demo, page, login):
    login(page, demo_email("admin"), DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Admin", exact=True).click()
    nav.get_by_role("link", name="Scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scores")

    page.get_by_role("button", name="Recompute now").click()
    expect(page.locator(".flashes")).to_contain_text("Recompute queued")
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#score-run-status")).to_contain_text("Waiting for a worker")

    # The worker picks it up; the page, polling, follows without a reload.
    run = ScoreRun.objects.get()
    assert recompute_now(run.pk)["status"] == "done"
    expect(bar).to_have_attribute("aria-valuenow", "100")
    run.refresh_from_db()
    assert run.total > 0
    expect(bar).to_have_attribute("aria-valuetext", f"100% ({run.total} of {run.total} periods)")
    expect(page.locator("#score-run-status")).to_contain_text("Done:")
    expect(page.locator("#score-runs")).to_contain_text("Done")
    assert ScoreSnapshot.objects.exists()
