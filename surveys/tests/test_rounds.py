"""Rounds run themselves: planned, opened with a frozen audience, announced once,
reminded once, closed — and none of it twice, whoever runs the job twice."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from accounts.models import Membership
from notifications.models import Delivery, Notification
from surveys import services
from surveys.models import Survey, SurveyInvitation, SurveyRound
from surveys.selectors import round_questions
from surveys.tasks import run_rounds
from teamhub.lib.locks import held_once
from teams.models import TeamMembership

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
OPENING = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
S = SurveyRound.Status


@pytest.fixture
def running(draft, acme):
    with time_machine.travel(BEFORE, tick=False):
        return services.survey_activate(actor=acme.admin, survey=draft)


def _run(at):
    with time_machine.travel(at, tick=False):
        return services.rounds_run()


def test_nothing_opens_before_its_time(running):
    ran = _run(OPENING - dt.timedelta(minutes=1))

    assert (ran.opened, SurveyRound.objects.get().status) == (0, S.SCHEDULED)


def test_a_round_opens_at_its_time_asking_its_audience_with_their_seats_then(running, acme):
    ran = _run(OPENING)

    round_ = SurveyRound.objects.get(pk=running.pk)
    assert (ran.opened, ran.invited, round_.status, round_.opened_at) == (1, 2, S.OPEN, OPENING)
    seats = {i.membership_id: (i.team_id, i.function_id) for i in round_.invitations.all()}
    assert seats == {
        acme.member.pk: (acme.support.pk, acme.service_role.function_id),
        acme.dan.pk: (acme.support.pk, None),
    }
    assert [q.bank_key for q in round_questions(round_=round_)] == [
        "engagement.proud",
        "collaboration.help",
        "enps",
    ]


def test_each_person_asked_is_told_once_in_the_app_and_by_email(running, acme):
    _run(OPENING)

    told = Notification.objects.filter(kind="survey_open")
    assert set(told.values_list("recipient_id", flat=True)) == {acme.member.pk, acme.dan.pk}
    assert all(n.url == f"/surveys/rounds/{running.pk}/answer/" for n in told)
    assert Delivery.objects.filter(kind="survey_open").count() == 2


def test_the_audience_is_frozen_when_the_round_opens(running, acme):
    _run(OPENING)
    TeamMembership.objects.filter(membership=acme.eve).update(team=acme.support)  # joins later

    _run(OPENING + dt.timedelta(hours=1))

    assert not SurveyInvitation.objects.filter(membership=acme.eve).exists()


def test_people_who_left_are_not_asked(running, acme):
    Membership.objects.filter(pk=acme.dan.pk).update(is_active=False)

    _run(OPENING)

    assert list(SurveyInvitation.objects.values_list("membership_id", flat=True)) == [acme.member.pk]


def test_opening_twice_opens_once_and_tells_nobody_twice(running, acme):
    with time_machine.travel(OPENING, tick=False):
        first = services.round_open(round_id=running.pk)
        second = services.round_open(round_id=running.pk)
        _again = services.rounds_run()

    assert (first, second, _again.opened) == (2, None, 0)
    assert SurveyInvitation.objects.count() == 2
    assert Notification.objects.filter(kind="survey_open").count() == 2


def test_a_worker_killed_while_telling_people_leaves_nobody_told_twice(running, acme):
    """Telling is claimed person by person inside the opening's transaction: if it
    dies half-way, the opening rolls back and the next run tells everyone once."""
    from unittest import mock

    with (
        time_machine.travel(OPENING, tick=False),
        mock.patch("surveys.notices.send", side_effect=[None, RuntimeError("worker killed")]),
        pytest.raises(RuntimeError),
    ):
        services.round_open(round_id=running.pk)
    assert SurveyRound.objects.get(pk=running.pk).status == S.SCHEDULED
    assert not SurveyInvitation.objects.exists()

    _run(OPENING + dt.timedelta(minutes=1))

    assert Notification.objects.filter(kind="survey_open").count() == 2


def test_those_who_have_not_answered_are_reminded_once_a_day_before_it_closes(running, acme):
    _run(OPENING)
    SurveyInvitation.objects.filter(membership=acme.dan).update(answered=True)

    not_yet = _run(OPENING + dt.timedelta(days=3))
    reminded = _run(OPENING + dt.timedelta(days=4))
    again = _run(OPENING + dt.timedelta(days=4, hours=1))
    with time_machine.travel(OPENING + dt.timedelta(days=4, hours=2), tick=False):
        by_hand = services.round_remind(round_id=running.pk)

    assert (not_yet.reminded, reminded.reminded, again.reminded, by_hand) == (0, 1, 0, 0)
    reminders = Notification.objects.filter(kind="survey_reminder")
    assert list(reminders.values_list("recipient_id", flat=True)) == [acme.member.pk]


def test_a_round_closes_at_its_time(running):
    _run(OPENING)

    ran = _run(OPENING + dt.timedelta(days=5))

    round_ = SurveyRound.objects.get(pk=running.pk)
    assert (ran.closed, round_.status, round_.closed_at) == (1, S.CLOSED, OPENING + dt.timedelta(days=5))


def test_the_next_round_of_a_recurring_survey_is_planned_once_the_last_has_opened(running):
    assert _run(BEFORE + dt.timedelta(hours=1)).planned == 0  # round 1 still waits

    ran = _run(OPENING)
    again = _run(OPENING + dt.timedelta(minutes=1))

    second = SurveyRound.objects.get(number=2)
    assert (ran.planned, again.planned, second.status) == (1, 0, S.SCHEDULED)
    assert second.opens_at == dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC)


def test_a_survey_asked_once_has_one_round(acme, draft):
    Survey.objects.filter(pk=draft.pk).update(cadence=Survey.Cadence.ONCE)
    draft.refresh_from_db()
    with time_machine.travel(BEFORE, tick=False):
        services.survey_activate(actor=acme.admin, survey=draft)

    _run(OPENING)

    assert SurveyRound.objects.count() == 1


def test_a_round_whose_time_passed_while_no_job_ran_is_missed_not_opened_late(running):
    ran = _run(OPENING + dt.timedelta(days=6))

    assert (ran.opened, SurveyRound.objects.get(pk=running.pk).status) == (0, S.CLOSED)
    assert not SurveyInvitation.objects.exists()


def test_the_periodic_task_skips_while_another_run_holds_the_lock(running):
    cache.clear()
    with held_once("surveys.run_rounds", seconds=60) as mine, time_machine.travel(OPENING, tick=False):
        assert mine
        assert run_rounds() == {"skipped": True}
        assert SurveyRound.objects.get(pk=running.pk).status == S.SCHEDULED
    with time_machine.travel(OPENING, tick=False):
        assert run_rounds()["opened"] == 1
