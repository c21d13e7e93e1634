"""Browser journey over the dashboards (issue 13) on the demo organisation: a manager
opens each page from the Dashboards menu and reads real figures, at desktop and phone
sizes, with no page wider than the phone; an admin reads the organisation view and
downloads the meeting brief as a PDF; a member reads their home.

Set ``TEAMHUB_SCREENSHOTS`` to a folder to keep a full-page screenshot of each page."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from customers.models import CustomerAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TEAMHUB_SCREENSHOTS")
PHONE, DESKTOP = 360, 1280


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def _look(page, name: str, width: int) -> None:
    """The page rendered, its heading shown, nothing wider than the window."""
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Server Error")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width} px is {overflow} px wider than the window"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def test_the_dashboards_show_the_demo_s_figures_at_desktop_and_phone_sizes(demo, page, login):
    account = CustomerAccount.objects.filter(owning_team__name="Trailhead Wholesale").order_by("name").first()
    login(page, demo_email("marcus"), DEMO_PASSWORD)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Dashboards", exact=True).click()
    nav.get_by_role("link", name="Your teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your teams")
    # Real figures for Marcus's teams: engagement shown, not hidden as too few answers.
    card = page.get_by_role("article", name="Trailhead Wholesale")
    expect(card.locator(".dash-figure--engagement .stat__value")).to_have_text(re.compile(r"^\d+$"))

    pages = {
        "dashboard": "/dashboard/",
        "silo-map": "/dashboard/silos/",
        "focus": "/dashboard/focus/",
        "at-risk": "/dashboard/accounts/at-risk/",
        "account-health": f"/dashboard/accounts/{account.pk}/health/",
        "brief": "/dashboard/brief/",
    }
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in pages.items():
            page.goto(path)
            _look(page, name, width)

    page.goto("/dashboard/brief/")
    expect(page.locator("main")).to_contain_text("Wins")

    page.context.clear_cookies()  # log out
    login(page, demo_email("admin"), DEMO_PASSWORD)
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/dashboard/organization/")
        _look(page, "organization", width)
    pdf = page.request.get("/dashboard/brief/pdf/")
    assert pdf.status == 200, pdf.text()[:300]
    assert pdf.body().startswith(b"%PDF-")

    page.context.clear_cookies()
    login(page, demo_email("member"), DEMO_PASSWORD)
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        _look(page, "member-home", width)
