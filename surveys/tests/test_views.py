"""Survey pages: building a pulse, running it, and answering it anonymously."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from surveys import services
from surveys.models import Answer, Response, Survey, SurveyInvitation, SurveyRound
from surveys.selectors import round_questions
from surveys.tests.conftest import MONDAY

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


def _build(client, **overrides):
    data = {
        "title": "Monthly pulse",
        "audience": "teams",
        "teams": [],
        "cadence": "monthly",
        "first_opens_on": MONDAY.isoformat(),
        "opens_at": "09:00",
        "open_days": "5",
        "bank_keys": ["engagement.proud", "recognition.noticed"],
        "include_enps": "on",
        **overrides,
    }
    return client.post(reverse("surveys:create"), data)


def test_the_builder_shows_the_bank_by_driver(client_for, acme):
    response = client_for(acme.admin).get(reverse("surveys:create"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alignment with values" in page
    assert "I am proud to work for Acme." in page


def test_an_admin_builds_a_pulse_for_two_teams_from_the_bank(client_for, acme):
    response = _build(client_for(acme.admin), teams=[acme.support.pk, acme.sales.pk])

    survey = Survey.objects.get()
    assert response.url == reverse("surveys:detail", args=[survey.pk])
    assert set(survey.teams.all()) == {acme.support, acme.sales}
    assert list(survey.questions.values_list("bank_key", flat=True)) == [
        "engagement.proud",
        "recognition.noticed",
        "enps",
    ]


def test_a_bad_build_shows_its_errors_and_saves_nothing(client_for, acme):
    response = _build(client_for(acme.admin), teams=[], bank_keys=[], include_enps="")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"teams", "bank_keys"}
    assert not Survey.objects.exists()


def test_a_manager_is_offered_only_their_teams(client_for, acme):
    client = client_for(acme.manager)

    offered = client.get(reverse("surveys:create")).context["form"].fields["teams"].queryset
    refused = _build(client, teams=[acme.sales.pk])

    assert list(offered) == [acme.support]
    assert refused.status_code == 200 and not Survey.objects.exists()


def test_members_do_not_build_or_browse_surveys(client_for, acme, draft):
    client = client_for(acme.member)

    assert client.get(reverse("surveys:list")).status_code == 403
    assert client.get(reverse("surveys:create")).status_code == 403
    assert client.get(reverse("surveys:detail", args=[draft.pk])).status_code == 403


def test_the_list_and_the_draft_page(client_for, acme, draft):
    client = client_for(acme.admin)

    listing = client.get(reverse("surveys:list")).content.decode()
    page = client.get(reverse("surveys:detail", args=[draft.pk])).content.decode()

    assert "Monthly pulse" in listing and "Support" in listing
    assert "I am proud to work for Acme." in page
    assert "Add a question of your own" in page


def test_a_question_of_its_own_is_added_on_the_page(client_for, acme, draft):
    client = client_for(acme.admin)
    url = reverse("surveys:question_add", args=[draft.pk])

    added = client.post(url, {"kind": "choice", "text": "Where do you work most?", "choices": "Office\nHome"})
    refused = client.post(url, {"kind": "choice", "text": "Where?", "choices": "Only one"})

    assert added.status_code == 302
    assert draft.questions.filter(text="Where do you work most?", choices=["Office", "Home"]).exists()
    assert refused.status_code == 400
    assert "choices" in refused.context["question_form"].errors


def test_the_preview_is_the_answer_page_and_sends_nothing(client_for, acme, draft):
    response = client_for(acme.manager).get(reverse("surveys:preview", args=[draft.pk]))

    page = response.content.decode()
    assert response.context["preview"] is True
    assert "What is anonymous" in page
    assert "at least 5 people" in page
    assert "A preview sends nothing." in page


@time_machine.travel(BEFORE, tick=False)
def test_starting_from_the_page_plans_the_first_round(client_for, acme, draft):
    response = client_for(acme.admin).post(reverse("surveys:activate", args=[draft.pk]), follow=True)

    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.ACTIVE
    assert SurveyRound.objects.filter(survey=draft, number=1).exists()
    assert "opens by itself" in response.content.decode()


def test_an_invited_member_sees_the_survey_at_home_and_answers_it(client_for, acme, open_round):
    client = client_for(acme.member)
    home = client.get(reverse("home")).content.decode()
    proud, _noticed, enps = round_questions(round_=open_round)

    with time_machine.travel(OPENING + dt.timedelta(hours=2), tick=False):
        response = client.post(
            reverse("surveys:answer", args=[open_round.pk]), {f"q{proud.pk}": "5", f"q{enps.pk}": "9"}
        )

    assert "Surveys waiting for you" in home
    assert response.url == reverse("home")
    assert sorted(Answer.objects.values_list("value", flat=True)) == [5, 9]
    assert "Surveys waiting for you" not in client.get(reverse("home")).content.decode()
    done = client.get(reverse("surveys:answer", args=[open_round.pk])).content.decode()
    assert "Your answers are in" in done


def test_a_bad_answer_is_shown_on_its_question_and_nothing_is_saved(client_for, acme, open_round):
    proud, *_ = round_questions(round_=open_round)

    with time_machine.travel(OPENING + dt.timedelta(hours=2), tick=False):
        response = client_for(acme.member).post(reverse("surveys:answer", args=[open_round.pk]), {f"q{proud.pk}": "7"})

    assert response.status_code == 400
    assert f"q{proud.pk}" in response.context["form"].errors
    assert not Response.objects.exists()
    assert not SurveyInvitation.objects.get(membership=acme.member).answered


def test_someone_not_invited_finds_no_round(client_for, acme, open_round):
    assert client_for(acme.eve).get(reverse("surveys:answer", args=[open_round.pk])).status_code == 404
    assert client_for(acme.outsider).get(reverse("surveys:answer", args=[open_round.pk])).status_code == 404
