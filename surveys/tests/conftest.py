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
