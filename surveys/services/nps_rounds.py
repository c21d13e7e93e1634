"""Customer NPS and CSAT rounds: who may run one, whom it asks, sending it once, closing it.

Admins ask any account's contacts; managers the contacts of the accounts their teams
own. A round's audience is the contacts of the chosen accounts, of the accounts the
chosen teams own and of the accounts in the chosen segments — those with an e-mail
address, who have not opted out, and who were not asked within the organisation's
throttle (``survey_throttle_days``). The preview says why each one left out is.

Sending is once per contact whatever runs twice: the round is claimed by a conditional
update (draft to open), each contact gets one invitation (unique per round and
contact), and each invitation's e-mail is queued once (a conditional update on its
``sent_at``, in the transaction that writes the notification). The e-mail itself is
written when it is sent (``render_invitation``), from the invitation's id: its personal
links are derived from the invitation's nonce then, and stored nowhere.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from customers.models import Contact, CustomerAccount
from customers.selectors import contact_email
from notifications import kinds
from notifications.models import Delivery
from notifications.recipients import Unreachable
from notifications.services import Message, send
from surveys.models import NpsFeedback, NpsInvitation, NpsRound
from surveys.models.feedback import FeedbackKind, nps_link_token, nps_token_hash
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role, require_role, require_same_org
from teams.models import Team

S = NpsRound.Status
TITLE_LENGTH = 160
MAX_SEGMENTS = 20
LONGEST_ROUND = timedelta(days=90)
# An invitation still unsent this long after the round was sent lost its message (the
# broker was down at commit): the beat job sends it.
UNSENT_AFTER = timedelta(minutes=5)
SUPPORTED_LANGUAGES = ("en", "de", "fr", "es")


class Kind(models.TextChoices):
    NPS_INVITATION = "nps_invitation", "A customer survey"


kinds.register(Kind)


# --- Access: one place for rounds ------------------------------------------------------------


def managed_team_ids(membership: Membership) -> set[int]:
    return set(Team.objects.filter(managers=membership).values_list("pk", flat=True))


def can_manage_nps_round(membership, round_: NpsRound) -> bool:
    """Admins run any round; a manager one whose chosen accounts and teams are all
    theirs. A segment reaches, for a manager, only their teams' accounts, so a round
    asking segments is run by the manager who made it (or an admin), not taken over
    by another, who would send it to their own accounts alone."""
    if round_.organization_id != membership.organization_id or not has_role(membership, Role.MANAGER):
        return False
    if has_role(membership, Role.ADMIN):
        return True
    mine = managed_team_ids(membership)
    if not mine or (round_.segments and round_.created_by_id != membership.pk):
        return False
    account_teams = set(round_.accounts.values_list("owning_team_id", flat=True))
    return account_teams <= mine and set(round_.teams.values_list("pk", flat=True)) <= mine


def access_nps_round(*, membership: Membership, round_id, write: bool = False) -> NpsRound:
    """Another organisation's round is not found; members, who do not run surveys, are
    refused (403); ``write`` needs someone who may run it."""
    round_ = get_visible_or_404(NpsRound.objects.select_related("organization"), membership, pk=round_id)
    if write and not can_manage_nps_round(membership, round_):
        raise PermissionDenied("Only an admin, or a manager of every account it asks, can run this round.")
    return round_


def _require_manager(actor, round_: NpsRound) -> None:
    require_role(actor, Role.MANAGER)
    require_same_org(actor, round_)
    if not can_manage_nps_round(actor, round_):
        raise PermissionDenied("Only an admin, or a manager of every account it asks, can run this round.")


# --- The audience ----------------------------------------------------------------------------


@dataclass
class Audience:
    asked: list = field(default_factory=list)  # Contacts
    left_out: list = field(default_factory=list)  # (Contact, why)


def _accounts_of(round_: NpsRound, actor):
    chosen = Q(pk__in=round_.accounts.values("pk")) | Q(owning_team__in=round_.teams.values("pk"))
    if round_.segments:
        chosen |= Q(segment__in=round_.segments)
    accounts = CustomerAccount.objects.for_org(round_.organization_id).filter(chosen)
    if not has_role(actor, Role.ADMIN):
        accounts = accounts.filter(owning_team__managers=actor)
    return accounts


def nps_round_audience(*, actor, round_: NpsRound, now=None) -> Audience:
    """Whom sending the round now would ask, and who is left out and why (one query)."""
    now = now or timezone.now()
    days = round_.organization.survey_throttle_days
    recent = (
        NpsInvitation.objects.filter(
            organization_id=round_.organization_id, contact=OuterRef("pk"), created_at__gt=now - timedelta(days=days)
        )
        .exclude(round=round_)
        .order_by("-created_at")
    )
    contacts = (
        Contact.objects.filter(account__in=_accounts_of(round_, actor))
        .select_related("account")
        .annotate(last_asked=Subquery(recent.values("created_at")[:1]))
        .order_by("account__name", "name", "pk")
    )
    audience = Audience()
    zone = ZoneInfo(round_.organization.timezone)
    for contact in contacts:
        if not contact.email:
            audience.left_out.append((contact, "No e-mail address"))
        elif contact.survey_opt_out:
            audience.left_out.append((contact, "Opted out of surveys"))
        elif days and contact.last_asked is not None:
            asked_on = timezone.localtime(contact.last_asked, zone)
            why = f"Asked on {asked_on.day} {asked_on:%B %Y}, within the {days}-day limit"
            audience.left_out.append((contact, why))
        else:
            audience.asked.append(contact)
    return audience


# --- Creating, sending, closing --------------------------------------------------------------


def _check_audience(actor, accounts, teams, segments) -> list[str]:
    for obj in [*accounts, *teams]:
        require_same_org(actor, obj)
    segments = sorted({" ".join(str(s).split()) for s in segments} - {""})
    if len(segments) > MAX_SEGMENTS or any(len(s) > 60 for s in segments):
        raise ValidationError({"segments": f"Choose at most {MAX_SEGMENTS} segments, each under 60 characters."})
    if not (accounts or teams or segments):
        raise ValidationError({"accounts": "Choose whom to ask: accounts, teams or segments."})
    if has_role(actor, Role.ADMIN):
        return segments
    mine = managed_team_ids(actor)
    others = [a.name for a in accounts if a.owning_team_id not in mine]
    if others:
        raise ValidationError({"accounts": f"You may ask only your teams' accounts; not {', '.join(others)}."})
    if any(t.pk not in mine for t in teams):
        raise ValidationError({"teams": "You may ask only the accounts of teams you manage."})
    if not mine:
        raise PermissionDenied("Only an admin, or a manager for their teams' accounts, sends customer surveys.")
    return segments


def _check_closing(closes_at, now) -> None:
    if closes_at is None or closes_at <= now:
        raise ValidationError({"closes_at": "The closing date must be in the future."})
    if closes_at > now + LONGEST_ROUND:
        raise ValidationError({"closes_at": "A round stays open 90 days at most."})


@transaction.atomic
def nps_round_create(
    *, actor, title: str, kind: str = FeedbackKind.NPS, accounts=(), teams=(), segments=(), closes_at, now=None
) -> NpsRound:
    """A draft round: what it asks (NPS or CSAT), whom, and until when."""
    require_role(actor, Role.MANAGER)
    now = now or timezone.now()
    title = " ".join((title or "").split())
    if not title or len(title) > TITLE_LENGTH:
        raise ValidationError({"title": f"Give the round a title (up to {TITLE_LENGTH} characters)."})
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": "Choose NPS (0 to 10) or CSAT (1 to 5)."})
    accounts, teams = list(accounts), list(teams)
    segments = _check_audience(actor, accounts, teams, segments)
    _check_closing(closes_at, now)
    round_ = NpsRound.objects.create(
        organization_id=actor.organization_id,
        title=title,
        kind=kind,
        segments=segments,
        closes_at=closes_at,
        created_by=actor,
    )
    round_.accounts.set(accounts)
    round_.teams.set(teams)
    return round_


def _new_invitation(round_: NpsRound, contact: Contact) -> NpsInvitation:
    nonce = secrets.token_urlsafe(32)
    return NpsInvitation(
        organization_id=round_.organization_id,
        round=round_,
        contact=contact,
        account_id=contact.account_id,
        token_nonce=nonce,
        token_hash=nps_token_hash(nps_link_token(nonce)),
    )


@transaction.atomic
def nps_round_send(*, actor, round_: NpsRound, now=None) -> int:
    """Send a draft: invite its audience as previewed, and queue their e-mails (sent
    by a task after commit). Returns how many are asked. Sent once: a second click, or
    two at once, finds the round no longer a draft."""
    from surveys.tasks import send_nps_invitations  # tasks import services

    _require_manager(actor, round_)
    now = now or timezone.now()
    _check_closing(round_.closes_at, now)
    claimed = NpsRound.objects.filter(pk=round_.pk, status=S.DRAFT).update(status=S.OPEN, opened_at=now)
    if not claimed:
        raise ValidationError("This round was sent already.")
    round_.refresh_from_db(fields=["status", "opened_at"])
    # Lock the contacts (in id order, as every sender does): a round sent at the same
    # moment to some of them waits, then sees these invitations and leaves them out.
    list(
        Contact.objects.filter(account__in=_accounts_of(round_, actor))
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    asked = nps_round_audience(actor=actor, round_=round_, now=now).asked
    if not asked:
        raise ValidationError("Nobody to ask: every contact of this audience is left out (see why below).")
    NpsInvitation.objects.bulk_create([_new_invitation(round_, c) for c in asked], ignore_conflicts=True)
    enqueue_on_commit(send_nps_invitations, round_.pk)
    return len(asked)


def nps_invitations_send(*, round_id: int, now=None) -> int:
    """Queue the e-mail of each invitation of an open round not queued yet (the task's
    body). Each is claimed by a conditional update in the transaction that writes its
    notification, so two copies of the task, or the beat's sweep beside it, queue each
    once. Returns how many this call queued."""
    now = now or timezone.now()
    round_ = NpsRound.objects.select_related("organization").filter(pk=round_id, status=S.OPEN).first()
    if round_ is None or round_.closes_at <= now:
        return 0
    waiting = NpsInvitation.objects.filter(round=round_, sent_at__isnull=True).select_related("contact")
    queued = 0
    for invitation in waiting.order_by("pk"):
        with transaction.atomic():
            if NpsInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=now):
                _notify(round_, invitation)
                queued += 1
    return queued


def _notify(round_: NpsRound, invitation: NpsInvitation) -> None:
    # No link here: the row keeps words without secrets, and render_invitation writes
    # the e-mail, links and all, when it is sent.
    message = Message(
        kind=Kind.NPS_INVITATION,
        title=f"{round_.organization.name}: {round_.title}",
        about_type="nps_invitation",
        about_id=invitation.pk,
        body=f"{round_.organization.name} asks for your feedback ({round_.get_kind_display()}); "
        "the e-mail with the personal link is written when it is sent.",
    )
    send(message, organization_id=round_.organization_id, to=[contact_email(invitation.contact)])


@transaction.atomic
def nps_round_close(*, actor, round_: NpsRound, now=None) -> NpsRound:
    """Close an open round now: its links stop taking answers."""
    _require_manager(actor, round_)
    now = now or timezone.now()
    if not NpsRound.objects.filter(pk=round_.pk, status=S.OPEN).update(status=S.CLOSED, closed_at=now):
        raise ValidationError("Only an open round can be closed.")
    round_.refresh_from_db(fields=["status", "closed_at"])
    return round_


@transaction.atomic
def nps_round_discard(*, actor, round_: NpsRound) -> None:
    """Delete a draft (nobody was asked yet); a sent round stays, with its answers."""
    _require_manager(actor, round_)
    if not NpsRound.objects.filter(pk=round_.pk, status=S.DRAFT).delete()[0]:
        raise ValidationError("Only a draft can be discarded; close a sent round instead.")


def nps_rounds_run(*, now=None) -> dict:
    """One pass of the beat job: close the rounds whose time is up, and send the
    invitations whose message was lost. Correct when two run at once."""
    now = now or timezone.now()
    closed = NpsRound.objects.filter(status=S.OPEN, closes_at__lte=now).update(status=S.CLOSED, closed_at=now)
    stale = NpsInvitation.objects.filter(
        round__status=S.OPEN, round__closes_at__gt=now, sent_at__isnull=True, created_at__lte=now - UNSENT_AFTER
    )
    sent = sum(nps_invitations_send(round_id=pk, now=now) for pk in stale.values_list("round_id", flat=True).distinct())
    return {"closed": closed, "sent": sent}


# --- Reads for the pages and the API ---------------------------------------------------------


def nps_round_list(*, membership: Membership):
    """The organisation's rounds, newest first, with how many were asked and answered."""

    def count(model):  # a subquery each: joining both would multiply the rows
        rows = model.objects.filter(round=OuterRef("pk")).order_by().values("round")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    return NpsRound.objects.visible_to(membership).annotate(invited=count(NpsInvitation), responses=count(NpsFeedback))


