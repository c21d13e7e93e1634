"""Browser journey for issue 4: a manager works on an account and hands it to another
team, whose member then sees it in full, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Membership
from customers import services
from customers.models import CustomerAccount, FollowUp, OwnershipChange
from teams.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def account(demo):
    """An account of Marcus's team with one contact (the demo may not have customers yet)."""
    marcus = Membership.objects.get(user__email=demo_email("marcus"))
    team = Team.objects.get(organization=marcus.organization, name="Rental & Repair Partners")
    account = services.account_create(
        actor=marcus, name="Alpine Hire Co-op", owning_team=team, external_ref="JOURNEY-1", segment="Partner"
    )
    services.contact_create(actor=marcus, account=account, name="Greta Moser", email="greta@alpinehire.example")
    return account


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def test_manager_works_on_an_account_and_transfers_it_to_a_team_that_then_sees_it(account, page, login):
    # Nadia is on Online Direct only: before the transfer she sees whom to ask, not the details.
    login(page, demo_email("nadia"), DEMO_PASSWORD)
    page.goto(f"/customers/{account.pk}/")
    expect(page.get_by_text("belong to Rental & Repair Partners")).to_be_visible()
    expect(page.get_by_text("Greta Moser")).to_have_count(0)
    log_out(page)

    login(page, demo_email("marcus"), DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    page.get_by_label("Search").fill("Alpine")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Alpine Hire Co-op").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alpine Hire Co-op")

    # A contact's preference, edited in place (htmx).
    contact = page.locator(".contact", has_text="Greta Moser")
    contact.get_by_role("link", name="Edit Greta Moser").click()
    editor = page.locator(".contact form", has_text="Edit Greta Moser")
    editor.get_by_label("Preferences").fill("Calls before 9, never on Fridays")
    editor.get_by_role("button", name="Save contact").click()
    expect(page.locator(".contact", has_text="Greta Moser")).to_contain_text("never on Fridays")

    # A follow-up, opened and closed with an outcome.
    page.get_by_text("Open a follow-up").click()
    page.locator("#follow-ups").get_by_label("Summary").fill("Quote for 40 rental shells")
    page.get_by_role("button", name="Open follow-up").click()
    row = page.locator(".follow-up", has_text="Quote for 40 rental shells")
    expect(row).to_contain_text("Open")
    row.get_by_label("Outcome of Quote for 40 rental shells").fill("Quote accepted")
    row.get_by_role("button", name="Done Quote for 40 rental shells").click()
    row = page.locator(".follow-up", has_text="Quote for 40 rental shells")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Quote accepted")
    assert FollowUp.objects.get(summary="Quote for 40 rental shells").status == FollowUp.Status.DONE

    # The transfer, with a reason the history keeps.
    page.get_by_role("link", name="Transfer to another team").click()
    page.get_by_label("New owning team").select_option(label="Online Direct")
    page.get_by_label("Reason").fill("They now sell rentals through the web shop")
    page.get_by_role("button", name="Transfer account").click()
    expect(page.get_by_text("now belongs to Online Direct")).to_be_visible()
    # Marcus is not on Online Direct: from now on he sees whom to ask, as others do.
    expect(page.get_by_text("belong to Online Direct")).to_be_visible()
    account.refresh_from_db()
    assert account.owning_team.name == "Online Direct"
    assert OwnershipChange.objects.filter(account=account).count() == 1
    log_out(page)

    # A member of Online Direct now sees it in full.
    login(page, demo_email("nadia"), DEMO_PASSWORD)
    page.goto(f"/customers/{account.pk}/")
    expect(page.locator(".contact", has_text="Greta Moser")).to_contain_text("never on Fridays")
    expect(page.locator(".follow-up", has_text="Quote for 40 rental shells")).to_contain_text("Quote accepted")
    expect(page.get_by_role("region", name="Ownership history")).to_contain_text("through the web shop")
    assert CustomerAccount.objects.get(pk=account.pk).owning_team.name == "Online Direct"
