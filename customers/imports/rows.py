"""Checking import rows: every rule, with the row number and column of each problem.

Everything a row is checked against (teams, people, existing accounts) is read once
into a :class:`Context`, so checking 100,000 rows issues a handful of queries.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from accounts.models import Membership
from customers.imports.parsing import TARGETS
from customers.models import Contact, CustomerAccount
from teamhub.lib.tenancy import Role
from teams.models import Team

MAX_LENGTHS = {
    "name": 160,
    "external_ref": 64,
    "segment": 60,
    "contact_name": 120,
    "contact_phone": 40,
    "contact_title": 120,
}
REVENUE_LIMIT = Decimal("1e12")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "opted out", "opt out"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _choice(value: str, choices) -> str | None:
    """A choice by its value or label, case and spacing ignored ("At risk", "at_risk")."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for stored, label in choices:
        if wanted in (stored, label.lower().replace(" ", "_").replace("-", "_")):
            return stored
    return None


@dataclass
class Context:
    """What rows are checked against, read once."""

    organization_id: int
    importer: Membership
    default_team: Team | None
    teams: dict[str, Team]
    managed_ids: set[int] | None  # None: every team (admins)
    people: dict[str, int]  # lower e-mail -> active membership id
    existing: dict[str, CustomerAccount]  # external_ref -> account

    @classmethod
    def load(cls, *, importer: Membership, default_team: Team | None, refs=None) -> "Context":
        """``refs``: only these accounts (a preview); None reads all of the organisation's."""
        org_id = importer.organization_id
        teams = {team.name.lower(): team for team in Team.objects.for_org(org_id)}
        managed = None
        if importer.role != Role.ADMIN:
            managed = (
                set(importer.managed_teams.values_list("pk", flat=True)) if importer.role == Role.MANAGER else set()
            )
        people = dict(
            Membership.objects.filter(organization_id=org_id, is_active=True)
            .annotate(email=Lower("user__email"))
            .values_list("email", "pk")
        )
        accounts = CustomerAccount.objects.for_org(org_id).exclude(external_ref="")
        if refs is not None:
            accounts = accounts.filter(external_ref__in=list(refs))
        existing = {account.external_ref: account for account in accounts.select_related("owning_team")}
        return cls(org_id, importer, default_team, teams, managed, people, existing)

    def manages(self, team: Team) -> bool:
        return self.managed_ids is None or team.pk in self.managed_ids


@dataclass
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    account: dict = field(default_factory=dict)  # cleaned, non-empty values only
    contact: dict = field(default_factory=dict)
    team: Team | None = None
    existing: CustomerAccount | None = None
    saved: CustomerAccount | None = None  # set when written
    errors: list[dict] = field(default_factory=list)

    def fail(self, column: str, reason: str) -> None:
        self.errors.append({"row": self.number, "column": column, "reason": reason})


def cells_of(raw: list[str], indexes: dict[str, int]) -> dict[str, str]:
    return {key: (raw[i].strip() if i < len(raw) else "") for key, i in indexes.items()}


def check_row(number: int, cells: dict[str, str], ctx: Context, seen_refs: dict[str, int]) -> Row:
    row = Row(number)
    for key, limit in MAX_LENGTHS.items():
        if len(cells.get(key, "")) > limit:
            row.fail(key, f"{TARGETS[key].label} is longer than {limit} characters.")
    _check_account(row, cells, ctx, seen_refs)
    _check_team(row, cells, ctx)
    _check_contact(row, cells)
    return row


