"""The weekly digest: whose is due now, and what it says.

A person's digest falls on a weekday and an hour of the organisation's time zone
(their :class:`DigestPreference`, else the defaults: managers and admins Friday 09:00,
members not at all). It is due from that wall-clock moment for :data:`CATCH_UP`, so a
beat that was down for a while still sends it, late, that day; a digest missed for
longer waits for the next week rather than arriving days late. Each moment is computed
in the zone, so 09:00 stays 09:00 across a daylight-saving change.

Its content is the meeting brief in short (dashboards.selectors.brief): the counts
and the first few items of each section, read with the person's own access — the
same rows their pages show them — and a link to the full brief.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from dashboards.models import DEFAULT_HOUR, DEFAULT_WEEKDAY, DigestPreference, DigestSent
from dashboards.selectors import brief as briefs
from surveys.selectors_scores import metric_label
from teamhub.lib.tenancy import Role, has_role
from teams.models import Team

CATCH_UP = dt.timedelta(hours=6)
TOP_ITEMS = 3
DAYS = 7
QUOTE_LENGTH = 140


# --- Preferences --------------------------------------------------------------------------


def default_enabled(membership: Membership) -> bool:
    """Managers (and admins) get the digest unless they turn it off; members opt in."""
    return has_role(membership, Role.MANAGER)


def preference_of(membership: Membership) -> DigestPreference:
    """The person's preference, or the defaults as an unsaved row."""
    found = DigestPreference.objects.filter(membership=membership).first()
    if found is not None:
        return found
    return DigestPreference(
        organization_id=membership.organization_id,
        membership=membership,
        enabled=default_enabled(membership),
        weekday=DEFAULT_WEEKDAY,
        hour=DEFAULT_HOUR,
    )


def digest_teams(membership: Membership) -> list[Team]:
    """The teams a digest covers: those the person manages and those they are on. An
    admin on no team gets the organisation's teams (admins read every team)."""
    teams = Team.objects.for_org(membership.organization_id).order_by("name", "pk")
    own = list(teams.filter(Q(managers=membership) | Q(memberships__membership=membership)).distinct())
    if own or not has_role(membership, Role.ADMIN):
        return own
    return list(teams)


