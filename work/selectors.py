"""Reads for daily work: wins and their feeds, values in action, handoff inboxes and
whom to hand a need to."""

from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import Membership
from teams.models import MemberStrength, TeamMembership
from teams.selectors import teams_on_or_managed
from work.access import WinPowers
from work.models import Adoption, Handoff, Spotlight, Win, WinReaction
from work.services.handoffs import is_breached

OPEN_STATES = [Handoff.Status.OPEN, Handoff.Status.ACCEPTED]


def win_feed(*, membership: Membership, team=None, spotlighted: bool = False, account=None):
    """Wins newest first with everything a feed card shows, in a fixed number of queries."""
    wins = (
        Win.objects.visible_to(membership)
        .select_related("author__user", "team", "account", "spotlight__by__user")
        .prefetch_related("values", Prefetch("collaborators", queryset=Membership.objects.select_related("user")))
        .annotate(
            applause=Count("reactions", distinct=True),
            applauded=Exists(WinReaction.objects.filter(win=OuterRef("pk"), membership=membership)),
            adoption_count=Count("adoptions", distinct=True),
        )
    )
    if team is not None:
        wins = wins.filter(team=team)
    if account is not None:
        wins = wins.filter(account=account)
    if spotlighted:
        wins = wins.filter(Exists(Spotlight.objects.filter(win=OuterRef("pk"))))
    return wins.order_by("-created_at", "-pk")


def win_feed_with_adoptions(*, membership: Membership, **filters):
    """``win_feed`` with each win's adoptions (team and who said so), for the pages' cards."""
    # One more query: a card offers "we adopted this" only to teams that have not, and the
    # spotlights page lists them. The API shows only the count, so it stays on win_feed.
    adoptions = Prefetch("adoptions", queryset=Adoption.objects.select_related("team", "by__user"))
    return win_feed(membership=membership, **filters).prefetch_related(adoptions)


def win_cards(*, membership: Membership, limit: int | None = None, pk: int | None = None, **filters) -> list[Win]:
    """Wins as feed cards for this person (home, a customer's page, a swapped card):
    each knows what its card offers them (applause, spotlight, "we adopted this"), in a
    fixed number of queries."""
    wins = win_feed_with_adoptions(membership=membership, **filters)
    if pk is not None:
        wins = wins.filter(pk=pk)
    return WinPowers(membership).decorate(wins[:limit] if limit else wins)


def values_in_action(*, membership: Membership, team=None, months: int = 6) -> dict:
    """Wins per value per month (in the organisation's time zone), for a stacked chart."""
    zone = ZoneInfo(membership.organization.timezone)
    months_list = _month_starts(timezone.localtime(timezone.now(), zone), months)
    since = months_list[0]
    wins = Win.objects.visible_to(membership).filter(created_at__gte=since)
    if team is not None:
        wins = wins.filter(team=team)
    rows = (
        wins.annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month", "values__name")
        .annotate(count=Count("pk"))
        .order_by("month", "values__name")
    )
    # Every month on the axis, with or without wins, so a quiet month shows as zero.
    labels = [month.date().isoformat() for month in months_list]
    series: dict[str, list[int]] = {}
    for row in rows:
        counts = series.setdefault(row["values__name"], [0] * len(labels))
        counts[labels.index(row["month"].date().isoformat())] += row["count"]
    return {"labels": labels, "series": series}


def _month_starts(now, months: int) -> list:
    """The first instants of the last ``months`` months up to ``now``'s, oldest first."""
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(first.replace(year=year, month=month + 1))
    return starts


# --- Handoffs -------------------------------------------------------------------------------


def _handoffs(membership: Membership):
    return Handoff.objects.visible_to(membership).select_related(
        "account", "sender__user", "to_member__user", "to_team", "accepted_by__user"
    )


def _with_age(handoffs, now) -> list[Handoff]:
    handoffs = list(handoffs)
    for handoff in handoffs:
        handoff.age = now - handoff.created_at
        handoff.breached = is_breached(handoff, now)
    return handoffs


class InboxBox(list):
    """One box of the inbox: the handoffs loaded, oldest first, and ``total``, how many
    there are in all (more than loaded when the box was cut short)."""

    total = 0

    @property
    def more(self) -> int:
        return self.total - len(self)


def _box(handoffs, now, limit: int | None) -> InboxBox:
    if limit is not None:
        # The box's size rides along in the same query: a window function counts the rows
        # that match before LIMIT cuts them short.
        handoffs = handoffs.annotate(box_total=Window(Count("pk")))[:limit]
    box = InboxBox(_with_age(handoffs, now))
    box.total = box[0].box_total if limit is not None and box else len(box)
    return box


