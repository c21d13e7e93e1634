"""Notifications and deliveries move from teams/ to notifications/, keeping their tables."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

OLD_APP, NEW_APP = "teams", "notifications"
MODELS = ['notification', 'delivery']


def move_content_types(apps, schema_editor):
    """The admin's permissions and change history follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=NEW_APP, model=model).exists():
            ContentType.objects.filter(app_label=OLD_APP, model=model).update(app_label=NEW_APP)


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=NEW_APP, model__in=MODELS).update(app_label=OLD_APP)


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0008_move_daily_work_out'),
        ('work', '0001_move_from_teams'),
        ('accounts', '0001_initial'),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The tables stay where they are (db_table keeps their names): only Django's idea
        # of which app owns them changes, so no row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('handoff_to_you', 'Handed to you'), ('handoff_to_team', 'Handed to your team'), ('handoff_declined', 'Handoff declined'), ('handoff_returned', 'Handoff returned'), ('sla_breach', 'Handoff not accepted in time'), ('win_spotlighted', 'Your win is in the spotlight')], max_length=24)),
                        ('title', models.CharField(max_length=240)),
                        ('url', models.CharField(blank=True, max_length=240)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('handoff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='work.handoff')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='accounts.membership')),
                        ('win', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='work.win')),
                    ],
                    options={
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['recipient', 'read_at', '-created_at'], name='notification_inbox')],
                        'constraints': [],
                        'db_table': 'teams_notification',
                    },
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('email', 'E-mail'), ('webhook', 'Team webhook')], max_length=16)),
                        ('target', models.CharField(help_text='The e-mail address or webhook URL.', max_length=500)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('message', models.TextField(blank=True, help_text="The webhook's text; e-mails are written from the notification.")),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='teams.team')),
                        ('requeued_at', models.DateTimeField(blank=True, help_text='When a sweep queued it again.', null=True)),
                        ('queued_at', models.DateTimeField(default=django.utils.timezone.now, help_text='When it was last handed to the broker.')),
                    ],
                    options={
                        'verbose_name_plural': 'deliveries',
                        'indexes': [models.Index(fields=['status'], name='delivery_by_status'), models.Index(fields=['organization', 'status', '-created_at'], name='delivery_problems')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('notification__isnull', False), ('team__isnull', False), _connector='OR'), name='delivery_has_a_reason')],
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'teams_delivery',
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
