"""Reads for customers, shaped for the pages and endpoints that use them."""

from datetime import datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, When
from django.utils import timezone

from accounts.models import Membership
from customers.models import Contact, CustomerAccount, CustomerImport, FollowUp, OwnershipChange
from notifications.models import Delivery
from notifications.recipients import Recipient, Unreachable
from teams.models import Team, TeamMembership

NOTES_REVIEW_AFTER = timedelta(days=183)  # about six months

SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "status": ("status", "name", "pk"),
    "team": ("owning_team__name", "name", "pk"),
    "revenue": ("annual_revenue", "name", "pk"),
    "-revenue": ("-annual_revenue", "name", "pk"),
    "-updated": ("-updated_at", "pk"),
}


def account_list(
    *,
    membership: Membership,
    q: str = "",
    team=None,
    segment: str = "",
    status: str = "",
    lead=None,
    mine: bool = False,
    sort: str = "name",
):
    """Accounts of the organisation with their team and lead, filtered and sorted.

    Each row says whether the requester works on its details (``in_full``) and how
    many follow-ups are open, so the list can show both without a query per row.
    """
    mine_ids = CustomerAccount.objects.in_full_for(membership).filter(pk=OuterRef("pk"))
    accounts = (
        CustomerAccount.objects.visible_to(membership)
        .select_related("owning_team", "lead__user")
        .annotate(
            in_full=Exists(mine_ids),
            open_follow_ups=Count(
                "follow_ups", filter=Q(follow_ups__status__in=[FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS])
            ),
        )
    )
    if q:
        accounts = accounts.filter(Q(name__icontains=q) | Q(external_ref__iexact=q))
    if team:
        accounts = accounts.filter(owning_team=team)
    if segment:
        accounts = accounts.filter(segment__iexact=segment)
    if status:
        accounts = accounts.filter(status=status)
    if lead:
        accounts = accounts.filter(lead=lead)
    if mine:
        accounts = accounts.filter(in_full=True)
    return accounts.order_by(*SORTS.get(sort, SORTS["name"]))


def segments(*, membership: Membership) -> list[str]:
    return list(
        CustomerAccount.objects.for_org(membership.organization_id)
        .exclude(segment="")
        .order_by("segment")
        .values_list("segment", flat=True)
        .distinct()
    )


def needs_review(contact: Contact, now=None) -> bool:
    """Nobody has reviewed what the team remembers about this person for ~six months."""
    reviewed = contact.notes_reviewed_at or contact.created_at
    return reviewed < (now or timezone.now()) - NOTES_REVIEW_AFTER


def account_contacts(*, account: CustomerAccount):
    """Contacts, each with ``needs_review`` set."""
    now = timezone.now()
    contacts = list(Contact.objects.filter(account=account).order_by("name", "pk"))
    for contact in contacts:
        contact.needs_review = needs_review(contact, now)
    return contacts


def account_follow_ups(*, account: CustomerAccount):
    """Open ones first (soonest due first), then the closed, newest first."""
    return (
        FollowUp.objects.filter(account=account)
        .select_related("contact", "owner__user")
        .annotate(
            closed_last=ExpressionWrapper(
                Q(status__in=[FollowUp.Status.DONE, FollowUp.Status.CANCELLED]), output_field=BooleanField()
            )
        )
        # Open and in progress first, soonest due first; then the closed, newest first.
        .order_by(
            "closed_last",
            Case(When(closed_last=True, then=None), default=F("due_date"), output_field=DateField()).asc(
                nulls_last=True
            ),
            "-created_at",
            "-pk",
        )
    )


def ownership_history(*, account: CustomerAccount):
    return OwnershipChange.objects.filter(account=account).select_related("from_team", "to_team", "changed_by__user")


def team_people(*, team: Team):
    """Who may lead an account of the team, or own its follow-ups."""
    ids = TeamMembership.objects.filter(team=team).values("membership_id")
    return (
        Membership.objects.filter(Q(pk__in=ids) | Q(managed_teams=team), is_active=True)
        .select_related("user")
        .distinct()
        .order_by("user__full_name", "user__email")
    )


# --- Turnaround: how fast a team answers and resolves customer needs ----------------------------


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the value below which ``share`` of them fall."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n)
    return ordered[rank - 1]


def _turnaround_of(rows) -> dict:
    response = [_hours(first - created) for created, first, _ in rows if first]
    resolution = [_hours(resolved - created) for created, _, resolved in rows if resolved]
    return {
        "received": len(rows),
        "responded": len(response),
        "resolved": len(resolution),
        "response_median": median(response) if response else None,
        "response_p90": _percentile(response, 0.9),
        "resolution_median": median(resolution) if resolution else None,
        "resolution_p90": _percentile(resolution, 0.9),
    }


def _received(team: Team, start, end):
    return FollowUp.objects.filter(team=team, created_at__gte=start, created_at__lt=end).values_list(
        "created_at", "first_response_at", "resolved_at"
    )


def turnaround(*, team: Team, start, end) -> dict:
    """Median and 90th percentile, in hours, of time to first response and to
    resolution for follow-ups the team received in [start, end)."""
    return _turnaround_of(list(_received(team, start, end)))


def turnaround_by_month(*, team: Team, months: int = 6, today=None) -> list[dict]:
    """The last ``months`` calendar months in the organisation's time zone, oldest
    first: one query for the whole window, split into months here (percentiles are
    not portable SQL aggregates)."""
    zone = ZoneInfo(team.organization.timezone)
    today = today or timezone.localdate(timezone=zone)
    first = today.replace(day=1)
    periods = []
    for _ in range(months):
        periods.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    periods.reverse()
    window_start = datetime.combine(periods[0], time.min, tzinfo=zone)
    window_end = datetime.combine((periods[-1] + timedelta(days=32)).replace(day=1), time.min, tzinfo=zone)
    by_month = {period: [] for period in periods}
    for row in _received(team, window_start, window_end):
        by_month[row[0].astimezone(zone).date().replace(day=1)].append(row)
    return [{"period": period, **_turnaround_of(rows)} for period, rows in by_month.items()]


def import_list(*, membership: Membership):
    # Accounts and contacts; other kinds (NPS history) are listed by the app that registered them.
    imports = CustomerImport.objects.of_kind("accounts").visible_to(membership)
    return imports.select_related("created_by__user", "default_team")


# --- A contact, as TeamHub's e-mail reaches them ------------------------------------------------

CONTACT = "contact"


def contact_email(contact: Contact) -> Recipient | None:
    """A customer contact as a recipient of TeamHub's e-mail (surveys): nobody when they
    opted out or have no address."""
    if not contact.email or contact.survey_opt_out:
        return None
    return Recipient(CONTACT, contact.pk, contact.name, Delivery.Channel.EMAIL, contact.email)


def contact_address(contact_id: int | None, channel: str) -> str:
    """Where a contact's e-mail goes now (registered with notifications.recipients): an
    opt-out after the message was queued is honoured."""
    contact = Contact.objects.get(pk=contact_id)
    if contact.survey_opt_out:
        raise Unreachable(f"{contact.name} opted out of TeamHub's e-mail.")
    if not contact.email:
        raise Unreachable(f"{contact.name} has no e-mail address any more.")
    return contact.email
