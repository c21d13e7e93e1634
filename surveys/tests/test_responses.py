"""Answering a round: once, anonymously by construction, with nothing half-saved."""

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox.models import DirtyScope
from surveys import services
from surveys.models import Answer, Response, SurveyInvitation
from surveys.selectors import pending_rounds, round_questions

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
OPENING = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
LATER = OPENING + dt.timedelta(days=1, hours=6)


@pytest.fixture
def round_(draft, acme):
    with time_machine.travel(BEFORE, tick=False):
        first = services.survey_activate(actor=acme.admin, survey=draft)
    with time_machine.travel(OPENING, tick=False):
        services.round_open(round_id=first.pk)
    first.refresh_from_db()
    return first


def _invitation(acme, person=None):
    return SurveyInvitation.objects.select_related("round__organization").get(membership=person or acme.member)


def _answers(round_, proud=5, help_=2, enps=9):
    proud_q, help_q, enps_q = round_questions(round_=round_)
    return {proud_q.pk: proud, help_q.pk: help_, enps_q.pk: enps}


def _submit(acme, round_, answers=None, person=None):
    with time_machine.travel(LATER, tick=False):
        services.response_submit(
            actor=person or acme.member, invitation=_invitation(acme, person), answers=answers or _answers(round_)
        )


def test_a_response_keeps_the_round_the_seat_and_the_day_and_nothing_else(acme, round_):
    _submit(acme, round_)

    response = Response.objects.get()
    assert (response.round, response.team, response.function) == (round_, acme.support, acme.service_role.function)
    assert response.submitted_on == dt.date(2026, 12, 1)
    assert sorted(Answer.objects.values_list("value", flat=True)) == [2, 5, 9]
    # By construction: no column could name the person, their invitation or the time.
    columns = {field.name for field in Response._meta.get_fields()}
    assert columns == {"id", "organization", "round", "team", "function", "submitted_on", "answers"}
    assert {field.name for field in Answer._meta.get_fields()} == {"id", "response", "question", "value", "text"}


def test_ids_say_nothing_about_the_order_of_answers(acme, round_):
    _submit(acme, round_)
    _submit(acme, round_, person=acme.dan)

    assert all(isinstance(pk, uuid.UUID) for pk in Response.objects.values_list("pk", flat=True))
    assert all(isinstance(pk, uuid.UUID) for pk in Answer.objects.values_list("pk", flat=True))


def test_the_invitation_records_only_that_its_person_answered(acme, round_):
    before = SurveyInvitation.objects.values().get(membership=acme.member)

    _submit(acme, round_)

    after = SurveyInvitation.objects.values().get(membership=acme.member)
    assert {key for key in after if after[key] != before[key]} == {"answered"}
    assert list(pending_rounds(membership=acme.member)) == []
    assert list(pending_rounds(membership=acme.dan)) == [round_]


def test_one_response_per_invitation_and_answers_cannot_be_changed(acme, round_):
    _submit(acme, round_)

    with pytest.raises(ValidationError, match="already answered"):
        _submit(acme, round_, _answers(round_, proud=1))

    assert Response.objects.count() == 1
    assert not Answer.objects.filter(value=1).exists()


def test_a_stale_invitation_in_a_second_tab_gives_no_second_response(acme, round_):
    stale = _invitation(acme)
    _submit(acme, round_)

    with pytest.raises(ValidationError, match="already answered"), time_machine.travel(LATER, tick=False):
        services.response_submit(actor=acme.member, invitation=stale, answers=_answers(round_))
    assert Response.objects.count() == 1


@pytest.mark.parametrize(("proud", "help_", "enps"), [(6, 2, 9), (0, 2, 9), (5, 2, 11), (5, "lots", 9)])
def test_an_answer_out_of_range_is_refused_and_nothing_is_saved(acme, round_, proud, help_, enps):
    with pytest.raises(ValidationError):
        _submit(acme, round_, _answers(round_, proud, help_, enps))

    assert not Response.objects.exists()
    assert not _invitation(acme).answered


def test_questions_may_be_skipped_but_not_all_of_them(acme, round_):
    with pytest.raises(ValidationError, match="at least one"):
        _submit(acme, round_, _answers(round_, None, "", None))

    _submit(acme, round_, _answers(round_, 4, None, None))
    assert list(Answer.objects.values_list("value", flat=True)) == [4]


def test_a_question_of_another_round_is_refused(acme, round_, draft):
    extra = draft.questions.create(kind="text", text="Not in this round", order=99)

    with pytest.raises(ValidationError, match="questions of this round"):
        _submit(acme, round_, {**_answers(round_), extra.pk: "Hello"})
    assert not Response.objects.exists()


def test_nobody_answers_someone_elses_invitation(acme, round_):
    with pytest.raises(ValidationError, match="your own"), time_machine.travel(LATER, tick=False):
        services.response_submit(actor=acme.dan, invitation=_invitation(acme), answers=_answers(round_))


def test_a_closed_round_takes_no_answers(acme, round_):
    with time_machine.travel(OPENING + dt.timedelta(days=5), tick=False):
        services.round_close(round_id=round_.pk)
        with pytest.raises(ValidationError, match="closed"):
            services.response_submit(actor=acme.member, invitation=_invitation(acme), answers=_answers(round_))


def test_an_answer_marks_nothing_and_the_round_s_closing_marks_its_answers_days_and_its_opening(acme, round_):
    """Scores count a round once it has closed: an answer moves no figure (one that
    moved would tell a watcher what the last person answered); the closing brings them
    all in — the answers' days and, for the response rate, the day the round opened."""
    DirtyScope.objects.all().delete()

    _submit(acme, round_)
    assert not DirtyScope.objects.exists()

    with time_machine.travel(round_.closes_at, tick=False):
        assert services.round_close(round_id=round_.pk) == 1
    marks = set(DirtyScope.objects.values_list("scope_type", "scope_id", "day"))
    opened = timezone.localtime(round_.opens_at, ZoneInfo(acme.org.timezone)).date()
    assert opened != dt.date(2026, 12, 1)
    assert marks == {
        (scope_type, scope_id, day)
        for day in (dt.date(2026, 12, 1), opened)
        for scope_type, scope_id in (
            ("org", acme.org.pk),
            ("team", acme.support.pk),
            ("function", acme.service_role.function_id),
        )
    }


def test_answering_writes_no_log_line(acme, round_, caplog):
    with caplog.at_level(logging.DEBUG):
        _submit(acme, round_)

    assert [r for r in caplog.records if not r.name.startswith("django.db")] == []
