"""Fill what 0002 added from what the rows held: a notification's handoff or win
becomes what it is about; a delivery's team becomes its recipient (that team's chat),
its notification's person becomes its recipient, and an e-mail gets the subject and
text it was sent with (they used to be written from the notification when sent).
Set-based: a few UPDATEs, whatever the size of the tables.

Its own migration: PostgreSQL refuses to alter a table in the transaction that just
updated its rows with deferred foreign-key checks pending."""

from django.conf import settings
from django.db import migrations
from django.db.models import Case, CharField, F, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Left, NullIf, StrIndex, Substr


def fill(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Delivery = apps.get_model("notifications", "Delivery")
    Team = apps.get_model("teams", "Team")

    Notification.objects.filter(handoff__isnull=False).update(about_type="handoff", about_id=F("handoff_id"))
    Notification.objects.filter(win__isnull=False).update(about_type="win", about_id=F("win_id"))

    # Posts to a team's chat: the team is the recipient; the first line, the subject.
    team_name = Subquery(Team.objects.filter(pk=OuterRef("team_id")).values("name")[:1])
    line_end = StrIndex("message", Value("\n"))
    first_line = Case(
        When(message__contains="\n", then=Substr("message", 1, line_end - 1)),
        default=F("message"),
        output_field=TextField(),
    )
    Delivery.objects.filter(team__isnull=False).update(
        recipient_type="team",
        recipient_id=F("team_id"),
        recipient_name=Coalesce(team_name, Value("")),
        subject=Left(first_line, 150),
    )

    # E-mails: the notification's person is the recipient; subject and text as sent.
    notification = Notification.objects.filter(pk=OuterRef("notification_id"))
    name = Coalesce(
        NullIf(Subquery(notification.values("recipient__user__full_name")[:1]), Value("")),
        F("target"),
        output_field=CharField(),
    )
    title = Subquery(notification.values("title")[:1])
    url = Subquery(notification.values("url")[:1])
    emails = Delivery.objects.filter(team__isnull=True, notification__isnull=False)
    emails.update(
        recipient_type="member",
        recipient_id=Subquery(notification.values("recipient_id")[:1]),
        recipient_name=Left(name, 200),
        kind=Subquery(notification.values("kind")[:1]),
        about_type=Subquery(notification.values("about_type")[:1]),
        about_id=Subquery(notification.values("about_id")[:1]),
        subject=Left(title, 150),
    )
    signature = Value("\n\n— TeamHub")
    emails.filter(notification__url="").update(message=Concat(title, signature, output_field=TextField()))
    emails.exclude(notification__url="").update(
        message=Concat(title, Value(f"\n\n{settings.SITE_URL}"), url, signature, output_field=TextField())
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("teams", "0008_move_daily_work_out"),
        ("notifications", "0002_any_subject_any_recipient"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
