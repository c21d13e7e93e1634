"""The weekly digest: a person's choice, their one-click unsubscribe, and sending each
digest once.

Once per person per week, whatever runs twice: a digest is claimed by inserting its
:class:`DigestSent` row (unique on membership and week) in the transaction that queues
its e-mail through notifications; a second beat process, or a message delivered again,
fails that insert and sends nothing. The e-mail is written when it is sent
(:func:`render_digest`, registered with notifications.kinds): the brief is read then,
with the person's access at that moment, and the unsubscribe link is derived then, so
neither the stored delivery nor the broker holds it. Someone who unsubscribes after it
was queued is not sent it.

The e-mail goes by e-mail only: a weekly summary in the in-app list would only repeat
the pages. Its recipient is the person as notifications know them (type "member"), so
their current address is looked up at send time and someone who left gets nothing.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from dashboards.models import DigestPreference, DigestSent
from dashboards.selectors import digest as selectors
from notifications import kinds
from notifications.models import Delivery
from notifications.recipients import MEMBER, Recipient, Unreachable
from notifications.services import Message, send

UNSUBSCRIBE_SALT = "dashboards.digest.unsubscribe"
ABOUT = "weekly_digest"


class Kind(models.TextChoices):
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest"


kinds.register(Kind)


# --- Preferences ----------------------------------------------------------------------------


def _validate(weekday, hour) -> None:
    errors = {}
    if weekday is not None and not (isinstance(weekday, int) and 0 <= weekday <= 6):
        errors["weekday"] = "Choose a day from Monday (0) to Sunday (6)."
    if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
        errors["hour"] = "Choose an hour from 0 to 23."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def digest_preference_set(
    *, actor: Membership, enabled: bool | None = None, weekday: int | None = None, hour: int | None = None
) -> DigestPreference:
    """Change the person's own digest: on or off, and its day and hour (organisation
    time). What is left out keeps its value (or the default)."""
    _validate(weekday, hour)
    current = selectors.preference_of(actor)
    values = {
        "organization_id": actor.organization_id,
        "enabled": current.enabled if enabled is None else bool(enabled),
        "weekday": current.weekday if weekday is None else weekday,
        "hour": current.hour if hour is None else hour,
    }
    preference, _ = DigestPreference.objects.update_or_create(membership=actor, defaults=values)
    return preference


def unsubscribe_token(membership: Membership) -> str:
    """The one-click unsubscribe link's token: signed, so nobody can make one for
    someone else by changing a number in it."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(membership.pk))


def membership_for_token(token: str) -> Membership | None:
    """Whose token it is, or None for one TeamHub did not sign."""
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Membership.objects.select_related("user", "organization").filter(pk=pk).first()


@transaction.atomic
def digest_unsubscribe(*, membership: Membership) -> DigestPreference:
    """Stop that one person's digest (their day and hour are kept for when they come back)."""
    return digest_preference_set(actor=membership, enabled=False)


# --- Sending --------------------------------------------------------------------------------


def _recipient(membership: Membership) -> Recipient:
    # membership=None: an e-mail only, no in-app notification (see the module's docstring).
    user = membership.user
    return Recipient(MEMBER, membership.pk, user.display_name, Delivery.Channel.EMAIL, user.email, None)


def digest_send(*, membership: Membership, slot: selectors.Slot) -> DigestSent | None:
    """Claim the person's digest of ``slot``'s week and queue its e-mail, in one
    transaction. None when there is nothing to send (on no team) or it was claimed
    already — by an earlier run, or by a second beat's run at this very moment."""
    teams = selectors.digest_teams(membership)
    if not teams:
        return None
    try:
        with transaction.atomic():
            sent = DigestSent.objects.create(
                organization_id=membership.organization_id,
                membership=membership,
                week=slot.week,
                date_from=slot.date_from,
                date_to=slot.day,
            )
            names = ", ".join(team.name for team in teams)
            message = Message(
                kind=Kind.WEEKLY_DIGEST,
                title=f"Your weekly digest: {names}",
                url=selectors.brief_url(membership, teams, slot.date_from, slot.day),
                about_type=ABOUT,
                about_id=sent.pk,
            )
            send(message, organization_id=membership.organization_id, to=[_recipient(membership)])
            sent.delivery_id = (
                Delivery.objects.filter(about_type=ABOUT, about_id=sent.pk).values_list("pk", flat=True).first()
            )
            sent.save(update_fields=["delivery_id"])
    except IntegrityError:
        return None  # the unique (membership, week) row: someone else sent it
    return sent


def digests_send_due(*, now: dt.datetime | None = None) -> dict:
    """Every organisation's digests due now, each once. Returns what it did."""
    now = now or timezone.now()
    sent, organizations = 0, []
    for organization in Organization.objects.order_by("pk"):
        mine = [due for due in selectors.due_digests(organization, now=now) if digest_send(**vars(due))]
        if mine:
            organizations.append(organization.pk)
            sent += len(mine)
    return {"sent": sent, "organizations": organizations}


# --- The e-mail, written when it is sent ------------------------------------------------------


def render_digest(delivery: Delivery) -> tuple[str, str, str, dict]:
    """The digest e-mail (subject, text, HTML, headers), from the brief as the person may read it
    now; registered with notifications.kinds."""
    sent = (
        DigestSent.objects.select_related("membership__user", "membership__organization")
        .filter(pk=delivery.about_id, organization_id=delivery.organization_id)
        .first()
    )
    if sent is None:
        raise Unreachable("The digest is gone.")
    membership = sent.membership
    if not selectors.preference_of(membership).enabled:
        raise Unreachable(f"{membership.user.display_name} unsubscribed from the weekly digest before it went.")
    teams = selectors.digest_teams(membership)
    if not teams:
        raise Unreachable(f"{membership.user.display_name} is on no team any more.")
    summary = selectors.digest_summary(
        membership=membership, teams=teams, date_from=sent.date_from, date_to=sent.date_to
    )
    site = settings.SITE_URL
    context = {
        "summary": summary,
        "person": membership.user,
        "organization": membership.organization,
        "brief_url": site + summary.brief_url,
        "settings_url": site + reverse("dashboards:digest"),
        "unsubscribe_url": site
        + reverse("dashboards:digest_unsubscribe", kwargs={"token": unsubscribe_token(membership)}),
    }
    subject = f"Weekly digest: {summary.team_names} ({sent.date_from:%-d %b} to {sent.date_to:%-d %b %Y})"
    text = render_to_string("dashboards/digest_email.txt", context)
    html = render_to_string("dashboards/digest_email.html", context)
    # One-click unsubscribe from the mail client itself (RFC 8058): a POST to the link.
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return subject[:150], text, html, headers


kinds.register_renderer(Kind.WEEKLY_DIGEST, render_digest)
