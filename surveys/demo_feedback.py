"""Demo customer feedback at Northwind Outfitters: two closed NPS rounds answered across
the accounts, with comments; the detractors' follow-ups in every state (done with what
was done, in progress, open and late, dropped with why); promoters flagged, some of
them thanked; and a few answers from a webhook (Typeform) and a CSV import of history.

Feedback goes through ``feedback_record`` as TeamHub itself would record it. The
rounds' answers arrived weeks ago, so the loop is run as it ran then (``at=``); the
follow-ups then move as their owners moved them. Fixed data, dates relative to now.
"""

import datetime as dt
import random

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership
from customers import services as customer_services
from customers.models import Contact, CustomerAccount, FollowUp
from notifications.models import Delivery, Notification
from surveys.models import NpsFeedback, NpsRound
from surveys.notices import Kind
from surveys.services.feedback import RECORD_FEEDBACK, feedback_record
from surveys.services.loop import feedback_close_loop, feedback_thank
from teamhub.lib.actors import system_actor
from teamhub.lib.tenancy import Role

# (title, days ago it opened, days it stayed open)
ROUNDS = [("Spring customer NPS", 100, 14), ("Autumn customer NPS", 45, 14)]

# Each team's customers lean one way, and move between the rounds: (spring, autumn) centres.
TEAM_MOOD = {
    "Trailhead Wholesale": (7.5, 8.5),
    "Expeditions & Schools": (8.5, 9.0),
    "Corporate Outfitting": (7.0, 5.5),
    "Online Direct": (6.0, 7.5),
    "Rental & Repair Partners": (8.0, 8.0),
}

DETRACTOR_COMMENTS = [
    "Two deliveries this season arrived a week late, and nobody told us.",
    "The replacement zips took a month. Our customers noticed.",
    "Invoices keep arriving with the wrong prices; we spend hours fixing them.",
    "We were promised samples for the buying meeting and they never came.",
    "Hard to reach anyone on the phone before ten.",
    "",
]
PASSIVE_COMMENTS = [
    "Good products, but the ordering portal is slow.",
    "Fine overall. The new-season catalogue came late.",
    "Decent service; delivery slots could be more flexible.",
    "",
]
PROMOTER_COMMENTS = [
    "Our account manager knows our shop better than we do.",
    "Always quick to sort out a problem: the best supplier we have.",
    "The school trip kit arrived early and complete. Brilliant.",
    "Repairs come back fast and the team explains what they did.",
    "",
]
OUTCOMES = [
    "Called the buyer, apologised and credited the delivery charge; next order goes express.",
    "Visited the store, replaced the faulty stock and agreed a monthly check-in.",
    "Fixed the price list in the CRM and re-sent the corrected invoices.",
    "Sent the samples by courier and booked the buying meeting again.",
]
DROPPED = "The contact left the company; the new buyer is being introduced by the account lead."

# A few answers from other tools: (account ref, score, comment, minutes ago, external id).
# The webhook's came in this morning (their detractors' follow-ups are open); the
# import is last year's history (it counts, but opens no follow-up).
WEBHOOK = [
    ("NW-1203", 4, "Still waiting for the hi-vis reorder we placed a fortnight ago.", 25, "typeform-r-8f2a"),
    ("NW-1301", 9, "Checkout and delivery were painless this time.", 70, "typeform-r-8f2b"),
    ("NW-1004", 6, "Helpful people, but the stock levels shown online are wrong.", 140, "typeform-r-8f2c"),
]
DAY = 24 * 60
IMPORTED = [
    ("NW-1001", 9, "Great range for the winter season.", 300 * DAY, "crm-2025-0101"),
    ("NW-1103", 10, "The expedition kit was spot on.", 280 * DAY, "crm-2025-0102"),
    ("NW-1202", 5, "Safety boots sizes ran small.", 260 * DAY, "crm-2025-0103"),
    ("NW-1302", 8, "", 240 * DAY, "crm-2025-0104"),
]


def seed(organization) -> str:
    if NpsRound.objects.for_org(organization.pk).exists():
        return "Customer feedback demo data: already there."
    admin = Membership.objects.filter(organization=organization, role=Role.ADMIN).order_by("pk").first()
    robot = system_actor(organization, "the demo seed", RECORD_FEEDBACK)
    accounts = list(
        CustomerAccount.objects.for_org(organization.pk).select_related("owning_team", "lead").order_by("external_ref")
    )
    contacts = {}
    for contact in Contact.objects.filter(account__in=accounts).order_by("pk"):
        contacts.setdefault(contact.account_id, []).append(contact)
    now = timezone.now()
    rng = random.Random(1107)  # noqa: S311 (demo data, not security)
    answers = 0
    for index, (title, opened_days, open_days) in enumerate(ROUNDS):
        round_ = _round(organization, admin, accounts, title, now - dt.timedelta(days=opened_days), open_days)
        for account in accounts:
            for contact in contacts.get(account.pk, [])[:2]:
                if contact.survey_opt_out or rng.random() < 0.2:
                    continue  # not everyone answers
                score = _score(rng, account, index)
                received = round_.opened_at + dt.timedelta(hours=rng.randint(2, 24 * (open_days - 1)))
                feedback, _ = feedback_record(
                    actor=robot,
                    account=account,
                    contact=contact,
                    score=score,
                    comment=_comment(rng, score),
                    channel=NpsFeedback.Channel.LINK,
                    round_=round_,
                    received_at=received,
                )
                # The loop as it ran when the answer came in (it is history by now).
                feedback_close_loop(feedback=feedback, at=received)
                answers += 1
    by_ref = {a.external_ref: a for a in accounts}
    others = _other_tools(robot, by_ref, contacts, now)
    moved = _move_follow_ups(organization, admin, now)
    thanked = _thank(organization, admin, now)
    _quiet_history(organization, now)
    flagged = NpsFeedback.objects.filter(organization=organization, possible_reference=True).count()
    return (
        f"Customer feedback demo data: {len(ROUNDS)} NPS rounds, {answers} answers, {others} from other tools, "
        f"{moved} detractor follow-ups, {flagged} promoters flagged ({thanked} thanked)."
    )


