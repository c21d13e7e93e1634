"""Authorization matrix rows for surveys: pages.

``p.teams.survey`` is a draft pulse for ``p.teams.team`` (the manager manages it),
``p.teams.survey_question`` one of its questions; ``p.teams.pulse`` is running and
its open round ``p.teams.survey_round`` invited the member alone (the manager and the
admin are not on the team). Globex has the same, its member invited.
"""

from tests.authz import Route
from tests.matrix_rows import MANAGERS, TO, acme_object, managers, object_routes, only, own_teams, pk


def _pulse(p):
    teams = own_teams(p)
    return {
        "title": "Weekly pulse",
        "audience": "teams",
        "teams": [teams.team.pk],
        "cadence": "weekly",
        "first_opens_on": "2099-01-05",
        "opens_at": "09:00",
        "open_days": "3",
        "bank_keys": ["growth.learn"],
        "include_enps": "on",
    }


def _answers(p):
    question = own_teams(p).pulse.questions.order_by("order").first()
    return {f"q{question.pk}": "4"}


ROUTES = [
    Route(name="surveys:list", expect=MANAGERS),
    Route(name="surveys:create", expect=MANAGERS),
    Route(name="surveys:create", method="POST", data=_pulse, expect=managers(TO("surveys:detail"))),
    *object_routes("surveys:detail", "GET", *pk("survey"), admin=200, manager=200),
    *object_routes("surveys:preview", "GET", *pk("survey"), admin=200, manager=200),
    *object_routes("surveys:update", "GET", *pk("survey"), admin=200, manager=200),
    *object_routes(
        "surveys:update",
        "POST",
        *pk("survey"),
        data=_pulse,
        admin=TO("surveys:detail"),
        manager=TO("surveys:detail"),
    ),
    *object_routes(
        "surveys:question_add",
        "POST",
        *pk("survey"),
        data=lambda p: {"kind": "text", "text": "Anything else?"},
        admin=TO("surveys:detail"),
        manager=TO("surveys:detail"),
    ),
    *object_routes(
        "surveys:question_remove",
        "POST",
        *pk("survey_question"),
        admin=TO("surveys:detail"),
        manager=TO("surveys:detail"),
    ),
    *object_routes("surveys:activate", "POST", *pk("survey"), admin=TO("surveys:detail"), manager=TO("surveys:detail")),
    *object_routes("surveys:end", "POST", *pk("pulse"), admin=TO("surveys:detail"), manager=TO("surveys:detail")),
    # Results: admins and managers; members are refused, Globex's round is not found.
    *object_routes("surveys:results", "GET", *pk("survey_round"), admin=200, manager=200),
    *object_routes("surveys:results_csv", "GET", *pk("survey_round"), admin=200, manager=200),
    *object_routes("surveys:trend", "GET", *pk("pulse"), admin=200, manager=200),
    # A closed round only the member answered: shown, with nothing of their answers.
    *(
        Route(name=name, variant="answered", kwargs=pk("answered_round")[0], expect=acme_object(admin=200, manager=200))
        for name in ("surveys:results", "surveys:results_csv")
    ),
    # Answering: only the invited member finds the round; Globex's member (not a persona)
    # is the one invited there, so Globex's admin finds nothing either.
    Route(name="surveys:answer", kwargs=pk("survey_round")[0], expect=only("member", 200)),
    Route(
        name="surveys:answer",
        method="POST",
        kwargs=pk("survey_round")[0],
        data=_answers,
        expect=only("member", TO("home")),
    ),
    Route(name="surveys:answer", variant="other-org", kwargs=pk("survey_round")[1], expect=only("member", 404)),
]
