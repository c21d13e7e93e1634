"""Suppression across the lines survey figures are published in: teams summing to the
organisation in a period, and a quarter's months summing to the quarter, for every
scope. No subtraction along a line may reveal a hidden figure, and no addition a hidden
total — checked on examples worked out by hand and on generated organisations."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.scoring.engine import suppress
from surveys.scoring.figures import FUNCTION, ORG, TEAM, Figure
from surveys.scoring.periods import MONTH, QUARTER

ORG_ID = 1
METRIC = "engagement"
Q4 = dt.date(2026, 10, 1)
MONTHS = (dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1))
OCT, NOV, DEC = MONTHS


def _figure(scope_type, scope_id, granularity, start, n):
    return Figure(scope_type, scope_id, METRIC, granularity, start, 50.0, n, {}, survey_based=True)


def _organisation(teams: dict, no_team: dict | None = None) -> list[Figure]:
    """Figures for teams given as ``{team: {month: respondents}}`` (someone answers once
    a month, so a quarter holds the sum of its months), with the organisation's."""
    no_team = no_team or {}
    groups = {**teams, None: no_team}
    figures = []
    for scope_id, months in groups.items():
        for month, n in months.items():
            figures.append(_figure(TEAM, scope_id, MONTH, month, n))
        if months:
            figures.append(_figure(TEAM, scope_id, QUARTER, Q4, sum(months.values())))
    for month in MONTHS:
        total = sum(months.get(month, 0) for months in groups.values())
        if total:
            figures.append(_figure(ORG, ORG_ID, MONTH, month, total))
    figures.append(_figure(ORG, ORG_ID, QUARTER, Q4, sum(sum(m.values()) for m in groups.values())))
    return figures


def _hidden(figures, threshold=5):
    return suppress(figures, threshold)[1]


def test_a_small_month_of_a_shown_quarter_hides_the_next_smallest_month_too():
    # Support's December (2) is hidden; with Sales and Ops large the org's December is
    # shown. The quarter (6 + 7 + 2) minus October and November would be December.
    figures = _organisation(
        {
            "support": {OCT: 6, NOV: 7, DEC: 2},
            "sales": {OCT: 9, NOV: 9, DEC: 9},
            "ops": {OCT: 9, NOV: 9, DEC: 9},
        }
    )
    hidden = _hidden(figures)
    assert (TEAM, "support", METRIC, MONTH, DEC) in hidden
    assert (TEAM, "support", METRIC, MONTH, OCT) in hidden  # the next smallest month
    assert (TEAM, "support", METRIC, MONTH, NOV) not in hidden
    assert (TEAM, "support", METRIC, QUARTER, Q4) not in hidden


def test_a_quarter_hidden_by_the_complement_rule_hides_one_of_its_months():
    # Tiny's quarter (3) is hidden, and Sales' (next smallest) with it; Sales' months are
    # each large enough, but shown they would add up to Sales' quarter — and the
    # organisation's quarter minus Support's and Sales' would give Tiny's.
    figures = _organisation(
        {
            "support": {OCT: 20, NOV: 20, DEC: 20},
            "sales": {OCT: 6, NOV: 7, DEC: 8},
            "tiny": {OCT: 1, NOV: 1, DEC: 1},
        }
    )
    hidden = _hidden(figures)
    assert (TEAM, "sales", METRIC, QUARTER, Q4) in hidden
    assert (TEAM, "sales", METRIC, MONTH, OCT) in hidden  # its smallest month
    # October: Tiny and Sales hidden, together 7 >= 5: Support stays shown.
    assert (TEAM, "support", METRIC, MONTH, OCT) not in hidden


def test_an_organisation_month_hidden_over_time_hides_a_team_in_it():
    # The organisation's December has 3 respondents: hidden, with every team in it. Its
    # quarter is shown, so its next smallest month, October (10), is hidden too; then
    # October's teams, all shown, would add up to it, so the smallest of them goes.
    figures = _organisation(
        {
            "support": {OCT: 5, NOV: 9, DEC: 2},
            "sales": {OCT: 5, NOV: 9, DEC: 1},
        }
    )
    hidden = _hidden(figures)
    assert (ORG, ORG_ID, METRIC, MONTH, DEC) in hidden
    assert (ORG, ORG_ID, METRIC, MONTH, OCT) in hidden
    assert {(TEAM, "support", METRIC, MONTH, OCT), (TEAM, "sales", METRIC, MONTH, OCT)} & hidden


