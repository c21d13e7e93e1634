"""Reads of customer feedback: the feedback list (page, API, CSV) and a customer's
NPS and CSAT history with its trend.

Feedback is a customer's answer, not an employee's: it is not anonymous, and it is
read in full by the people of the account — admins, and the members and managers of
the team owning it now (``NpsFeedback.objects.visible_to``). Everyone else finds none
of it, not even a count.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from surveys.services.loop import DETRACTOR_AT_MOST, PROMOTER_AT_LEAST
from teamhub.lib.tenancy import get_visible_or_404

TREND_MONTHS = 12


def detractors() -> Q:
    return Q(kind=FeedbackKind.NPS, score__lte=DETRACTOR_AT_MOST[FeedbackKind.NPS]) | Q(
        kind=FeedbackKind.CSAT, score__lte=DETRACTOR_AT_MOST[FeedbackKind.CSAT]
    )


def promoters() -> Q:
    return Q(kind=FeedbackKind.NPS, score__gte=PROMOTER_AT_LEAST[FeedbackKind.NPS]) | Q(
        kind=FeedbackKind.CSAT, score__gte=PROMOTER_AT_LEAST[FeedbackKind.CSAT]
    )


GROUPS = {"detractors": detractors, "promoters": promoters, "passives": lambda: ~detractors() & ~promoters()}


def _shown():
    group = Case(
        When(detractors(), then=Value("detractor")),
        When(promoters(), then=Value("promoter")),
        default=Value("passive"),
        output_field=CharField(),
    )
    return (
        NpsFeedback.objects.select_related("account", "contact", "team", "round", "follow_up__owner__user")
        .annotate(group=group)
        .order_by("-received_at", "-pk")
    )


def access_feedback(*, membership, feedback_id) -> NpsFeedback:
    """One feedback row: another organisation's, or one of an account the person does
    not work on, is not found (404)."""
    return get_visible_or_404(_shown(), membership, pk=feedback_id)


def _day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def feedback_list(
    *,
    membership,
    account=None,
    team=None,
    kind: str = "",
    score_min: int | None = None,
    score_max: int | None = None,
    group: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
):
    """The feedback the person may read, newest first, filtered; dates are whole days in
    the organisation's time zone, both ends included."""
    rows = _shown().visible_to(membership)
    tz = ZoneInfo(membership.organization.timezone)
    if account is not None:
        rows = rows.filter(account=account)
    if team is not None:
        rows = rows.filter(team=team)
    if kind:
        rows = rows.filter(kind=kind)
    if score_min is not None:
        rows = rows.filter(score__gte=score_min)
    if score_max is not None:
        rows = rows.filter(score__lte=score_max)
    if group:
        rows = rows.filter(GROUPS[group]())
    if received_from is not None:
        rows = rows.filter(received_at__gte=_day_start(received_from, tz))
    if received_to is not None:
        rows = rows.filter(received_at__lt=_day_start(received_to + dt.timedelta(days=1), tz))
    return rows


def account_feedback(*, membership, account, limit: int = 20) -> list[NpsFeedback]:
    return list(feedback_list(membership=membership, account=account)[:limit])


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def account_trend(*, membership, account, months: int = TREND_MONTHS) -> dict:
    """Per calendar month (organisation time zone) of the last ``months``: NPS (% of
    promoters minus % of detractors, of NPS answers) and the mean CSAT, with how many
    answers each counts. One query."""
    tz = ZoneInfo(membership.organization.timezone)
    periods = _months_back(timezone.localtime(timezone.now(), tz).date(), months)
    nps = Q(kind=FeedbackKind.NPS)
    rows = (
        feedback_list(membership=membership, account=account, received_from=periods[0])
        .order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(
            nps_count=Count("pk", filter=nps),
            nps_promoters=Count("pk", filter=nps & Q(score__gte=PROMOTER_AT_LEAST[FeedbackKind.NPS])),
            nps_detractors=Count("pk", filter=nps & Q(score__lte=DETRACTOR_AT_MOST[FeedbackKind.NPS])),
            csat_count=Count("pk", filter=Q(kind=FeedbackKind.CSAT)),
            csat_mean=Avg("score", filter=Q(kind=FeedbackKind.CSAT)),
        )
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    table = []
    for period in periods:
        row = by_month.get(period, {})
        count = row.get("nps_count", 0)
        value = round(100 * (row["nps_promoters"] - row["nps_detractors"]) / count) if count else None
        mean = row.get("csat_mean")
        table.append(
            {
                "period": period,
                "nps": value,
                "nps_count": count,
                "csat": round(mean, 1) if mean is not None else None,
                "csat_count": row.get("csat_count", 0),
            }
        )
    chart = {
        "labels": [f"{p:%b %Y}" for p in periods],
        "nps": [m["nps"] for m in table],
        "csat": [float(m["csat"]) if m["csat"] is not None else None for m in table],
    }
    has_data = any(m["nps_count"] or m["csat_count"] for m in table)
    return {"months": table, "chart": chart, "has_data": has_data, "has_csat": any(m["csat_count"] for m in table)}


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
