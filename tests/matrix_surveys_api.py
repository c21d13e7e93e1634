"""Authorization matrix rows for surveys: the API (see matrix_surveys_pages for the objects)."""

from tests.authz import Route
from tests.matrix_rows import NOT_FOUND, acme, api_roles, collection, on_object


def _pulse(p):
    return {
        "title": "Weekly pulse",
        "audience": "teams",
        "teams": [p.teams.team.pk],
        "cadence": "weekly",
        "first_opens_on": "2099-01-05",
        "opens_at": "09:00",
        "open_days": 3,
        "bank_keys": ["growth.learn"],
    }


def _answers(p):
    question = p.teams.pulse.questions.order_by("order").first()
    return {"answers": [{"question": question.pk, "value": 4}]}


ROUTES = [
    *collection("api-surveys", member=403, manager=200),
    *collection("api-surveys", "POST", data=_pulse, member=403, manager=201),
    *collection("api-survey-bank", member=403, manager=200),
    # Members answer surveys but do not browse them: their organisation's survey is a 403.
    *on_object("api-survey", member=403, manager=200, pk="survey"),
    *on_object("api-survey", "PATCH", data=lambda p: {"title": "Renamed"}, member=403, manager=200, pk="survey"),
    *on_object("api-survey-start", "POST", member=403, manager=200, pk="survey"),
    *on_object("api-survey-end", "POST", member=403, manager=200, pk="pulse"),
    *on_object("api-survey-rounds", member=403, manager=200, survey_pk="pulse"),
    *on_object("api-survey-round-results", member=403, manager=200, pk="survey_round"),
    *on_object("api-survey-trend", member=403, manager=200, pk="pulse"),
    *on_object("api-survey-round-results", variant="answered", member=403, manager=200, pk="answered_round"),
    *on_object(
        "api-survey-questions",
        "POST",
        data=lambda p: {"kind": "text", "text": "Anything else?"},
        member=403,
        manager=201,
        survey_pk="survey",
    ),
    *on_object("api-survey-question", "DELETE", member=403, manager=204, pk="survey_question"),
    # A person's own surveys: only the invited member finds the round.
    *collection("api-my-surveys", member=200),
    Route(
        name="api-my-survey-answer",
        method="POST",
        kwargs=acme(pk="survey_round"),
        data=_answers,
        expect=api_roles(member=201, manager=404, admin=404),
    ),
    Route(
        name="api-my-survey-answer",
        method="POST",
        variant="other-org",
        kwargs=lambda p: {"org_slug": p.org.slug, "pk": p.other_teams.survey_round.pk},
        data=_answers,
        expect=NOT_FOUND,
    ),
    Route(
        name="api-my-survey-answer",
        method="POST",
        variant="cross-slug",
        kwargs=lambda p: {"org_slug": p.other_org.slug, "pk": p.teams.survey_round.pk},
        data=_answers,
        expect=NOT_FOUND,
    ),
]
