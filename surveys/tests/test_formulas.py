"""The pure formulas, table by table, with their edge cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import formulas as f


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [
        ({}, None),  # no answers: no figure, not 0
        ({4: 1}, 100.0),
        ({5: 3, 1: 1}, 75.0),
        ({3: 4}, 0.0),  # neutral is not favourable
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 40.0),
        ({4: 0, 2: 0}, None),
    ],
)
def test_percent_favourable(distribution, expected):
    assert f.percent_favourable(distribution) == expected


@pytest.mark.parametrize(
    ("distribution", "counts", "value"),
    [
        ({}, (0, 0, 0), None),
        ({7: 3, 8: 2}, (0, 5, 0), 0.0),  # all passives
        ({9: 1, 10: 1}, (2, 0, 0), 100.0),
        ({0: 2, 6: 2}, (0, 0, 4), -100.0),  # 6 is a detractor
        ({10: 7, 8: 4, 3: 2, 6: 2}, (7, 4, 4), 20.0),
        ({9: 1, 7: 1, 6: 1}, (1, 1, 1), 0.0),
    ],
)
def test_net_score(distribution, counts, value):
    net = f.net_score(distribution)
    assert (net.promoters, net.passives, net.detractors) == counts
    assert net.value == value


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [({}, None), ({5: 1, 4: 1, 3: 2}, 50.0), ({1: 3}, 0.0), ({4: 2}, 100.0)],
)
def test_top_two_box(distribution, expected):
    assert f.top_two_box(distribution) == expected


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ({"a": 80.0, "b": 40.0}, {"a": 0.5, "b": 0.5}, 60.0),
        ({"a": 80.0, "b": None}, {"a": 0.4, "b": 0.6}, 80.0),  # missing drops out, the rest renormalise
        ({"a": 80.0}, {"a": 0.4, "b": 0.6}, 80.0),  # one component only
        ({"a": 80.0, "b": 20.0}, {"a": 0.0, "b": 0.3}, 20.0),  # a weight of zero
        ({"a": None, "b": None}, {"a": 1, "b": 1}, None),
        ({"a": 100.0, "b": 0.0, "c": 50.0}, {"a": 0.4, "b": 0.3, "c": 0.15}, pytest.approx(55.882, rel=1e-4)),
        ({}, {}, None),
    ],
)
def test_weighted_mean(values, weights, expected):
    assert f.weighted_mean(values, weights) == expected


@pytest.mark.parametrize(
    ("counts", "threshold", "hidden"),
    [
        ({"a": 7, "b": 6, "c": 9}, 5, set()),  # all large enough
        ({"a": 5, "b": 5}, 5, set()),  # a tie at the threshold is shown
        ({"a": 7, "b": 6, "c": 2}, 5, {"c", "b"}),  # one hidden: the next smallest too
        ({"a": 7, "b": 6, "c": 2, "d": 1}, 5, {"c", "d", "b"}),  # two hidden holding 3 < 5: one more
        ({"a": 7, "b": 6, "c": 3, "d": 4}, 5, {"c", "d"}),  # two hidden holding 7: enough
        ({"a": 7, "b": 6, "c": 0}, 5, {"c"}),  # nobody answered in c: nothing to protect
        ({"a": 2, "b": 2}, 5, {"a", "b"}),
        ({"a": 9, "b": 6, "c": 6, "x": 1}, 5, {"x", "b"}),  # equal counts: the first key goes
        ({None: 2, 1: 8, 2: 8}, 5, {None, 1}),  # the no-team group counts like any other
        ({"a": 4}, 3, set()),
        ({}, 5, set()),
    ],
)
def test_suppressed_applies_the_threshold_and_the_complement_rule(counts, threshold, hidden):
    assert f.suppressed(counts, threshold) == hidden


@given(
    st.dictionaries(st.integers(0, 30), st.integers(0, 40), max_size=12),
    st.integers(3, 10),
)
def test_no_subtraction_from_the_parent_reveals_fewer_than_the_threshold(counts, threshold):
    """Whatever the partition: the shown groups are all large enough, and the total minus
    the shown groups is nobody or at least ``threshold`` people, in two groups or more."""
    hidden = f.suppressed(counts, threshold)
    shown = {key: n for key, n in counts.items() if key not in hidden}
    assert all(n >= threshold for n in shown.values())
    remainder = sum(counts.values()) - sum(shown.values())
    answered_hidden = [key for key in hidden if counts[key] > 0]
    if remainder and shown:
        assert remainder >= threshold
        assert len(answered_hidden) >= 2


def test_suppressed_takes_groups_the_caller_hides_and_completes_them():
    # b is hidden by the caller: alone it could be subtracted, so the next smallest goes too.
    assert f.suppressed({"a": 9, "b": 7, "c": 6}, 5, hidden={"b"}) == {"b", "c"}
    assert f.suppressed({"a": 9, "b": 0}, 5, hidden={"b"}) == {"b"}


@pytest.mark.parametrize(
    ("counts", "kwargs", "expected"),
    [
        ({"a": 7, "b": 6, "c": 2}, {}, ({"c", "b"}, False)),  # the complement rule, parent shown
        ({"a": 7}, {"hidden": {"a"}}, ({"a"}, True)),  # the only group hidden: it equals its parent
        ({"a": 7, None: 3}, {"hidden": {"a"}, "unpublished": {None}}, ({"a", None}, False)),  # 10 concealed
        ({"a": 7, "b": 6}, {"parent_hidden": True}, ({"b"}, False)),  # else the parent is a + b
        ({"a": 7, "b": 2}, {"parent_hidden": True}, ({"b"}, False)),  # b is hidden anyway
        ({"a": 7, None: 6}, {"parent_hidden": True, "unpublished": {None}}, (set(), False)),
        ({"a": 0}, {"parent_hidden": True}, (set(), False)),  # nobody answered: nothing to add up
        ({}, {}, (set(), False)),
    ],
)
def test_line_suppressed_keeps_a_line_of_figures_from_adding_up_to_a_hidden_one(counts, kwargs, expected):
    assert f.line_suppressed(counts, 5, **kwargs) == expected


@pytest.mark.parametrize(
    ("teams", "functions", "pairs", "hidden"),
    [
        # Charlie is the only one of Support in the function: the two share one person.
        ({"support": 9}, {"f": 9}, {("support", "f"): 1}, {"f"}),
        # The function is all of Support but one: Support minus the function is that one.
        ({"support": 9}, {"f": 8}, {("support", "f"): 8}, {"f"}),
        # The function is Support and two more from elsewhere: the function minus Support is two.
        ({"support": 9}, {"f": 11}, {("support", "f"): 9}, {"f"}),
        # Large on every side: shown.
        ({"support": 10}, {"f": 10}, {("support", "f"): 5}, set()),
        ({"support": 9}, {"f": 9}, {("support", "f"): 0}, set()),
        # A team not shown cannot be compared.
        ({}, {"f": 9}, {("sales", "f"): 1}, set()),
    ],
)
def test_a_function_that_cuts_a_shown_team_by_a_few_people_is_hidden(teams, functions, pairs, hidden):
    assert f.overlapping(teams, functions, pairs, 5) == hidden
