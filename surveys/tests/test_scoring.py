"""The scoring engine on a closed round (conftest ``answered_round``: Support 7 answered,
Sales 6, Tiny 2; Alice and Bob, on no team, did not; all on 3 November 2026) and on
customer feedback."""

import datetime as dt

import pytest
import time_machine

from customers.tests.factories import CustomerAccountFactory
from outbox.models import DirtyScope
from surveys import services
from surveys.models.scores import Metric, ScoreSnapshot
from surveys.scoring import engine, runs
from surveys.scoring.periods import MONTH, QUARTER, WEEK, Period, period_of

pytestmark = pytest.mark.django_db

NOVEMBER = Period(MONTH, dt.date(2026, 11, 1))


def _snapshot(org, scope_type, scope_id, metric, period=NOVEMBER):
    return ScoreSnapshot.objects.get(
        organization=org,
        scope_type=scope_type,
        scope_id=scope_id,
        metric=metric,
        granularity=period.granularity,
        period_start=period.start,
    )


def test_survey_figures_for_the_organisation_and_a_team_shown(answered_round, staffed):
    engine.recompute(staffed.org, [NOVEMBER])
    org = staffed.org

    engagement = _snapshot(org, "org", org.pk, Metric.ENGAGEMENT)
    assert engagement.value == pytest.approx(100 * 14 / 30)
    assert (engagement.sample_size, engagement.suppressed) == (15, False)
    assert engagement.components == {"favourable": 14, "answers": 30, "respondents": 15}
    support = _snapshot(org, "team", staffed.support.pk, Metric.ENGAGEMENT)
    assert (support.value, support.sample_size) == (100.0, 7)
    enps = _snapshot(org, "org", org.pk, Metric.ENPS)
    assert enps.value == pytest.approx(20.0)
    assert enps.components == {"promoters": 7, "passives": 4, "detractors": 4}
    rate = _snapshot(org, "org", org.pk, Metric.RESPONSE_RATE)
    assert rate.value == pytest.approx(100 * 15 / 17)
    assert rate.components == {"invited": 17, "answered": 15}
    collaboration = _snapshot(org, "team", staffed.support.pk, Metric.FAVOURABLE_COLLABORATION)
    assert collaboration.value == 100.0


def test_small_teams_and_the_next_smallest_are_stored_suppressed_with_nothing_in_them(answered_round, staffed):
    engine.recompute(staffed.org, [NOVEMBER])

    for team in (staffed.sales, staffed.tiny):
        for metric in (Metric.ENGAGEMENT, Metric.ENPS, Metric.RESPONSE_RATE, Metric.FAVOURABLE_COLLABORATION):
            row = _snapshot(staffed.org, "team", team.pk, metric)
            assert row.suppressed, (team, metric)
            assert (row.value, row.sample_size) == (None, None)
            assert row.components == {"suppressed": "fewer than 5 respondents"}
    # Charlie's function alone holds one respondent: hidden, and "no function" with it.
    function = _snapshot(staffed.org, "function", staffed.service_role.function_id, Metric.ENGAGEMENT)
    assert function.suppressed
    # The groups of those with no team or function are never stored.
    assert not ScoreSnapshot.objects.filter(scope_id=None).exists()


def test_every_granularity_and_only_the_periods_asked_for_with_those_suppressed_with_them(answered_round, staffed):
    week, quarter = period_of(WEEK, dt.date(2026, 11, 3)), period_of(QUARTER, dt.date(2026, 11, 3))
    ScoreSnapshot.objects.all().delete()
    engine.recompute(staffed.org, [week])
    # A week's survey figures add up to its month's, and the month's to its quarter's:
    # they are suppressed together, so recomputed together (the answers are of 3 November).
    assert set(ScoreSnapshot.objects.values_list("granularity", "period_start").distinct()) == {
        (WEEK, dt.date(2026, 11, 2)),
        (MONTH, NOVEMBER.start),
        (QUARTER, quarter.start),
    }
    engine.recompute(staffed.org, [quarter, NOVEMBER])
    assert _snapshot(staffed.org, "org", staffed.org.pk, Metric.ENGAGEMENT, quarter).value == pytest.approx(
        100 * 14 / 30
    )