def nps_round_answers(*, membership: Membership, round_: NpsRound):
    """The round's answers the person may read: those about accounts they have full
    access to (customer feedback is not anonymous; it belongs to the account's people)."""
    return (
        NpsFeedback.objects.visible_to(membership)
        .filter(round=round_)
        .select_related("contact", "account", "team")
        .order_by("-updated_at", "-pk")
    )


def nps_round_segments(*, membership: Membership) -> list[str]:
    """The segments of the accounts the person may ask (for choosing an audience)."""
    accounts = CustomerAccount.objects.for_org(membership.organization_id).exclude(segment="")
    if not has_role(membership, Role.ADMIN):
        accounts = accounts.filter(owning_team__managers=membership)
    return list(accounts.order_by("segment").values_list("segment", flat=True).distinct())


def closes_at_end_of(day: dt.date, organization) -> dt.datetime:
    """A closing date as the round's end: midnight after it, in the organisation's zone."""
    zone = ZoneInfo(organization.timezone)
    return dt.datetime.combine(day + timedelta(days=1), dt.time(0, 0), tzinfo=zone)


# --- The e-mail, written when it is sent -----------------------------------------------------


def contact_language(contact: Contact | None, fallback: str = "") -> str:
    """The contact's own language, else ``fallback`` (their browser's), else English."""
    for choice in ((contact.language if contact else ""), fallback):
        base = (choice or "").split("-")[0].lower()
        if base in SUPPORTED_LANGUAGES:
            return base
    return "en"


