"""Demo data for teams/ at Northwind Outfitters, an outdoor-clothing retailer.

Everything is created through teams.services, as the person who would do it in the
product, so the demo obeys the same rules as real use. The data is fixed (no
randomness); dates are relative to today so the charts always show recent months.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Membership, Organization
from teams import services
from teams.models import Commitment, Goal, KeyResult, Stage, Strength, Value

VALUES = [
    ("Customer first", "We start from what the customer is trying to do outdoors, and work back from there."),
    ("Own it end to end", "If a customer's need lands with you, you see it through or hand it over in person."),
    ("Share what you know", "Teach the fabric, the fix and the shortcut: a colleague's win is our win."),
    ("Keep it simple", "Fewer steps, plainer words, lighter packs. Complexity has to earn its place."),
]

FUNCTIONS = ["Sales", "Customer service", "Finance", "Marketing", "Product", "Supply chain"]

# (role, function, purpose, [(what excellence looks like, how it shows)])
ROLES = [
    (
        "Account executive",
        "Sales",
        "Grows the wholesale accounts the team owns, from first order to repeat business.",
        [
            (
                "Knows each account's buyer, season plan and open-to-buy",
                "Account plan reviewed with the buyer each season",
            ),
            ("Turns a quote around the same working day", "Median quote time under 8 working hours"),
            ("Brings back re-orders without being chased", "Repeat-order rate of owned accounts ≥ 75 %"),
            ("Hands over customer needs with full context", "Handoffs accepted first time, no follow-up questions"),
        ],
    ),
    (
        "Customer success advisor",
        "Customer service",
        "Makes sure every account gets value from what it bought and keeps buying.",
        [
            ("Checks in before the customer has to call", "At least one proactive check-in per account per month"),
            ("Spots at-risk accounts early", "Every detractor contacted within 2 working days"),
            ("Turns feedback into product and process fixes", "One improvement logged with Product each month"),
        ],
    ),
    (
        "Customer care specialist",
        "Customer service",
        "Resolves orders, returns and product questions on the first contact.",
        [
            ("Solves the issue on the first contact", "First-contact resolution ≥ 80 %"),
            ("Answers technical fabric and fit questions correctly", "Knowledge check score ≥ 90 % each quarter"),
            ("Keeps customers informed without being asked", "No ticket waits more than 24 h for an update"),
        ],
    ),
    (
        "Finance partner",
        "Finance",
        "Keeps the team's accounts healthy: credit, invoicing and margin.",
        [
            ("Invoices go out right first time", "Fewer than 1 % of invoices credited or reissued"),
            ("Cash comes in on time", "Days sales outstanding ≤ 35 for the team's accounts"),
            ("Makes margin visible to the team", "Margin by account shared at every monthly review"),
        ],
    ),
    (
        "Content marketer",
        "Marketing",
        "Tells the story of our gear so partners and shoppers choose it with confidence.",
        [
            ("Gives partners ready-to-use launch kits", "Kit delivered 4 weeks before each season launch"),
            ("Writes product copy that answers real questions", "Product-page questions to care down 20 % a season"),
            ("Measures what content sells", "Every campaign reported with sell-through, not just reach"),
        ],
    ),
    (
        "Merchandiser",
        "Product",
        "Shapes the range each account carries so the right jackets are on the right rail.",
        [
            ("Builds assortments from sell-through data", "Range plan per key account, refreshed each season"),
            ("Keeps end-of-season stock low", "Partner markdown stock ≤ 15 % at season end"),
            ("Feeds customer insight back into design", "Top 3 partner requests in each line review"),
            ("Explains the range to the people who sell it", "Range training given to every partner before launch"),
        ],
    ),
    (
        "Demand planner",
        "Supply chain",
        "Forecasts what customers will buy so core lines are in stock and cash is not tied up.",
        [
            ("Forecasts land close to actual demand", "Forecast accuracy ≥ 85 % at style-colour level"),
            ("Core lines never run dry", "No more than 4 core SKUs out of stock in any week"),
            ("Flags supply risks before they hit customers", "Every delay shared with account owners within 1 day"),
        ],
    ),
    (
        "Fulfilment coordinator",
        "Supply chain",
        "Gets every order picked, packed and dispatched quickly and right.",
        [
            ("Orders leave the same day they are placed", "≥ 90 % of orders before 2 pm dispatched same day"),
            ("Shipments arrive complete and correct", "Picking error rate under 0.5 %"),
            ("Keeps partners' delivery windows", "On-time delivery ≥ 95 % for wholesale drops"),
        ],
    ),
]

# e-mail local part -> their role, in every team they are on
PERSON_ROLES = {
    "marcus": "Account executive",
    "lena": "Customer success advisor",
    "tomas": "Account executive",
    "hannah": "Content marketer",
    "member": "Customer success advisor",
    "aiko": "Merchandiser",
    "ben": "Finance partner",
    "chloe": "Demand planner",
    "diego": "Content marketer",
    "ella": "Account executive",
    "farid": "Fulfilment coordinator",
    "grace": "Customer care specialist",
    "ivan": "Merchandiser",
    "jade": "Merchandiser",
    "kofi": "Finance partner",
    "laura": "Demand planner",
    "mateo": "Customer care specialist",
    "nadia": "Customer care specialist",
    "oscar": "Fulfilment coordinator",
    "paulo": "Customer care specialist",
    "rosa": "Fulfilment coordinator",
    "yusuf": "Demand planner",
}

# (team, mission, managers, lead, members, stages it went through, commitments kept)
TEAMS = [
    (
        "Trailhead Wholesale",
        "Independent outdoor shops across the UK: we make Northwind the brand they re-order without thinking.",
        ["marcus"],
        "marcus",
        ["member", "aiko", "ben", "chloe", "diego", "yusuf"],
        [Stage.DEVELOPING, Stage.PERFORMING],
        [Commitment.CUSTOMER_FIRST, Commitment.SHARED_VISION, Commitment.ROLES_UNDERSTOOD, Commitment.IMPROVES],
    ),
    (
        "Expeditions & Schools",
        "Outdoor-education centres and expedition companies: kit that survives a season of teenagers.",
        ["lena"],
        "lena",
        ["ella", "farid", "grace", "ivan"],
        [Stage.DEVELOPING],
        [Commitment.CUSTOMER_FIRST, Commitment.ROLES_UNDERSTOOD],
    ),
    (
        "Corporate Outfitting",
        "Branded jackets and fleeces for companies that send their people outdoors.",
        ["tomas"],
        "tomas",
        ["jade", "kofi", "laura"],
        [],
        [],
    ),
    (
        "Online Direct",
        "Shoppers on northwind.example: from the first question to the second jacket.",
        ["hannah"],
        "hannah",
        ["mateo", "nadia", "oscar", "diego"],
        [Stage.DEVELOPING, Stage.PERFORMING, Stage.SELF_MANAGING],
        list(Commitment.values),
    ),
    (
        "Rental & Repair Partners",
        "Ski-hire and repair shops that rent our shells and send them back for repair, not landfill.",
        ["marcus"],
        "marcus",
        ["ben", "farid", "mateo", "paulo", "rosa"],
        [Stage.DEVELOPING],
        [Commitment.CUSTOMER_FIRST],
    ),
]

STRENGTHS = [
    ("Negotiation", Strength.Kind.SKILL, "Finding terms both sides will still like next season."),
    ("Technical fabrics", Strength.Kind.SKILL, "Membranes, insulation, DWR: what each does and how to care for it."),
    ("Demand forecasting", Strength.Kind.SKILL, "Turning sell-through and weather into buy quantities."),
    ("Spreadsheet modelling", Strength.Kind.SKILL, "Margin, cash and scenario models people can follow."),
    ("Copywriting", Strength.Kind.SKILL, "Plain, vivid words that answer the shopper's question."),
    ("Product photography", Strength.Kind.SKILL, "Shots that show fit, detail and the gear in use."),
    ("Visual merchandising", Strength.Kind.SKILL, "Rails and windows that sell the whole outfit."),
    ("Data & reporting", Strength.Kind.SKILL, "SQL, dashboards and the question behind the number."),
    ("Difficult conversations", Strength.Kind.STRENGTH, "Calm, honest and kind when a customer is upset."),
    ("Coaching others", Strength.Kind.STRENGTH, "Helps colleagues get better, not just gets it done."),
    ("Facilitation", Strength.Kind.STRENGTH, "Runs meetings where decisions get made."),
    ("Building relationships", Strength.Kind.STRENGTH, "Buyers and colleagues pick up the phone when they call."),
]

# person -> [(strength, level from 1 learning to 5 expert)]
PERSON_STRENGTHS = {
    "admin": [("Facilitation", 5), ("Coaching others", 4), ("Spreadsheet modelling", 3)],
    "marcus": [("Negotiation", 5), ("Building relationships", 5), ("Coaching others", 3)],
    "lena": [("Building relationships", 4), ("Difficult conversations", 5), ("Facilitation", 3)],
    "tomas": [("Negotiation", 4), ("Spreadsheet modelling", 3)],
    "hannah": [("Copywriting", 5), ("Data & reporting", 4), ("Coaching others", 4)],
    "member": [("Technical fabrics", 4), ("Difficult conversations", 3), ("Building relationships", 2)],
    "aiko": [("Visual merchandising", 5), ("Technical fabrics", 3), ("Data & reporting", 2)],
    "ben": [("Spreadsheet modelling", 5), ("Data & reporting", 3)],
    "chloe": [("Demand forecasting", 5), ("Data & reporting", 4), ("Spreadsheet modelling", 3)],
    "diego": [("Product photography", 4), ("Copywriting", 3), ("Visual merchandising", 2)],
    "ella": [("Negotiation", 3), ("Building relationships", 4), ("Technical fabrics", 2)],
    "farid": [("Facilitation", 2), ("Data & reporting", 3)],
    "grace": [("Difficult conversations", 4), ("Technical fabrics", 5)],
    "ivan": [("Visual merchandising", 3), ("Demand forecasting", 2), ("Product photography", 2)],
    "jade": [("Visual merchandising", 4), ("Negotiation", 2)],
    "kofi": [("Spreadsheet modelling", 4), ("Negotiation", 3), ("Coaching others", 2)],
    "laura": [("Demand forecasting", 4), ("Data & reporting", 3)],
    "mateo": [("Difficult conversations", 4), ("Technical fabrics", 3), ("Copywriting", 1)],
    "nadia": [("Technical fabrics", 4), ("Building relationships", 3)],
    "oscar": [("Data & reporting", 2), ("Facilitation", 1), ("Demand forecasting", 2)],
    "paulo": [("Difficult conversations", 3), ("Technical fabrics", 4)],
    "rosa": [("Data & reporting", 3), ("Coaching others", 2)],
    "yusuf": [("Demand forecasting", 3), ("Spreadsheet modelling", 2), ("Negotiation", 1)],
}

# (who endorses, whose strength)
ENDORSEMENTS = [
    ("member", "marcus", "Negotiation"),
    ("aiko", "marcus", "Negotiation"),
    ("tomas", "marcus", "Negotiation"),
    ("ben", "marcus", "Building relationships"),
    ("marcus", "member", "Technical fabrics"),
    ("aiko", "member", "Technical fabrics"),
    ("chloe", "member", "Difficult conversations"),
    ("member", "aiko", "Visual merchandising"),
    ("jade", "aiko", "Visual merchandising"),
    ("ben", "chloe", "Demand forecasting"),
    ("laura", "chloe", "Demand forecasting"),
    ("marcus", "chloe", "Demand forecasting"),
    ("kofi", "ben", "Spreadsheet modelling"),
    ("hannah", "diego", "Product photography"),
    ("mateo", "hannah", "Copywriting"),
    ("nadia", "hannah", "Coaching others"),
    ("grace", "lena", "Difficult conversations"),
    ("ella", "lena", "Building relationships"),
    ("lena", "grace", "Technical fabrics"),
    ("mateo", "grace", "Technical fabrics"),
    ("oscar", "mateo", "Difficult conversations"),
    ("admin", "hannah", "Data & reporting"),
]

# (title, owner, description, [(key result, kind, unit, baseline, target, check-in values oldest first)],
#  team goal: (team, title, owner, [key results]))
GOALS = [
    (
        "Make every wholesale customer a repeat customer",
        "lena",
        "Partners who re-order each season are our best growth and our best feedback.",
        [
            (
                "Wholesale repeat-order rate",
                KeyResult.Kind.RESULT,
                "%",
                "58",
                "75",
                ["59", "61", "63", "62", "66", "68"],
            ),
            (
                "Days to resolve a partner's issue",
                KeyResult.Kind.OUTPUT,
                "days",
                "4.5",
                "2",
                ["4.4", "4", "3.6", "3.8", "3.1", "2.8"],
            ),
            (
                "Proactive check-in calls per account a month",
                KeyResult.Kind.INPUT,
                "calls",
                "1",
                "4",
                ["1", "2", "2", "3", "3", "4"],
            ),
        ],
        (
            "Trailhead Wholesale",
            "Win back lapsed independent shops",
            "marcus",
            [("Lapsed shops re-ordering", KeyResult.Kind.OUTPUT, "shops", "0", "12", ["1", "2", "4", "5", "7", "8"])],
        ),
    ),
    (
        "Run a leaner, faster supply chain",
        "tomas",
        "Less stock tied up, fewer stock-outs, and orders out of the door the day they arrive.",
        [
            (
                "Order-to-dispatch time",
                KeyResult.Kind.PROCESS,
                "hours",
                "52",
                "24",
                ["50", "47", "41", "38", "33", "30"],
            ),
            ("Core SKUs out of stock", KeyResult.Kind.RESULT, "SKUs", "14", "4", ["13", "12", "12", "9", "8", "7"]),
        ],
        (
            "Online Direct",
            "Dispatch web orders the same day",
            "hannah",
            [
                (
                    "Web orders dispatched same day",
                    KeyResult.Kind.PROCESS,
                    "%",
                    "61",
                    "90",
                    ["63", "66", "72", "75", "81", "84"],
                )
            ],
        ),
    ),
]

CHECK_IN_EVERY = timedelta(days=18)  # six check-ins span the past three months
CHECK_IN_NOTES = [
    "Baseline confirmed with the team.",
    "First changes in; early days.",
    "Moving, but one big account slipped.",
    "Holiday weeks slowed us down.",
    "New routine is sticking.",
    "Best stretch so far.",
]


def seed(organization: Organization) -> str:
    """Create the teams demo for ``organization`` unless it is there already (its
    values mark it); returns a line saying what happened."""
    if Value.objects.for_org(organization.pk).exists():
        return "Teams demo data: already there."
    people = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(organization=organization).select_related("user", "organization")
        if m.user.email.endswith(demo_email(""))
    }
    admin = people["admin"]
    for order, (name, description) in enumerate(VALUES):
        services.value_create(actor=admin, name=name, description=description, order=order)
    roles = _roles(admin)
    teams = _teams(admin, people, roles)
    check_in_count = _goals(admin, people, teams)
    endorsement_count = _strengths(admin, people)
    return (
        f"Teams demo data: {len(VALUES)} values, {len(FUNCTIONS)} functions, {len(roles)} roles, "
        f"{len(teams)} teams, {len(GOALS)} organisation goals and {len(GOALS)} team goals "
        f"with {check_in_count} check-ins, "
        f"{len(STRENGTHS)} strengths with {endorsement_count} endorsements."
    )


def _roles(admin: Membership) -> dict:
    functions = {name: services.function_create(actor=admin, name=name, order=n) for n, name in enumerate(FUNCTIONS)}
    return {
        name: services.job_role_create(
            actor=admin,
            function=functions[function],
            name=name,
            purpose=purpose,
            criteria=[{"looks_like": looks_like, "measure": measure} for looks_like, measure in criteria],
        )
        for name, function, purpose, criteria in ROLES
    }


def _teams(admin: Membership, people: dict, roles: dict) -> dict:
    teams = {}
    kept_since = timezone.localdate() - timedelta(days=60)
    for name, mission, managers, lead, members, stages, kept in TEAMS:
        team = services.team_create(
            actor=admin, name=name, mission=mission, managers=[people[local] for local in managers]
        )
        manager = people[managers[0]]
        for local in [lead, *members]:
            services.team_member_add(
                actor=manager,
                team=team,
                membership=people[local],
                team_role="lead" if local == lead else "member",
                job_role=roles[PERSON_ROLES[local]],
            )
        for stage in stages:
            team = services.team_stage_change(
                actor=manager, team=team, stage=stage, note=f"Agreed at the {name} review."
            )
        for commitment in kept:
            services.team_commitment_set(
                actor=manager, team=team, commitment=commitment, is_kept=True, kept_since=kept_since
            )
        teams[name] = team
    return teams


def _goal_period(today: date) -> tuple[date, date]:
    """From the first of the month three months ago to the end of this quarter, so the
    past months of check-ins fall inside the goals' period."""
    months_back = today.year * 12 + today.month - 1 - 3
    start = date(months_back // 12, months_back % 12 + 1, 1)
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1) - timedelta(days=1)
    return start, end


