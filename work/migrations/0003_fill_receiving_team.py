"""Handoffs sent before the receiving team was stored get it from what is known now:
the team they were handed to; else the team of whoever accepted them (or, not yet
accepted, of the person they were handed to) — the customer's team when that person
is on it, else their first team by name. Set-based: a few UPDATEs, whatever the size.

Its own migration: PostgreSQL refuses to alter a table in the transaction that just
updated its rows with deferred foreign-key checks pending."""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Subquery


def fill_receiving_team(apps, schema_editor):
    Handoff = apps.get_model("work", "Handoff")
    TeamMembership = apps.get_model("teams", "TeamMembership")
    CustomerAccount = apps.get_model("customers", "CustomerAccount")
    missing = Handoff.objects.filter(receiving_team__isnull=True)
    missing.filter(to_team__isnull=False).update(receiving_team_id=F("to_team_id"))
    owning_team = Subquery(CustomerAccount.objects.filter(pk=OuterRef("account_id")).values("owning_team_id")[:1])
    for person, handoffs in (
        ("accepted_by_id", missing.filter(to_team__isnull=True, accepted_by__isnull=False)),
        ("to_member_id", missing.filter(to_team__isnull=True, accepted_by__isnull=True)),
    ):
        seats = TeamMembership.objects.filter(membership_id=OuterRef(person))
        on_customers_team = seats.filter(team__customer_accounts=OuterRef("account_id"))
        handoffs.filter(Exists(on_customers_team)).update(receiving_team_id=owning_team)
        first_team = Subquery(seats.order_by("team__name", "team_id").values("team_id")[:1])
        Handoff.objects.filter(pk__in=handoffs.filter(receiving_team__isnull=True).values("pk")).update(
            receiving_team_id=first_team
        )


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0003_import_file_retention"),
        ("work", "0002_receiving_team_and_score_indexes"),
    ]

    operations = [
        migrations.RunPython(fill_receiving_team, migrations.RunPython.noop),
    ]
