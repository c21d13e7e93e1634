"""Browser journeys through the real pages in Chromium (see tests/conftest.py)."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_EMAIL = demo_email("admin")


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def test_demo_admin_logs_in_sees_home_and_logs_out(demo, page, login):
    login(page, ADMIN_EMAIL, DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Priya Shah")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.locator("summary", has_text="Admin").click()  # the admin's pages sit behind one menu
    expect(main_nav.get_by_role("link", name="People")).to_be_visible()

    log_out(page)

    expect(page).to_have_url("/login/")
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")


def test_admin_invites_a_member_who_accepts_and_logs_in(demo, page, login):
    login(page, ADMIN_EMAIL, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Admin").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    page.get_by_label("E-mail address").fill("newperson@example.com")
    page.get_by_label("Role").select_option("member")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()
    expect(page.get_by_role("cell", name="newperson@example.com")).to_be_visible()
    link = urlsplit(page.locator("#invite-link").inner_text().strip()).path
    log_out(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Northwind Outfitters")
    page.get_by_label("Your name").fill("Nova Person")
    page.get_by_label("Choose a password").fill("a-long-new-passphrase-7")
    page.get_by_label("Repeat the password").fill("a-long-new-passphrase-7")
    page.get_by_role("button", name="Create my account and join").click()

    expect(page.get_by_text("Welcome to Northwind Outfitters!")).to_be_visible()
    log_out(page)
    login(page, "newperson@example.com", "a-long-new-passphrase-7")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Nova Person")
    membership = Membership.objects.get(user__email="newperson@example.com")
    assert (membership.organization.slug, membership.role, membership.is_active) == ("northwind", "member", True)

    # The link worked once; a second use is refused.
    log_out(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Join Northwind Outfitters")


def test_login_works_from_the_keyboard_alone(demo, page):
    page.goto("/login/")
    # The e-mail field has focus on arrival; Tab moves to the password, Enter submits.
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type(ADMIN_EMAIL)
    expect(page.get_by_label("E-mail address")).to_have_value(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Priya Shah")
    # The first Tab reaches the skip link, which jumps to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_failed_login_says_the_same_for_an_unknown_address_and_a_wrong_password(demo, page, login):
    login(page, ADMIN_EMAIL, "not-the-password")
    wrong_password = page.get_by_role("alert").inner_text()
    login(page, "nobody@northwind.example", "not-the-password")
    unknown_address = page.get_by_role("alert").inner_text()

    assert "do not match" in wrong_password
    assert wrong_password == unknown_address
