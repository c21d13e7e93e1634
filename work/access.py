"""Who may see and do what with wins and handoffs: one place per entity, used by the
services that enforce it and by the pages, forms and API that offer it.

Wins: everyone in the organisation reads every win (the feed is how good work
travels). People log wins and adoptions for the teams they are on or manage (an
admin for any team); the managers of a win's team, or an admin, spotlight it.

Handoffs: seen by the people involved, the customer's team and admins
(``Handoff.objects.visible_to``). Each move has one rule for who may make it,
``MOVES`` says from which statuses, and ``allowed_moves`` combines the two: the page
shows exactly the buttons the service would accept.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Membership
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role
from teams.access import manages_team
from teams.models import Team, TeamMembership
from teams.selectors import teams_on_or_managed
from work.models import Handoff, Win

# --- Wins ----------------------------------------------------------------------------------


def access_win(*, membership: Membership, win_id) -> Win:
    """A win of the organisation, or 404."""
    return get_visible_or_404(Win.objects.select_related("team"), membership, pk=win_id)


def teams_for_wins(membership: Membership):
    """The teams a person logs wins or adoptions for: theirs and those they manage
    (every team, for an admin)."""
    if membership.is_admin:
        return Team.objects.for_org(membership.organization_id).order_by("name")
    return teams_on_or_managed(membership=membership)


def may_speak_for(membership: Membership, team: Team) -> bool:
    """Whether the person may log a win or an adoption for ``team``."""
    if team.organization_id != membership.organization_id:
        return False
    return manages_team(membership, team) or TeamMembership.objects.filter(team=team, membership=membership).exists()


def can_spotlight(membership: Membership, win: Win) -> bool:
    """The managers of the win's team, or an admin."""
    return manages_team(membership, win.team)


def require_spotlighter(membership: Membership, win: Win) -> None:
    if not can_spotlight(membership, win):
        raise PermissionDenied(f"Only the managers of {win.team.name} (or an admin) can spotlight its wins.")


class WinPowers:
    """What one person may do with the wins of a whole feed, found in two queries
    rather than a few per card: the same rules as ``may_speak_for`` and
    ``can_spotlight``."""

    def __init__(self, membership: Membership):
        self.membership = membership
        self.teams = list(teams_for_wins(membership))
        self._managed = set()
        if has_role(membership, Role.MANAGER) and not membership.is_admin:
            self._managed = set(Team.objects.filter(managers=membership).values_list("pk", flat=True))

    @property
    def can_log(self) -> bool:
        return bool(self.teams)

    def can_spotlight(self, win: Win) -> bool:
        return self.membership.is_admin or win.team_id in self._managed

    def decorate(self, wins) -> list[Win]:
        """Set on each win what its card offers this person."""
        wins = list(wins)
        for win in wins:
            win.spot = getattr(win, "spotlight", None)
            win.is_mine = win.author_id == self.membership.pk
            win.can_spotlight = win.spot is None and self.can_spotlight(win)
            adopted = {adoption.team_id for adoption in win.adoptions.all()}
            others = [t for t in self.teams if t.pk != win.team_id and t.pk not in adopted]
            win.adopt_teams = others if win.spot else []
        return wins


# --- Handoffs ------------------------------------------------------------------------------

S = Handoff.Status
# Each move: the statuses it may start from, and where it leads.
MOVES = {
    "accept": ({S.OPEN}, S.ACCEPTED),
    "decline": ({S.OPEN}, S.DECLINED),
    "complete": ({S.ACCEPTED}, S.COMPLETED),
    "return": ({S.ACCEPTED}, S.RETURNED),
    "cancel": ({S.OPEN, S.ACCEPTED}, S.CANCELLED),
}

REFUSALS = {
    "accept": "Only the person or team it was handed to can accept or decline it.",
    "decline": "Only the person or team it was handed to can accept or decline it.",
    "complete": "Only the person who accepted it can complete or return it.",
    "return": "Only the person who accepted it can complete or return it.",
    "cancel": "Only the sender can cancel it.",
}


def access_handoff(*, membership: Membership, handoff_id) -> Handoff:
    """A handoff the person may see (with what its page shows), or 404."""
    queryset = Handoff.objects.select_related(
        "account__owning_team",
        "follow_up",
        "sender__user",
        "sender_team",
        "receiving_team",
        "to_member__user",
        "to_team",
        "accepted_by__user",
    )
    return get_visible_or_404(queryset, membership, pk=handoff_id)


def is_recipient(membership: Membership, handoff: Handoff) -> bool:
    """The person it was handed to, or anyone on (or managing) the team it was handed to."""
    if handoff.to_member_id is not None:
        return handoff.to_member_id == membership.pk
    on_team = TeamMembership.objects.filter(team_id=handoff.to_team_id, membership=membership).exists()
    return on_team or manages_team(membership, handoff.to_team)


RECIPIENT_MOVES = {"accept", "decline"}


def may_make(membership: Membership, handoff: Handoff, move: str) -> bool:
    """Whether this person may make ``move``, whatever the handoff's status."""
    if move in RECIPIENT_MOVES:
        return is_recipient(membership, handoff)
    if move in ("complete", "return"):
        return handoff.accepted_by_id == membership.pk
    return handoff.sender_id == membership.pk  # cancel


def require_may_make(membership: Membership, handoff: Handoff, move: str) -> None:
    if not may_make(membership, handoff, move):
        raise PermissionDenied(REFUSALS[move])


def allowed_moves(membership: Membership, handoff: Handoff) -> list[str]:
    """The moves the service would accept from this person now, for the page's buttons."""
    possible = [move for move, (starts, _) in MOVES.items() if handoff.status in starts]
    # Accept and decline share one rule: ask it once.
    recipient = bool(RECIPIENT_MOVES & set(possible)) and is_recipient(membership, handoff)
    return [m for m in possible if (recipient if m in RECIPIENT_MOVES else may_make(membership, handoff, m))]
