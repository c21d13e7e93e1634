"""The Northwind demo's customer feedback (issue 11, point 10): two closed NPS rounds
answered across the accounts, detractor follow-ups in several states, promoters
flagged, a few answers from a webhook and an import; nobody e-mailed about the past;
a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from customers.models import CustomerAccount, FollowUp
from notifications.models import Delivery
from surveys.models import NpsFeedback, NpsRound
from surveys.notices import Kind

pytestmark = pytest.mark.django_db


def test_two_closed_nps_rounds_answered_across_the_accounts(northwind):
    rounds = NpsRound.objects.for_org(northwind.pk)
    feedback = NpsFeedback.objects.filter(organization=northwind)

    assert rounds.count() == 2
    assert set(rounds.values_list("status", flat=True)) == {NpsRound.Status.CLOSED}
    assert all(r.opened_at < r.closed_at for r in rounds)
    answered = feedback.filter(round__isnull=False).values("account").distinct().count()
    assert answered >= 0.8 * CustomerAccount.objects.for_org(northwind.pk).count()
    per_round = dict(feedback.values_list("round__title").annotate(n=Count("pk")))
    assert all(per_round[r.title] >= 30 for r in rounds)
    assert feedback.exclude(comment="").count() >= 0.6 * feedback.count()
    scores = set(feedback.values_list("score", flat=True))
    assert min(scores) <= 4 and max(scores) == 10 and len(scores) >= 6


def test_teams_differ_and_move_between_the_rounds(northwind):
    spring, autumn = NpsRound.objects.for_org(northwind.pk).order_by("opened_at")

    def nps(round_, team):
        scores = list(NpsFeedback.objects.filter(round=round_, team__name=team).values_list("score", flat=True))
        return (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) * 100 / len(scores)

    assert nps(autumn, "Corporate Outfitting") < nps(spring, "Corporate Outfitting")
    assert nps(autumn, "Online Direct") > nps(spring, "Online Direct")


def test_detractors_follow_ups_are_in_several_states(northwind):
    follow_ups = FollowUp.objects.filter(account__organization=northwind, nps_feedback__isnull=False)
    states = dict(follow_ups.values_list("status").annotate(n=Count("pk")))

    assert states.get("done", 0) >= 5
    assert states.get("cancelled", 0) >= 1
    assert states.get("open", 0) + states.get("in_progress", 0) >= 2
    # Closing one that came from feedback said what was done.
    assert not follow_ups.filter(status__in=["done", "cancelled"], outcome="").exists()
    detractors = NpsFeedback.objects.filter(organization=northwind, kind="nps", score__lte=6)
    # Every detractor but history (the import's) has its one follow-up.
    assert not detractors.exclude(channel="import").filter(follow_up__isnull=True).exists()
    assert follow_ups.count() == detractors.filter(follow_up__isnull=False).count()


def test_promoters_are_flagged_and_some_thanked(northwind):
    feedback = NpsFeedback.objects.filter(organization=northwind)

    promoters = feedback.filter(kind="nps", score__gte=9)
    assert promoters.count() >= 10
    assert set(promoters.values_list("possible_reference", flat=True)) == {True}
    assert not feedback.filter(score__lte=8, possible_reference=True).exists()
    assert promoters.filter(thanked_at__isnull=False).exists()
    assert promoters.filter(thanked_at__isnull=True).exists()


def test_a_few_answers_came_from_a_webhook_and_an_import(northwind):
    channels = dict(NpsFeedback.objects.filter(organization=northwind).values_list("channel").annotate(n=Count("pk")))

    assert channels["webhook"] >= 2 and channels["import"] >= 2
    assert not NpsFeedback.objects.filter(channel__in=["webhook", "import"], external_id="").exists()


def test_nobody_is_emailed_about_the_demos_past(northwind):
    deliveries = Delivery.objects.filter(organization=northwind, kind=Kind.DETRACTOR_FOLLOW_UP)

    assert deliveries.exists()
    assert not deliveries.filter(status=Delivery.Status.PENDING).exists()


def test_seed_demo_twice_changes_nothing_in_feedback(northwind):
    models = [NpsRound, NpsFeedback, FollowUp]
    before = {m.__name__: m.objects.count() for m in models}
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert {m.__name__: m.objects.count() for m in models} == before
    assert "Customer feedback demo data: already there." in out.getvalue()
