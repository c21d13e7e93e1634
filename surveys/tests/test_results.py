"""A round's results: the figures, and what is hidden from whom.

The fixture (conftest ``answered_round``): Support 7 answered, Sales 6, Tiny 2; Alice
and Bob, on no team, were invited and did not answer. Threshold 5, comments 8.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from surveys import access, results
from surveys.models import Answer
from surveys.tests.conftest import COMMENT, answer, close, open_results_round, people

pytestmark = pytest.mark.django_db

ORG = results.ORG_KEY


def _key(team):
    return (results.TEAM, team.pk)


def _measures(found, *, comments=False):
    """Every measure's cells: responses, each driver, each question (comments too when
    asked: they have a threshold of their own)."""
    yield "responses", {g.group.key: g.responses for g in found.groups}
    for d in found.drivers:
        yield d.driver, d.cells
    for q in found.questions:
        if comments or q.question.kind != "text":
            yield q.question.text, q.cells


def test_the_organisation_and_a_team_large_enough_show_their_figures(answered_round, staffed):
    found = results.round_results(viewer=staffed.admin, round_=answered_round)

    org = found.organization
    assert (org.invited, org.responses.n) == (17, 15)
    assert org.response_rate == pytest.approx(100 * 15 / 17)
    engagement = found.engagement.cells
    # 14 of the 30 engagement answers are 4 or 5 (all Support's).
    assert engagement[ORG].favourable == pytest.approx(100 * 14 / 30)
    assert engagement[ORG].n == 15
    assert engagement[_key(staffed.support)].favourable == 100.0
    enps = found.enps.cells
    assert (enps[ORG].net.promoters, enps[ORG].net.passives, enps[ORG].net.detractors) == (7, 4, 4)
    assert enps[ORG].net.value == pytest.approx(20.0)
    assert enps[_key(staffed.support)].net.value == 100.0
    proud = next(q for q in found.questions if q.question.bank_key == "engagement.proud")
    assert proud.cells[ORG].distribution == {5: 7, 3: 6, 1: 2}
    assert [s["count"] for s in proud.segments(proud.cells[ORG])] == [2, 0, 6, 0, 7]


def test_a_team_below_the_threshold_is_hidden_and_so_is_the_next_smallest(answered_round, staffed):
    """Tiny (2) is below 5; Sales (6) is hidden too, or the total minus Support would be
    Tiny's own figure. Nobody in "no team" answered, so it protects nobody."""
    found = results.round_results(viewer=staffed.admin, round_=answered_round)

    for name, cells in _measures(found):
        assert cells[_key(staffed.tiny)].hidden, name
        assert cells[_key(staffed.sales)].hidden, name
        assert not cells[_key(staffed.support)].hidden, name
        assert cells[(results.TEAM, None)].hidden, name
    sales = found.group(_key(staffed.sales))
    assert sales.invited == 6
    assert (sales.responses.n, sales.response_rate, sales.responses.distribution) == (None, None, None)


def test_no_measure_lets_the_total_minus_the_shown_groups_reveal_a_small_group(answered_round, staffed):
    for breakdown in results.BREAKDOWNS:
        found = results.round_results(viewer=staffed.admin, round_=answered_round, breakdown=breakdown)
        for name, cells in _measures(found, comments=True):
            if cells[ORG].hidden:
                continue
            threshold = found.comment_threshold if name == COMMENT else found.threshold
            shown = sum(cell.n for key, cell in cells.items() if key != ORG and not cell.hidden)
            remainder = cells[ORG].n - shown
            assert remainder == 0 or remainder >= threshold, (breakdown, name)


