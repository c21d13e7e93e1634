"""Telling people what they should know: in the app at once, by e-mail after commit.

A delivery that fails is retried a few times by Celery and then marked failed for
admins to see; it never blocks or undoes the save that caused it.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from teamhub.lib.queue import enqueue_on_commit
from teams.models import Delivery, Handoff, Notification, TeamMembership, Win

Kind = Notification.Kind


def notify(*, recipients, kind: str, title: str, url: str = "", handoff=None, win=None) -> list[Notification]:
    """Create one notification per recipient (each once) and queue its e-mail."""
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    notifications = [
        Notification(
            organization_id=person.organization_id,
            recipient=person,
            kind=kind,
            title=title[:240],
            url=url,
            handoff=handoff,
            win=win,
        )
        for person in people.values()
    ]
    Notification.objects.bulk_create(notifications)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=Delivery.Channel.EMAIL, target=n.recipient.user.email) for n in notifications]
    )
    from teams.tasks import deliver_notification  # tasks import services; import here to avoid a cycle

    for delivery in deliveries:
        enqueue_on_commit(deliver_notification, delivery.pk)
    return notifications


def _account_url(handoff: Handoff) -> str:
    return reverse("customers:account_detail", kwargs={"pk": handoff.account_id})


def handoff_sent(handoff: Handoff) -> None:
    if handoff.to_member_id:
        recipients, kind = [handoff.to_member], Kind.HANDOFF_TO_YOU
        title = f"{handoff.sender.user.display_name} handed you “{handoff.subject}” ({handoff.account.name})"
    else:
        seats = TeamMembership.objects.filter(team=handoff.to_team).select_related("membership__user")
        recipients = [s.membership for s in seats] + list(handoff.to_team.managers.select_related("user"))
        recipients = [r for r in recipients if r.pk != handoff.sender_id]
        kind = Kind.HANDOFF_TO_TEAM
        title = f"{handoff.sender.user.display_name} handed {handoff.to_team.name} “{handoff.subject}”"
    notify(recipients=recipients, kind=kind, title=title, url=_account_url(handoff), handoff=handoff)


def handoff_refused(handoff: Handoff, by: Membership) -> None:
    """Declined or returned: the sender needs to find someone else."""
    kind = Kind.HANDOFF_DECLINED if handoff.status == Handoff.Status.DECLINED else Kind.HANDOFF_RETURNED
    verb = "declined" if kind == Kind.HANDOFF_DECLINED else "returned"
    title = f"{by.user.display_name} {verb} “{handoff.subject}”: {handoff.reason}"
    notify(recipients=[handoff.sender], kind=kind, title=title, url=_account_url(handoff), handoff=handoff)


def win_spotlighted(win: Win, by: Membership) -> None:
    title = f"{by.user.display_name} put your win “{win.title}” in the spotlight"
    notify(recipients=[win.author], kind=Kind.WIN_SPOTLIGHTED, title=title, win=win)


@transaction.atomic
def notify_sla_breaches(*, now=None) -> int:
    """Tell sender and recipient once about each open handoff past its SLA. Returns
    how many handoffs were flagged. Safe to run twice at once: rows are locked."""
    now = now or timezone.now()
    already = Notification.objects.filter(kind=Kind.SLA_BREACH).values("handoff_id")
    candidates = (
        Handoff.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Handoff.Status.OPEN)
        .exclude(pk__in=already)
        .select_related("sender__user", "to_member__user", "to_team", "account")
    )
    flagged = 0
    for handoff in candidates:
        if (now - handoff.created_at).total_seconds() <= handoff.sla_hours * 3600:
            continue
        recipients = [handoff.sender, handoff.to_member] if handoff.to_member_id else [handoff.sender]
        if handoff.to_team_id:
            recipients += list(handoff.to_team.managers.select_related("user"))
        title = f"“{handoff.subject}” has waited more than {handoff.sla_hours} h to be accepted"
        notify(recipients=recipients, kind=Kind.SLA_BREACH, title=title, url=_account_url(handoff), handoff=handoff)
        flagged += 1
    return flagged


@transaction.atomic
def notification_mark_read(*, actor: Membership, notification: Notification | None = None) -> int:
    """Mark one (or, without one, all) of the person's notifications read."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
