"""What surveys tell people, through notifications: a round is open for them, and (once)
that it is closing and they have not answered; a detractor's follow-up, to its owner
and the owning team's chat."""

from zoneinfo import ZoneInfo

from django.db import models
from django.urls import reverse
from django.utils import timezone

from notifications import kinds
from notifications.recipients import member
from notifications.services import Message, send
from teams.selectors import team_chat


class Kind(models.TextChoices):
    SURVEY_OPEN = "survey_open", "A survey for you"
    SURVEY_REMINDER = "survey_reminder", "A survey closes soon"
    DETRACTOR_FOLLOW_UP = "detractor_follow_up", "A detractor to call back"


kinds.register(Kind)


def round_invitation(round_, person, *, reminder: bool) -> None:
    """The link to the round's answer page. It says nothing about answers: nobody's are
    ever in a message, and a reminder goes only to people who have not answered."""
    survey = round_.survey
    closes = timezone.localtime(round_.closes_at, ZoneInfo(survey.organization.timezone))
    when = f"{closes:%A} {closes.day} {closes:%B}"
    if reminder:
        kind, title = Kind.SURVEY_REMINDER, f"“{survey.title}” closes {when}: two minutes, and it is anonymous"
    else:
        kind, title = Kind.SURVEY_OPEN, f"“{survey.title}” is open until {when}: two minutes, and it is anonymous"
    url = reverse("surveys:answer", kwargs={"pk": round_.pk})
    message = Message(kind=kind, title=title, url=url, about_type="survey_round", about_id=round_.pk)
    send(message, organization_id=round_.organization_id, to=[member(person)])


def detractor_follow_up(feedback, follow_up, people) -> None:
    """The follow-up a detractor's feedback opened: its owner (or the team's managers)
    in the app and by e-mail, and the owning team's chat. The customer's own words are
    in it: it goes only to the team that owns the account."""
    due = f"{follow_up.due_date:%A} {follow_up.due_date.day} {follow_up.due_date:%B}"
    title = f"{feedback.account.name}: {follow_up.summary} (due {due})"
    url = reverse("customers:account_detail", kwargs={"pk": feedback.account_id}) + f"#follow-up-{follow_up.pk}"
    message = Message(
        kind=Kind.DETRACTOR_FOLLOW_UP, title=title, url=url, about_type="follow_up", about_id=follow_up.pk
    )
    send(message, organization_id=feedback.organization_id, to=[*map(member, people), team_chat(feedback.team)])