def _goals(admin: Membership, people: dict, teams: dict) -> int:
    """Each organisation goal with one team goal aligned to it; returns the check-ins made."""
    start, end = _goal_period(timezone.localdate())
    check_ins = 0
    for title, owner, description, key_results, (team, team_title, team_owner, team_key_results) in GOALS:
        goal = services.goal_create(
            actor=admin, title=title, description=description, owner=people[owner], period_start=start, period_end=end
        )
        team_goal = services.goal_create(
            actor=people[team_owner],
            title=team_title,
            team=teams[team],
            parent=goal,
            owner=people[team_owner],
            period_start=start,
            period_end=end,
        )
        check_ins += _key_results(people[owner], goal, key_results)
        check_ins += _key_results(people[team_owner], team_goal, team_key_results)
        for each in (goal, team_goal):
            services.goal_update(actor=admin, goal=each, status=_status_from_progress(each))
    return check_ins


def _status_from_progress(goal) -> str:
    """What an owner would say after the latest check-ins: on track from 60 % on."""
    progress = [key_result.progress for key_result in goal.key_results.all()]
    return Goal.Status.ON_TRACK if sum(progress) >= 60 * len(progress) else Goal.Status.AT_RISK


def _key_results(owner: Membership, goal, key_results) -> int:
    """Key results with a check-in every 18 days over the past three months, oldest first."""
    last = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=2), time(16, 30)))
    count = 0
    for title, kind, unit, baseline, target, values in key_results:
        key_result = services.key_result_create(
            actor=owner,
            goal=goal,
            title=title,
            kind=kind,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
        )
        for n, value in enumerate(values):
            at = last - CHECK_IN_EVERY * (len(values) - 1 - n)
            services.check_in_create(
                actor=owner, key_result=key_result, value=Decimal(value), note=CHECK_IN_NOTES[n], at=at
            )
            count += 1
    return count


def _strengths(admin: Membership, people: dict) -> int:
    catalogue = {
        name: services.strength_create(actor=admin, name=name, kind=kind, description=description)
        for name, kind, description in STRENGTHS
    }
    held = {}
    for local, strengths in PERSON_STRENGTHS.items():
        for name, level in strengths:
            held[local, name] = services.member_strength_set(actor=people[local], strength=catalogue[name], level=level)
    for endorser, endorsed, name in ENDORSEMENTS:
        services.endorsement_create(actor=people[endorser], member_strength=held[endorsed, name])
    return len(ENDORSEMENTS)