# --- When ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One occurrence of a weekday and hour: when it is (UTC), the local day, and the
    week (its Monday) it belongs to — the key of "once per week"."""

    at: dt.datetime
    day: dt.date
    week: dt.date

    @property
    def date_from(self) -> dt.date:
        return self.day - dt.timedelta(days=DAYS - 1)


def _occurrence(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    # Wall-clock time in the zone, then UTC: an hour skipped by a spring-forward change
    # resolves to the hour after it, a repeated autumn hour to its first occurrence.
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def latest_slot(weekday: int, hour: int, zone: ZoneInfo, now: dt.datetime) -> Slot:
    """The last occurrence of ``weekday`` at ``hour`` (zone time) at or before ``now``."""
    today = now.astimezone(zone).date()
    day = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
    if _occurrence(day, hour, zone) > now:
        day -= dt.timedelta(days=7)
    return Slot(at=_occurrence(day, hour, zone), day=day, week=day - dt.timedelta(days=day.weekday()))


def next_slot_at(weekday: int, hour: int, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """When the digest goes next (UTC), for the settings page and the API."""
    last = latest_slot(weekday, hour, zone, now)
    return _occurrence(last.day + dt.timedelta(days=7), hour, zone)


def due_slots(zone: ZoneInfo, now: dt.datetime) -> dict[tuple[int, int], Slot]:
    """Every (weekday, hour) whose latest occurrence is within the catch-up window."""
    due = {}
    for weekday in range(7):
        for hour in range(24):
            slot = latest_slot(weekday, hour, zone, now)
            if now - slot.at < CATCH_UP:
                due[(weekday, hour)] = slot
    return due


@dataclass(frozen=True)
class Due:
    membership: Membership
    slot: Slot


def due_digests(organization, *, now: dt.datetime | None = None) -> list[Due]:
    """The organisation's active people whose digest is due now and not yet claimed
    for its week: two queries whatever the number of people."""
    now = now or timezone.now()
    slots = due_slots(ZoneInfo(organization.timezone), now)
    chosen = Q()
    for weekday, hour in slots:
        chosen |= Q(digest_preference__weekday=weekday, digest_preference__hour=hour)
    wanted = Q(digest_preference__enabled=True) & chosen
    if (DEFAULT_WEEKDAY, DEFAULT_HOUR) in slots:
        wanted |= Q(digest_preference__isnull=True, role__in=[Role.MANAGER, Role.ADMIN])
    people = list(
        Membership.objects.filter(organization=organization, is_active=True)
        .filter(wanted)
        .select_related("user", "digest_preference", "organization")
        .order_by("pk")
    )
    if not people:
        return []

    def slot_of(person):
        preference = getattr(person, "digest_preference", None)
        key = (preference.weekday, preference.hour) if preference else (DEFAULT_WEEKDAY, DEFAULT_HOUR)
        return slots[key]

    sent = set(
        DigestSent.objects.filter(membership__in=people, week__in={slot.week for slot in slots.values()}).values_list(
            "membership_id", "week"
        )
    )
    return [Due(person, slot_of(person)) for person in people if (person.pk, slot_of(person).week) not in sent]


# --- What it says -------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    count: int
    items: list[str]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


@dataclass
class ScoreLine:
    team: str
    label: str
    value: str
    change: str


@dataclass
class DigestSummary:
    teams: list[Team]
    date_from: dt.date
    date_to: dt.date
    sections: list[Section] = field(default_factory=list)
    scores: list[ScoreLine] = field(default_factory=list)
    brief_url: str = ""

    @property
    def team_names(self) -> str:
        return ", ".join(team.name for team in self.teams)

    @property
    def is_quiet(self) -> bool:
        return not any(section.count for section in self.sections) and not self.scores


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rstrip() + "…"


def _handoff_line(handoff) -> str:
    to = handoff.to_team or handoff.receiving_team or (handoff.to_member.user.display_name if handoff.to_member else "")
    waited = f", waited {handoff.waited_hours} h" if getattr(handoff, "waited_hours", None) is not None else ""
    return f"{handoff.subject} ({handoff.account.name}, to {to}{waited})"


def _section(title: str, rows, line) -> Section:
    return Section(title=title, count=len(rows), items=[_quote(line(row)) for row in rows[:TOP_ITEMS]])


def _sections(brief) -> list[Section]:
    return [
        _section("Wins", brief.wins, lambda w: f"{w.title} — {w.team.name}"),
        _section("Spotlights", brief.spotlights, lambda s: f"{s.win.title} — spotlighted by {s.by.user.display_name}"),
        _section("Handoffs opened", brief.handoffs_opened, _handoff_line),
        _section("Handoffs late", brief.handoffs_late, _handoff_line),
        _section("Handoffs returned", brief.handoffs_returned, _handoff_line),
        _section(
            "Key-result check-ins",
            brief.check_ins,
            lambda c: f"{c.key_result.title}: {c.value.normalize():f}{c.key_result.unit and ' ' + c.key_result.unit}",
        ),
        _section("Customer comments", brief.comments, lambda f: f"{f.account.name} ({f.score}): “{f.comment}”"),
        _section("Detractors", brief.detractors, lambda f: f"{f.account.name} scored {f.score}"),
        _section("Accounts at risk", brief.accounts_at_risk, lambda a: f"{a.name}: {'; '.join(a.reasons)}"),
    ]


def _score_lines(brief) -> list[ScoreLine]:
    lines = []
    for row in brief.score_changes:
        for score in row.scores:
            hidden = score.snapshot.suppressed or score.snapshot.value is None
            change = score.change
            lines.append(
                ScoreLine(
                    team=row.team.name,
                    label=metric_label(score.metric),
                    value="not enough responses" if hidden else f"{score.snapshot.value:.0f}",
                    change="" if change is None or hidden else f"{change:+.0f}",
                )
            )
    return lines


def brief_url(membership: Membership, teams: list[Team], date_from: dt.date, date_to: dt.date) -> str:
    """The full brief for managers; a member (who has no brief page) gets their team's page."""
    if not has_role(membership, Role.MANAGER):
        return reverse("teams:team_detail", kwargs={"pk": teams[0].pk}) if teams else reverse("home")
    query = [("team", team.pk) for team in teams] + [("from", date_from.isoformat()), ("to", date_to.isoformat())]
    return f"{reverse('dashboards:brief')}?{urlencode(query)}"


def digest_summary(
    *, membership: Membership, teams: list[Team], date_from: dt.date, date_to: dt.date, now=None
) -> DigestSummary:
    """The brief of ``teams`` in short, as ``membership`` may read it."""
    brief = briefs.meeting_brief(membership=membership, teams=teams, date_from=date_from, date_to=date_to, now=now)
    return DigestSummary(
        teams=brief.teams,
        date_from=date_from,
        date_to=date_to,
        sections=_sections(brief),
        scores=_score_lines(brief),
        brief_url=brief_url(membership, brief.teams, date_from, date_to),
    )
