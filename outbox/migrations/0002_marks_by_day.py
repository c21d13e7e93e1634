"""Each mark names the day its data belongs to, and marks are inserted, not upserted
on one row per scope: the unique constraint goes, and the day arrives (filled in the
next migration)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_move_from_surveys"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dirtyscope", name="dirty_scope_once"),
        migrations.AddField(model_name="dirtyscope", name="day", field=models.DateField(null=True)),
    ]