def test_functions_are_a_partition_of_their_own_with_a_no_function_group(answered_round, staffed):
    """Only Charlie has a function: alone he would be hidden, and the 14 of "no function"
    with him, since the total minus them would be his answers."""
    found = results.round_results(viewer=staffed.admin, round_=answered_round, breakdown=results.FUNCTION)

    keys = [g.group.key for g in found.groups]
    assert keys == [ORG, (results.FUNCTION, staffed.service_role.function_id), (results.FUNCTION, None)]
    for name, cells in _measures(found):
        assert not cells[ORG].hidden, name
        assert all(cell.hidden for key, cell in cells.items() if key != ORG), name


def test_a_question_many_skipped_is_hidden_for_the_group_even_when_the_group_is_shown(staffed):
    round_ = open_results_round(staffed)
    for n, person in enumerate(staffed.support_people):
        values = {"engagement.proud": 4, "engagement.motivated": 4, "enps": 8}
        if n < 3:
            values["collaboration.help"] = 5  # only three of seven answer it
        answer(round_, person, values)
    for person in staffed.sales_people:
        answer(round_, person, {"engagement.proud": 2, "engagement.motivated": 2, "collaboration.help": 2, "enps": 5})
    close(round_)

    found = results.round_results(viewer=staffed.admin, round_=round_)

    help_ = next(q for q in found.questions if q.question.bank_key == "collaboration.help")
    support, sales = _key(staffed.support), _key(staffed.sales)
    assert not found.group(support).responses.hidden
    assert help_.cells[support].hidden
    assert help_.cells[sales].hidden  # the complement, for this question alone
    assert not help_.cells[ORG].hidden and help_.cells[ORG].n == 9
    collaboration = next(d for d in found.drivers if d.driver == "collaboration")
    assert collaboration.cells[support].hidden and collaboration.cells[sales].hidden
    proud = next(q for q in found.questions if q.question.bank_key == "engagement.proud")
    assert not proud.cells[support].hidden and not proud.cells[sales].hidden


def test_comments_need_the_comment_threshold_and_come_in_an_order_unrelated_to_time(answered_round, staffed):
    found = results.round_results(viewer=staffed.admin, round_=answered_round)

    comments = next(q for q in found.questions if q.question.kind == "text")
    # Nine comments in the organisation (5 Support, 4 Sales): shown there; no team has 8.
    assert not comments.cells[ORG].hidden
    expected = list(Answer.objects.filter(question=comments.question).exclude(text="").order_by("id"))
    assert comments.comments[ORG] == [a.text for a in expected]
    assert all(comments.comments[key] is None for key in comments.cells if key != ORG)


def test_a_manager_sees_the_organisation_and_their_teams_only(answered_round, staffed):
    found = results.round_results(viewer=staffed.manager, round_=answered_round)

    assert [g.group.key for g in found.groups] == [ORG, _key(staffed.support)]
    for _, cells in _measures(found, comments=True):
        assert set(cells) == {ORG, _key(staffed.support)}
    by_function = results.round_results(viewer=staffed.manager, round_=answered_round, breakdown=results.FUNCTION)
    assert [g.group.key for g in by_function.groups] == [ORG, (results.FUNCTION, staffed.service_role.function_id)]


def test_an_admin_previews_exactly_what_a_manager_sees(answered_round, staffed):
    viewer = results.preview_viewer(admin=staffed.admin, membership_id=staffed.manager.pk)
    previewed = results.round_results(viewer=viewer, round_=answered_round)
    own = results.round_results(viewer=staffed.manager, round_=answered_round)

    assert [(g.group, g.invited, g.responses) for g in previewed.groups] == [
        (g.group, g.invited, g.responses) for g in own.groups
    ]
    assert [q.cells for q in previewed.questions] == [q.cells for q in own.questions]
    with pytest.raises(Http404):
        results.preview_viewer(admin=staffed.manager, membership_id=staffed.manager.pk)  # not an admin
    with pytest.raises(Http404):
        results.preview_viewer(admin=staffed.admin, membership_id=staffed.member.pk)  # not a manager
    with pytest.raises(Http404):
        results.preview_viewer(admin=staffed.admin, membership_id=staffed.outsider.pk)  # another organisation


