"""Wins: logging one, applause, spotlights and adoptions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership
from outbox.models import DirtyScope
from outbox.services import mark_dirty
from teamhub.lib.tenancy import require_same_org
from teams.models import Team, TeamMembership, Value
from teams.selectors import functions_of
from work import access, notices
from work.models import Adoption, Spotlight, Win, WinReaction


def _check_win_people_and_things(actor: Membership, team: Team, values: list[Value], collaborators, account) -> None:
    if team is None or team.organization_id != actor.organization_id:
        raise ValidationError({"team": "Choose a team of your organisation."})
    if not access.may_speak_for(actor, team):
        raise ValidationError({"team": "Log wins for a team you are on."})
    if not values:
        raise ValidationError({"values": "Choose at least one value the win shows."})
    for value in values:
        if value.organization_id != actor.organization_id:
            raise ValidationError({"values": "Choose values of your organisation."})
        if not value.is_active:
            raise ValidationError({"values": f"“{value.name}” is archived: choose a current value."})
    for person in collaborators:
        if person.organization_id != actor.organization_id or not person.is_active:
            raise ValidationError({"collaborators": "Collaborators must be active people of your organisation."})
        if person.pk == actor.pk:
            raise ValidationError({"collaborators": "You are the author; add the colleagues who helped."})
    if account is not None and account.organization_id != actor.organization_id:
        raise ValidationError({"account": "Choose a customer of your organisation."})


def default_team_for(actor: Membership) -> Team | None:
    """The team a win or handoff counts for when none is named: the person's only team."""
    teams = list(TeamMembership.objects.filter(membership=actor).select_related("team")[:2])
    return teams[0].team if len(teams) == 1 else None


@transaction.atomic
def win_create(
    *,
    actor: Membership,
    title: str,
    values: list[Value],
    team: Team | None = None,
    story: str = "",
    impact: str = "",
    account=None,
    collaborators: list[Membership] = (),
    at=None,
) -> Win:
    """Log a win: a title, at least one value, and (when the person is on one team) the
    rest is optional. Marks its team, collaborators' teams, their functions and its
    account dirty for the scores of the win's own day (``at`` may date it back)."""
    team = team or default_team_for(actor)
    collaborators = list(collaborators)
    _check_win_people_and_things(actor, team, list(values), collaborators, account)
    win = Win(
        organization=actor.organization,
        author=actor,
        team=team,
        account=account,
        title=title,
        story=story,
        impact=impact,
        created_at=at or timezone.now(),
    )
    win.full_clean()
    win.save()
    win.values.set(values)
    win.collaborators.set(collaborators)
    collaborator_teams = TeamMembership.objects.filter(membership__in=collaborators).values_list("team_id", flat=True)
    mark_dirty(
        organization=actor.organization,
        at=win.created_at,
        teams=[team.pk, *collaborator_teams],
        functions=functions_of([actor, *collaborators]),
        accounts=[account.pk] if account else [],
        kind=DirtyScope.Kind.ACTIVITY,
    )
    return win


@transaction.atomic
def win_react(*, actor: Membership, win: Win) -> WinReaction:
    """Applaud a colleague's win, once."""
    require_same_org(actor, win)
    if win.author_id == actor.pk:
        raise ValidationError("Applaud your colleagues' wins; your own is already counted.")
    try:
        with transaction.atomic():
            return WinReaction.objects.create(win=win, membership=actor)
    except IntegrityError:
        raise ValidationError("You have already applauded this win.") from None


@transaction.atomic
def win_unreact(*, actor: Membership, win: Win) -> None:
    require_same_org(actor, win)
    WinReaction.objects.filter(win=win, membership=actor).delete()


@transaction.atomic
def win_spotlight(*, actor: Membership, win: Win, note: str) -> Spotlight:
    """A manager of the win's team holds it up as what good looks like."""
    require_same_org(actor, win)
    access.require_spotlighter(actor, win)
    if not (note or "").strip():
        raise ValidationError({"note": "Say why this is what good looks like: that is what others copy."})
    already = ValidationError("This win is already in the spotlight.")
    if Spotlight.objects.filter(win=win).exists():
        raise already
    try:
        with transaction.atomic():  # two managers at once: the second is told, not a 500
            spotlight = Spotlight.objects.create(win=win, by=actor, note=note.strip())
    except IntegrityError:
        raise already from None
    notices.win_spotlighted(win, by=actor)
    return spotlight


@transaction.atomic
def win_adopt(*, actor: Membership, win: Win, team: Team, note: str = "") -> Adoption:
    """Another team says it adopted a spotlighted practice."""
    require_same_org(actor, win, team)
    if not access.may_speak_for(actor, team):
        raise PermissionDenied(f"Only people on {team.name} can say it adopted this.")
    if not Spotlight.objects.filter(win=win).exists():
        raise ValidationError("Only spotlighted wins can be adopted.")
    if team.pk == win.team_id:
        raise ValidationError({"team": "It is this team's own win; adoption is for other teams."})
    try:
        with transaction.atomic():
            return Adoption.objects.create(win=win, team=team, by=actor, note=note)
    except IntegrityError:
        raise ValidationError({"team": f"{team.name} has already adopted this."}) from None
