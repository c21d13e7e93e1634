"""Demo data for daily work: three months of wins and handoffs at Northwind Outfitters.

Deterministic (a seeded random generator), made through the services so every rule
holds, and idempotent: skipped when the organisation already has wins.
"""

import random
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Organization
from customers.models import CustomerAccount
from notifications.models import Delivery, Notification
from teams.models import Team, TeamMembership, Value
from work import notices, services
from work.models import Handoff, Win

WIN_TITLES = [
    "Saved {account}'s spring order after the courier lost it",
    "Turned round a sizing complaint from {account} in a day",
    "Got {account} re-ordering after a quiet season",
    "Sorted a returns backlog for {account} before the weekend",
    "Found {account} a lighter shell their guides actually wear",
    "Rescued a late delivery to {account} with a same-day courier",
    "Trained {account}'s shop floor on caring for waterproofs",
    "Won back {account} with a repair-first offer",
    "Cut {account}'s invoice queries to zero this month",
    "Set up {account}'s first pre-season order",
]
IMPACTS = ["Kept a £12k order", "NPS comment: 'felt looked after'", "Saved two days", "", "Repeat order placed"]
HANDOFF_SUBJECTS = [
    "Price match request on winter shells",
    "Warranty claim for delaminated jacket",
    "Invoice shows the wrong VAT number",
    "Wants a branded fleece sample",
    "Asks about repair turnaround for rentals",
    "Bulk order needs split delivery",
    "Website order stuck in payment",
    "Requests a product-care workshop",
]
# How the 80 handoffs end up: (final state, how many, hours to accept).
HANDOFF_PLAN = [
    ("completed", 30, 3),
    ("accepted", 12, 6),
    ("completed_late", 6, 40),
    ("declined", 8, None),
    ("returned", 6, 5),
    ("cancelled", 6, None),
    ("open", 8, None),
    ("open_late", 4, None),
]


def seed(organization: Organization) -> str:
    if Win.objects.for_org(organization.pk).exists():
        return "Wins and handoffs demo data: already there."
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    teams = list(Team.objects.filter(organization=organization).prefetch_related("managers").order_by("name"))
    seats = {
        team.pk: [seat.membership for seat in TeamMembership.objects.filter(team=team).select_related("membership")]
        for team in teams
    }
    values = list(Value.objects.for_org(organization.pk).active())
    accounts = list(CustomerAccount.objects.for_org(organization.pk).order_by("pk"))
    now = timezone.now()

    wins = _wins(rng, teams, seats, values, accounts, now)
    spotlights, adoptions = _spotlights(rng, wins, teams, seats)
    handoffs = _handoffs(rng, teams, seats, accounts, now)
    # The late ones have been flagged, as the beat sweep would have done.
    notices.notify_sla_breaches(now=now, organization_id=organization.pk)
    # The demo's history is not news: nobody is e-mailed about it, each notification is
    # dated when its handoff or win happened, and only the last week's are left unread.
    Delivery.objects.filter(organization=organization).update(status=Delivery.Status.SENT, sent_at=now)
    demo_notifications = Notification.objects.filter(organization=organization)
    for model, about in ((Handoff, "handoff"), (Win, "win")):
        demo_notifications.filter(about_type=about).update(
            created_at=Subquery(model.objects.filter(pk=OuterRef("about_id")).values("created_at")[:1])
        )
    demo_notifications.filter(created_at__lt=now - timedelta(days=7)).update(read_at=now)
    return (
        f"Wins and handoffs demo data: {len(wins)} wins, {spotlights} spotlights, {adoptions} adoptions, "
        f"{handoffs} handoffs."
    )


def _wins(rng, teams, seats, values, accounts, now) -> list[Win]:
    wins = []
    for n in range(60):
        team = teams[n % len(teams)]
        author = rng.choice(seats[team.pk])
        owned = [a for a in accounts if a.owning_team_id == team.pk] or accounts
        account = rng.choice(owned)
        others = [m for t in teams for m in seats[t.pk] if m.pk != author.pk]
        collaborators = {m.pk: m for m in rng.sample(others, rng.choice([0, 1, 1, 2]))}
        at = now - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 8))
        wins.append(
            services.win_create(
                actor=author,
                team=team,
                title=rng.choice(WIN_TITLES).format(account=account.name),
                values=rng.sample(values, rng.choice([1, 1, 2])),
                story="What happened, who helped, and what the customer said afterwards.",
                impact=rng.choice(IMPACTS),
                account=account,
                collaborators=list(collaborators.values()),
                at=at,
            )
        )
    for win in rng.sample(wins, 25):
        for fan in rng.sample([m for t in teams for m in seats[t.pk] if m.pk != win.author_id], 3):
            if not win.reactions.filter(membership=fan).exists():
                services.win_react(actor=fan, win=win)
    return wins


def _spotlights(rng, wins, teams, seats) -> tuple[int, int]:
    spotlighted = 0
    adoptions = 0
    for win in sorted(wins, key=lambda w: w.created_at)[-30::6][:5]:
        manager = win.team.managers.first()
        services.win_spotlight(actor=manager, win=win, note="This is what owning it end to end looks like.")
        spotlighted += 1
        others = [t for t in teams if t.pk != win.team_id]
        for team in rng.sample(others, 1 + spotlighted % 2):
            services.win_adopt(actor=team.managers.first(), win=win, team=team, note="We now do this too.")
            adoptions += 1
    return spotlighted, adoptions


def _handoffs(rng, teams, seats, accounts, now) -> int:
    count = 0
    for state, how_many, hours in HANDOFF_PLAN:
        for _ in range(how_many):
            sender_team = rng.choice(teams)
            sender = rng.choice(seats[sender_team.pk])
            other_teams = [t for t in teams if t.pk != sender_team.pk]
            target_team = rng.choice(other_teams)
            to_team = target_team if rng.random() < 0.3 else None
            to_member = None if to_team else rng.choice([m for m in seats[target_team.pk] if m.pk != sender.pk])
            late = state.endswith("_late")
            created = now - timedelta(days=rng.randint(2 if late else 0, 60), hours=rng.randint(1, 20))
            if state == "open":
                created = now - timedelta(hours=rng.randint(1, 12))
            handoff = services.handoff_create(
                actor=sender,
                account=rng.choice(accounts),
                subject=rng.choice(HANDOFF_SUBJECTS),
                context="The customer called about this; details are in the account's notes.",
                customer_expects="An answer by the end of the week.",
                to_member=to_member,
                to_team=to_team,
                at=created,
            )
            receiver = to_member or rng.choice(seats[to_team.pk])
            _advance(handoff, state, receiver, sender, created, hours)
            count += 1
    return count


def _advance(handoff: Handoff, state: str, receiver, sender, created, hours) -> None:
    if state in ("open", "open_late"):
        return
    if state == "cancelled":
        services.handoff_cancel(actor=sender, handoff=handoff, at=created + timedelta(hours=2))
        return
    if state == "declined":
        reason = "This is a Finance question; Ben in Finance can answer it today."
        services.handoff_decline(actor=receiver, handoff=handoff, reason=reason, at=created + timedelta(hours=4))
        return
    accepted_at = created + timedelta(hours=hours)
    handoff = services.handoff_accept(actor=receiver, handoff=handoff, at=accepted_at)
    if state in ("completed", "completed_late"):
        services.handoff_complete(actor=receiver, handoff=handoff, at=accepted_at + timedelta(hours=20))
    elif state == "returned":
        reason = "Needs the customer's order number before we can act."
        services.handoff_return(actor=receiver, handoff=handoff, reason=reason, at=accepted_at + timedelta(hours=3))
