"""A handoff stores the team that received it, and the tables the scores read get
indexes that lead with the organisation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0008_move_daily_work_out"),
        ("work", "0001_move_from_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="handoff",
            name="receiving_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="handoffs_taken",
                to="teams.team",
            ),
        ),
        migrations.AddIndex(
            model_name="handoff",
            index=models.Index(fields=["organization", "sender_team", "created_at"], name="handoff_score_sent"),
        ),
        migrations.AddIndex(
            model_name="handoff",
            index=models.Index(fields=["organization", "receiving_team", "created_at"], name="handoff_score_received"),
        ),
        migrations.AddIndex(
            model_name="win",
            index=models.Index(fields=["organization", "team", "created_at"], name="win_score_team"),
        ),
    ]
