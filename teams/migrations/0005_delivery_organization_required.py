# Its own migration: PostgreSQL refuses to alter a table in the transaction that just
# updated its rows with deferred foreign-key checks pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0004_team_webhooks_and_deliveries'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delivery',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization'),
        ),
    ]
