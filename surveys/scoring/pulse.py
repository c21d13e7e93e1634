"""Survey-based figures: engagement and percent favourable per driver, eNPS and the
response rate, per organisation, team and function, counted in SQL.

Answers are counted in one grouped query per granularity — by period, the
respondent's team and function, and driver, with conditional counts — and invitations
in one more; the rows that come back are counts per group (a few per team), which are
summed into the team, function and organisation figures.

Only closed rounds count, as on the results page: while a round is open, a figure that
moved after each answer would tell whoever watched it what the last person answered.
A round's answers all arrive in the scores when it closes (``services.round_close``
marks their periods).
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek

from surveys import formulas
from surveys.bank import ENPS_KEY, Driver
from surveys.models import Answer, Question, SurveyInvitation, SurveyRound
from surveys.models.scores import Metric
from surveys.scoring.figures import FUNCTION, ORG, PAIR, TEAM, Figure, fetch, local_start
from surveys.scoring.periods import MONTH, QUARTER, WEEK

TRUNC = {WEEK: TruncWeek, MONTH: TruncMonth, QUARTER: TruncQuarter}
DRIVER_METRICS = {
    Driver.ENGAGEMENT: Metric.ENGAGEMENT,
    **{driver: Metric(f"favourable.{driver.value}") for driver in Driver if driver != Driver.ENGAGEMENT},
}
COUNTS = ("favourable", "answers", "respondents", "promoters", "detractors", "enps")


def _answer_counts(organization, granularity: str, start, end) -> list[dict]:
    agreement = Q(question__kind=Question.Kind.AGREEMENT)
    enps = Q(question__bank_key=ENPS_KEY)
    return fetch(
        Answer.objects.filter(
            response__organization=organization,
            response__round__status=SurveyRound.Status.CLOSED,
            response__submitted_on__gte=start,
            response__submitted_on__lt=end,
            value__isnull=False,
        )
        .annotate(period=TRUNC[granularity]("response__submitted_on", output_field=DateField()))
        .values("period", "response__team_id", "response__function_id", "question__driver")
        .annotate(
            favourable=Count("pk", filter=agreement & Q(value__gte=4)),
            answers=Count("pk", filter=agreement),
            respondents=Count("response_id", distinct=True, filter=agreement),
            promoters=Count("pk", filter=enps & Q(value__gte=9)),
            detractors=Count("pk", filter=enps & Q(value__lte=6)),
            enps=Count("pk", filter=enps),
        )
        .order_by()
    )


def _invitation_counts(organization, granularity: str, start, end) -> list[dict]:
    """Invitations of the rounds that opened in each period, and how many answered."""
    zone = ZoneInfo(organization.timezone)
    return fetch(
        SurveyInvitation.objects.filter(
            round__organization=organization,
            round__status=SurveyRound.Status.CLOSED,
            round__opens_at__gte=local_start(start, zone),
            round__opens_at__lt=local_start(end, zone),
        )
        .annotate(period=TRUNC[granularity]("round__opens_at", output_field=DateField(), tzinfo=zone))
        .values("period", "team_id", "function_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by()
    )


def _rolled_up(rows: list[dict], team_key: str, function_key: str, extra: str | None, fields) -> dict:
    """Counts summed per (scope type, scope id, period[, extra]) for the organisation,
    each team and each function (None: no team, no function), and each (team, function)
    pair — never stored, but suppression compares the two breakdowns by them."""
    totals: dict = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows:
        tail = (row["period"],) + ((row[extra],) if extra else ())
        pair = (PAIR, (row[team_key], row[function_key]))
        for scope in ((ORG, None), (TEAM, row[team_key]), (FUNCTION, row[function_key]), pair):
            bucket = totals[scope + tail]
            for name in fields:
                bucket[name] += row[name]
    return totals


def figures(organization, granularity: str, start, end) -> list[Figure]:
    """Every survey-based figure of the organisation for the periods of ``granularity``
    starting in [start, end)."""
    found = []
    answers = _rolled_up(
        _answer_counts(organization, granularity, start, end),
        "response__team_id",
        "response__function_id",
        "question__driver",
        COUNTS,
    )
    enps_totals: dict = defaultdict(lambda: dict.fromkeys(("promoters", "detractors", "enps"), 0))
    for (scope_type, scope_id, period, driver), counts in answers.items():
        scope_id = organization.pk if scope_type == ORG else scope_id
        if driver in DRIVER_METRICS and counts["answers"]:
            found.append(
                Figure(
                    scope_type,
                    scope_id,
                    DRIVER_METRICS[driver],
                    granularity,
                    period,
                    formulas.percent(counts["favourable"], counts["answers"]),
                    counts["respondents"],
                    {
                        "favourable": counts["favourable"],
                        "answers": counts["answers"],
                        "respondents": counts["respondents"],
                    },
                    survey_based=True,
                )
            )
        totals = enps_totals[(scope_type, scope_id, period)]
        for name in totals:
            totals[name] += counts[name]
    for (scope_type, scope_id, period), counts in enps_totals.items():
        if not counts["enps"]:
            continue
        net = formulas.NetScore(
            counts["promoters"], counts["enps"] - counts["promoters"] - counts["detractors"], counts["detractors"]
        )
        components = {"promoters": net.promoters, "passives": net.passives, "detractors": net.detractors}
        found.append(
            Figure(scope_type, scope_id, Metric.ENPS, granularity, period, net.value, net.total, components, True)
        )
    invitations = _rolled_up(
        _invitation_counts(organization, granularity, start, end),
        "team_id",
        "function_id",
        None,
        ("invited", "answered"),
    )
    for (scope_type, scope_id, period), counts in invitations.items():
        scope_id = organization.pk if scope_type == ORG else scope_id
        found.append(
            Figure(
                scope_type,
                scope_id,
                Metric.RESPONSE_RATE,
                granularity,
                period,
                formulas.percent(counts["answered"], counts["invited"]),
                counts["answered"],
                {"invited": counts["invited"], "answered": counts["answered"]},
                survey_based=True,
            )
        )
    return found
