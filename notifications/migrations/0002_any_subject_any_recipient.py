"""A notification or delivery may be about anything and go to anyone: what it is about
becomes a type and an id, and a delivery names its recipient by type, id and name,
with its own subject and text. The new columns arrive here, are filled in 0003, and
the old ones (a handoff, a win, a team) go in 0004."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_move_from_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="about_type",
            field=models.CharField(
                blank=True, help_text="What it is about: handoff, win, survey round…", max_length=40
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(help_text="What happened, named by the app that says so.", max_length=40),
        ),
        migrations.AddField(
            model_name="delivery", name="recipient_type", field=models.CharField(default="", max_length=24)
        ),
        migrations.AddField(
            model_name="delivery", name="recipient_id", field=models.PositiveBigIntegerField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="delivery", name="recipient_name", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddField(
            model_name="delivery",
            name="subject",
            field=models.CharField(
                blank=True, help_text="An e-mail's subject line; a post's first line.", max_length=200
            ),
        ),
        migrations.AddField(model_name="delivery", name="kind", field=models.CharField(blank=True, max_length=40)),
        migrations.AddField(
            model_name="delivery", name="about_type", field=models.CharField(blank=True, max_length=40)
        ),
        migrations.AddField(
            model_name="delivery", name="about_id", field=models.PositiveBigIntegerField(blank=True, null=True)
        ),
        migrations.AlterField(
            model_name="delivery",
            name="message",
            field=models.TextField(blank=True, help_text="The e-mail's body or the post's text."),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="target",
            field=models.CharField(help_text="The e-mail address or webhook URL when it was queued.", max_length=500),
        ),
    ]
