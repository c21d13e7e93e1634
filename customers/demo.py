"""Demo data for customers/ at Northwind Outfitters: UK outdoor retailers, schools,
companies and hire shops, owned by the teams of teams.demo.

Everything goes through customers.services as the person who would do it, with
follow-ups dated in the past through the services' ``at=``. The data is fixed (no
randomness); dates are relative to now so the turnaround charts show recent months.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Membership, Organization
from customers import services
from customers.models import Contact, CustomerAccount
from teams.models import Team

KEY, GROWTH, LONG_TAIL = "Key account", "Growth", "Long tail"

# (external ref, name, team, lead, segment, status, annual revenue in GBP)
ACCOUNTS = [
    ("NW-1001", "Peak & Pine Outdoors", "Trailhead Wholesale", "member", KEY, "active", 412000),
    ("NW-1002", "Lakeland Trail Supplies", "Trailhead Wholesale", "aiko", KEY, "active", 268500),
    ("NW-1003", "Brecon Beacons Outfitters", "Trailhead Wholesale", "member", GROWTH, "active", 96000),
    ("NW-1004", "Snowdonia Basecamp", "Trailhead Wholesale", "diego", GROWTH, "at_risk", 74250),
    ("NW-1005", "Dartmoor Rambler", "Trailhead Wholesale", "chloe", LONG_TAIL, "active", 18400),
    ("NW-1006", "Pennine Way Provisions", "Trailhead Wholesale", "ben", LONG_TAIL, "prospect", None),
    ("NW-1007", "Cotswold Walker Co.", "Trailhead Wholesale", "aiko", LONG_TAIL, "churned", 9800),
    ("NW-1008", "Northumberland Fell & Field", "Trailhead Wholesale", "member", GROWTH, "active", 58600),
    ("NW-1101", "Glenmore Outdoor Education Centre", "Expeditions & Schools", "ella", KEY, "active", 186000),
    ("NW-1102", "Ridgeway Academy Trust", "Expeditions & Schools", "grace", GROWTH, "active", 64000),
    ("NW-1103", "Wild Horizons Expeditions", "Expeditions & Schools", "ella", KEY, "active", 233000),
    ("NW-1104", "Duke of Edinburgh Centre Keswick", "Expeditions & Schools", "ivan", GROWTH, "prospect", None),
    ("NW-1105", "Exmoor Field Studies", "Expeditions & Schools", "farid", LONG_TAIL, "active", 21500),
    ("NW-1106", "Cairngorm Ski Hire", "Expeditions & Schools", "farid", GROWTH, "active", 47800),
    ("NW-1201", "Thames Valley Utilities", "Corporate Outfitting", "jade", KEY, "active", 355000),
    ("NW-1202", "Albion Rail Engineering", "Corporate Outfitting", "kofi", KEY, "active", 298000),
    ("NW-1203", "Solent Marine Surveys", "Corporate Outfitting", "laura", GROWTH, "at_risk", 83000),
    ("NW-1204", "Greenway Landscapes", "Corporate Outfitting", "jade", LONG_TAIL, "active", 15200),
    ("NW-1205", "Northern Grid Services", "Corporate Outfitting", "kofi", GROWTH, "prospect", None),
    ("NW-1206", "Clyde Offshore Wind", "Corporate Outfitting", "laura", KEY, "active", 221000),
    ("NW-1301", "Trek Mates Marketplace", "Online Direct", "nadia", GROWTH, "active", 72000),
    ("NW-1302", "Fellrunner Club UK", "Online Direct", "mateo", LONG_TAIL, "active", 12600),
    ("NW-1303", "Urban Hikers London", "Online Direct", "oscar", LONG_TAIL, "active", 8900),
    ("NW-1304", "Scout Association Shop", "Online Direct", "nadia", KEY, "active", 145000),
    ("NW-1305", "Coast to Coast Tours", "Online Direct", "diego", GROWTH, "prospect", None),
    ("NW-1401", "Aviemore Hire & Repair", "Rental & Repair Partners", "ben", KEY, "active", 118000),
    ("NW-1402", "Chamonix Kit Library UK", "Rental & Repair Partners", "farid", GROWTH, "active", 39500),
    ("NW-1403", "Mend & Go Repairs", "Rental & Repair Partners", "mateo", LONG_TAIL, "active", 11200),
    ("NW-1404", "Glencoe Mountain Rentals", "Rental & Repair Partners", "ben", GROWTH, "at_risk", 52300),
    ("NW-1405", "Peak District Gear Swap", "Rental & Repair Partners", "farid", LONG_TAIL, "prospect", None),
]

# The one move between teams, made by the manager of the team that had it. Its lead,
# Farid, is on both teams, so the account keeps its lead.
TRANSFER = (
    "NW-1106",
    "Rental & Repair Partners",
    "They now rent our shells to skiers rather than kit out school groups; Rental & Repair runs hire partners.",
)

FIRST_NAMES = ["Ruth", "Owen", "Priti", "Callum", "Siobhan", "Tom", "Aisha", "Gareth", "Fiona", "Rhys", "Megan"]
LAST_NAMES = ["Ellis", "Morgan", "Patel", "Fraser", "Doyle", "Hughes", "Begum", "Pritchard", "Campbell", "Owens"]

# (job title, preferred channel, preferences, personal notes)
CONTACT_PROFILES = [
    (
        "Head buyer",
        Contact.Channel.EMAIL,
        "Wants the season's line sheet a month before the buying meeting; replies to e-mail within a day.",
        "Works closely with their deputy, Jo. Loves Kendal mint cake. Hates being chased by phone.",
    ),
    (
        "Store manager",
        Contact.Channel.PHONE,
        "Call before 10 am, before the shop opens; never on Saturdays.",
        "Runs the Sunday fell-running club. Favourite snack: flapjack from the café next door.",
    ),
    (
        "Operations director",
        Contact.Channel.VIDEO,
        "Prefers a short video call with an agenda sent the day before; decisions in writing afterwards.",
        "Reports to the MD, Alan. Gets annoyed by late deliveries without a heads-up.",
    ),
    (
        "Procurement lead",
        Contact.Channel.EMAIL,
        "Needs quotes as PDF with VAT shown separately; purchase orders go through their portal.",
        "Colleague Sunita signs off anything over £10k. Drinks builder's tea, two sugars.",
    ),
    (
        "Outdoor activities coordinator",
        Contact.Channel.IN_PERSON,
        "Likes us to visit the centre at the start of term and see the kit in use.",
        "Ex-mountain rescue. Cannot stand jargon; keep it plain. Brings homemade shortbread.",
    ),
    (
        "Finance manager",
        Contact.Channel.EMAIL,
        "Invoices on the 1st of the month only, with the PO number in the subject line.",
        "Works with Dave in accounts payable. Allergic to nuts: no Christmas hampers with them.",
    ),
    (
        "Workshop lead",
        Contact.Channel.CHAT,
        "Quick questions on WhatsApp are fine; photos of damaged zips speed up repairs.",
        "Restores vintage bikes at weekends. Annoyed by repair parts arriving in separate boxes.",
    ),
    (
        "Marketing manager",
        Contact.Channel.VIDEO,
        "Wants launch assets (photos, copy) as one shared folder, not attachments.",
        "Team: Leah (social) and Marcus (web). Loves a good oat latte; hates last-minute changes.",
    ),
]

# (days ago created, hours to first response, hours to resolution, outcome) for done follow-ups
DONE = [
    (12, 2, 20, "Replacement jackets dispatched next day."),
    (35, 5, 48, "Credit note issued for the short delivery."),
    (58, 1, 6, "Size run swapped before the weekend."),
    (84, 26, 70, "Repair turned around and returned by courier."),
    (110, 3, 30, "Invoice reissued with the right PO number."),
    (140, 8, 96, "Agreed a new delivery window for spring drops."),
    (165, 4, 12, "Sent care guides for waterproof re-proofing."),
]
OPEN_SUMMARIES = [
    "Send the autumn/winter line sheet",
    "Chase the missing boxes from last week's drop",
    "Quote for embroidered fleeces",
    "Confirm the repair turnaround for hire shells",
    "Arrange a range walk-through at their store",
]
CANCELLED = "Sample request withdrawn: they reused last season's samples."
STALE_REVIEW_DAYS = 220  # older than the six months after which the account page asks for a review


def seed(organization: Organization) -> str:
    """Create the customers demo for ``organization`` unless it already has accounts;
    returns a line saying what happened."""
    if CustomerAccount.objects.for_org(organization.pk).exists():
        return "Customers demo data: already there."
    people = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(organization=organization).select_related("user", "organization")
        if m.user.email.endswith(demo_email(""))
    }
    teams = {t.name: t for t in Team.objects.filter(organization=organization).prefetch_related("managers")}
    now = timezone.now()
    accounts, contacts, follow_ups = {}, 0, 0
    for n, (ref, name, team_name, lead, segment, status, revenue) in enumerate(ACCOUNTS):
        team = teams[team_name]
        manager = _manager(team)
        account = services.account_create(
            actor=manager,
            name=name,
            owning_team=team,
            external_ref=ref,
            segment=segment,
            status=status,
            annual_revenue=Decimal(revenue) if revenue is not None else None,
            lead=people[lead],
        )
        accounts[ref] = account
        made = _contacts(people[lead], account, n, now)
        contacts += len(made)
        follow_ups += _follow_ups(people[lead], account, made, n, now)
    ref, to_team, reason = TRANSFER
    account = accounts[ref]
    services.account_transfer(
        actor=_manager(account.owning_team), account=account, to_team=teams[to_team], reason=reason
    )
    return (
        f"Customers demo data: {len(accounts)} accounts, {contacts} contacts, {follow_ups} follow-ups, "
        "1 ownership transfer."
    )


def _manager(team: Team) -> Membership:
    return sorted(team.managers.all(), key=lambda m: m.pk)[0]


def _contacts(actor: Membership, account: CustomerAccount, n: int, now) -> list[Contact]:
    made = []
    for k in range(2 + n % 3):
        first, last = FIRST_NAMES[(n + 3 * k) % len(FIRST_NAMES)], LAST_NAMES[(2 * n + k) % len(LAST_NAMES)]
        title, channel, preferences, notes = CONTACT_PROFILES[(n + k) % len(CONTACT_PROFILES)]
        domain = "".join(c for c in account.name.lower() if c.isalnum())[:20]
        made.append(
            services.contact_create(
                actor=actor,
                account=account,
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}@{domain}.example",
                phone=f"+44 20 7946 {n:02d}{k:02d}",
                title=title,
                preferred_channel=channel,
                preferences=preferences,
                personal_notes=notes,
                survey_opt_out=(n + k) % 9 == 4,
                last_interaction_at=now - timedelta(days=3 + 5 * k + n),
            )
        )
    if n % 4 == 1:
        # Demo history, not a use case: these notes were last read long ago, so the
        # account page shows its "review these notes" prompt.
        Contact.objects.filter(pk=made[0].pk).update(notes_reviewed_at=now - timedelta(days=STALE_REVIEW_DAYS + n))
    return made


def _follow_ups(actor: Membership, account: CustomerAccount, contacts: list[Contact], n: int, now) -> int:
    count = 0
    for k in range(1 + n % 2):  # one or two done per account, at spread-out times
        days, response, resolution, outcome = DONE[(n + 3 * k) % len(DONE)]
        created = now - timedelta(days=days + n % 5, hours=n)
        follow_up = services.follow_up_create(
            actor=actor, account=account, summary=_done_summary(outcome), at=created, contact=contacts[k]
        )
        services.follow_up_set_status(
            actor=actor, follow_up=follow_up, status="in_progress", at=created + timedelta(hours=response)
        )
        services.follow_up_set_status(
            actor=actor, follow_up=follow_up, status="done", outcome=outcome, at=created + timedelta(hours=resolution)
        )
        count += 1
    if n % 3 != 2:
        # Open ones; every other one is past its due date.
        created = now - timedelta(days=2 + n % 6)
        due = (now + timedelta(days=-1 if n % 2 else 7)).date()
        follow_up = services.follow_up_create(
            actor=actor,
            account=account,
            summary=OPEN_SUMMARIES[n % len(OPEN_SUMMARIES)],
            at=created,
            contact=contacts[-1],
            due_date=due,
        )
        if n % 4 == 0:
            services.follow_up_set_status(
                actor=actor, follow_up=follow_up, status="in_progress", at=created + timedelta(hours=3)
            )
        count += 1
    if n % 7 == 3:
        created = now - timedelta(days=20 + n)
        follow_up = services.follow_up_create(
            actor=actor, account=account, summary="Send new-season samples", at=created
        )
        services.follow_up_set_status(
            actor=actor, follow_up=follow_up, status="cancelled", outcome=CANCELLED, at=created + timedelta(days=2)
        )
        count += 1
    return count


def _done_summary(outcome: str) -> str:
    summaries = {
        "Replacement": "Jackets arrived with faulty zips",
        "Credit": "Delivery short by two cartons",
        "Size": "Wrong size run in the spring order",
        "Repair": "Hire shells back for seam repair",
        "Invoice": "Invoice missing the PO number",
        "Agreed": "Deliveries clash with their stocktake",
        "Sent": "Customers asking how to re-proof shells",
    }
    return summaries[outcome.split(" ")[0]]
