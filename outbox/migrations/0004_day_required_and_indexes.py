from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0003_fill_mark_days"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dirtyscope",
            name="day",
            field=models.DateField(
                help_text="The day (in the organisation's time zone) the data belongs to: its week, month and "
                "quarter need recomputing."
            ),
        ),
        migrations.AddIndex(
            model_name="dirtyscope",
            index=models.Index(fields=["organization", "scope_type", "scope_id", "day"], name="dirty_scope_by_scope"),
        ),
        migrations.AddIndex(
            model_name="dirtyscope",
            index=models.Index(fields=["marked_at"], name="dirty_scope_by_age"),
        ),
    ]
