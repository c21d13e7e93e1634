"""The score outbox: each mark names its scope and the day its data belongs to, in the
organisation's time zone; marks are inserted, never upserted on a shared row."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from outbox.models import DirtyScope
from outbox.services import mark_dirty

pytestmark = pytest.mark.django_db

ORG = DirtyScope.ScopeType.ORGANIZATION
TEAM = DirtyScope.ScopeType.TEAM
FUNCTION = DirtyScope.ScopeType.FUNCTION
ACCOUNT = DirtyScope.ScopeType.ACCOUNT
MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
DAY = MORNING.date()


def _marks():
    return sorted(DirtyScope.objects.values_list("organization_id", "scope_type", "scope_id", "day"))


def test_mark_dirty_marks_the_organisation_and_each_team_function_and_account(personas):
    org = personas.org.pk

    mark_dirty(organization=personas.org, at=MORNING, teams=[11, 12], functions=[31], accounts=[21])

    assert _marks() == sorted(
        [
            (org, ORG, org, DAY),
            (org, TEAM, 11, DAY),
            (org, TEAM, 12, DAY),
            (org, FUNCTION, 31, DAY),
            (org, ACCOUNT, 21, DAY),
        ]
    )


def test_mark_dirty_with_nothing_else_marks_the_organisation_alone(personas):
    mark_dirty(organization=personas.org, at=MORNING)

    assert _marks() == [(personas.org.pk, ORG, personas.org.pk, DAY)]


def test_mark_dirty_ignores_empty_ids_and_marks_repeated_ones_once(personas):
    mark_dirty(organization=personas.org, at=MORNING, teams=[None, 0, 7, 7], accounts=[None, 9, 9])

    org = personas.org.pk
    assert _marks() == sorted([(org, ORG, org, DAY), (org, TEAM, 7, DAY), (org, ACCOUNT, 9, DAY)])


def test_a_backdated_event_marks_its_own_day_not_today(personas):
    """A win logged today about last month marks last month's periods."""
    with time_machine.travel(MORNING, tick=False):
        mark_dirty(organization=personas.org, at=MORNING - dt.timedelta(days=40), teams=[7])

    assert {day for *_, day in _marks()} == {dt.date(2026, 10, 14)}
    assert DirtyScope.objects.first().marked_at == MORNING


def test_the_day_is_the_organisations_local_day(personas):
    """Late on Sunday evening in New York is Monday in UTC: the mark says Sunday."""
    personas.org.timezone = "America/New_York"
    late_sunday = dt.datetime(2026, 11, 23, 3, 30, tzinfo=dt.UTC)  # 22:30 on the 22nd in New York

    mark_dirty(organization=personas.org, at=late_sunday)

    assert [day for *_, day in _marks()] == [dt.date(2026, 11, 22)]


def test_several_moments_mark_each_of_their_days(personas):
    """A handoff accepted days after it was sent marks both days: it counts where it was
    sent, and the move happened on the other."""
    sent, accepted = MORNING - dt.timedelta(days=3), MORNING

    mark_dirty(organization=personas.org, at=[sent, accepted, None], teams=[7])

    assert sorted({day for *_, day in _marks()}) == [sent.date(), accepted.date()]
    assert DirtyScope.objects.filter(scope_type=TEAM).count() == 2


def test_marking_again_adds_rows_instead_of_updating_one(personas):
    """Two saves in one organisation never wait on one shared row: each inserts its marks
    (the recompute folds duplicates)."""
    mark_dirty(organization=personas.org, at=MORNING, teams=[7])
    mark_dirty(organization=personas.org, at=MORNING, teams=[7])

    assert DirtyScope.objects.filter(scope_type=TEAM, scope_id=7).count() == 2
    assert DirtyScope.objects.filter(scope_type=ORG).count() == 2


def test_mark_dirty_keeps_organisations_and_scope_types_apart(personas):
    mark_dirty(organization=personas.org, at=MORNING, teams=[5], accounts=[5])
    mark_dirty(organization=personas.other_org, at=MORNING, teams=[5])

    assert DirtyScope.objects.filter(scope_type=TEAM, scope_id=5).count() == 2
    assert set(
        DirtyScope.objects.filter(scope_id=5, organization=personas.org).values_list("scope_type", flat=True)
    ) == {
        TEAM,
        ACCOUNT,
    }


def test_mark_dirty_rolls_back_with_the_transaction_it_runs_in(personas):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        mark_dirty(organization=personas.org, at=MORNING, teams=[7])
        raise Boom

    assert not DirtyScope.objects.exists()
