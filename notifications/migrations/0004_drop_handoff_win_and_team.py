"""What 0003 copied goes: a notification no longer points at a handoff or a win, nor a
delivery at a team; every delivery names a recipient."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_fill_subjects_and_recipients"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="delivery", name="delivery_has_a_reason"),
        migrations.RemoveField(model_name="delivery", name="team"),
        migrations.RemoveField(model_name="notification", name="handoff"),
        migrations.RemoveField(model_name="notification", name="win"),
        migrations.AlterField(model_name="delivery", name="recipient_type", field=models.CharField(max_length=24)),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(condition=~models.Q(recipient_type=""), name="delivery_has_a_recipient"),
        ),
    ]
