"""Wins, handoffs, notifications and deliveries leave teams/ (for work/ and
notifications/). Only Django's state changes: the tables stay, with every row."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0007_delivery_queued_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="HandoffEvent"),
                migrations.DeleteModel(name="Handoff"),
                migrations.DeleteModel(name="Adoption"),
                migrations.DeleteModel(name="Spotlight"),
                migrations.DeleteModel(name="WinReaction"),
                migrations.DeleteModel(name="Win"),
            ],
        ),
    ]
