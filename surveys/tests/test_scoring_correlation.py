"""Which drivers move with engagement: Pearson's r per scope and period, from the sums
counted in SQL (surveys.scoring.correlation), on conftest's ``answered_round``: Support's
7 answer engagement 5 and 4 and collaboration 4, Sales' 6 answer 3 and 2, and 5, Tiny's 2
answer 1 everywhere — all on 3 November 2026."""

import datetime as dt
import statistics

import pytest

from surveys import formulas
from surveys.models.scores import Metric, ScoreSnapshot
from surveys.scoring import engine
from surveys.scoring.periods import MONTH, QUARTER, WEEK, Period

pytestmark = pytest.mark.django_db

NOVEMBER = Period(MONTH, dt.date(2026, 11, 1))
FOURTH_QUARTER = Period(QUARTER, dt.date(2026, 10, 1))
WEEK_OF_IT = Period(WEEK, dt.date(2026, 11, 2))

# Each respondent's (mean engagement answer, collaboration answer).
SUPPORT, SALES, TINY = [(4.5, 4)] * 7, [(2.5, 5)] * 6, [(1.0, 1)] * 2


def _by_hand(pairs) -> float:
    """r from its definition, by the standard library: nothing of the engine's."""
    return statistics.correlation([x for x, _ in pairs], [y for _, y in pairs])


def test_the_organisation_s_r_is_pearson_s_over_its_responses(answered_round, staffed):
    engine.recompute(staffed.org, [NOVEMBER, FOURTH_QUARTER, WEEK_OF_IT])

    expected = _by_hand(SUPPORT + SALES + TINY)
    # By hand as well: n=15, sums x=48.5, y=60, xy=203, xx=181.25, yy=264 ->
    # (15*203 - 48.5*60) / sqrt((15*181.25 - 48.5**2) * (15*264 - 60**2)) = 135 / sqrt(366.5 * 360)
    assert expected == pytest.approx(135 / (366.5 * 360) ** 0.5)
    for period in (NOVEMBER, FOURTH_QUARTER):
        row = ScoreSnapshot.objects.get(
            organization=staffed.org,
            scope_type="org",
            metric=Metric.CORRELATION_COLLABORATION,
            granularity=period.granularity,
            period_start=period.start,
        )
        assert row.value == pytest.approx(expected, abs=1e-4)
        assert (row.sample_size, row.suppressed) == (15, False)
        assert row.components == {"responses": 15, "pearson_r": pytest.approx(expected, abs=1e-4)}
    # Weeks keep no correlations: too few responses to say what moves with what.
    assert not ScoreSnapshot.objects.filter(granularity=WEEK, metric__startswith="correlation.").exists()


def test_small_groups_are_suppressed_and_a_group_that_does_not_vary_has_no_figure(answered_round, staffed):
    engine.recompute(staffed.org, [NOVEMBER])
    rows = {
        row.scope_id: row
        for row in ScoreSnapshot.objects.filter(
            scope_type="team", metric=Metric.CORRELATION_COLLABORATION, granularity=MONTH
        )
    }
    # Sales (6) is hidden with Tiny (2) by the complement rule, as for every survey figure.
    assert rows[staffed.sales.pk].suppressed and rows[staffed.sales.pk].value is None
    assert rows[staffed.tiny.pk].suppressed
    # Support's seven all answered alike: r is undefined, so nothing is stored for it.
    assert staffed.support.pk not in rows
    # Only the drivers asked about: the round had collaboration statements, no others.
    assert set(ScoreSnapshot.objects.filter(metric__startswith="correlation.").values_list("metric", flat=True)) == {
        Metric.CORRELATION_COLLABORATION
    }


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        pytest.param([(1, 2), (2, 4), (3, 6)], 1.0, id="a perfect rise"),
        pytest.param([(1, 6), (2, 4), (3, 2)], -1.0, id="a perfect fall"),
        pytest.param([(1, 1), (2, 3), (3, 2), (4, 4)], 0.8, id="a loose rise"),
        pytest.param([(1, 2), (2, 4)], None, id="two pairs: too few"),
        pytest.param([(3, 1), (3, 2), (3, 5)], None, id="x does not vary"),
        pytest.param([(1, 4), (2, 4), (5, 4)], None, id="y does not vary"),
        pytest.param([], None, id="nothing"),
    ],
)
def test_correlation_from_sums(pairs, expected):
    sums = (
        len(pairs),
        sum(x for x, _ in pairs),
        sum(y for _, y in pairs),
        sum(x * y for x, y in pairs),
        sum(x * x for x, _ in pairs),
        sum(y * y for _, y in pairs),
    )
    result = formulas.correlation(*sums)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_correlation_sums_add_up_over_groups():
    first, second = [(1.0, 2.0), (2.0, 3.5), (4.0, 4.0)], [(5.0, 6.0), (3.0, 1.0), (2.5, 2.5)]

    def sums(pairs):
        return [
            len(pairs),
            *(
                sum(f(x, y) for x, y in pairs)
                for f in (lambda x, y: x, lambda x, y: y, lambda x, y: x * y, lambda x, y: x * x, lambda x, y: y * y)
            ),
        ]

    added = [a + b for a, b in zip(sums(first), sums(second), strict=True)]
    assert formulas.correlation(*added) == pytest.approx(_by_hand(first + second))