def speaking(language: str):
    """Translations, dates and numbers in ``language``: English as written in Britain
    (18 December 2026), like the rest of TeamHub."""
    return translation.override("en-gb" if language == "en" else language)


def link_url(raw_token: str, *, score: int | None = None) -> str:
    if score is None:
        return settings.SITE_URL + reverse("surveys:link", kwargs={"token": raw_token})
    return settings.SITE_URL + reverse("surveys:link_score", kwargs={"token": raw_token, "score": score})


def scale(kind: str) -> range:
    low, high = (0, 10) if kind == FeedbackKind.NPS else (1, 5)
    return range(low, high + 1)


def render_invitation(delivery: Delivery) -> tuple[str, str, str]:
    """The invitation e-mail (subject, text, HTML) in the contact's language, its links
    derived now from the invitation's nonce (registered with notifications.kinds)."""
    invitation = (
        NpsInvitation.objects.select_related("round__organization", "contact")
        .filter(pk=delivery.about_id, organization_id=delivery.organization_id)
        .first()
    )
    if invitation is None:
        raise Unreachable("The survey invitation is gone.")
    round_ = invitation.round
    if round_.status != S.OPEN or round_.closes_at <= timezone.now():
        raise Unreachable("The round closed before its e-mail went: it is not sent.")
    raw = nps_link_token(invitation.token_nonce)
    zone = ZoneInfo(round_.organization.timezone)
    context = {
        "round": round_,
        "organization": round_.organization.name,
        "contact": invitation.contact,
        "is_nps": round_.kind == FeedbackKind.NPS,
        "scores": [(n, link_url(raw, score=n)) for n in scale(round_.kind)],
        "page_url": link_url(raw),
        "opt_out_url": settings.SITE_URL + reverse("surveys:link_opt_out", kwargs={"token": raw}),
        "closes": timezone.localtime(round_.closes_at, zone) - timedelta(minutes=1),
    }
    with speaking(contact_language(invitation.contact)):
        subject = " ".join(render_to_string("surveys/nps/email_subject.txt", context).split())
        text = render_to_string("surveys/nps/email.txt", context)
        html = render_to_string("surveys/nps/email.html", context)
    return subject, text, html


kinds.register_renderer(Kind.NPS_INVITATION, render_invitation)


def nps_invitation_for_round(*, round_: NpsRound) -> dict:
    """How far a sent round got: asked, e-mails queued, answered."""
    return round_.invitations.aggregate(
        asked=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False)), answered=Count("answered_at")
    )
