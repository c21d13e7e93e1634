"""An import's CSV file is removed once the import has been finished, or uploaded and
left, for IMPORT_FILE_RETENTION_DAYS; its record, counts and row errors stay, and it
says plainly why it can no longer change."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.imports import services
from customers.imports.run import run_import
from customers.models import CustomerImport
from customers.tasks import purge_import_files
from teams import services as team_services

pytestmark = pytest.mark.django_db

CSV = "Account Name,CRM ID\nAcme,A-1\n"
UPLOADED = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def team(personas):
    return team_services.team_create(actor=personas.admin, name="Support", managers=[personas.manager])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(actor) -> CustomerImport:
    return services.import_upload(actor=actor, uploaded_file=SimpleUploadedFile("crm.csv", CSV.encode()))


def imported(actor, team) -> CustomerImport:
    customer_import = upload(actor)
    services.import_configure(
        actor=actor, customer_import=customer_import, mapping=customer_import.mapping, default_team=team
    )
    services.import_start(actor=actor, customer_import=customer_import)
    run_import(customer_import.pk)
    customer_import.refresh_from_db()
    return customer_import


def days_later(days: int):
    return time_machine.travel(UPLOADED + dt.timedelta(days=days), tick=False)


def test_files_of_finished_and_abandoned_imports_go_after_the_retention(personas, team):
    with time_machine.travel(UPLOADED, tick=False):
        done = imported(personas.manager, team)
        left = upload(personas.manager)
    with days_later(settings.IMPORT_FILE_RETENTION_DAYS - 1):
        recent = upload(personas.manager)
    names = {ci.pk: ci.file.name for ci in (done, left, recent)}

    with days_later(settings.IMPORT_FILE_RETENTION_DAYS + 1):
        assert purge_import_files() == 2
        assert purge_import_files() == 0  # safe to run twice

    for ci, gone in ((done, True), (left, True), (recent, False)):
        ci.refresh_from_db()
        assert default_storage.exists(names[ci.pk]) is not gone
        assert bool(ci.file) is not gone
        assert (ci.file_removed_at is not None) is gone
    assert (done.status, done.accounts_created) == (CustomerImport.Status.SUCCEEDED, 1)  # the record stays


def test_a_queued_or_running_import_keeps_its_file(personas, team):
    with time_machine.travel(UPLOADED, tick=False):
        waiting = upload(personas.manager)
    CustomerImport.objects.filter(pk=waiting.pk).update(status=CustomerImport.Status.RUNNING)

    with days_later(90):
        assert purge_import_files() == 0


def test_an_import_without_its_file_says_why_it_cannot_change(personas, team, client_for):
    with time_machine.travel(UPLOADED, tick=False):
        left = upload(personas.manager)
    with days_later(settings.IMPORT_FILE_RETENTION_DAYS + 1):
        purge_import_files()
    left.refresh_from_db()

    assert left.can_change is False
    for attempt in (
        lambda: services.import_configure(
            actor=personas.manager, customer_import=left, mapping=left.mapping, default_team=team
        ),
        lambda: services.import_start(actor=personas.manager, customer_import=left),
        lambda: services.import_preview(customer_import=left),
    ):
        with pytest.raises(ValidationError, match="upload the CSV again"):
            attempt()
    assert CustomerImport.objects.get(pk=left.pk).status == CustomerImport.Status.UPLOADED

    client = client_for(personas.manager)
    page = client.get(reverse("customers:import_detail", args=[left.pk])).content.decode()
    assert "Its file was removed on" in page
    assert reverse("customers:import_map", args=[left.pk]) not in page
    assert client.get(reverse("customers:import_map", args=[left.pk])).url == reverse(
        "customers:import_detail", args=[left.pk]
    )


def test_the_purge_runs_daily_on_the_default_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-import-files"]

    assert entry == {"task": "customers.purge_import_files", "schedule": 60 * 60 * 24}
    assert purge_import_files.queue == "default"
