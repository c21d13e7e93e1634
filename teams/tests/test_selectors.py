"""Reads for teams/: what each page gets, in what order, and at a cost that does not
grow with the data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import MembershipFactory
from teamhub.lib.tenancy import Role
from teams import selectors, services
from teams.models import Commitment, Goal
from teams.tests.factories import (
    CheckInFactory,
    EndorsementFactory,
    ExcellenceChangeFactory,
    ExcellenceCriterionFactory,
    FunctionFactory,
    GoalFactory,
    JobRoleFactory,
    KeyResultFactory,
    MemberStrengthFactory,
    RoleCriterionFactory,
    StrengthFactory,
    TeamCommitmentFactory,
    TeamFactory,
    TeamMembershipFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def _count_queries(read) -> int:
    """Queries ``read()`` issues, with everything a page would touch evaluated."""
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def _assert_constant(read, grow, *, expected: int):
    """``read`` costs ``expected`` queries with one row and still after ``grow()`` adds many."""
    with CaptureQueriesContext(connection) as captured:
        read()
    assert len(captured) == expected, "\n".join(q["sql"] for q in captured.captured_queries)
    grow()
    with CaptureQueriesContext(connection) as captured:
        read()
    assert len(captured) == expected, "\n".join(q["sql"] for q in captured.captured_queries)


# --- Catalogues -----------------------------------------------------------------------------------


def test_value_list_hides_archived_values_unless_asked_and_other_organisations_always(personas):
    active = ValueFactory(organization=personas.org, order=1)
    archived = ValueFactory(organization=personas.org, order=0, is_active=False)
    ValueFactory(organization=personas.other_org)

    assert list(selectors.value_list(membership=personas.member)) == [active]
    assert list(selectors.value_list(membership=personas.member, include_archived=True)) == [archived, active]


def test_function_list_counts_roles_in_each_function(personas):
    sales = FunctionFactory(organization=personas.org, name="Sales", order=0)
    finance = FunctionFactory(organization=personas.org, name="Finance", order=1)
    JobRoleFactory.create_batch(2, organization=personas.org, function=sales)

    assert [(f, f.role_count) for f in selectors.function_list(membership=personas.member)] == [
        (sales, 2),
        (finance, 0),
    ]


def test_job_role_list_counts_holders_and_brings_the_template_in_constant_queries(personas):
    team = TeamFactory(organization=personas.org)

    def read():
        return [
            (r.function.name, r.holder_count, [c.looks_like for c in r.criteria.all()])
            for r in selectors.job_role_list(membership=personas.member)
        ]

    def grow():
        for _ in range(5):
            role = JobRoleFactory(organization=personas.org)
            RoleCriterionFactory.create_batch(3, role=role)
            TeamMembershipFactory.create_batch(2, team=team, job_role=role)

    role = JobRoleFactory(organization=personas.org)
    RoleCriterionFactory(role=role)
    _assert_constant(read, grow, expected=2)
    assert {holders for _, holders, _ in read()} == {0, 2}


def test_strength_list_counts_holders(personas):
    strength = StrengthFactory(organization=personas.org)
    MemberStrengthFactory.create_batch(3, strength=strength)

    assert [s.holder_count for s in selectors.strength_list(membership=personas.member)] == [3]


# --- Goals ----------------------------------------------------------------------------------------


def test_goal_tree_puts_team_goals_under_their_organisation_goal_with_ordered_key_results(personas):
    team = TeamFactory(organization=personas.org, name="Sales")
    repeat = GoalFactory(organization=personas.org, title="A: repeat customers")
    lean = GoalFactory(organization=personas.org, title="B: lean supply chain")
    win_back = GoalFactory(organization=personas.org, team=team, parent=repeat, title="Win back shops")
    second = KeyResultFactory(goal=repeat, order=1, title="Second")
    first = KeyResultFactory(goal=repeat, order=0, title="First")
    team_kr = KeyResultFactory(goal=win_back)
    GoalFactory(organization=personas.other_org)

    tree = list(selectors.goal_tree(membership=personas.member))

    assert tree == [repeat, lean]
    assert list(tree[0].key_results.all()) == [first, second]
    assert list(tree[0].children.all()) == [win_back]
    assert list(tree[0].children.all()[0].key_results.all()) == [team_kr]
    assert list(tree[1].children.all()) == []


def test_goal_tree_costs_the_same_with_one_goal_or_many(personas):
    def read():
        for goal in selectors.goal_tree(membership=personas.member):
            _ = goal.owner and goal.owner.user.full_name
            _ = [kr.progress for kr in goal.key_results.all()]
            for child in goal.children.all():
                _ = (child.team.name, child.owner and child.owner.user.full_name)
                _ = [kr.progress for kr in child.key_results.all()]

    def grow():
        for n in range(4):
            parent = GoalFactory(organization=personas.org, owner=MembershipFactory(organization=personas.org))
            KeyResultFactory.create_batch(3, goal=parent)
            for _ in range(2):
                team = TeamFactory(organization=personas.org)
                child = GoalFactory(organization=personas.org, team=team, parent=parent, owner=personas.manager)
                KeyResultFactory.create_batch(n + 1, goal=child)

    goal = GoalFactory(organization=personas.org, owner=personas.admin)
    KeyResultFactory(goal=goal)
    child = GoalFactory(organization=personas.org, team=TeamFactory(organization=personas.org), parent=goal)
    KeyResultFactory(goal=child)
    _assert_constant(read, grow, expected=4)


def test_goal_list_filters_to_one_team(personas):
    sales = TeamFactory(organization=personas.org)
    parent = GoalFactory(organization=personas.org)
    sales_goal = GoalFactory(organization=personas.org, team=sales, parent=parent)
    GoalFactory(organization=personas.org, team=TeamFactory(organization=personas.org), parent=parent)

    assert list(selectors.goal_list(membership=personas.member, team=sales)) == [sales_goal]
    assert len(selectors.goal_list(membership=personas.member)) == 3


def test_check_in_series_is_in_time_order_whatever_the_order_of_recording(personas):
    key_result = KeyResultFactory(
        goal__organization=personas.org, baseline=Decimal("52"), target=Decimal("24"), direction="down", unit="hours"
    )
    for days, value in [(28, "40"), (0, "51"), (14, "44.5")]:
        CheckInFactory(key_result=key_result, value=Decimal(value), created_at=START + dt.timedelta(days=days))

    series = selectors.check_in_series(key_result=key_result)

    assert series == {
        "title": key_result.title,
        "labels": ["2026-09-01", "2026-09-15", "2026-09-29"],
        "values": [51.0, 44.5, 40.0],
        "target": 24.0,
        "baseline": 52.0,
        "unit": "hours",
    }


def test_check_in_series_takes_one_query_however_many_check_ins(personas, django_assert_num_queries):
    key_result = KeyResultFactory(goal__organization=personas.org)
    CheckInFactory(key_result=key_result, created_at=START)
    with django_assert_num_queries(1):
        assert len(selectors.check_in_series(key_result=key_result)["values"]) == 1

    for day in range(1, 30):
        CheckInFactory(key_result=key_result, created_at=START + dt.timedelta(days=day), author=personas.admin)

    with django_assert_num_queries(1):
        assert len(selectors.check_in_series(key_result=key_result)["values"]) == 30


def test_check_in_series_labels_days_in_the_organisations_time_zone(personas):
    personas.org.timezone = "America/New_York"
    personas.org.save(update_fields=["timezone"])
    key_result = KeyResultFactory(goal__organization=personas.org)
    # 8 pm on 10 March in New York is already 11 March in UTC.
    CheckInFactory(key_result=key_result, created_at=dt.datetime(2026, 3, 11, 0, 30, tzinfo=dt.UTC))

    assert selectors.check_in_series(key_result=key_result)["labels"] == ["2026-03-10"]


# --- Teams -----------------------------------------------------------------------------------------


def test_team_list_counts_members_and_brings_managers_in_constant_queries(personas):
    def read():
        return [
            (
                t.name,
                t.member_count,
                [m.user.full_name for m in t.managers.all()],
                [tm.job_role for tm in t.memberships.all()],
            )
            for t in selectors.team_list(membership=personas.member)
        ]

    def grow():
        role = JobRoleFactory(organization=personas.org)
        for _ in range(5):
            team = TeamFactory(organization=personas.org, managers=[personas.manager, personas.admin])
            TeamMembershipFactory.create_batch(3, team=team, job_role=role)

    team = TeamFactory(organization=personas.org, managers=[personas.manager])
    TeamMembershipFactory(team=team)
    TeamFactory(organization=personas.other_org)
    _assert_constant(read, grow, expected=3)
    assert sorted({count for _, count, _, _ in read()}) == [1, 3]


def test_team_members_lists_leads_first_then_by_name(personas):
    team = TeamFactory(organization=personas.org)
    zed = TeamMembershipFactory(team=team, membership__user__full_name="Zed Member")
    lead = TeamMembershipFactory(team=team, membership__user__full_name="Yara Lead", team_role="lead")
    amy = TeamMembershipFactory(team=team, membership__user__full_name="Amy Member")

    assert list(selectors.team_members(team=team)) == [lead, amy, zed]


def _coverage_setup(personas):
    sales = FunctionFactory(organization=personas.org, name="Sales", order=0)
    service = FunctionFactory(organization=personas.org, name="Customer service", order=1)
    finance = FunctionFactory(organization=personas.org, name="Finance", order=2)
    FunctionFactory(organization=personas.other_org, name="Theirs")
    team = TeamFactory(organization=personas.org)
    return team, sales, service, finance


def test_function_coverage_names_the_functions_present_and_missing(personas):
    team, sales, service, finance = _coverage_setup(personas)
    TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org, function=sales))
    TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org, function=finance))
    TeamMembershipFactory(team=team, job_role=None)

    coverage = selectors.function_coverage(team=team)

    assert coverage == {"present": [sales, finance], "missing": [service], "is_cross_functional": True}


def test_function_coverage_of_a_single_function_team_is_not_cross_functional(personas):
    team, sales, service, finance = _coverage_setup(personas)
    TeamMembershipFactory.create_batch(2, team=team, job_role=JobRoleFactory(organization=personas.org, function=sales))

    coverage = selectors.function_coverage(team=team)

    assert (coverage["present"], coverage["missing"], coverage["is_cross_functional"]) == (
        [sales],
        [service, finance],
        False,
    )


def test_function_coverage_costs_two_queries_for_a_small_or_large_team(personas):
    team, sales, *_ = _coverage_setup(personas)
    TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org, function=sales))

    def grow():
        for n in range(6):
            function = FunctionFactory(organization=personas.org, name=f"Extra {n}")
            TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org, function=function))

    _assert_constant(lambda: selectors.function_coverage(team=team), grow, expected=2)


def test_function_coverage_reuses_members_already_loaded(personas, django_assert_num_queries):
    team, sales, *_ = _coverage_setup(personas)
    TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org, function=sales))
    members = list(selectors.team_members(team=team))

    with django_assert_num_queries(1):
        assert selectors.function_coverage(team=team, members=members)["present"] == [sales]


def test_team_commitments_returns_all_six_in_order_with_the_records(personas, django_assert_num_queries):
    team = TeamFactory(organization=personas.org)
    kept = TeamCommitmentFactory(team=team, commitment=Commitment.IMPROVES, is_kept=True, updated_by=personas.manager)

    with django_assert_num_queries(1):
        commitments = selectors.team_commitments(team=team)
        _ = [c["record"].updated_by.user.full_name for c in commitments if c["record"]]

    assert [c["key"] for c in commitments] == [
        "customer_first",
        "shared_vision",
        "roles_understood",
        "decides_together",
        "knows_limits",
        "improves",
    ]
    assert [c["label"] for c in commitments] == [label for _, label in Commitment.choices]
    assert [c["record"] for c in commitments] == [None] * 5 + [kept]


# --- Excellence ------------------------------------------------------------------------------------


def test_my_excellence_lists_each_of_my_teams_with_criteria_in_order(personas, django_assert_num_queries):
    role = JobRoleFactory(organization=personas.org)
    sales = TeamMembershipFactory(team__organization=personas.org, membership=personas.member, job_role=role)
    second = ExcellenceCriterionFactory(team_membership=sales, order=1, looks_like="Second")
    first = ExcellenceCriterionFactory(team_membership=sales, order=0, looks_like="First")
    TeamMembershipFactory(team__organization=personas.org, membership=personas.member)
    ExcellenceCriterionFactory(team_membership__team__organization=personas.org)  # someone else's

    with django_assert_num_queries(2):
        rows = [
            (tm.team.name, tm.job_role and tm.job_role.function.name, list(tm.criteria.all()))
            for tm in selectors.my_excellence(membership=personas.member)
        ]

    assert len(rows) == 2
    assert [first, second] in [criteria for _, _, criteria in rows]


def test_excellence_history_is_newest_first(personas):
    placed = TeamMembershipFactory(team__organization=personas.org)
    older = ExcellenceChangeFactory(team_membership=placed)
    newer = ExcellenceChangeFactory(team_membership=placed)
    ExcellenceChangeFactory()

    assert list(selectors.excellence_history(team_membership=placed)) == [newer, older]


# --- The directory and strengths -------------------------------------------------------------------


@pytest.fixture
def directory_people(personas):
    """Alice, Bob and Charlie; Bob is strong at negotiation and in Sales."""
    negotiation = StrengthFactory(organization=personas.org, name="Negotiation")
    forecasting = StrengthFactory(organization=personas.org, name="Demand forecasting")
    MemberStrengthFactory(membership=personas.manager, strength=negotiation, level=5)
    MemberStrengthFactory(membership=personas.member, strength=forecasting, level=3)
    sales = FunctionFactory(organization=personas.org, name="Sales")
    TeamMembershipFactory(
        team__organization=personas.org,
        membership=personas.manager,
        job_role=JobRoleFactory(organization=personas.org, function=sales),
    )
    MembershipFactory(organization=personas.org, is_active=False, user__full_name="Gone Negotiator")
    return negotiation, forecasting, sales


def _names(people):
    return [p.user.full_name for p in people]


def test_directory_lists_active_colleagues_only_by_name(personas, directory_people):
    assert _names(selectors.directory(membership=personas.admin)) == ["Alice Admin", "Bob Manager", "Charlie Member"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bob", ["Bob Manager"]),
        ("charlie@example", ["Charlie Member"]),
        ("negoti", ["Bob Manager"]),
        ("FORECAST", ["Charlie Member"]),
        ("e", ["Alice Admin", "Bob Manager", "Charlie Member"]),
        ("nobody", []),
    ],
)
def test_directory_finds_people_by_name_email_or_strength(personas, directory_people, query, expected):
    assert _names(selectors.directory(membership=personas.member, query=query)) == expected


def test_directory_filters_by_function_and_by_strength(personas, directory_people):
    negotiation, forecasting, sales = directory_people

    assert _names(selectors.directory(membership=personas.member, function_id=sales.pk)) == ["Bob Manager"]
    assert _names(selectors.directory(membership=personas.member, strength_id=forecasting.pk)) == ["Charlie Member"]
    assert _names(
        selectors.directory(membership=personas.member, function_id=sales.pk, strength_id=negotiation.pk)
    ) == ["Bob Manager"]


def test_directory_lists_each_person_once_even_when_several_strengths_match(personas, directory_people):
    StrengthFactory(organization=personas.org, name="Negotiation coaching")
    services.member_strength_set(
        actor=personas.manager,
        strength=StrengthFactory(organization=personas.org, name="Negotiation in German"),
        level=2,
    )

    assert _names(selectors.directory(membership=personas.member, query="negotiation")) == ["Bob Manager"]


def test_directory_brings_strengths_endorsements_and_teams_in_constant_queries(personas, directory_people):
    negotiation, *_ = directory_people

    def read():
        return [
            (
                p.user.full_name,
                [(s.strength.name, s.endorsement_count) for s in p.strengths.all()],
                [(tm.team.name, tm.job_role and tm.job_role.function.name) for tm in p.team_memberships.all()],
            )
            for p in selectors.directory(membership=personas.member, query="e")
        ]

    def grow():
        for n in range(8):
            person = MembershipFactory(organization=personas.org, user__full_name=f"Extra {n}")
            held = MemberStrengthFactory(membership=person, strength=negotiation)
            EndorsementFactory(member_strength=held, endorser=personas.admin)
            TeamMembershipFactory(
                team__organization=personas.org, membership=person, job_role=JobRoleFactory(organization=personas.org)
            )

    _assert_constant(read, grow, expected=3)


def test_strong_at_orders_by_level_then_endorsements_then_name(personas):
    negotiation = StrengthFactory(organization=personas.org)
    zoe = MemberStrengthFactory(strength=negotiation, level=4, membership__user__full_name="Zoe")
    amy = MemberStrengthFactory(strength=negotiation, level=4, membership__user__full_name="Amy")
    endorsed = MemberStrengthFactory(strength=negotiation, level=4, membership__user__full_name="Yves")
    expert = MemberStrengthFactory(strength=negotiation, level=5, membership__user__full_name="Xena")
    learner = MemberStrengthFactory(strength=negotiation, level=1, membership__user__full_name="Abe")
    MemberStrengthFactory(strength=negotiation, level=5, membership__is_active=False)
    EndorsementFactory.create_batch(2, member_strength=endorsed)

    found = list(selectors.strong_at(membership=personas.member, strength=negotiation))

    assert found == [expert, endorsed, amy, zoe, learner]
    assert [m.endorsement_count for m in found] == [0, 2, 0, 0, 0]
    assert learner not in selectors.strong_at(membership=personas.member, strength=negotiation, min_level=3)


def test_strong_at_takes_one_query_however_many_holders(personas):
    negotiation = StrengthFactory(organization=personas.org)
    MemberStrengthFactory(strength=negotiation)

    def read():
        return [
            (m.membership.user.full_name, m.endorsement_count)
            for m in selectors.strong_at(membership=personas.member, strength=negotiation)
        ]

    def grow():
        for _ in range(10):
            EndorsementFactory(member_strength=MemberStrengthFactory(strength=negotiation))

    _assert_constant(read, grow, expected=1)


def test_strengths_of_counts_endorsements_and_says_which_the_viewer_gave(personas):
    negotiation = MemberStrengthFactory(
        membership=personas.manager, strength__organization=personas.org, strength__name="A"
    )
    coaching = MemberStrengthFactory(
        membership=personas.manager, strength__organization=personas.org, strength__name="B"
    )
    EndorsementFactory(member_strength=negotiation, endorser=personas.member)
    EndorsementFactory(member_strength=negotiation, endorser=personas.admin)
    EndorsementFactory(member_strength=coaching, endorser=personas.admin)

    rows = {
        m.strength.name: (m.endorsement_count, m.endorsed_by_viewer)
        for m in selectors.strengths_of(membership=personas.manager, viewer=personas.member)
    }

    assert rows == {"A": (2, 1), "B": (1, 0)}


def test_teams_of_lists_the_persons_teams(personas):
    mine = TeamMembershipFactory(team__organization=personas.org, membership=personas.member)
    TeamMembershipFactory(
        team__organization=personas.org, membership=MembershipFactory(organization=personas.org, role=Role.MEMBER)
    )

    assert list(selectors.teams_of(membership=personas.member)) == [mine]


def test_goal_key_results_carry_check_ins_and_chart_series_in_two_queries(personas, django_assert_num_queries):
    goal = GoalFactory(organization=personas.org)
    for _ in range(3):
        key_result = KeyResultFactory(goal=goal)
        for days in (3, 1, 2):
            CheckInFactory(key_result=key_result, created_at=START + dt.timedelta(days=days))
    goal = Goal.objects.select_related("organization").get(pk=goal.pk)

    with django_assert_num_queries(2):
        key_results = selectors.goal_key_results(goal=goal)
        series = [kr.series for kr in key_results]
        newest_first = [[c.created_at.day for c in kr.check_ins.all()] for kr in key_results]

    assert [s["labels"] for s in series] == [["2026-09-02", "2026-09-03", "2026-09-04"]] * 3
    assert newest_first == [[4, 3, 2]] * 3
