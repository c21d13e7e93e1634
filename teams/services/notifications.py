"""Telling people what they should know: in the app at once, by e-mail after commit.

A delivery that fails is retried a few times by Celery and then marked failed for
admins to see; it never blocks or undoes the save that caused it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role, require_role
from teams.models import Delivery, Handoff, Notification, Team, TeamMembership, Win

Kind = Notification.Kind


def notify(*, recipients, kind: str, title: str, url: str = "", handoff=None, win=None, teams=()) -> list[Notification]:
    """Create one notification per recipient (each once) and queue its e-mail; post to
    the webhook of each of ``teams`` that has one."""
    title = " ".join(title.split())  # one line: reasons and subjects may hold line breaks
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
    deliveries = [
        Delivery(
            organization_id=n.organization_id,
            notification=n,
            channel=Delivery.Channel.EMAIL,
            target=n.recipient.user.email,
        )
        for n in notifications
    ]
    deliveries += [_webhook_post(team, title, url) for team in teams if team.webhook_url]
    _queue(Delivery.objects.bulk_create(deliveries))
    return notifications


def _chat_text(text: str) -> str:
    """Slack-style markup escaped: a subject or reason typed as <!channel> or
    <https://elsewhere|TeamHub> must not ping a channel or disguise a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _webhook_post(team: Team, title: str, url: str) -> Delivery:
    link = f"\n{settings.SITE_URL}{url}" if url else ""
    title = _chat_text(title)
    return Delivery(
        organization_id=team.organization_id,
        team=team,
        channel=Delivery.Channel.WEBHOOK,
        target=team.webhook_url,
        message=f"{title}{link}",
    )


def _queue(deliveries) -> None:
    from teams.tasks import deliver_notification  # tasks import services; import here to avoid a cycle

    for delivery in deliveries:
        enqueue_on_commit(deliver_notification, delivery.pk)


def _handoff_url(handoff: Handoff) -> str:
    # The handoff's page, not the customer's: whoever is told may see the handoff even
    # when the customer belongs to another team.
    return reverse("teams:handoff_detail", kwargs={"pk": handoff.pk})


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
    teams = [handoff.to_team] if handoff.to_team_id else []
    notify(recipients=recipients, kind=kind, title=title, url=_handoff_url(handoff), handoff=handoff, teams=teams)


def handoff_refused(handoff: Handoff, by: Membership) -> None:
    """Declined or returned: the sender needs to find someone else."""
    kind = Kind.HANDOFF_DECLINED if handoff.status == Handoff.Status.DECLINED else Kind.HANDOFF_RETURNED
    verb = "declined" if kind == Kind.HANDOFF_DECLINED else "returned"
    title = f"{by.user.display_name} {verb} “{handoff.subject}”: {handoff.reason}"
    notify(recipients=[handoff.sender], kind=kind, title=title, url=_handoff_url(handoff), handoff=handoff)


def win_spotlighted(win: Win, by: Membership) -> None:
    """The author and everyone who worked on it with them hear of it."""
    title = f"{by.user.display_name} put your win “{win.title}” in the spotlight"
    recipients = [win.author, *win.collaborators.select_related("user")]
    url = reverse("teams:win_detail", kwargs={"pk": win.pk})
    recipients = [person for person in recipients if person.pk != by.pk]
    notify(recipients=recipients, kind=Kind.WIN_SPOTLIGHTED, title=title, url=url, win=win, teams=[win.team])


@transaction.atomic
def notify_sla_breaches(*, now=None, organization_id: int | None = None) -> int:
    """Tell sender and recipient once about each open handoff past its SLA (of one
    organisation, or all). Returns how many handoffs were flagged. Only late ones are
    read and locked (the SLA is a snapshot per handoff, with few distinct values); safe
    to run twice at once."""
    now = now or timezone.now()
    waiting = Handoff.objects.filter(status=Handoff.Status.OPEN, breach_notified_at__isnull=True)
    if organization_id is not None:
        waiting = waiting.filter(organization_id=organization_id)
    late = Q(pk__in=[])
    for hours in waiting.order_by().values_list("sla_hours", flat=True).distinct():
        late |= Q(sla_hours=hours, created_at__lt=now - timedelta(hours=hours))
    candidates = (
        waiting.filter(late)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("sender__user", "to_member__user", "to_team", "account")
    )
    flagged = []
    for handoff in candidates:
        recipients = [handoff.sender, handoff.to_member] if handoff.to_member_id else [handoff.sender]
        teams = []
        if handoff.to_team_id:
            recipients += list(handoff.to_team.managers.select_related("user"))
            teams = [handoff.to_team]
        title = f"“{handoff.subject}” has waited more than {handoff.sla_hours} h to be accepted"
        url = _handoff_url(handoff)
        notify(recipients=recipients, kind=Kind.SLA_BREACH, title=title, url=url, handoff=handoff, teams=teams)
        flagged.append(handoff.pk)
    # Stamped on the handoff: once each, even when nobody could be told in person.
    Handoff.objects.filter(pk__in=flagged).update(breach_notified_at=now)
    return len(flagged)


