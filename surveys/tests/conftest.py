"""Fixtures for survey tests: Acme with two teams and a pulse draft."""

import datetime as dt

import pytest

from surveys import services
from teams.tests.factories import JobRoleFactory, TeamFactory, TeamMembershipFactory

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def acme(personas):
    """Bob manages Support (Charlie, in Service, and Dan); Sales is Eve's, managed by
    nobody here. Acme counts time in London."""
    p = personas
    p.org.timezone = "Europe/London"
    p.org.save(update_fields=["timezone"])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    p.service_role = JobRoleFactory(organization=p.org, name="Service agent")
    TeamMembershipFactory(team=p.support, membership=p.member, job_role=p.service_role)
    p.dan = TeamMembershipFactory(team=p.support, membership__organization=p.org).membership
    p.eve = TeamMembershipFactory(team=p.sales, membership__organization=p.org).membership
    return p


@pytest.fixture
def draft(acme):
    """A monthly pulse for Support, from Monday at nine, open five days."""
    return services.survey_create(
        actor=acme.admin,
        title="Monthly pulse",
        first_opens_on=MONDAY,
        opens_at=dt.time(9, 0),
        audience="teams",
        teams=[acme.support],
        bank_keys=["engagement.proud", "collaboration.help"],
    )


# --- A closed round with answers, for results ---------------------------------------------------

RESULTS_OPENING = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
RESULTS_ANSWERING = RESULTS_OPENING + dt.timedelta(days=1)
RESULTS_CLOSED = RESULTS_OPENING + dt.timedelta(days=10)
COMMENT = "What one thing should we change?"


def people(org, team, count, *, job_role=None):
    return [
        TeamMembershipFactory(team=team, membership__organization=org, job_role=job_role).membership
        for _ in range(count)
    ]


@pytest.fixture
def staffed(acme):
    """Support has 7 people (Charlie and Dan among them), Sales 6 (Eve among them), Tiny 2;
    Alice (admin) and Bob (manager) sit on no team."""
    acme.support_people = [acme.member, acme.dan, *people(acme.org, acme.support, 5)]
    acme.sales_people = [acme.eve, *people(acme.org, acme.sales, 5)]
    acme.tiny = TeamFactory(organization=acme.org, name="Tiny")
    acme.tiny_people = people(acme.org, acme.tiny, 2)
    return acme


def open_results_round(acme, *, bank_keys=("engagement.proud", "engagement.motivated", "collaboration.help")):
    """An everyone pulse with the given statements, eNPS and a comment question; its first
    round opened."""
    import time_machine

    from surveys.models import SurveyInvitation

    with time_machine.travel(RESULTS_OPENING - dt.timedelta(days=3), tick=False):
        survey = services.survey_create(
            actor=acme.admin,
            title="Everyone's pulse",
            first_opens_on=RESULTS_OPENING.date(),
            opens_at=dt.time(9, 0),
            audience="everyone",
            bank_keys=list(bank_keys),
        )
        services.question_add(actor=acme.admin, survey=survey, kind="text", text=COMMENT)
        first = services.survey_activate(actor=acme.admin, survey=survey)
    with time_machine.travel(RESULTS_OPENING, tick=False):
        services.round_open(round_id=first.pk)
    first.refresh_from_db()
    first.invitations_by_person = {
        i.membership_id: i for i in SurveyInvitation.objects.filter(round=first).select_related("round__organization")
    }
    return first


def answer(round_, person, values: dict, comment: str = ""):
    """``person`` answers: ``values`` by bank key (or "enps"), plus the comment."""
    import time_machine

    from surveys.selectors import round_questions

    by_key = {q.bank_key or "comment": q for q in round_questions(round_=round_)}
    answers = {by_key[key].pk: value for key, value in values.items()}
    if comment:
        answers[by_key["comment"].pk] = comment
    with time_machine.travel(RESULTS_ANSWERING, tick=False):
        services.response_submit(actor=person, invitation=round_.invitations_by_person[person.pk], answers=answers)


def close(round_):
    import time_machine

    with time_machine.travel(RESULTS_CLOSED, tick=False):
        services.round_close(round_id=round_.pk)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def answered_round(staffed):
    """Support's 7 answer favourably, Sales' 6 less so, Tiny's 2 badly; Alice and Bob do
    not answer. Nine comments in all, from Support and Sales."""
    acme = staffed
    round_ = open_results_round(acme)
    for n, person in enumerate(acme.support_people):
        answer(
            round_,
            person,
            {"engagement.proud": 5, "engagement.motivated": 4, "collaboration.help": 4, "enps": 9 + n % 2},
            comment=f"Support idea {n}" if n < 5 else "",
        )
    for n, person in enumerate(acme.sales_people):
        answer(
            round_,
            person,
            {"engagement.proud": 3, "engagement.motivated": 2, "collaboration.help": 5, "enps": 6 + n % 3},
            comment=f"Sales idea {n}" if n < 4 else "",
        )
    for person in acme.tiny_people:
        answer(round_, person, {"engagement.proud": 1, "engagement.motivated": 1, "collaboration.help": 1, "enps": 0})
    return close(round_)
