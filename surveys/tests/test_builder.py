"""Building a survey: drafts from the bank and of its own questions, who may address
whom, and starting or ending it."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from surveys import services
from surveys.models import Question, Survey, SurveyRound
from surveys.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _create(actor, **fields):
    defaults = {"title": "Pulse", "first_opens_on": MONDAY, "opens_at": dt.time(9, 0)}
    return services.survey_create(actor=actor, **{**defaults, **fields})


def test_a_draft_asks_the_chosen_statements_in_the_banks_order_and_enps_last(acme):
    survey = _create(acme.admin, bank_keys=["growth.learn", "engagement.proud"])

    questions = list(survey.questions.order_by("order"))
    assert [q.bank_key for q in questions] == ["engagement.proud", "growth.learn", "enps"]
    assert questions[0].text == "I am proud to work for Acme."
    assert (questions[0].kind, questions[0].driver) == (Question.Kind.AGREEMENT, "engagement")
    assert questions[2].text == "How likely are you to recommend Acme as a place to work?"
    assert (questions[2].kind, survey.status) == (Question.Kind.SCALE, Survey.Status.DRAFT)


def test_a_statement_is_added_once(draft, acme):
    services.questions_add_from_bank(actor=acme.admin, survey=draft, keys=["engagement.proud", "growth.path"])

    assert draft.questions.filter(bank_key="engagement.proud").count() == 1
    assert draft.questions.filter(bank_key="growth.path").exists()


def test_an_unknown_statement_is_refused(draft, acme):
    with pytest.raises(ValidationError, match="Not in the question bank"):
        services.questions_add_from_bank(actor=acme.admin, survey=draft, keys=["made.up"])


def test_a_manager_surveys_the_teams_they_manage(acme):
    survey = _create(acme.manager, audience="teams", teams=[acme.support])

    assert list(survey.teams.all()) == [acme.support]


@pytest.mark.parametrize(
    "audience", [{"audience": "everyone"}, {"audience": "teams", "teams": "sales"}, {"audience": "functions"}]
)
def test_a_manager_may_not_survey_anyone_else(acme, audience):
    fields = {**audience, "teams": [acme.sales] if audience.get("teams") else []}

    with pytest.raises(ValidationError):
        _create(acme.manager, **fields)
    assert not Survey.objects.exists()


def test_a_member_builds_no_survey(acme):
    with pytest.raises(PermissionDenied):
        _create(acme.member, audience="teams", teams=[acme.support])


def test_chosen_teams_need_a_team(acme):
    with pytest.raises(ValidationError) as refused:
        _create(acme.admin, audience="teams")
    assert "teams" in refused.value.message_dict


def test_another_organisations_team_is_refused(acme):
    from teams.tests.factories import TeamFactory

    with pytest.raises(ValidationError) as refused:
        _create(acme.admin, audience="teams", teams=[TeamFactory(organization=acme.other_org)])
    assert "teams" in refused.value.message_dict


def test_a_round_closes_before_the_next_opens(acme):
    with pytest.raises(ValidationError) as refused:
        _create(acme.admin, cadence="weekly", open_days=7)
    assert "open_days" in refused.value.message_dict


def test_only_a_recurring_survey_asks_in_turns(acme):
    with pytest.raises(ValidationError) as refused:
        _create(acme.admin, cadence="once", questions_per_round=3)
    assert "questions_per_round" in refused.value.message_dict


def test_a_question_of_its_own(draft, acme):
    question = services.question_add(
        actor=acme.admin, survey=draft, kind="choice", text="  Where do you  work? ", choices=["Office", "Home", " "]
    )

    assert (question.text, question.choices) == ("Where do you work?", ["Office", "Home"])
    assert question.order > draft.questions.exclude(pk=question.pk).order_by("-order").first().order


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "choice", "text": "Where?", "choices": ["Only one"]}, "choices"),
        ({"kind": "choice", "text": "Where?", "choices": ["A", "A"]}, "choices"),
        ({"kind": "text", "text": "Why?", "choices": ["A", "B"]}, "choices"),
        ({"kind": "scale", "text": "How much?", "driver": "growth"}, "driver"),
        ({"kind": "agreement", "text": "   "}, "text"),
    ],
)
def test_a_malformed_question_is_refused_on_its_field(draft, acme, fields, field):
    before = draft.questions.count()

    with pytest.raises(ValidationError) as refused:
        services.question_add(actor=acme.admin, survey=draft, **fields)

    assert field in refused.value.message_dict
    assert draft.questions.count() == before


@time_machine.travel(BEFORE, tick=False)
def test_starting_plans_the_first_round_at_its_local_time(draft, acme):
    first = services.survey_activate(actor=acme.admin, survey=draft)

    draft.refresh_from_db()
    assert draft.status == Survey.Status.ACTIVE
    assert (first.number, first.status) == (1, SurveyRound.Status.SCHEDULED)
    assert first.opens_at == dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # 09:00 in London in winter
    assert first.closes_at == dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(BEFORE, tick=False)
def test_a_running_survey_keeps_its_questions_and_audience(draft, acme):
    services.survey_activate(actor=acme.admin, survey=draft)

    with pytest.raises(ValidationError, match="draft"):
        services.question_add(actor=acme.admin, survey=draft, kind="text", text="Anything else?")
    with pytest.raises(ValidationError, match="draft"):
        services.survey_update(actor=acme.admin, survey=draft, cadence="weekly")
    with pytest.raises(ValidationError, match="draft"):
        services.survey_activate(actor=acme.admin, survey=draft)
    services.survey_update(actor=acme.admin, survey=draft, title="Monthly pulse, Support")
    assert Survey.objects.get(pk=draft.pk).title == "Monthly pulse, Support"
    assert SurveyRound.objects.count() == 1


def test_a_survey_without_questions_does_not_start(acme):
    empty = _create(acme.admin, include_enps=False)

    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_activate(actor=acme.admin, survey=empty)


@time_machine.travel(dt.datetime(2026, 12, 20, tzinfo=dt.UTC), tick=False)
def test_a_survey_whose_first_round_is_already_over_does_not_start(draft, acme):
    with pytest.raises(ValidationError) as refused:
        services.survey_activate(actor=acme.admin, survey=draft)
    assert "first_opens_on" in refused.value.message_dict
    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.DRAFT


def test_a_manager_of_another_team_may_not_change_it(acme, draft):
    from accounts.tests.factories import MembershipFactory
    from teamhub.lib.tenancy import Role

    other_manager = MembershipFactory(organization=acme.org, role=Role.MANAGER)

    with pytest.raises(PermissionDenied):
        services.survey_update(actor=other_manager, survey=draft, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.survey_update(actor=acme.outsider, survey=draft, title="Mine now")


@time_machine.travel(BEFORE, tick=False)
def test_ending_drops_the_rounds_not_yet_open(draft, acme):
    services.survey_activate(actor=acme.admin, survey=draft)

    services.survey_end(actor=acme.admin, survey=draft)

    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.ENDED
    assert not SurveyRound.objects.exists()