def test_members_may_not_read_results_and_another_organisation_finds_no_round(answered_round, staffed):
    with pytest.raises(PermissionDenied):
        access.access_round(membership=staffed.member, round_id=answered_round.pk)
    with pytest.raises(Http404):
        access.access_round(membership=staffed.outsider, round_id=answered_round.pk)
    assert access.access_round(membership=staffed.manager, round_id=answered_round.pk) == answered_round


def test_while_a_round_is_open_only_the_organisation_response_count_is_shown(staffed):
    round_ = open_results_round(staffed)
    for person in staffed.support_people[:4]:
        answer(round_, person, {"engagement.proud": 5, "enps": 10})

    found = results.round_results(viewer=staffed.admin, round_=round_)
    assert found.organization.responses.hidden  # 4 < 5: not even the count
    assert found.questions == [] and found.drivers == []
    assert all(g.responses.hidden for g in found.children)

    answer(round_, staffed.support_people[4], {"engagement.proud": 5, "enps": 10})
    found = results.round_results(viewer=staffed.admin, round_=round_)
    assert found.organization.responses.n == 5
    assert found.questions == [] and all(g.responses.hidden for g in found.children)


def test_results_count_in_a_fixed_number_of_queries(answered_round, staffed, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        found = results.round_results(viewer=staffed.admin, round_=answered_round)
        [q.cells for q in found.questions]


def test_the_trend_follows_a_group_over_closed_rounds_hidden_where_the_round_hides_it(answered_round, staffed):
    trend = results.survey_trend(viewer=staffed.admin, survey=answered_round.survey)
    assert [p.round for p in trend] == [answered_round]
    assert trend[0].engagement.favourable == pytest.approx(100 * 14 / 30)
    assert trend[0].enps.net.value == pytest.approx(20.0)

    sales = results.survey_trend(viewer=staffed.admin, survey=answered_round.survey, group_key=_key(staffed.sales))
    assert sales[0].responses.hidden and sales[0].engagement.hidden and sales[0].response_rate is None
    # A manager's trend has no point for a team they do not manage.
    assert (
        results.survey_trend(viewer=staffed.manager, survey=answered_round.survey, group_key=_key(staffed.sales)) == []
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ORG),
        ("organization", ORG),
        ("team:7", ("team", 7)),
        ("team:none", ("team", None)),
    ],
)
def test_parse_group(value, expected):
    assert results.parse_group(value, results.TEAM) == expected


@pytest.mark.parametrize("value", ["function:7", "team:", "team:x", "team:-1", "team:" + "9" * 20, "teams"])
def test_parse_group_refuses_anything_else(value):
    with pytest.raises(ValueError, match="Choose a group"):
        results.parse_group(value, results.TEAM)


def test_the_team_and_function_breakdowns_side_by_side_reveal_no_one(acme):
    """Charlie is the only one of Support (9) in the Service function, whose other 8 are
    in Sales: Support's figures and Service's share exactly Charlie. Service is hidden
    (it cuts a shown team by one person), and comments are never shown by function."""
    support = [acme.member, acme.dan, *people(acme.org, acme.support, 7)]
    sales = [acme.eve, *people(acme.org, acme.sales, 8, job_role=acme.service_role)]
    round_ = open_results_round(acme)
    for person in support:
        own = person.pk == acme.member.pk
        values = {
            "engagement.proud": 1 if own else 5,
            "engagement.motivated": 1 if own else 5,
            "enps": 0 if own else 10,
        }
        answer(round_, person, values, comment="Charlie's own words" if own else "Support says")
    for person in sales:
        answer(round_, person, {"engagement.proud": 3, "engagement.motivated": 3, "enps": 7}, comment="Sales says")
    close(round_)

    by_team = results.round_results(viewer=acme.admin, round_=round_, breakdown=results.TEAM)
    by_function = results.round_results(viewer=acme.admin, round_=round_, breakdown=results.FUNCTION)

    service = (results.FUNCTION, acme.service_role.function_id)
    assert not by_team.group(_key(acme.support)).responses.hidden
    for name, cells in _measures(by_function, comments=True):
        assert cells[service].hidden, name
    comments = next(q for q in by_function.questions if q.question.kind == "text")
    assert all(text is None for key, text in comments.comments.items() if key != ORG)