def _round(organization, admin, accounts, title, opened_at, open_days) -> NpsRound:
    closes_at = opened_at + dt.timedelta(days=open_days)
    round_ = NpsRound.objects.create(
        organization=organization,
        title=title,
        status=NpsRound.Status.CLOSED,
        opened_at=opened_at,
        closes_at=closes_at,
        closed_at=closes_at,
        created_by=admin,
    )
    round_.accounts.set(accounts)
    return round_


def _score(rng, account, index: int) -> int:
    centre = TEAM_MOOD.get(account.owning_team.name, (7.5, 7.5))[index]
    return max(0, min(10, round(rng.gauss(centre, 1.8))))


def _comment(rng, score: int) -> str:
    pool = DETRACTOR_COMMENTS if score <= 6 else PROMOTER_COMMENTS if score >= 9 else PASSIVE_COMMENTS
    return rng.choice(pool)


def _other_tools(robot, by_ref, contacts, now) -> int:
    made = 0
    rows = [(*row, NpsFeedback.Channel.WEBHOOK) for row in WEBHOOK]
    rows += [(*row, NpsFeedback.Channel.IMPORT) for row in IMPORTED]
    for ref, score, comment, minutes, external_id, channel in rows:
        account = by_ref.get(ref)
        if account is None:
            continue
        people = contacts.get(account.pk) or [None]
        feedback_record(
            actor=robot,
            account=account,
            contact=people[-1],
            score=score,
            comment=comment,
            channel=channel,
            external_id=external_id,
            received_at=now - dt.timedelta(minutes=minutes),
        )
        made += 1
    return made


def _move_follow_ups(organization, admin, now) -> int:
    """Most detractors of the spring round were called back; the autumn's are in every
    state; the webhook's latest is still open."""
    follow_ups = list(
        FollowUp.objects.filter(account__organization=organization, nps_feedback__isnull=False)
        .select_related("account__owning_team", "owner", "nps_feedback")
        .order_by("created_at", "pk")
    )
    for n, follow_up in enumerate(follow_ups):
        actor = follow_up.owner or admin
        opened = follow_up.created_at
        age = now - opened
        if age < dt.timedelta(days=10):
            continue  # recent: still open
        started = opened + dt.timedelta(hours=3 + n % 20)
        _set(actor, follow_up, "in_progress", started)
        if n % 7 == 5:
            _set(actor, follow_up, "cancelled", started + dt.timedelta(days=1), DROPPED)
        elif age > dt.timedelta(days=60) or n % 3 != 0:
            outcome = OUTCOMES[n % len(OUTCOMES)]
            _set(actor, follow_up, "done", started + dt.timedelta(days=1 + n % 3), outcome)
        elif n % 2:
            # Never started: put back to open, and late.
            _set(actor, follow_up, "open", started)
    return len(follow_ups)


def _set(actor, follow_up, status, at, outcome=None) -> None:
    customer_services.follow_up_set_status(actor=actor, follow_up=follow_up, status=status, outcome=outcome, at=at)


def _thank(organization, admin, now) -> int:
    """Every other promoter of the spring round has been thanked."""
    promoters = NpsFeedback.objects.filter(
        organization=organization, possible_reference=True, received_at__lt=now - dt.timedelta(days=60)
    ).order_by("pk")
    thanked = 0
    for n, feedback in enumerate(promoters):
        if n % 2 == 0:
            feedback_thank(actor=admin, feedback=feedback)
            thanked += 1
    return thanked


def _quiet_history(organization, now) -> None:
    """The demo's past is not news: nothing is e-mailed or posted, notifications are
    dated when their follow-up opened, and only the last week's are unread."""
    Delivery.objects.filter(organization=organization, kind=Kind.DETRACTOR_FOLLOW_UP).update(
        status=Delivery.Status.SENT, sent_at=now
    )
    notifications = Notification.objects.filter(organization=organization, kind=Kind.DETRACTOR_FOLLOW_UP)
    opened = FollowUp.objects.filter(pk=OuterRef("about_id")).values("created_at")[:1]
    notifications.update(created_at=Coalesce(Subquery(opened), F("created_at")))
    notifications.filter(created_at__lt=now - dt.timedelta(days=7)).update(read_at=now)