@transaction.atomic
def notification_mark_read(*, actor: Membership, notification: Notification | None = None) -> int:
    """Mark one (or, without one, all) of the person's notifications read."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


# --- Deliveries (admins) ------------------------------------------------------------------


def _fresh_target(delivery: Delivery) -> str:
    """Where it goes now: the address or URL may have been corrected since it failed."""
    if delivery.channel == Delivery.Channel.WEBHOOK:
        if not delivery.team.webhook_url:
            raise ValidationError(f"{delivery.team.name} has no webhook any more: there is nowhere to send it.")
        return delivery.team.webhook_url
    person = delivery.notification.recipient
    if not person.is_active:
        raise ValidationError(f"{person.user.display_name} has left: it is not sent to them any more.")
    return person.user.email


_RESENT = ["target", "status", "attempts", "last_error", "queued_at", "requeued_at"]


def _reset_for_resend(delivery: Delivery, now) -> None:
    delivery.target = _fresh_target(delivery)
    delivery.status, delivery.attempts, delivery.last_error = Delivery.Status.PENDING, 0, ""
    delivery.queued_at, delivery.requeued_at = now, None  # the stalled-delivery sweep starts afresh


@transaction.atomic
def delivery_retry(*, actor: Membership, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, to the team's or person's current address."""
    require_role(actor, Role.ADMIN)
    if delivery.organization_id != actor.organization_id:
        raise ValidationError("This delivery belongs to another organisation.")
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("team", "notification__recipient__user")
        .get(pk=delivery.pk)
    )  # locked: a double click queues it once
    if delivery.status != Delivery.Status.FAILED:
        state = delivery.get_status_display().lower()
        raise ValidationError(f"Only failed deliveries can be sent again; this one is {state}.")
    _reset_for_resend(delivery, timezone.now())
    delivery.save(update_fields=_RESENT)
    _queue([delivery])
    return delivery


@transaction.atomic
def deliveries_retry_failed(*, actor: Membership) -> int:
    """Send every failed delivery of the organisation again. Those with nowhere to go
    any more stay failed. Returns how many were queued."""
    require_role(actor, Role.ADMIN)
    failed = (
        Delivery.objects.for_org(actor.organization_id)
        .filter(status=Delivery.Status.FAILED)
        .select_related("team", "notification__recipient__user")
        .select_for_update(of=("self",))
    )
    now, queued = timezone.now(), []
    for delivery in failed:
        try:
            _reset_for_resend(delivery, now)
        except ValidationError:
            continue
        queued.append(delivery)
    Delivery.objects.bulk_update(queued, _RESENT)
    _queue(queued)
    return len(queued)


STALLED_AFTER = timedelta(minutes=15)  # far past the retries' own back-off (about 4 minutes)


@transaction.atomic
def deliveries_requeue_stalled(*, now=None) -> int:
    """Deliveries still pending long after they were queued never reached a worker (the
    broker was down at commit, or a worker died). Queue each again once; one that stays
    pending after that is marked failed, so admins see it and can send it again.
    Returns how many were queued again."""
    now = now or timezone.now()
    stalled = Delivery.objects.select_for_update(skip_locked=True).filter(
        status=Delivery.Status.PENDING, queued_at__lt=now - STALLED_AFTER
    )
    stalled.filter(requeued_at__isnull=False).update(
        status=Delivery.Status.FAILED,
        last_error="No worker sent it, even when queued again: check that the Celery worker runs, then send it again.",
    )
    again = list(stalled.filter(requeued_at__isnull=True))
    Delivery.objects.filter(pk__in=[d.pk for d in again]).update(requeued_at=now, queued_at=now)
    _queue(again)
    return len(again)
