"""Fill what 0002 added from what the rows held: a notification's handoff or win
becomes what it is about; a delivery's team becomes its recipient (that team's chat),
its notification's person becomes its recipient, and an e-mail gets the subject and
text it was sent with (they used to be written from the notification when sent).
Set-based: a few UPDATEs, whatever the size of the tables (and a fold in Python
of the few titles typed on several lines).

Its own migration: PostgreSQL refuses to alter a table in the transaction that just
updated its rows with deferred foreign-key checks pending."""

from django.conf import settings
from django.db import migrations
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Left, NullIf, StrIndex, Substr

SUBJECT_LENGTH = 150
# What str.split() splits at, besides the space: the old sender folded titles with
# " ".join(title.split()) before using them as a subject.
OTHER_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


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
        subject=Left(first_line, SUBJECT_LENGTH),
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
        subject=Left(title, SUBJECT_LENGTH),
    )
    _fold_subjects(Delivery, emails)
    signature = Value("\n\n— TeamHub")
    emails.filter(notification__url="").update(message=Concat(title, signature, output_field=TextField()))
    emails.exclude(notification__url="").update(
        message=Concat(title, Value(f"\n\n{settings.SITE_URL}"), url, signature, output_field=TextField())
    )


def _fold_subjects(Delivery, emails):
    """The old sender folded a title's line breaks and runs of spaces into single spaces
    for the subject (a header may not hold a line break), and the sender now sends the
    subject as stored: fold the few titles that need it, found in SQL, the same way."""
    unfolded = Q(notification__title__startswith=" ") | Q(notification__title__endswith=" ")
    unfolded |= Q(notification__title__contains="  ")
    for space in OTHER_WHITESPACE:
        unfolded |= Q(notification__title__contains=space)
    folded = [
        Delivery(pk=pk, subject=" ".join(title.split())[:SUBJECT_LENGTH])
        for pk, title in emails.filter(unfolded).values_list("pk", "notification__title").iterator()
    ]
    Delivery.objects.bulk_update(folded, ["subject"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("teams", "0008_move_daily_work_out"),
        ("notifications", "0002_any_subject_any_recipient"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
