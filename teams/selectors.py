"""Reads for teams/, shaped for the pages and endpoints that use them."""

from zoneinfo import ZoneInfo

from django.db.models import Case, Count, Prefetch, Q, When
from django.utils import timezone

from accounts.models import Membership
from notifications.models import Delivery
from notifications.recipients import Recipient, Unreachable
from teams.models import (
    CheckIn,
    Commitment,
    ExcellenceChange,
    ExcellenceCriterion,
    Function,
    Goal,
    JobRole,
    KeyResult,
    MemberStrength,
    Strength,
    Team,
    TeamMembership,
    Value,
)

# --- Values, functions, roles, strengths catalogue ---------------------------------------------


def value_list(*, membership: Membership, include_archived: bool = False):
    values = Value.objects.visible_to(membership)
    return values if include_archived else values.active()


def function_list(*, membership: Membership):
    # Annotating drops the model's default ordering: say it again, or pages shuffle.
    return Function.objects.visible_to(membership).annotate(role_count=Count("roles")).order_by("order", "name")


def job_role_list(*, membership: Membership):
    return (
        JobRole.objects.visible_to(membership)
        .select_related("function")
        .prefetch_related("criteria")
        .annotate(holder_count=Count("team_memberships", distinct=True))
        .order_by("function__order", "function__name", "name")
    )


def strength_list(*, membership: Membership):
    return Strength.objects.visible_to(membership).annotate(holder_count=Count("holders")).order_by("name")


# --- Goals --------------------------------------------------------------------------------------


def goal_list(*, membership: Membership, team: Team | None = None):
    """Goals with their key results; organisation goals first, each followed in a page by
    its aligned team goals (``children``)."""
    goals = (
        Goal.objects.visible_to(membership)
        .select_related("team", "owner__user", "parent")
        .prefetch_related("key_results")
    )
    if team is not None:
        goals = goals.filter(team=team)
    return goals


def goal_tree(*, membership: Membership):
    """Organisation goals, each with its team goals and every key result, in 3 queries."""
    key_results = Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "pk"))
    children = Prefetch(
        "children",
        queryset=Goal.objects.select_related("team", "owner__user").prefetch_related(key_results),
    )
    return (
        Goal.objects.visible_to(membership)
        .filter(team__isnull=True)
        .select_related("owner__user")
        .prefetch_related(key_results, children)
    )


def check_in_series(*, key_result: KeyResult) -> dict:
    """A key result's check-ins in time order, shaped for a line chart against its target."""
    check_ins = CheckIn.objects.filter(key_result=key_result).order_by("created_at", "pk")
    return _series(key_result, list(check_ins), ZoneInfo(key_result.goal.organization.timezone))


def goal_key_results(*, goal: Goal, **filters) -> list[KeyResult]:
    """A goal's key results, each with its check-ins (newest first, with authors) and its
    chart data as ``series``; two queries however many key results and check-ins."""
    check_ins = CheckIn.objects.select_related("author__user")
    key_results = list(
        goal.key_results.filter(**filters).order_by("order", "pk").prefetch_related(Prefetch("check_ins", check_ins))
    )
    zone = ZoneInfo(goal.organization.timezone)
    for key_result in key_results:
        in_time_order = sorted(key_result.check_ins.all(), key=lambda c: (c.created_at, c.pk))
        key_result.series = _series(key_result, in_time_order, zone)
    return key_results


def _series(key_result: KeyResult, check_ins: list[CheckIn], zone: ZoneInfo) -> dict:
    # Days as the organisation counts them: its time zone decides where a day ends.
    return {
        "title": key_result.title,
        "labels": [timezone.localtime(c.created_at, zone).date().isoformat() for c in check_ins],
        "values": [float(c.value) for c in check_ins],
        "target": float(key_result.target),
        "baseline": float(key_result.baseline),
        "unit": key_result.unit,
    }


# --- Teams --------------------------------------------------------------------------------------


def team_list(*, membership: Membership):
    return (
        Team.objects.visible_to(membership)
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("managers", queryset=Membership.objects.select_related("user")),
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("job_role")),
        )
        .order_by("name")
    )


def team_members(*, team: Team):
    return (
        TeamMembership.objects.filter(team=team)
        .select_related("membership__user", "job_role__function")
        .annotate(is_lead=Case(When(team_role=TeamMembership.TeamRole.LEAD, then=1), default=0))
        .order_by("-is_lead", "membership__user__full_name")
    )


def function_coverage(*, team: Team, members=None) -> dict:
    """Which of the organisation's functions the team's people bring, and which it lacks."""
    members = list(members if members is not None else team_members(team=team))
    present_ids = {m.job_role.function_id for m in members if m.job_role_id}
    functions = list(Function.objects.for_org(team.organization_id))
    present = [f for f in functions if f.pk in present_ids]
    return {
        "present": present,
        "missing": [f for f in functions if f.pk not in present_ids],
        "is_cross_functional": len(present) >= 2,
    }


