"""How a recompute writes (surveys.scoring.store): a figure that has not changed is left
as it is, a changed one is rewritten, one the data no longer supports goes, and other
periods are not touched — the same on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from customers.tests.factories import CustomerAccountFactory
from surveys import services
from surveys.models.scores import Metric, ScoreSnapshot
from surveys.scoring import engine
from surveys.scoring.periods import MONTH, Period

pytestmark = pytest.mark.django_db

NOVEMBER = Period(MONTH, dt.date(2026, 11, 1))
OCTOBER = Period(MONTH, dt.date(2026, 10, 1))
FIRST = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
SECOND = FIRST + dt.timedelta(hours=1)


def _feedback(staffed, account, score, n, day):
    services.feedback_record(
        actor=staffed.admin,
        account=account,
        score=score,
        channel="api",
        external_id=f"store-{n}",
        received_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
    )


def test_an_unchanged_figure_is_not_rewritten_and_a_changed_one_is(staffed):
    account = CustomerAccountFactory(organization=staffed.org, owning_team=staffed.support)
    _feedback(staffed, account, 10, 1, dt.date(2026, 11, 10))
    engine.recompute(staffed.org, [NOVEMBER], now=FIRST)
    before = {row.pk: (row.value, row.computed_at) for row in ScoreSnapshot.objects.all()}
    assert before and {computed for _, computed in before.values()} == {FIRST}

    engine.recompute(staffed.org, [NOVEMBER], now=SECOND)
    # Nothing changed: the same rows, values and times.
    assert {row.pk: (row.value, row.computed_at) for row in ScoreSnapshot.objects.all()} == before

    nps = ScoreSnapshot.objects.get(metric=Metric.NPS, scope_type="org", granularity=MONTH)
    _feedback(staffed, account, 0, 2, dt.date(2026, 11, 11))
    engine.recompute(staffed.org, [NOVEMBER], now=SECOND)

    after = ScoreSnapshot.objects.get(pk=nps.pk)  # rewritten in place
    assert (after.value, after.computed_at) == (0.0, SECOND)  # one promoter and one detractor of two
    # The figures the detractor changed are the NPS of the organisation, team and account.
    rewritten = set(ScoreSnapshot.objects.filter(computed_at=SECOND).values_list("metric", "scope_type"))
    assert rewritten == {(Metric.NPS, "org"), (Metric.NPS, "team"), (Metric.NPS, "account")}


def test_a_figure_the_data_no_longer_supports_goes_and_other_periods_stay(staffed):
    account = CustomerAccountFactory(organization=staffed.org, owning_team=staffed.support)
    _feedback(staffed, account, 9, 1, dt.date(2026, 10, 20))
    engine.recompute(staffed.org, [OCTOBER, NOVEMBER], now=FIRST)
    october = set(ScoreSnapshot.objects.filter(period_start=OCTOBER.start).values_list("pk", "value"))
    assert october
    # A snapshot of November no source produces any more (its feedback was deleted).
    ScoreSnapshot.objects.create(
        organization=staffed.org,
        scope_type="account",
        scope_id=account.pk,
        metric=Metric.NPS,
        granularity=MONTH,
        period_start=NOVEMBER.start,
        value=100.0,
        sample_size=1,
        computed_at=FIRST,
    )

    engine.recompute(staffed.org, [NOVEMBER], now=SECOND)

    assert not ScoreSnapshot.objects.filter(period_start=NOVEMBER.start).exists()
    assert set(ScoreSnapshot.objects.filter(period_start=OCTOBER.start).values_list("pk", "value")) == october
