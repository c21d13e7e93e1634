"""Which drivers move with engagement: for each driver, Pearson's r between a
response's mean answer on the engagement statements and its mean answer on the
driver's, across the responses of a scope and period (DESIGN.md, Scores; issue 13,
focus areas). Survey-based, so suppressed like every other survey figure.

Counted in SQL in one pass per granularity: a common table expression averages each
response's answers per driver, joins a response's engagement mean to each of its other
drivers' means, and sums n, x, y, xy, x² and y² per period, team, function and driver.
Sums add up, so the team, function and organisation figures are rolled up from those
rows (surveys.scoring.pulse does the same with counts) and r comes from the sums.

Kept for months and quarters only: a week's handful of responses says nothing about
what moves with what.
"""

from django.db import connection
from django.db.models import Avg, DateField, F, FloatField
from django.db.models.functions import Cast

from surveys import formulas
from surveys.bank import Driver
from surveys.models import Answer, Question, SurveyRound
from surveys.models.scores import Metric
from surveys.scoring.figures import ORG, Figure, as_day
from surveys.scoring.periods import MONTH, QUARTER
from surveys.scoring.pulse import TRUNC, _rolled_up

GRANULARITIES = (MONTH, QUARTER)
METRICS = {driver.value: Metric(f"correlation.{driver.value}") for driver in Driver if driver != Driver.ENGAGEMENT}
SUMS = ("n", "sum_x", "sum_y", "sum_xy", "sum_xx", "sum_yy")

_PAIRS = """
WITH means AS ({means})
SELECT y.period, y.team, y.function, y.driver,
       COUNT(*), SUM(x.mean), SUM(y.mean), SUM(x.mean * y.mean), SUM(x.mean * x.mean), SUM(y.mean * y.mean)
FROM means x
JOIN means y ON y.response_key = x.response_key AND y.driver <> x.driver
WHERE x.driver = %s
GROUP BY y.period, y.team, y.function, y.driver
"""


def _means(organization, granularity: str, start, end):
    """Each response's mean answer per driver, with its period, team and function."""
    return (
        Answer.objects.filter(
            response__organization=organization,
            response__round__status=SurveyRound.Status.CLOSED,  # as every survey figure (pulse.py)
            response__submitted_on__gte=start,
            response__submitted_on__lt=end,
            question__kind=Question.Kind.AGREEMENT,
            value__isnull=False,
        )
        .exclude(question__driver="")
        .values(
            response_key=F("response_id"),
            period=TRUNC[granularity]("response__submitted_on", output_field=DateField()),
            team=F("response__team_id"),
            function=F("response__function_id"),
            driver=F("question__driver"),
        )
        .annotate(mean=Avg(Cast("value", FloatField())))
        .order_by()
    )


def _sums(organization, granularity: str, start, end) -> list[dict]:
    means_sql, params = _means(organization, granularity, start, end).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS.format(means=means_sql), (*params, Driver.ENGAGEMENT.value))
        rows = cursor.fetchall()
    return [
        {
            "period": as_day(period),
            "team": team,
            "function": function,
            "driver": driver,
            **dict(zip(SUMS, sums, strict=True)),
        }
        for period, team, function, driver, *sums in rows
    ]


def figures(organization, granularity: str, start, end) -> list[Figure]:
    if granularity not in GRANULARITIES:
        return []
    found = []
    totals = _rolled_up(_sums(organization, granularity, start, end), "team", "function", "driver", SUMS)
    for (scope_type, scope_id, period, driver), sums in totals.items():
        if driver not in METRICS or not sums["n"]:
            continue
        scope_id = organization.pk if scope_type == ORG else scope_id
        value = formulas.correlation(*(sums[name] for name in SUMS))
        found.append(
            Figure(
                scope_type,
                scope_id,
                METRICS[driver],
                granularity,
                period,
                None if value is None else round(value, 4),
                sums["n"],
                {"responses": sums["n"], "pearson_r": None if value is None else round(value, 4)},
                survey_based=True,
            )
        )
    return found