def test_a_recompute_is_idempotent_and_removes_what_the_data_no_longer_supports(answered_round, staffed):
    engine.recompute(staffed.org, [NOVEMBER])
    first = {row.pk: (row.value, row.suppressed, row.components) for row in ScoreSnapshot.objects.all()}
    stale = ScoreSnapshot.objects.filter(metric=Metric.ENGAGEMENT).first()
    ScoreSnapshot.objects.create(
        organization=staffed.org,
        scope_type="team",
        scope_id=999_999,
        metric=Metric.ENGAGEMENT,
        granularity=MONTH,
        period_start=NOVEMBER.start,
        value=1.0,
        sample_size=9,
        computed_at=stale.computed_at - dt.timedelta(days=1),
    )

    engine.recompute(staffed.org, [NOVEMBER])

    again = {row.pk: (row.value, row.suppressed, row.components) for row in ScoreSnapshot.objects.all()}
    assert again == first  # same rows (upserted in place), same values; the stale one gone


def test_customer_nps_and_csat_count_for_the_team_that_owned_the_account_then(staffed):
    org = staffed.org
    account = CustomerAccountFactory(organization=org, owning_team=staffed.support)
    at = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    for n, score in enumerate([10, 9, 7, 3]):
        services.feedback_record(
            actor=staffed.admin, account=account, score=score, channel="api", external_id=f"n{n}", received_at=at
        )
    services.feedback_record(
        actor=staffed.admin, account=account, score=5, kind="csat", channel="api", external_id="c1", received_at=at
    )
    account.owning_team = staffed.sales
    account.save(update_fields=["owning_team"])
    services.feedback_record(
        actor=staffed.admin, account=account, score=0, channel="api", external_id="n9", received_at=at
    )

    engine.recompute(org, [NOVEMBER])

    support = _snapshot(org, "team", staffed.support.pk, Metric.NPS)
    assert (support.value, support.sample_size) == (25.0, 4)  # (2 - 1) / 4
    sales = _snapshot(org, "team", staffed.sales.pk, Metric.NPS)
    assert (sales.value, sales.sample_size) == (-100.0, 1)
    whole = _snapshot(org, "account", account.pk, Metric.NPS)
    assert whole.value == 0.0 and whole.components == {"promoters": 2, "passives": 1, "detractors": 2}
    csat = _snapshot(org, "org", org.pk, Metric.CSAT)
    assert (csat.value, csat.components) == (100.0, {"top_two": 1, "responses": 1})
    assert not support.suppressed  # customer feedback is not anonymous


def test_recompute_dirty_consumes_the_marks_it_read(answered_round, staffed):
    assert DirtyScope.objects.filter(organization=staffed.org).exists()  # marked by each answer

    consumed = runs.recompute_dirty(staffed.org.pk)

    assert consumed > 0 and not DirtyScope.objects.filter(organization=staffed.org).exists()
    assert _snapshot(staffed.org, "org", staffed.org.pk, Metric.ENGAGEMENT).sample_size == 15
    assert runs.recompute_dirty(staffed.org.pk) == 0


def test_recompute_all_covers_every_period_since_the_first_data(answered_round, staffed):
    periods = runs.all_periods(staffed.org, today=dt.date(2027, 1, 15))
    assert Period(WEEK, dt.date(2026, 11, 2)) in periods and Period(WEEK, dt.date(2027, 1, 11)) in periods
    assert Period(WEEK, dt.date(2026, 10, 26)) not in periods
    assert {p for p in periods if p.granularity == QUARTER} == {
        Period(QUARTER, dt.date(2026, 10, 1)),
        Period(QUARTER, dt.date(2027, 1, 1)),
    }
    seen = []
    runs.recompute_all(staffed.org.pk, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]
    assert _snapshot(staffed.org, "org", staffed.org.pk, Metric.ENGAGEMENT).value == pytest.approx(100 * 14 / 30)


