"""Wins, applause, spotlights, adoptions and handoffs move from teams/ to work/, keeping their tables."""

import django.db.models.deletion
from django.db import migrations, models

OLD_APP, NEW_APP = "teams", "work"
MODELS = ['win', 'winreaction', 'spotlight', 'adoption', 'handoff', 'handoffevent']


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
        ('customers', '0003_import_file_retention'),
        ('accounts', '0001_initial'),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The tables stay where they are (db_table keeps their names): only Django's idea
        # of which app owns them changes, so no row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Win',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=160)),
                        ('story', models.TextField(blank=True)),
                        ('impact', models.CharField(blank=True, max_length=240, verbose_name='Impact')),
                        ('created_at', models.DateTimeField()),
                        ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='wins', to='customers.customeraccount')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wins', to='accounts.membership')),
                        ('collaborators', models.ManyToManyField(blank=True, related_name='collaborated_wins', to='accounts.membership')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wins', to='accounts.organization')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wins', to='teams.team')),
                        ('values', models.ManyToManyField(related_name='wins', to='teams.value')),
                    ],
                    options={
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['organization', '-created_at'], name='win_org_feed'), models.Index(fields=['team', '-created_at'], name='win_team_feed')],
                        'constraints': [],
                        'db_table': 'teams_win',
                    },
                ),
                migrations.CreateModel(
                    name='WinReaction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.membership')),
                        ('win', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reactions', to='work.win')),
                    ],
                    options={
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('win', 'membership'), name='win_reaction_once')],
                        'db_table': 'teams_winreaction',
                    },
                ),
                migrations.CreateModel(
                    name='Spotlight',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.TextField(help_text='Why this is what good looks like.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership')),
                        ('win', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='spotlight', to='work.win')),
                    ],
                    options={
                        'indexes': [],
                        'constraints': [],
                        'db_table': 'teams_spotlight',
                    },
                ),
                migrations.CreateModel(
                    name='Adoption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='adoptions', to='teams.team')),
                        ('win', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='adoptions', to='work.win')),
                    ],
                    options={
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('win', 'team'), name='adoption_once_per_team')],
                        'db_table': 'teams_adoption',
                    },
                ),
                migrations.CreateModel(
                    name='Handoff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=200)),
                        ('context', models.TextField(blank=True)),
                        ('customer_expects', models.TextField(blank=True, verbose_name='What the customer expects')),
                        ('due_date', models.DateField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Completed'), ('returned', 'Returned'), ('cancelled', 'Cancelled')], default='open', max_length=16)),
                        ('reason', models.TextField(blank=True, help_text='Why it was declined or returned.')),
                        ('created_at', models.DateTimeField()),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, help_text='Declined, completed, returned or cancelled.', null=True)),
                        ('sla_hours', models.PositiveSmallIntegerField()),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership')),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handoffs', to='customers.customeraccount')),
                        ('follow_up', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='handoffs', to='customers.followup')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handoffs', to='accounts.organization')),
                        ('sender', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handoffs_sent', to='accounts.membership')),
                        ('sender_team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='handoffs_sent', to='teams.team')),
                        ('to_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handoffs_received', to='accounts.membership')),
                        ('to_team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handoffs_received', to='teams.team')),
                        ('breach_notified_at', models.DateTimeField(blank=True, help_text='When people were told it waited past its SLA (once).', null=True)),
                    ],
                    options={
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['to_member', 'status', 'created_at'], name='handoff_inbox_member'), models.Index(fields=['to_team', 'status', 'created_at'], name='handoff_inbox_team'), models.Index(fields=['sender', 'status', 'created_at'], name='handoff_sent'), models.Index(fields=['account', '-created_at'], name='handoff_by_account')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('to_member__isnull', False), ('to_team__isnull', True)), models.Q(('to_member__isnull', True), ('to_team__isnull', False)), _connector='OR'), name='handoff_to_a_member_or_a_team', violation_error_message='Hand it to one person or to one team.'), models.CheckConstraint(condition=models.Q(('accepted_at__isnull', True), ('accepted_at__gte', models.F('created_at')), _connector='OR'), name='handoff_accepted_after_sent')],
                        'db_table': 'teams_handoff',
                    },
                ),
                migrations.CreateModel(
                    name='HandoffEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_status', models.CharField(blank=True, choices=[('open', 'Open'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Completed'), ('returned', 'Returned'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('to_status', models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Completed'), ('returned', 'Returned'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('reason', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField()),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.membership')),
                        ('handoff', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='work.handoff')),
                    ],
                    options={
                        'ordering': ['created_at', 'pk'],
                        'indexes': [],
                        'constraints': [],
                        'db_table': 'teams_handoffevent',
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
