"""The score outbox leaves surveys/ (for outbox/, below every app that writes to it).
Only Django's state changes: the table stays, with every row."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0001_score_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="DirtyScope")]),
    ]