def test_nothing_more_is_hidden_when_every_month_is_large_enough():
    figures = _organisation({"support": {OCT: 6, NOV: 7, DEC: 8}, "sales": {OCT: 9, NOV: 9, DEC: 9}})
    assert _hidden(figures) == set()


def test_functions_have_their_quarter_lines_too():
    figures = [
        _figure(FUNCTION, "service", MONTH, OCT, 6),
        _figure(FUNCTION, "service", MONTH, NOV, 2),
        _figure(FUNCTION, "service", QUARTER, Q4, 8),
        _figure(FUNCTION, "sales", MONTH, OCT, 30),
        _figure(FUNCTION, "sales", MONTH, NOV, 30),
        _figure(FUNCTION, "sales", QUARTER, Q4, 60),
        _figure(ORG, ORG_ID, MONTH, OCT, 36),
        _figure(ORG, ORG_ID, MONTH, NOV, 32),
        _figure(ORG, ORG_ID, QUARTER, Q4, 68),
    ]
    hidden = _hidden(figures)
    assert (FUNCTION, "service", METRIC, MONTH, NOV) in hidden
    assert (FUNCTION, "service", METRIC, MONTH, OCT) in hidden


# --- Generated organisations: every line holds ------------------------------------------------

month_counts = st.fixed_dictionaries({month: st.integers(0, 12) for month in MONTHS})


def _answered(counts):
    return {key: n for key, n in counts.items() if n > 0}


def _check_line(parent_hidden: bool, children: dict, hidden_children: set, threshold: int, always_hidden=()):
    """One line: children's counts summing to a parent. ``always_hidden`` are children
    never published (the no-team group)."""
    answered = _answered(children)
    concealed = {key for key in answered if key in hidden_children or key in always_hidden}
    if parent_hidden:
        assert not answered or concealed, "a hidden total would come back as the sum of its shown parts"
    elif any(key in hidden_children for key in answered):
        assert len(concealed) >= 2, "one hidden part would come back as the total minus the rest"
        assert sum(answered[key] for key in concealed) >= threshold


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), month_counts, min_size=1, max_size=5),
    month_counts,
    st.integers(3, 6),
)
def test_no_line_gives_a_hidden_figure_away(teams, no_team, threshold):
    figures = _organisation(teams, no_team)
    hidden = _hidden(figures, threshold)
    groups = {**teams, None: no_team}

    def is_hidden(scope_type, scope_id, granularity, start):
        return (scope_type, scope_id, METRIC, granularity, start) in hidden

    # Over time: each scope's quarter and its months.
    for scope_type, scope_id, months in [
        *[(TEAM, team, months) for team, months in teams.items()],
        (ORG, ORG_ID, {m: sum(g.get(m, 0) for g in groups.values()) for m in MONTHS}),
    ]:
        if not sum(months.values()):
            continue
        _check_line(
            is_hidden(scope_type, scope_id, QUARTER, Q4),
            months,
            {m for m in months if is_hidden(scope_type, scope_id, MONTH, m)},
            threshold,
        )
    # In each period: the teams and the no-team group under the organisation.
    for granularity, start, count in [
        *[(MONTH, m, lambda months, m=m: months.get(m, 0)) for m in MONTHS],
        (QUARTER, Q4, lambda months: sum(months.values())),
    ]:
        children = {team: count(months) for team, months in groups.items()}
        if sum(children.values()) < threshold:
            assert all(is_hidden(TEAM, t, granularity, start) for t in teams if children[t])
            continue
        _check_line(
            is_hidden(ORG, ORG_ID, granularity, start),
            children,
            {t for t in teams if is_hidden(TEAM, t, granularity, start)},
            threshold,
            always_hidden={None},
        )
