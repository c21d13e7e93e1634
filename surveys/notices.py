"""What surveys tell people, through notifications: a round is open for them, and (once)
that it is closing and they have not answered."""

from zoneinfo import ZoneInfo

from django.db import models
from django.urls import reverse
from django.utils import timezone

from notifications import kinds
from notifications.recipients import member
from notifications.services import Message, send


class Kind(models.TextChoices):
    SURVEY_OPEN = "survey_open", "A survey for you"
    SURVEY_REMINDER = "survey_reminder", "A survey closes soon"


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