def _check_account(row: Row, cells: dict, ctx: Context, seen_refs: dict[str, int]) -> None:
    name, ref = cells.get("name", ""), cells.get("external_ref", "")
    if not name:
        row.fail("name", "The account name is missing.")
    row.account["name"] = name
    if not ref:
        row.fail("external_ref", "The external reference is missing: re-imports find the account by it.")
    elif ref in seen_refs:
        row.fail("external_ref", f"“{ref}” is also on row {seen_refs[ref]}: each account once per file.")
    else:
        seen_refs[ref] = row.number
    row.account["external_ref"] = ref
    row.existing = ctx.existing.get(ref) if ref else None
    if cells.get("segment"):
        row.account["segment"] = cells["segment"]
    if cells.get("status"):
        status = _choice(cells["status"], CustomerAccount.Status.choices)
        if status is None:
            labels = ", ".join(label for _, label in CustomerAccount.Status.choices)
            row.fail("status", f"“{cells['status']}” is not a status: use {labels}.")
        row.account["status"] = status
    if cells.get("annual_revenue"):
        row.account["annual_revenue"] = _revenue(row, cells["annual_revenue"])
    if cells.get("lead"):
        lead_id = ctx.people.get(cells["lead"].lower())
        if lead_id is None:
            row.fail("lead", f"Nobody active in your organisation has the e-mail “{cells['lead']}”.")
        row.account["lead_id"] = lead_id


def _revenue(row: Row, raw: str) -> Decimal | None:
    text = raw.replace(" ", "")
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        row.fail("annual_revenue", f"“{raw}” is not a number.")
        return None
    if not value.is_finite() or value < 0 or value >= REVENUE_LIMIT:
        row.fail("annual_revenue", "Annual revenue must be a number from 0 to 999,999,999,999.99.")
        return None
    return value.quantize(Decimal("0.01"))


def _check_team(row: Row, cells: dict, ctx: Context) -> None:
    name = cells.get("team", "")
    team = ctx.teams.get(name.lower()) if name else None
    if name and team is None:
        row.fail("team", f"Your organisation has no team named “{name}”.")
        return
    existing = row.existing
    if existing is not None:
        # The import updates an account but never moves it: transfers are recorded
        # (from, to, who, why) on the account's page.
        if team is not None and team.pk != existing.owning_team_id:
            row.fail("team", f"This account belongs to {existing.owning_team.name}: transfer it from its page.")
        elif not ctx.manages(existing.owning_team):
            row.fail("external_ref", f"This account belongs to {existing.owning_team.name}, which you do not manage.")
        row.team = existing.owning_team
        return
    team = team or ctx.default_team
    if team is None:
        row.fail("team", "No team: fill the team column or choose a default team.")
    elif not ctx.manages(team):
        row.fail("team", f"You do not manage {team.name}.")
    row.team = team


def _check_contact(row: Row, cells: dict) -> None:
    values = {key: cells.get(key, "") for key in TARGETS if key.startswith("contact_")}
    opt_out = values["contact_opt_out"].lower()
    if not any(v for k, v in values.items() if k != "contact_opt_out") and opt_out in FALSE_WORDS:
        return
    if not values["contact_name"]:
        row.fail("contact_name", "The contact has no name.")
    contact = {
        "name": values["contact_name"],
        "email": values["contact_email"].lower(),
        "phone": values["contact_phone"],
        "title": values["contact_title"],
        "preferences": values["contact_preferences"],
        "personal_notes": values["contact_notes"],
    }
    if contact["email"]:
        try:
            validate_email(contact["email"])
        except ValidationError:
            row.fail("contact_email", f"“{values['contact_email']}” is not a valid e-mail address.")
    if values["contact_channel"]:
        contact["preferred_channel"] = _choice(values["contact_channel"], Contact.Channel.choices)
        if contact["preferred_channel"] is None:
            labels = ", ".join(label for _, label in Contact.Channel.choices)
            row.fail("contact_channel", f"“{values['contact_channel']}” is not a channel: use {labels}.")
    if opt_out in TRUE_WORDS:
        contact["survey_opt_out"] = True
    elif opt_out in FALSE_WORDS:
        contact["survey_opt_out"] = False if opt_out else None
    else:
        row.fail("contact_opt_out", f"“{values['contact_opt_out']}” is not yes or no.")
    row.contact = {k: v for k, v in contact.items() if v not in ("", None)}
