"""When rounds open, remind and close, and which questions each round asks."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from surveys.models import Survey
from surveys.schedule import opening_day, questions_for_round, timing

LONDON = ZoneInfo("Europe/London")


def _survey(**fields) -> Survey:
    defaults = {"cadence": Survey.Cadence.MONTHLY, "first_opens_on": dt.date(2027, 1, 31), "opens_at": dt.time(9, 0)}
    return Survey(**{"open_days": 5, "questions_per_round": None, **defaults, **fields})


@pytest.mark.parametrize(
    ("cadence", "number", "day"),
    [
        (Survey.Cadence.MONTHLY, 1, dt.date(2027, 1, 31)),
        (Survey.Cadence.MONTHLY, 2, dt.date(2027, 2, 28)),  # the last day of a shorter month
        (Survey.Cadence.MONTHLY, 3, dt.date(2027, 3, 31)),
        (Survey.Cadence.QUARTERLY, 2, dt.date(2027, 4, 30)),
        (Survey.Cadence.WEEKLY, 3, dt.date(2027, 2, 14)),
        (Survey.Cadence.BIWEEKLY, 2, dt.date(2027, 2, 14)),
    ],
)
def test_rounds_open_one_cadence_apart(cadence, number, day):
    assert opening_day(_survey(cadence=cadence), number) == day


def test_a_round_opens_at_the_local_time_in_winter_and_in_summer():
    survey = _survey(first_opens_on=dt.date(2027, 3, 1))

    winter, summer = timing(survey, 1, LONDON), timing(survey, 2, LONDON)

    assert winter.opens_at.astimezone(dt.UTC).hour == 9  # GMT
    assert summer.opens_at.astimezone(dt.UTC).hour == 8  # BST, 09:00 in London
    assert summer.closes_at.date() == dt.date(2027, 4, 6)


def test_the_reminder_goes_a_day_before_closing_or_halfway_through_a_one_day_round():
    five_days, one_day = timing(_survey(), 1, LONDON), timing(_survey(open_days=1), 1, LONDON)

    assert five_days.closes_at - five_days.remind_at == dt.timedelta(days=1)
    assert one_day.remind_at - one_day.opens_at == dt.timedelta(hours=12)


def _questions(n, *, enps=True):
    questions = [SimpleNamespace(pk=i, order=i, is_enps=False) for i in range(1, n + 1)]
    return questions + ([SimpleNamespace(pk=99, order=99, is_enps=True)] if enps else [])


def _pks(questions):
    return [q.pk for q in questions]


def test_without_a_limit_every_round_asks_everything_with_the_enps_question_last():
    assert _pks(questions_for_round(_survey(), _questions(3), 1)) == [1, 2, 3, 99]


def test_with_a_limit_questions_take_turns_so_each_is_asked_before_one_repeats():
    survey, questions = _survey(questions_per_round=2), _questions(5)

    rounds = [_pks(questions_for_round(survey, questions, n)) for n in (1, 2, 3, 4)]

    assert rounds == [[1, 2, 99], [3, 4, 99], [1, 5, 99], [2, 3, 99]]
    asked_in_the_first_three = {pk for r in rounds[:3] for pk in r}
    assert asked_in_the_first_three == {1, 2, 3, 4, 5, 99}


def test_a_survey_asked_once_asks_everything_whatever_the_limit():
    assert _pks(questions_for_round(_survey(cadence=Survey.Cadence.ONCE, questions_per_round=1), _questions(3), 1)) == [
        1,
        2,
        3,
        99,
    ]
