"""Surveys through the API: the same rules as the pages, and no way to read anyone's
answers back."""

import datetime as dt

import pytest
import time_machine

from surveys import services
from surveys.models import Answer, Survey, SurveyRound
from surveys.selectors import round_questions
from surveys.tests.conftest import MONDAY
from teamhub.lib.testing import api_url as url
from teamhub.lib.testing import error_fields as fields_of

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
OPENING = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def open_round(draft, acme):
    with time_machine.travel(BEFORE, tick=False):
        first = services.survey_activate(actor=acme.admin, survey=draft)
    with time_machine.travel(OPENING, tick=False):
        services.round_open(round_id=first.pk)
    return SurveyRound.objects.get(pk=first.pk)


def _body(acme, **overrides):
    return {
        "title": "Monthly pulse",
        "audience": "teams",
        "teams": [acme.support.pk],
        "cadence": "monthly",
        "first_opens_on": MONDAY.isoformat(),
        "opens_at": "09:00",
        "bank_keys": ["growth.learn"],
        **overrides,
    }


def test_a_manager_creates_a_pulse_for_their_team(acme, as_manager):
    response = as_manager.post(url("api-surveys"), _body(acme), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert [q["bank_key"] for q in data["questions"]] == ["growth.learn", "enps"]
    assert data["teams"] == [{"id": acme.support.pk, "name": "Support"}]
    assert data["status"] == "draft"


def test_a_manager_may_not_address_another_team(acme, as_manager):
    response = as_manager.post(url("api-surveys"), _body(acme, teams=[acme.sales.pk]), format="json")

    assert response.status_code == 400
    assert "audience" in fields_of(response)
    assert not Survey.objects.exists()


def test_another_organisations_team_is_refused_on_the_field(acme, as_admin):
    from teams.tests.factories import TeamFactory

    foreign = TeamFactory(organization=acme.other_org)
    response = as_admin.post(url("api-surveys"), _body(acme, teams=[foreign.pk]), format="json")

    assert response.status_code == 400
    assert "teams" in fields_of(response)


def test_members_answer_surveys_but_do_not_browse_them(acme, as_member, draft):
    assert as_member.get(url("api-surveys")).status_code == 403
    assert as_member.get(url("api-survey", pk=draft.pk)).status_code == 403


def test_questions_are_added_from_the_bank_or_of_its_own(acme, as_admin, draft):
    bank = as_admin.post(url("api-survey-questions", survey_pk=draft.pk), {"bank_keys": ["growth.path"]}, format="json")
    own = as_admin.post(
        url("api-survey-questions", survey_pk=draft.pk), {"kind": "text", "text": "Anything else?"}, format="json"
    )
    neither = as_admin.post(url("api-survey-questions", survey_pk=draft.pk), {"text": "Hm"}, format="json")

    assert (bank.status_code, own.status_code, neither.status_code) == (201, 201, 400)
    assert [q["bank_key"] for q in bank.json()] == ["growth.path"]
    assert own.json()[0]["kind"] == "text"
    gone = as_admin.delete(url("api-survey-question", pk=own.json()[0]["id"]))
    assert gone.status_code == 204
    assert not draft.questions.filter(text="Anything else?").exists()


@time_machine.travel(BEFORE, tick=False)
def test_starting_plans_the_first_round_and_it_is_listed(acme, as_admin, draft):
    started = as_admin.post(url("api-survey-start", pk=draft.pk))
    again = as_admin.post(url("api-survey-start", pk=draft.pk))
    rounds = as_admin.get(url("api-survey-rounds", survey_pk=draft.pk))

    assert started.status_code == 200, started.content
    assert started.json()["number"] == 1
    assert again.status_code == 400
    assert [r["status"] for r in rounds.json()["results"]] == ["scheduled"]


def test_the_bank_is_offered_by_driver(as_manager):
    response = as_manager.get(url("api-survey-bank"))

    assert response.status_code == 200
    assert {
        "key": "engagement.proud",
        "driver": "engagement",
        "text": "I am proud to work for Acme.",
    } in response.json()


def test_a_member_finds_their_open_round_and_answers_it_once(acme, as_member, open_round):
    pending = as_member.get(url("api-my-surveys")).json()
    proud, noticed, enps = round_questions(round_=open_round)
    answers = {"answers": [{"question": proud.pk, "value": 4}, {"question": enps.pk, "value": 10}]}

    with time_machine.travel(OPENING + dt.timedelta(hours=1), tick=False):
        first = as_member.post(url("api-my-survey-answer", pk=open_round.pk), answers, format="json")
        second = as_member.post(url("api-my-survey-answer", pk=open_round.pk), answers, format="json")

    assert [r["id"] for r in pending] == [open_round.pk]
    assert [q["id"] for q in pending[0]["questions"]] == [proud.pk, noticed.pk, enps.pk]
    assert (first.status_code, first.json()) == (201, {"answered": True})
    assert second.status_code == 400
    assert "already answered" in second.json()["error"]["message"]
    assert sorted(Answer.objects.values_list("value", flat=True)) == [4, 10]
    assert as_member.get(url("api-my-surveys")).json() == []


def test_an_answer_out_of_range_is_a_400_on_its_question(acme, as_member, open_round):
    proud, *_ = round_questions(round_=open_round)

    with time_machine.travel(OPENING + dt.timedelta(hours=1), tick=False):
        response = as_member.post(
            url("api-my-survey-answer", pk=open_round.pk),
            {"answers": [{"question": proud.pk, "value": 8}]},
            format="json",
        )

    assert response.status_code == 400
    assert f"q{proud.pk}" in fields_of(response)
    assert not Answer.objects.exists()


def test_someone_not_invited_finds_no_round_to_answer(acme, api_client_for, open_round):
    answers = {"answers": [{"question": 1, "value": 3}]}

    assert (
        api_client_for(acme.eve).post(url("api-my-survey-answer", pk=open_round.pk), answers, format="json").status_code
        == 404
    )
    assert (
        api_client_for(acme.outsider)
        .post(url("api-my-survey-answer", org="globex", pk=open_round.pk), answers, format="json")
        .status_code
        == 404
    )
