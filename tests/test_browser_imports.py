"""Browser journey: a manager imports a CRM export with one bad row, run by a real
Celery worker, and sees the progress and the row error (issue 4)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from customers.models import CustomerAccount, CustomerImport
from tests.test_celery_worker import Worker, broker  # noqa: F401 (broker is a fixture used below)

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CRM_EXPORT = (
    "Account Name,External ID,Segment,Status,Contact Name,Contact Email\n"
    "Peak District Packs,CRM-501,Growth,Active,Asha Patel,asha@peakpacks.example\n"
    "Lakeland Trail Co,CRM-502,Key account,Sometimes,Tom Reid,tom@lakelandtrail.example\n"
    "Snowdon Supplies,CRM-503,Long tail,Prospect,Gwen Jones,gwen@snowdonsupplies.example\n"
)


@pytest.fixture
def worker(live_server, broker, tmp_path):  # noqa: F811 (the fixture imported above)
    worker = Worker(tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def test_manager_imports_a_crm_export_and_sees_progress_and_the_bad_row(live_server, worker, page, login):
    call_command("seed_demo", verbosity=0)
    login(page, demo_email("marcus"), DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Import accounts").click()

    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "crm-export.csv", "mimeType": "text/csv", "buffer": CRM_EXPORT.encode()}]
    )
    page.get_by_role("button", name="Upload").click()
    # The columns are suggested from the headers; only the team is left to choose.
    expect(page.get_by_label("External reference")).to_have_value("External ID")
    page.get_by_label("Default owning team").select_option(label="Rental & Repair Partners")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Sometimes").first).to_be_visible()
    page.get_by_role("button", name="Start import").click()

    # The worker runs it; the page polls until it is finished.
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("heading", name="Not imported")).to_be_visible(timeout=60_000)
    errors = progress.locator("table.import-errors")
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("Sometimes")
    # All or nothing: the good rows were not imported either.
    assert CustomerImport.objects.get().status == CustomerImport.Status.FAILED
    assert not CustomerAccount.objects.filter(external_ref__startswith="CRM-").exists()

    # Fixed and uploaded again, the whole file goes in.
    _upload(page, CRM_EXPORT.replace("Sometimes", "At risk"))
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("heading", name="Imported")).to_be_visible(timeout=60_000)
    expect(progress).to_contain_text("Accounts created")
    accounts = CustomerAccount.objects.filter(external_ref__startswith="CRM-")
    assert sorted(accounts.values_list("status", flat=True)) == ["active", "at_risk", "prospect"]
    assert {a.owning_team.name for a in accounts} == {"Rental & Repair Partners"}


def _upload(page, content: str) -> None:
    page.get_by_role("link", name="← Imports").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "crm-export.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_label("Default owning team").select_option(label="Rental & Repair Partners")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Start import").click()
