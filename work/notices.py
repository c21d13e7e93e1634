"""What daily work tells people, through notifications: a handoff to them or their
team, a decline or a return, a handoff late past its SLA, a spotlight of their win.

Each notice is written here, where handoffs and wins are understood; notifications/
delivers it in the app, by e-mail and to team chats.
"""

from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from notifications import kinds
from notifications.recipients import member
from notifications.services import Message, send
from teamhub.lib.actors import actor_name
from teams.models import TeamMembership
from teams.selectors import team_chat
from work.models import Handoff, Win


class Kind(models.TextChoices):
    HANDOFF_TO_YOU = "handoff_to_you", "Handed to you"
    HANDOFF_TO_TEAM = "handoff_to_team", "Handed to your team"
    HANDOFF_DECLINED = "handoff_declined", "Handoff declined"
    HANDOFF_RETURNED = "handoff_returned", "Handoff returned"
    SLA_BREACH = "sla_breach", "Handoff not accepted in time"
    WIN_SPOTLIGHTED = "win_spotlighted", "Your win is in the spotlight"


kinds.register(Kind)


def _about_handoff(handoff: Handoff, kind: str, title: str) -> Message:
    # The handoff's page, not the customer's: whoever is told may see the handoff even
    # when the customer belongs to another team.
    url = reverse("work:handoff_detail", kwargs={"pk": handoff.pk})
    return Message(kind=kind, title=title, url=url, about_type="handoff", about_id=handoff.pk)


def _people(memberships) -> list:
    return [member(person) for person in memberships]


def handoff_sent(handoff: Handoff) -> None:
    sender = handoff.sender.user.display_name
    if handoff.to_member_id:
        title = f"{sender} handed you “{handoff.subject}” ({handoff.account.name})"
        to = _people([handoff.to_member])
        message = _about_handoff(handoff, Kind.HANDOFF_TO_YOU, title)
    else:
        team = handoff.to_team
        seats = TeamMembership.objects.filter(team=team).select_related("membership__user")
        people = [s.membership for s in seats] + list(team.managers.select_related("user"))
        to = [*_people([p for p in people if p.pk != handoff.sender_id]), team_chat(team)]
        message = _about_handoff(handoff, Kind.HANDOFF_TO_TEAM, f"{sender} handed {team.name} “{handoff.subject}”")
    send(message, organization_id=handoff.organization_id, to=to)


def handoff_refused(handoff: Handoff, by) -> None:
    """Declined or returned (by a person, or by TeamHub for someone who left): the
    sender needs to find someone else."""
    declined = handoff.status == Handoff.Status.DECLINED
    kind = Kind.HANDOFF_DECLINED if declined else Kind.HANDOFF_RETURNED
    title = f"{actor_name(by)} {'declined' if declined else 'returned'} “{handoff.subject}”: {handoff.reason}"
    send(_about_handoff(handoff, kind, title), organization_id=handoff.organization_id, to=_people([handoff.sender]))


def win_spotlighted(win: Win, by: Membership) -> None:
    """The author and everyone who worked on it with them hear of it, and the team's chat."""
    title = f"{by.user.display_name} put your win “{win.title}” in the spotlight"
    url = reverse("work:win_detail", kwargs={"pk": win.pk})
    message = Message(kind=Kind.WIN_SPOTLIGHTED, title=title, url=url, about_type="win", about_id=win.pk)
    people = [p for p in [win.author, *win.collaborators.select_related("user")] if p.pk != by.pk]
    send(message, organization_id=win.organization_id, to=[*_people(people), team_chat(win.team)])


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
        people = [handoff.sender, handoff.to_member] if handoff.to_member_id else [handoff.sender]
        to = []
        if handoff.to_team_id:
            people += list(handoff.to_team.managers.select_related("user"))
            to = [team_chat(handoff.to_team)]
        title = f"“{handoff.subject}” has waited more than {handoff.sla_hours} h to be accepted"
        message = _about_handoff(handoff, Kind.SLA_BREACH, title)
        send(message, organization_id=handoff.organization_id, to=[*_people(people), *to])
        flagged.append(handoff.pk)
    # Stamped on the handoff: once each, even when nobody could be told in person.
    Handoff.objects.filter(pk__in=flagged).update(breach_notified_at=now)
    return len(flagged)