def team_commitments(*, team: Team) -> list[dict]:
    """All six commitments, recorded or not, in their canonical order."""
    recorded = {c.commitment: c for c in team.commitments.select_related("updated_by__user")}
    return [{"key": key, "label": label, "record": recorded.get(key)} for key, label in Commitment.choices]


def teams_on_or_managed(*, membership: Membership):
    """The teams a person is on or manages: those whose handoffs they may claim and for
    which they log wins and adoptions. The one definition every app uses."""
    # Two id subqueries rather than an OR across two joins with DISTINCT: at a large
    # organisation's scale the joins made PostgreSQL scan every team membership, once per
    # row of the queries that filter by these teams (`make bench-pages`).
    on = TeamMembership.objects.filter(membership=membership).values("team_id")
    managing = Team.managers.through.objects.filter(membership=membership).values("team_id")
    return Team.objects.for_org(membership.organization_id).filter(Q(pk__in=on) | Q(pk__in=managing)).order_by("name")


def teams_of(*, membership: Membership):
    return TeamMembership.objects.filter(membership=membership).select_related("team", "job_role__function")


# --- Excellence ---------------------------------------------------------------------------------


def my_excellence(*, membership: Membership):
    """The person's roles on their teams, each with its criteria (for their home page)."""
    return teams_of(membership=membership).prefetch_related(
        Prefetch("criteria", queryset=ExcellenceCriterion.objects.order_by("order", "pk"))
    )


def excellence_history(*, team_membership: TeamMembership):
    return ExcellenceChange.objects.filter(team_membership=team_membership).select_related("changed_by__user")


# --- Strengths and the directory -----------------------------------------------------------------


def directory(*, membership: Membership, query: str = "", function_id=None, strength_id=None):
    """Everyone active in the organisation with their strengths, teams and functions:
    whom to ask."""
    people = Membership.objects.visible_to(membership).filter(is_active=True).select_related("user")
    if query:
        people = people.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(strengths__strength__name__icontains=query)
        ).distinct()
    if function_id:
        people = people.filter(team_memberships__job_role__function_id=function_id).distinct()
    if strength_id:
        people = people.filter(strengths__strength_id=strength_id).distinct()
    return people.order_by("user__full_name", "user__email").prefetch_related(
        Prefetch(
            "strengths",
            queryset=MemberStrength.objects.select_related("strength").annotate(
                endorsement_count=Count("endorsements")
            ),
        ),
        Prefetch("team_memberships", queryset=TeamMembership.objects.select_related("team", "job_role__function")),
    )


def strong_at(*, membership: Membership, strength: Strength, min_level: int = 1):
    """Who in the organisation is strong at ``strength``: strongest and most endorsed first."""
    return (
        MemberStrength.objects.visible_to(membership)
        .filter(strength=strength, level__gte=min_level, membership__is_active=True)
        .select_related("membership__user")
        .annotate(endorsement_count=Count("endorsements"))
        .order_by("-level", "-endorsement_count", "membership__user__full_name")
    )


def strengths_of(*, membership: Membership, viewer: Membership):
    """One person's strengths, with endorsement counts and whether ``viewer`` endorsed each."""
    return (
        MemberStrength.objects.filter(membership=membership)
        .select_related("strength")
        .annotate(
            endorsement_count=Count("endorsements", distinct=True),
            endorsed_by_viewer=Count("endorsements", filter=Q(endorsements__endorser=viewer), distinct=True),
        )
        .order_by("-level", "strength__name")
    )


# --- What other apps count by -----------------------------------------------------------------


def functions_of(people) -> list[int]:
    """The functions of the roles the people hold on their teams: the function scopes
    their work counts for."""
    ids = [person.pk if hasattr(person, "pk") else person for person in people if person]
    return list(
        TeamMembership.objects.filter(membership__in=ids, job_role__isnull=False)
        .values_list("job_role__function_id", flat=True)
        .distinct()
    )


# --- A team's chat, as notifications reach it ----------------------------------------------------

TEAM_CHAT = "team"


def team_chat(team: Team | None) -> Recipient | None:
    """The team's chat channel as a recipient of notifications, when it has a webhook."""
    if team is None or not team.webhook_url:
        return None
    return Recipient(TEAM_CHAT, team.pk, team.name, Delivery.Channel.WEBHOOK, team.webhook_url)


def team_chat_address(team_id: int | None, channel: str) -> str:
    """Where the team's chat is now (registered with notifications.recipients)."""
    team = Team.objects.get(pk=team_id)
    if not team.webhook_url:
        raise Unreachable(f"{team.name} has no webhook any more: there is nowhere to send it.")
    return team.webhook_url
