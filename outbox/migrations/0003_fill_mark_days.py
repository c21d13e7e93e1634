"""Marks made before they carried a day get the day they were made, in their
organisation's time zone: the periods that were current when the data changed."""

from zoneinfo import ZoneInfo

from django.db import migrations
from django.utils import timezone


def fill_days(apps, schema_editor):
    DirtyScope = apps.get_model("outbox", "DirtyScope")
    Organization = apps.get_model("accounts", "Organization")
    zones = dict(Organization.objects.values_list("pk", "timezone"))
    # One row per scope at most before this change: few rows, so a loop is fine here.
    for mark in DirtyScope.objects.filter(day__isnull=True).iterator():
        mark.day = timezone.localtime(mark.marked_at, ZoneInfo(zones.get(mark.organization_id, "UTC"))).date()
        mark.save(update_fields=["day"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("outbox", "0002_marks_by_day"),
    ]

    operations = [
        migrations.RunPython(fill_days, migrations.RunPython.noop),
    ]