def test_a_function_that_cuts_a_shown_team_by_one_person_is_stored_suppressed(acme):
    """As on the results page: Charlie is Support's only one in the Service function,
    whose 8 others are in Sales; Support is shown, so Service is not."""
    from surveys.tests.conftest import answer, close, open_results_round, people

    support = [acme.member, acme.dan, *people(acme.org, acme.support, 7)]
    sales = [acme.eve, *people(acme.org, acme.sales, 8, job_role=acme.service_role)]
    round_ = open_results_round(acme)
    for person in [*support, *sales]:
        answer(round_, person, {"engagement.proud": 4, "engagement.motivated": 4, "enps": 9})
    close(round_)

    engine.recompute(acme.org, [NOVEMBER])

    assert not _snapshot(acme.org, "team", acme.support.pk, Metric.ENGAGEMENT).suppressed
    assert not _snapshot(acme.org, "team", acme.sales.pk, Metric.ENGAGEMENT).suppressed
    service = _snapshot(acme.org, "function", acme.service_role.function_id, Metric.ENGAGEMENT)
    assert service.suppressed and service.value is None


def test_scores_count_a_round_only_once_it_has_closed(staffed):
    """While a round is open its answers move no score (a figure that moved after each
    answer would tell a watcher what the last person answered); closing brings them in."""
    from surveys.tests.conftest import answer, close, open_results_round

    round_ = open_results_round(staffed)
    for person in staffed.support_people:
        answer(round_, person, {"engagement.proud": 5, "engagement.motivated": 4, "enps": 9})
    runs.recompute_all(staffed.org.pk)
    survey_metrics = [Metric.ENGAGEMENT, Metric.ENPS, Metric.RESPONSE_RATE]
    assert not ScoreSnapshot.objects.filter(metric__in=survey_metrics).exists()
    assert not DirtyScope.objects.exists()  # nor does an answer mark anything to recompute

    close(round_)
    while runs.recompute_dirty(staffed.org.pk):
        pass
    engagement = _snapshot(staffed.org, "org", staffed.org.pk, Metric.ENGAGEMENT)
    assert (engagement.value, engagement.sample_size) == (100.0, 7)
    assert _snapshot(staffed.org, "team", staffed.support.pk, Metric.RESPONSE_RATE).value == 100.0


def test_feedback_and_daily_work_are_recomputed_alone_to_what_a_full_recompute_stores(
    answered_round, staffed, monkeypatch
):
    """After the round's scores are in, new feedback and a win mark their periods as
    activity: their recompute counts no survey answer (the survey sources are not asked),
    leaves the survey snapshots as they were, takes collaboration's survey part from the
    stored snapshot — and stores exactly what a full recompute from nothing stores."""
    from surveys.scoring import pulse
    from teams.tests.factories import ValueFactory
    from work import services as work

    org = staffed.org
    runs.recompute_all(org.pk)
    DirtyScope.objects.all().delete()
    survey_rows = dict(ScoreSnapshot.objects.filter(metric__in=engine.SURVEY_METRICS).values_list("pk", "computed_at"))
    account = CustomerAccountFactory(organization=org, owning_team=staffed.support)
    kindness = ValueFactory(organization=org)
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):  # in the round's month
        services.feedback_record(actor=staffed.admin, account=account, score=10, channel="api", external_id="late")
        work.win_create(actor=staffed.member, title="Renewed early", values=[kindness])
    assert set(DirtyScope.objects.values_list("kind", flat=True)) == {DirtyScope.Kind.ACTIVITY}

    asked = []
    monkeypatch.setattr(pulse, "_answer_counts", lambda *args: asked.append(args) or [])
    while runs.recompute_dirty(org.pk):
        pass
    monkeypatch.undo()

    assert asked == []
    assert dict(ScoreSnapshot.objects.filter(pk__in=survey_rows).values_list("pk", "computed_at")) == survey_rows

    def stored():
        return {
            (s.scope_type, s.scope_id, s.metric, s.granularity, s.period_start): (
                s.value,
                s.sample_size,
                s.suppressed,
                s.components,
            )
            for s in ScoreSnapshot.objects.filter(organization=org)
        }

    incremental = stored()
    support = incremental[("team", staffed.support.pk, Metric.COLLABORATION, MONTH, NOVEMBER.start)]
    assert {"survey", "breadth"} <= set(support[3])  # the stored survey part, and the win's breadth
    ScoreSnapshot.objects.all().delete()
    runs.recompute_all(org.pk)
    assert stored() == incremental
