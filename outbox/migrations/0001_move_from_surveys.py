"""The score outbox moves from surveys/ to outbox/, keeping its table."""

import django.db.models.deletion
from django.db import migrations, models

OLD_APP, NEW_APP = "surveys", "outbox"
MODELS = ['dirtyscope']


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
        ('surveys', '0002_move_outbox_out'),
        ('accounts', '0001_initial'),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The tables stay where they are (db_table keeps their names): only Django's idea
        # of which app owns them changes, so no row is touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DirtyScope',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope_type', models.CharField(choices=[('org', 'Organisation'), ('team', 'Team'), ('function', 'Function'), ('account', 'Customer account')], max_length=16)),
                        ('scope_id', models.PositiveBigIntegerField()),
                        ('marked_at', models.DateTimeField()),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization')),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('organization', 'scope_type', 'scope_id'), name='dirty_scope_once')],
                        'indexes': [],
                        'db_table': 'surveys_dirtyscope',
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