BOXES = ("to_me", "to_my_teams", "sent")


def inbox_box(*, membership: Membership, box: str):
    """One box of the inbox, unordered: what the page lists and what the API's ``box``
    filter returns, so the two never disagree.

    to_me: handed to the person, or claimed by them, and not closed. to_my_teams:
    handed to a team they are on or manage, not yet claimed. sent: what they sent that
    is not closed."""
    handoffs = _handoffs(membership)
    if box == "to_me":
        return handoffs.filter(Q(to_member=membership) | Q(accepted_by=membership), status__in=OPEN_STATES)
    if box == "to_my_teams":
        # Teams the person is on or manages: either may claim what was handed to the team.
        my_teams = teams_on_or_managed(membership=membership).values("pk")
        return handoffs.filter(to_team__in=my_teams, status=Handoff.Status.OPEN)
    if box == "sent":
        return handoffs.filter(sender=membership, status__in=OPEN_STATES)
    raise ValueError(f"No inbox box is called {box!r}.")


def inbox(*, membership: Membership, now=None, limit: int | None = None) -> dict[str, InboxBox]:
    """Every box of the inbox, oldest first, each handoff with its age and whether it
    breached the SLA. With ``limit``, each box holds only its oldest ``limit`` handoffs
    (and still knows its total); three queries either way."""
    now = now or timezone.now()
    return {
        box: _box(inbox_box(membership=membership, box=box).order_by("created_at", "pk"), now, limit) for box in BOXES
    }


def account_handoffs(*, membership: Membership, account, limit: int = 10, now=None) -> list[Handoff]:
    """An account's newest handoffs that ``membership`` may see, each with its SLA flag,
    for the account's page."""
    now = now or timezone.now()
    handoffs = list(
        Handoff.objects.visible_to(membership)
        .filter(account=account)
        .select_related("account", "sender__user", "to_member__user", "to_team")
        .order_by("-created_at", "-pk")[:limit]
    )
    for handoff in handoffs:
        handoff.breached = is_breached(handoff, now)
    return handoffs


def handoff_history(*, handoff: Handoff):
    return handoff.events.select_related("by__user")


def suggest_recipients(*, membership: Membership, account, strength=None, function=None, limit: int = 5):
    """Whom to hand a need to, best first, each with the reasons.

    Strong at the strength asked for (by level), working in the function asked for,
    on the team that owns the account, and holding few open handoffs now.
    """
    people = (
        Membership.objects.visible_to(membership)
        .filter(is_active=True)
        .exclude(pk=membership.pk)
        .select_related("user")
        .annotate(
            # Open handoffs addressed to them, and team handoffs they claimed.
            open_load=Coalesce(
                Subquery(
                    Handoff.objects.filter(
                        Q(to_member=OuterRef("pk"), status__in=OPEN_STATES)
                        | Q(accepted_by=OuterRef("pk"), status=Handoff.Status.ACCEPTED, to_team__isnull=False)
                    )
                    .order_by()
                    .values("organization")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
    )
    levels = {}
    if strength is not None:
        levels = dict(MemberStrength.objects.filter(strength=strength).values_list("membership_id", "level"))
    seats = TeamMembership.objects.filter(membership__in=people).select_related("job_role__function", "team")
    functions_of: dict[int, set[int]] = {}
    on_owning_team: set[int] = set()
    for seat in seats:
        if seat.job_role_id:
            functions_of.setdefault(seat.membership_id, set()).add(seat.job_role.function_id)
        if seat.team_id == account.owning_team_id:
            on_owning_team.add(seat.membership_id)
    suggestions = []
    for person in people:
        score, reasons = 0.0, []
        if person.pk in levels:
            score += 2 * levels[person.pk]
            reasons.append(f"strong at {strength.name} ({levels[person.pk]}/5)")
        if function is not None and function.pk in functions_of.get(person.pk, set()):
            score += 3
            reasons.append(f"works in {function.name}")
        if person.pk in on_owning_team:
            score += 2
            reasons.append(f"on {account.owning_team.name}, which owns {account.name}")
        score -= person.open_load
        reasons.append("no open handoffs" if person.open_load == 0 else f"{person.open_load} open handoff(s) already")
        if len(reasons) > 1 or (strength is None and function is None):
            suggestions.append({"membership": person, "score": score, "reasons": reasons})
    suggestions.sort(key=lambda s: (-s["score"], s["membership"].user.full_name))
    return suggestions[:limit]
