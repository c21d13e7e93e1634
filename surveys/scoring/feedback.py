"""Customer figures: NPS and CSAT (top-two-box) per organisation, team and account.

A team's figures count the feedback that arrived while it owned the account (the team
stored on each feedback row), not the account's owner today. One grouped query per
granularity, by period (local to the organisation), team, account and kind.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, DateField, Q

from surveys import formulas
from surveys.models import NpsFeedback
from surveys.models.feedback import FeedbackKind
from surveys.models.scores import Metric
from surveys.scoring.figures import ACCOUNT, ORG, TEAM, Figure, fetch, local_start
from surveys.scoring.pulse import TRUNC

FIELDS = ("promoters", "detractors", "responses", "top_two")


def _counts(organization, granularity: str, start, end) -> list[dict]:
    zone = ZoneInfo(organization.timezone)
    nps, csat = Q(kind=FeedbackKind.NPS), Q(kind=FeedbackKind.CSAT)
    return fetch(
        NpsFeedback.objects.filter(
            organization=organization,
            received_at__gte=local_start(start, zone),
            received_at__lt=local_start(end, zone),
        )
        .annotate(period=TRUNC[granularity]("received_at", output_field=DateField(), tzinfo=zone))
        .values("period", "team_id", "account_id", "kind")
        .annotate(
            promoters=Count("pk", filter=nps & Q(score__gte=9)),
            detractors=Count("pk", filter=nps & Q(score__lte=6)),
            responses=Count("pk"),
            top_two=Count("pk", filter=csat & Q(score__gte=4)),
        )
        .order_by()
    )


def figures(organization, granularity: str, start, end) -> list[Figure]:
    totals: dict = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for row in _counts(organization, granularity, start, end):
        for scope in ((ORG, organization.pk), (TEAM, row["team_id"]), (ACCOUNT, row["account_id"])):
            if scope[1] is None:
                continue  # feedback from before any team owned it: the organisation's only
            bucket = totals[(*scope, row["period"], row["kind"])]
            for name in FIELDS:
                bucket[name] += row[name]
    found = []
    for (scope_type, scope_id, period, kind), c in totals.items():
        if kind == FeedbackKind.NPS:
            net = formulas.NetScore(c["promoters"], c["responses"] - c["promoters"] - c["detractors"], c["detractors"])
            components = {"promoters": net.promoters, "passives": net.passives, "detractors": net.detractors}
            found.append(
                Figure(scope_type, scope_id, Metric.NPS, granularity, period, net.value, net.total, components)
            )
        else:
            value = formulas.percent(c["top_two"], c["responses"])
            components = {"top_two": c["top_two"], "responses": c["responses"]}
            found.append(
                Figure(scope_type, scope_id, Metric.CSAT, granularity, period, value, c["responses"], components)
            )
    return found
