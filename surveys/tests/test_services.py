"""The score outbox: marking scopes dirty is idempotent, keeps the latest time and
ignores missing ids."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from surveys.models import DirtyScope
from surveys.services import mark_dirty

pytestmark = pytest.mark.django_db

ORG = DirtyScope.ScopeType.ORGANIZATION
TEAM = DirtyScope.ScopeType.TEAM
ACCOUNT = DirtyScope.ScopeType.ACCOUNT
MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _rows():
    return sorted(DirtyScope.objects.values_list("organization_id", "scope_type", "scope_id"))


def test_mark_dirty_marks_the_organisation_and_each_team_and_account(personas):
    org = personas.org.pk

    mark_dirty(organization_id=org, teams=[11, 12], accounts=[21])

    assert _rows() == sorted([(org, ORG, org), (org, TEAM, 11), (org, TEAM, 12), (org, ACCOUNT, 21)])


def test_mark_dirty_with_nothing_else_marks_the_organisation_alone(personas):
    mark_dirty(organization_id=personas.org.pk)

    assert _rows() == [(personas.org.pk, ORG, personas.org.pk)]


def test_mark_dirty_ignores_empty_ids(personas):
    mark_dirty(organization_id=personas.org.pk, teams=[None, 0, 7], accounts=[None, 0])

    assert _rows() == sorted([(personas.org.pk, ORG, personas.org.pk), (personas.org.pk, TEAM, 7)])


def test_mark_dirty_keeps_one_row_per_scope_when_ids_repeat(personas):
    mark_dirty(organization_id=personas.org.pk, teams=[7, 7, 7], accounts=[9, 9])

    assert DirtyScope.objects.count() == 3


def test_mark_dirty_twice_keeps_one_row_per_scope_with_the_latest_time(personas):
    with time_machine.travel(MORNING, tick=False):
        mark_dirty(organization_id=personas.org.pk, teams=[7], accounts=[9])
    with time_machine.travel(MORNING + dt.timedelta(hours=2), tick=False):
        mark_dirty(organization_id=personas.org.pk, teams=[7])

    marked = {(r.scope_type, r.scope_id): r.marked_at for r in DirtyScope.objects.all()}
    assert marked == {
        (ORG, personas.org.pk): MORNING + dt.timedelta(hours=2),
        (TEAM, 7): MORNING + dt.timedelta(hours=2),
        (ACCOUNT, 9): MORNING,
    }


def test_mark_dirty_keeps_organisations_apart(personas):
    mark_dirty(organization_id=personas.org.pk, teams=[7])
    mark_dirty(organization_id=personas.other_org.pk, teams=[7])

    assert DirtyScope.objects.filter(scope_type=TEAM, scope_id=7).count() == 2


def test_mark_dirty_keeps_scope_types_apart_for_the_same_id(personas):
    mark_dirty(organization_id=personas.org.pk, teams=[5], accounts=[5])

    assert set(DirtyScope.objects.filter(scope_id=5).values_list("scope_type", flat=True)) == {TEAM, ACCOUNT}


def test_mark_dirty_rolls_back_with_the_transaction_it_runs_in(personas):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        mark_dirty(organization_id=personas.org.pk, teams=[7])
        raise Boom

    assert not DirtyScope.objects.exists()
