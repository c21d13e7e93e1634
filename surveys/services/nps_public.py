"""A customer's personal survey link: finding its invitation, answering, opting out.

The link is the only key: no login. Its token is looked up by digest across every
organisation in one query, so a token that never existed and one of another
organisation's round take the same path and answer the same way. A link works for
its own contact and round alone, and stops taking answers when the round closes.
TeamHub records the answer as a system actor granted only that.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Contact
from surveys.models import NpsFeedback, NpsInvitation, NpsRound
from surveys.models.feedback import nps_token_hash
from surveys.services.feedback import RECORD_FEEDBACK, feedback_record
from teamhub.lib.actors import system_actor

LINK_ACTOR = "a customer's survey link"
# Longer than any token TeamHub makes: refused before hashing a megabyte of path.
TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Link:
    invitation: NpsInvitation | None
    state: str  # "open", "closed" (answers 410) or "unknown" (answers 404)

    @property
    def round(self) -> NpsRound | None:
        return self.invitation.round if self.invitation else None


def link_for_token(raw: str, *, now=None) -> Link:
    """The invitation a token opens, and whether its round still takes answers."""
    now = now or timezone.now()
    digest = nps_token_hash((raw or "")[:TOKEN_LENGTH])
    invitation = (
        NpsInvitation.objects.select_related("round__organization", "contact__account")
        .filter(token_hash=digest)
        .first()
    )
    if invitation is None or len(raw or "") > TOKEN_LENGTH:
        return Link(None, "unknown")
    round_ = invitation.round
    is_open = round_.status == NpsRound.Status.OPEN and round_.closes_at > now
    return Link(invitation, "open" if is_open else "closed")


def link_answer(*, invitation: NpsInvitation) -> NpsFeedback | None:
    """The contact's answer to the round so far, if any."""
    return NpsFeedback.objects.filter(round_id=invitation.round_id, contact_id=invitation.contact_id).first()


@transaction.atomic
def nps_link_answer(*, invitation: NpsInvitation, score, comment: str | None = None, now=None) -> NpsFeedback:
    """Record (or change) the contact's answer to the round. ``comment`` None keeps the
    comment they gave (a score clicked in the e-mail). Raises ValidationError for a bad
    score or a round that no longer takes answers."""
    from django.core.exceptions import ValidationError

    now = now or timezone.now()
    # Locked: the contact's two tabs answering at once change one row, in turn.
    invitation = NpsInvitation.objects.select_for_update().select_related("round__organization").get(pk=invitation.pk)
    round_ = invitation.round
    if round_.status != NpsRound.Status.OPEN or round_.closes_at <= now:
        raise ValidationError("This survey is closed: answers can no longer be changed.")
    contact = Contact.objects.select_related("account").get(pk=invitation.contact_id)
    if comment is None:
        previous = link_answer(invitation=invitation)
        comment = previous.comment if previous else ""
    actor = system_actor(round_.organization, LINK_ACTOR, RECORD_FEEDBACK)
    record = {
        "actor": actor,
        "account": contact.account,
        "contact": contact,
        "score": score,
        "comment": comment,
        "kind": round_.kind,
        "channel": NpsFeedback.Channel.LINK,
        "round_": round_,
        "received_at": now,
    }
    try:
        with transaction.atomic():
            feedback, _ = feedback_record(**record)
    except IntegrityError:
        # The first answer raced another first answer: it is a change now.
        feedback, _ = feedback_record(**record)
    NpsInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
    return feedback


@transaction.atomic
def nps_link_opt_out(*, invitation: NpsInvitation) -> None:
    """The contact asks not to be surveyed again: honoured for every later round, and
    for e-mails already queued (notifications ask again before each send). The
    contact's own choice, made from their link, so no person of the organisation acts."""
    Contact.objects.filter(pk=invitation.contact_id, survey_opt_out=False).update(survey_opt_out=True)