def test_a_driver_is_hidden_where_one_of_its_questions_is(staffed):
    """In Support, seven answered "proud" and two "motivated": the driver minus "proud"
    would be those two answers, so the driver is hidden for Support (and, by the
    complement, for Sales)."""
    round_ = open_results_round(staffed)
    for n, person in enumerate(staffed.support_people):
        values = {"engagement.proud": 4}
        if n < 2:
            values["engagement.motivated"] = 1 + n
        answer(round_, person, values)
    for person in staffed.sales_people:
        answer(round_, person, {"engagement.proud": 3, "engagement.motivated": 3})
    close(round_)

    found = results.round_results(viewer=staffed.admin, round_=round_)

    support = _key(staffed.support)
    motivated = next(q for q in found.questions if q.question.bank_key == "engagement.motivated")
    proud = next(q for q in found.questions if q.question.bank_key == "engagement.proud")
    assert motivated.cells[support].hidden and not proud.cells[support].hidden
    assert found.engagement.cells[support].hidden
    assert found.engagement.cells[_key(staffed.sales)].hidden
    assert not found.engagement.cells[ORG].hidden


def test_a_manager_reads_no_results_of_a_survey_for_another_managers_team(staffed):
    """For a pulse asking Sales alone, the organisation's figures are Sales's: Bob, who
    manages Support only, may not read them; the admin may."""
    import datetime as dt

    import time_machine

    from surveys import services
    from surveys.tests.conftest import RESULTS_OPENING

    with time_machine.travel(RESULTS_OPENING - dt.timedelta(days=3), tick=False):
        survey = services.survey_create(
            actor=staffed.admin,
            title="Sales pulse",
            first_opens_on=RESULTS_OPENING.date(),
            opens_at=dt.time(9, 0),
            audience="teams",
            teams=[staffed.sales],
            bank_keys=["engagement.proud"],
        )
        round_ = services.survey_activate(actor=staffed.admin, survey=survey)

    with pytest.raises(PermissionDenied):
        access.access_round(membership=staffed.manager, round_id=round_.pk)
    with pytest.raises(PermissionDenied):
        access.require_results_reader(staffed.manager, survey)
    assert access.access_round(membership=staffed.admin, round_id=round_.pk) == round_


def test_the_trend_counts_in_a_fixed_number_of_queries_however_many_rounds(
    answered_round, staffed, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys import services
    from surveys.models import SurveyInvitation, SurveyRound

    survey = answered_round.survey
    with CaptureQueriesContext(connection) as one_round:
        assert len(results.survey_trend(viewer=staffed.admin, survey=survey)) == 1
    # Two more monthly rounds, answered by Support and closed.
    for _ in range(2):
        latest = survey.rounds.order_by("-number").first()
        services.rounds_plan(now=latest.closes_at)
        upcoming = survey.rounds.order_by("-number").first()
        services.round_open(round_id=upcoming.pk, now=upcoming.opens_at)
        upcoming = SurveyRound.objects.select_related("organization").get(pk=upcoming.pk)
        for person in staffed.support_people:
            invitation = SurveyInvitation.objects.select_related("round__organization").get(
                round=upcoming, membership=person
            )
            proud = upcoming.questions.get(bank_key="engagement.proud")
            services.response_submit(actor=person, invitation=invitation, answers={proud.pk: 4}, now=upcoming.opens_at)
        services.round_close(round_id=upcoming.pk, now=upcoming.closes_at)

    with django_assert_num_queries(len(one_round)):
        assert len(results.survey_trend(viewer=staffed.admin, survey=survey)) == 3
