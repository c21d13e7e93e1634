"""Handoffs: sending one, every move of the lifecycle (legal and illegal), who may make
each move, the SLA, and the score outbox each move feeds."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services as account_services
from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from customers.tests.factories import CustomerAccountFactory, FollowUpFactory
from notifications.models import Notification
from outbox.models import DirtyScope
from teamhub.lib.actors import system_actor
from teamhub.lib.tenancy import Role
from teams.models import TeamMembership
from teams.tests.factories import JobRoleFactory, TeamFactory, TeamMembershipFactory
from work import services
from work.models import Handoff, HandoffEvent
from work.services.handoffs import handoffs_release, is_breached, time_to_accept
from work.tests.factories import HandoffFactory

pytestmark = pytest.mark.django_db

S = Handoff.Status
SENT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LATER = SENT + dt.timedelta(hours=2)
ORG = DirtyScope.ScopeType.ORGANIZATION
TEAM = DirtyScope.ScopeType.TEAM
ACCOUNT = DirtyScope.ScopeType.ACCOUNT


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin and Frank
    work. Sales owns the account."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    p.erin = TeamMembershipFactory(team=p.support, membership__user__full_name="Erin Support").membership
    p.frank = TeamMembershipFactory(team=p.support, membership__user__full_name="Frank Support").membership
    p.account = CustomerAccountFactory(organization=p.org, name="Initech", owning_team=p.sales)
    return p


def _field_error(excinfo, field: str) -> str:
    errors = excinfo.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def _dirty():
    return set(DirtyScope.objects.values_list("scope_type", "scope_id"))


def _send(p, **kwargs):
    kwargs.setdefault("actor", p.member)
    kwargs.setdefault("account", p.account)
    kwargs.setdefault("subject", "Needs a custom invoice")
    if "to_team" not in kwargs:
        kwargs.setdefault("to_member", p.erin)
    return services.handoff_create(**kwargs)


def _handoff(p, status=S.OPEN, *, to_team=None, **kwargs):
    """A handoff from Charlie (Sales) to Erin, or to a team, already in ``status``."""
    fields = {
        "organization": p.org,
        "account": p.account,
        "sender": p.member,
        "sender_team": p.sales,
        "to_member": None if to_team else p.erin,
        "to_team": to_team,
        # Erin is on Support: the team that received it, as handoff_create would store.
        "receiving_team": to_team or p.support,
        "status": status,
        "created_at": SENT,
    }
    if status in (S.ACCEPTED, S.COMPLETED, S.RETURNED):
        fields.update(accepted_by=p.erin, accepted_at=SENT + dt.timedelta(hours=1))
    if status in (S.DECLINED, S.COMPLETED, S.RETURNED, S.CANCELLED):
        fields["closed_at"] = SENT + dt.timedelta(hours=3)
    if status in (S.DECLINED, S.RETURNED):
        fields["reason"] = "Not ours"
    fields.update(kwargs)
    return HandoffFactory(**fields)


def _snapshot(handoff):
    handoff.refresh_from_db()
    return (handoff.status, handoff.accepted_by_id, handoff.accepted_at, handoff.closed_at, handoff.reason)


# --- Sending ------------------------------------------------------------------------------------


def test_handoff_create_to_a_member_keeps_the_need_and_records_the_first_event(acme):
    follow_up = FollowUpFactory(account=acme.account)

    handoff = _send(
        acme,
        context="They moved to quarterly billing.",
        customer_expects="An invoice by Friday",
        due_date=dt.date(2026, 11, 27),
        follow_up=follow_up,
        at=SENT,
    )

    handoff.refresh_from_db()
    assert (handoff.status, handoff.sender, handoff.to_member, handoff.to_team) == (
        S.OPEN,
        acme.member,
        acme.erin,
        None,
    )
    assert (handoff.context, handoff.customer_expects, handoff.due_date, handoff.follow_up) == (
        "They moved to quarterly billing.",
        "An invoice by Friday",
        dt.date(2026, 11, 27),
        follow_up,
    )
    assert handoff.created_at == SENT
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by, event.created_at) == ("", S.OPEN, acme.member, SENT)


def test_handoff_create_to_a_team(acme):
    handoff = _send(acme, to_team=acme.support)

    assert (handoff.to_member, handoff.to_team) == (None, acme.support)


def test_handoff_create_to_both_a_member_and_a_team_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_member=acme.erin, to_team=acme.support)

    assert "one person or to one team" in _field_error(excinfo, "to_member")
    assert not Handoff.objects.exists()


def test_handoff_create_to_nobody_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_member=None)

    _field_error(excinfo, "to_member")
    assert not Handoff.objects.exists()


def test_handoff_create_to_yourself_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_member=acme.member)

    assert "someone else" in _field_error(excinfo, "to_member")
    assert not Handoff.objects.exists()


def test_handoff_create_to_an_inactive_colleague_is_refused(acme):
    gone = MembershipFactory(organization=acme.org, is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_member=gone)

    _field_error(excinfo, "to_member")
    assert not Handoff.objects.exists()


def test_handoff_create_to_another_organisations_person_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_member=acme.outsider)

    _field_error(excinfo, "to_member")
    assert not Handoff.objects.exists()


def test_handoff_create_to_another_organisations_team_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, to_team=TeamFactory(organization=acme.other_org))

    _field_error(excinfo, "to_team")
    assert not Handoff.objects.exists()


def test_handoff_create_for_another_organisations_account_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, account=CustomerAccountFactory(organization=acme.other_org))

    _field_error(excinfo, "account")
    assert not Handoff.objects.exists()


def test_handoff_create_with_another_accounts_follow_up_is_refused(acme):
    other = FollowUpFactory(account=CustomerAccountFactory(organization=acme.org))

    with pytest.raises(ValidationError) as excinfo:
        _send(acme, follow_up=other)

    assert "this customer" in _field_error(excinfo, "follow_up")
    assert not Handoff.objects.exists()


def test_handoff_create_with_a_blank_subject_is_refused(acme):
    with pytest.raises(ValidationError) as excinfo:
        _send(acme, subject="")

    _field_error(excinfo, "subject")
    assert not Handoff.objects.exists()
    assert not HandoffEvent.objects.exists()
    assert not DirtyScope.objects.exists()


def test_handoff_create_snapshots_the_organisations_sla_when_sent(acme):
    acme.org.handoff_sla_hours = 4
    acme.org.save(update_fields=["handoff_sla_hours"])
    handoff = _send(acme)

    acme.org.handoff_sla_hours = 48
    acme.org.save(update_fields=["handoff_sla_hours"])
    later = _send(acme, to_member=acme.frank)

    handoff.refresh_from_db()
    assert (handoff.sla_hours, later.sla_hours) == (4, 48)


def test_handoff_create_counts_for_the_accounts_team_when_the_sender_is_on_it(acme):
    TeamMembershipFactory(team=TeamFactory(organization=acme.org, name="Aardvarks"), membership=acme.member)

    assert _send(acme).sender_team == acme.sales


def test_handoff_create_counts_for_the_senders_own_team_when_not_on_the_accounts(acme):
    account = CustomerAccountFactory(organization=acme.org, owning_team=acme.sales)

    handoff = _send(acme, actor=acme.erin, account=account, to_member=acme.member)

    assert handoff.sender_team == acme.support


def test_handoff_create_by_someone_on_no_team_counts_for_no_team(acme):
    assert _send(acme, actor=acme.admin).sender_team is None


def test_a_handoff_move_marks_the_functions_of_the_people_in_it(acme):
    seller, fixer = JobRoleFactory(organization=acme.org), JobRoleFactory(organization=acme.org)
    TeamMembership.objects.filter(membership=acme.member).update(job_role=seller)
    TeamMembership.objects.filter(membership=acme.erin).update(job_role=fixer)

    _send(acme)

    functions = set(DirtyScope.objects.filter(scope_type="function").values_list("scope_id", flat=True))
    assert functions == {seller.function_id, fixer.function_id}


def test_handoff_create_marks_org_both_teams_and_account_dirty(acme):
    _send(acme)

    assert _dirty() == {(ORG, acme.org.pk), (TEAM, acme.sales.pk), (TEAM, acme.support.pk), (ACCOUNT, acme.account.pk)}


def test_handoff_create_and_its_dirty_marks_share_one_transaction(acme):
    with (
        mock.patch("work.services.handoffs.mark_dirty", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        _send(acme)

    assert not Handoff.objects.exists()
    assert not HandoffEvent.objects.exists()


# --- Legal moves --------------------------------------------------------------------------------


def test_handoff_accept_stamps_who_and_when_and_records_the_event(acme):
    handoff = _handoff(acme)

    handoff = services.handoff_accept(actor=acme.erin, handoff=handoff, at=LATER)

    handoff.refresh_from_db()
    assert (handoff.status, handoff.accepted_by, handoff.accepted_at, handoff.closed_at) == (
        S.ACCEPTED,
        acme.erin,
        LATER,
        None,
    )
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by, event.reason, event.created_at) == (
        S.OPEN,
        S.ACCEPTED,
        acme.erin,
        "",
        LATER,
    )


def test_handoff_decline_keeps_the_reason_and_closes_it(acme):
    handoff = services.handoff_decline(actor=acme.erin, handoff=_handoff(acme), reason="  Billing owns this ", at=LATER)

    handoff.refresh_from_db()
    assert (handoff.status, handoff.reason, handoff.closed_at, handoff.accepted_by) == (
        S.DECLINED,
        "Billing owns this",
        LATER,
        None,
    )
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by, event.reason) == (
        S.OPEN,
        S.DECLINED,
        acme.erin,
        "Billing owns this",
    )


def test_handoff_complete_by_the_acceptor_closes_it(acme):
    handoff = services.handoff_complete(actor=acme.erin, handoff=_handoff(acme, S.ACCEPTED), at=LATER)

    handoff.refresh_from_db()
    assert (handoff.status, handoff.closed_at, handoff.accepted_by) == (S.COMPLETED, LATER, acme.erin)
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by) == (S.ACCEPTED, S.COMPLETED, acme.erin)


def test_handoff_return_by_the_acceptor_keeps_the_reason(acme):
    handoff = services.handoff_return(
        actor=acme.erin, handoff=_handoff(acme, S.ACCEPTED), reason="Needs a contract change", at=LATER
    )

    handoff.refresh_from_db()
    assert (handoff.status, handoff.reason, handoff.closed_at) == (S.RETURNED, "Needs a contract change", LATER)
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by, event.reason) == (
        S.ACCEPTED,
        S.RETURNED,
        acme.erin,
        "Needs a contract change",
    )


@pytest.mark.parametrize("start", [S.OPEN, S.ACCEPTED])
def test_handoff_cancel_by_the_sender_from_open_or_accepted(acme, start):
    handoff = services.handoff_cancel(actor=acme.member, handoff=_handoff(acme, start), at=LATER)

    handoff.refresh_from_db()
    assert (handoff.status, handoff.closed_at) == (S.CANCELLED, LATER)
    event = handoff.events.get()
    assert (event.from_status, event.to_status, event.by) == (start, S.CANCELLED, acme.member)


def test_handoff_full_life_leaves_one_event_per_move_in_order(acme):
    handoff = _send(acme, at=SENT)
    services.handoff_accept(actor=acme.erin, handoff=handoff, at=SENT + dt.timedelta(hours=1))
    services.handoff_complete(actor=acme.erin, handoff=handoff, at=SENT + dt.timedelta(hours=5))

    moves = list(handoff.events.values_list("from_status", "to_status", "by"))
    assert moves == [
        ("", S.OPEN, acme.member.pk),
        (S.OPEN, S.ACCEPTED, acme.erin.pk),
        (S.ACCEPTED, S.COMPLETED, acme.erin.pk),
    ]


# --- Illegal moves: the whole matrix -------------------------------------------------------------

LEGAL = {
    "accept": {S.OPEN},
    "decline": {S.OPEN},
    "complete": {S.ACCEPTED},
    "return": {S.ACCEPTED},
    "cancel": {S.OPEN, S.ACCEPTED},
}
ILLEGAL = [(move, status) for move, starts in LEGAL.items() for status in S.values if status not in starts]


def _make_move(p, move, handoff):
    """Each move by the person who may make it, so only the status can refuse it."""
    if move == "accept":
        return services.handoff_accept(actor=p.erin, handoff=handoff)
    if move == "decline":
        return services.handoff_decline(actor=p.erin, handoff=handoff, reason="Not ours")
    if move == "complete":
        return services.handoff_complete(actor=p.erin, handoff=handoff)
    if move == "return":
        return services.handoff_return(actor=p.erin, handoff=handoff, reason="Not ours")
    return services.handoff_cancel(actor=p.member, handoff=handoff)


def test_the_illegal_matrix_covers_every_move_and_status():
    assert len(ILLEGAL) == 5 * 6 - 6


@pytest.mark.parametrize(("move", "status"), ILLEGAL)
def test_handoff_illegal_move_is_refused_on_status_and_changes_nothing(acme, move, status):
    handoff = _handoff(acme, status)
    before = _snapshot(handoff)

    with pytest.raises(ValidationError) as excinfo:
        _make_move(acme, move, handoff)

    message = _field_error(excinfo, "status")
    assert f"is {S(status).label.lower()}" in message
    assert _snapshot(handoff) == before
    assert not HandoffEvent.objects.exists()
    assert not DirtyScope.objects.exists()


@pytest.mark.parametrize(
    ("move", "status", "message"),
    [
        ("complete", S.OPEN, "A handoff that is open cannot be completed."),
        ("accept", S.DECLINED, "A handoff that is declined cannot be accepted."),
        ("cancel", S.COMPLETED, "A handoff that is completed cannot be cancelled."),
        ("return", S.OPEN, "A handoff that is open cannot be returned."),
    ],
)
def test_handoff_illegal_move_says_what_it_is_and_what_cannot_happen(acme, move, status, message):
    with pytest.raises(ValidationError) as excinfo:
        _make_move(acme, move, _handoff(acme, status))

    assert excinfo.value.message_dict == {"status": [message]}


@pytest.mark.parametrize(("move", "status"), [(m, s) for m, starts in LEGAL.items() for s in sorted(starts)])
def test_handoff_every_legal_move_is_allowed(acme, move, status):
    handoff = _make_move(acme, move, _handoff(acme, status))

    assert handoff.events.count() == 1


# --- Who may make each move ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "frank", "other_manager", "admin", "manager"])
@pytest.mark.parametrize("move", ["accept", "decline"])
def test_handoff_to_a_person_is_accepted_or_declined_only_by_them(acme, who, move):
    handoff = _handoff(acme)
    act = services.handoff_accept if move == "accept" else services.handoff_decline
    kwargs = {"reason": "Not mine"} if move == "decline" else {}

    with pytest.raises(PermissionDenied):
        act(actor=getattr(acme, who), handoff=handoff, **kwargs)

    assert _snapshot(handoff)[0] == S.OPEN
    assert not HandoffEvent.objects.exists()


@pytest.mark.parametrize("who", ["erin", "frank", "other_manager"])
def test_handoff_to_a_team_is_claimed_by_any_member_or_manager_of_it(acme, who):
    handoff = _handoff(acme, to_team=acme.support)

    handoff = services.handoff_accept(actor=getattr(acme, who), handoff=handoff)

    assert (handoff.status, handoff.accepted_by) == (S.ACCEPTED, getattr(acme, who))


@pytest.mark.parametrize("who", ["member", "manager"])
def test_handoff_to_a_team_is_refused_to_people_outside_it(acme, who):
    handoff = _handoff(acme, to_team=acme.support)

    with pytest.raises(PermissionDenied):
        services.handoff_accept(actor=getattr(acme, who), handoff=handoff)

    assert _snapshot(handoff)[0] == S.OPEN


def test_handoff_to_a_team_may_be_declined_by_a_member_of_it(acme):
    handoff = services.handoff_decline(actor=acme.frank, handoff=_handoff(acme, to_team=acme.support), reason="Full")

    assert handoff.status == S.DECLINED


def test_handoff_to_a_team_is_claimed_by_the_first_and_a_second_accept_fails(acme):
    handoff = _handoff(acme, to_team=acme.support)
    services.handoff_accept(actor=acme.erin, handoff=handoff)

    with pytest.raises(ValidationError) as excinfo:
        services.handoff_accept(actor=acme.frank, handoff=handoff)

    _field_error(excinfo, "status")
    handoff.refresh_from_db()
    assert handoff.accepted_by == acme.erin
    assert handoff.events.count() == 1


@pytest.mark.parametrize("who", ["frank", "other_manager", "member", "admin"])
@pytest.mark.parametrize("move", ["complete", "return"])
def test_handoff_is_completed_or_returned_only_by_whoever_accepted_it(acme, who, move):
    handoff = _handoff(acme, S.ACCEPTED, to_team=acme.support)
    act = services.handoff_complete if move == "complete" else services.handoff_return
    kwargs = {"reason": "Not mine"} if move == "return" else {}
    before = _snapshot(handoff)

    with pytest.raises(PermissionDenied):
        act(actor=getattr(acme, who), handoff=handoff, **kwargs)

    assert _snapshot(handoff) == before


@pytest.mark.parametrize("who", ["erin", "manager", "admin"])
@pytest.mark.parametrize("start", [S.OPEN, S.ACCEPTED])
def test_handoff_is_cancelled_only_by_its_sender(acme, who, start):
    handoff = _handoff(acme, start)
    before = _snapshot(handoff)

    with pytest.raises(PermissionDenied):
        services.handoff_cancel(actor=getattr(acme, who), handoff=handoff)

    assert _snapshot(handoff) == before


@pytest.mark.parametrize(
    ("move", "status"),
    [("accept", S.OPEN), ("decline", S.OPEN), ("complete", S.ACCEPTED), ("return", S.ACCEPTED), ("cancel", S.OPEN)],
)
def test_handoff_moves_by_another_organisations_admin_are_refused(acme, move, status):
    handoff = _handoff(acme, status, to_team=acme.support)
    before = _snapshot(handoff)
    act = getattr(services, f"handoff_{move}")
    kwargs = {"reason": "Mine now"} if move in ("decline", "return") else {}

    with pytest.raises(PermissionDenied):
        act(actor=acme.outsider, handoff=handoff, **kwargs)

    assert _snapshot(handoff) == before
    assert not DirtyScope.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_handoff_decline_without_a_reason_is_refused(acme, reason):
    handoff = _handoff(acme)

    with pytest.raises(ValidationError) as excinfo:
        services.handoff_decline(actor=acme.erin, handoff=handoff, reason=reason)

    assert "Say why" in _field_error(excinfo, "reason")
    assert _snapshot(handoff)[0] == S.OPEN
    assert not HandoffEvent.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_handoff_return_without_a_reason_is_refused(acme, reason):
    handoff = _handoff(acme, S.ACCEPTED)

    with pytest.raises(ValidationError) as excinfo:
        services.handoff_return(actor=acme.erin, handoff=handoff, reason=reason)

    _field_error(excinfo, "reason")
    assert _snapshot(handoff)[0] == S.ACCEPTED
    assert not HandoffEvent.objects.exists()


# --- The outbox on each move ----------------------------------------------------------------------


@pytest.mark.parametrize(("move", "status"), [(m, s) for m, starts in LEGAL.items() for s in sorted(starts)])
def test_handoff_each_move_marks_org_both_teams_and_account_dirty(acme, move, status):
    _make_move(acme, move, _handoff(acme, status))

    assert _dirty() == {(ORG, acme.org.pk), (TEAM, acme.sales.pk), (TEAM, acme.support.pk), (ACCOUNT, acme.account.pk)}


def test_handoff_move_to_a_team_marks_that_team_dirty(acme):
    services.handoff_accept(actor=acme.erin, handoff=_handoff(acme, to_team=acme.support))

    assert (TEAM, acme.support.pk) in _dirty()


def test_handoff_move_and_its_dirty_marks_share_one_transaction(acme):
    handoff = _handoff(acme)

    with (
        mock.patch("work.services.handoffs.mark_dirty", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        services.handoff_accept(actor=acme.erin, handoff=handoff)

    assert _snapshot(handoff)[:3] == (S.OPEN, None, None)
    assert not HandoffEvent.objects.exists()


# --- The SLA ------------------------------------------------------------------------------------


def _at(hours):
    return SENT + dt.timedelta(hours=hours)


def test_is_breached_when_still_open_past_the_sla():
    handoff = Handoff(status=S.OPEN, created_at=SENT, sla_hours=24)

    assert is_breached(handoff, now=_at(25)) is True
    assert is_breached(handoff, now=_at(23)) is False


def test_is_breached_when_accepted_later_than_the_sla_even_if_now_completed():
    late = Handoff(status=S.ACCEPTED, created_at=SENT, accepted_at=_at(30), sla_hours=24)
    done = Handoff(status=S.COMPLETED, created_at=SENT, accepted_at=_at(30), closed_at=_at(40), sla_hours=24)

    assert is_breached(late, now=_at(31)) is True
    assert is_breached(done, now=_at(100)) is True


def test_is_not_breached_when_accepted_in_time_however_long_ago():
    handoff = Handoff(status=S.ACCEPTED, created_at=SENT, accepted_at=_at(3), sla_hours=24)

    assert is_breached(handoff, now=_at(500)) is False


@pytest.mark.parametrize("status", [S.DECLINED, S.CANCELLED])
def test_is_not_breached_when_closed_without_being_accepted(status):
    handoff = Handoff(status=status, created_at=SENT, closed_at=_at(2), sla_hours=24)

    assert is_breached(handoff, now=_at(500)) is False


def test_is_breached_uses_the_handoffs_own_sla_snapshot():
    handoff = Handoff(status=S.OPEN, created_at=SENT, sla_hours=4)

    assert is_breached(handoff, now=_at(5)) is True


def test_time_to_accept_is_the_time_from_sending_to_accepting():
    assert time_to_accept(Handoff(created_at=SENT, accepted_at=_at(7))) == dt.timedelta(hours=7)
    assert time_to_accept(Handoff(created_at=SENT)) is None


def test_a_handoff_accepted_late_through_the_services_is_breached(acme):
    handoff = _send(acme, at=SENT)

    handoff = services.handoff_accept(actor=acme.erin, handoff=handoff, at=_at(26))

    assert time_to_accept(handoff) == dt.timedelta(hours=26)
    assert is_breached(handoff, now=_at(27)) is True


# --- Someone leaves -----------------------------------------------------------------------------


def test_deactivating_someone_hands_back_what_they_held_with_the_reason(acme):
    waiting = _send(acme, subject="Invoice query")
    taken = _send(acme, subject="Returns label", to_team=acme.support)
    services.handoff_accept(actor=acme.erin, handoff=taken)
    for_the_team = _send(acme, subject="Spare parts", to_team=acme.support)

    account_services.membership_set_active(actor=acme.admin, membership=acme.erin, active=False)

    waiting.refresh_from_db()
    taken.refresh_from_db()
    assert (waiting.status, taken.status) == (S.DECLINED, S.RETURNED)
    assert "Erin Support has left Acme" in waiting.reason
    assert taken.events.last().by == acme.admin
    assert Handoff.objects.get(pk=for_the_team.pk).status == S.OPEN  # the team still holds it
    told = Notification.objects.filter(recipient=acme.member, about_type="handoff", about_id__in=[waiting.pk, taken.pk])
    assert set(told.values_list("kind", flat=True)) == {"handoff_declined", "handoff_returned"}


def test_a_refused_deactivation_hands_nothing_back(acme):
    waiting = _send(acme)

    with pytest.raises(ValidationError):
        account_services.membership_set_active(actor=acme.admin, membership=acme.admin, active=False)  # yourself
    account_services.membership_set_active(actor=acme.admin, membership=acme.erin, active=True)  # not leaving

    assert Handoff.objects.get(pk=waiting.pk).status == S.OPEN


def test_only_admins_release_someones_handoffs(acme):
    waiting = _send(acme)

    with pytest.raises(PermissionDenied):
        handoffs_release(actor=acme.manager, leaving=acme.erin)

    assert Handoff.objects.get(pk=waiting.pk).status == S.OPEN


def test_deactivation_and_its_release_are_one_transaction(acme):
    waiting = _send(acme)

    with (
        mock.patch("work.notices.handoff_refused", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        account_services.membership_set_active(actor=acme.admin, membership=acme.erin, active=False)

    acme.erin.refresh_from_db()
    assert acme.erin.is_active  # the deactivation rolled back with the release
    assert Handoff.objects.get(pk=waiting.pk).status == S.OPEN


# --- The receiving team, and the days the outbox marks ---------------------------------------


def test_a_handoff_to_a_team_was_received_by_that_team(acme):
    assert _send(acme, to_team=acme.support).receiving_team == acme.support


def test_a_handoff_to_a_person_was_received_by_their_team_and_by_the_customers_first(acme):
    assert _send(acme).receiving_team == acme.support  # Erin is on Support only
    TeamMembershipFactory(team=acme.sales, membership=acme.erin)  # and now on the customer's team too

    assert _send(acme).receiving_team == acme.sales


def test_acceptance_stores_the_team_of_whoever_took_it_on_now(acme):
    handoff = _send(acme)
    TeamMembership.objects.filter(membership=acme.erin).delete()
    TeamMembershipFactory(team=acme.sales, membership=acme.erin)  # Erin moved to Sales meanwhile

    accepted = services.handoff_accept(actor=acme.erin, handoff=handoff)

    assert accepted.receiving_team == acme.sales
    # Both the team that had it and the one that now has it are recomputed.
    assert {(TEAM, acme.support.pk), (TEAM, acme.sales.pk)} <= _dirty()


def test_a_team_handoff_stays_received_by_the_team_whoever_of_it_accepts(acme):
    handoff = _send(acme, to_team=acme.support)

    assert services.handoff_accept(actor=acme.other_manager, handoff=handoff).receiving_team == acme.support


def test_a_move_marks_the_day_it_was_sent_and_the_day_of_the_move(acme):
    handoff = _send(acme, at=SENT)
    DirtyScope.objects.all().delete()

    services.handoff_accept(actor=acme.erin, handoff=handoff, at=SENT + dt.timedelta(days=3))

    days = set(DirtyScope.objects.filter(scope_type=TEAM).values_list("day", flat=True))
    assert days == {SENT.date(), (SENT + dt.timedelta(days=3)).date()}


# --- TeamHub itself releasing what someone who left held -------------------------------------


def test_an_integration_granted_it_deactivates_someone_and_their_handoffs_go_back(acme):
    waiting = _send(acme, subject="Invoice query")
    directory_sync = system_actor(acme.org, "directory sync", account_services.DEACTIVATE_MEMBERS)

    account_services.membership_set_active(actor=directory_sync, membership=acme.erin, active=False)

    waiting.refresh_from_db()
    event = waiting.events.last()
    assert (waiting.status, event.by, event.by_system) == (S.DECLINED, None, "directory sync")
    assert event.by_name == "TeamHub (directory sync)"
    told = Notification.objects.get(recipient=acme.member, about_type="handoff", about_id=waiting.pk)
    assert told.title.startswith("TeamHub (directory sync) declined “Invoice query”: Erin Support has left Acme")


def test_an_integration_without_the_grant_changes_nobody(acme):
    waiting = _send(acme)
    other_job = system_actor(acme.org, "nightly digest", "notifications.digest")

    with pytest.raises(PermissionDenied, match="was not granted"):
        account_services.membership_set_active(actor=other_job, membership=acme.erin, active=False)
    with pytest.raises(PermissionDenied):
        handoffs_release(actor=other_job, leaving=acme.erin)

    assert Handoff.objects.get(pk=waiting.pk).status == S.OPEN
    assert Membership.objects.get(pk=acme.erin.pk).is_active


def test_an_integration_may_deactivate_but_not_bring_anyone_back(acme):
    directory_sync = system_actor(acme.org, "directory sync", account_services.DEACTIVATE_MEMBERS)
    Membership.objects.filter(pk=acme.erin.pk).update(is_active=False)

    with pytest.raises(PermissionDenied):
        account_services.membership_set_active(actor=directory_sync, membership=acme.erin, active=True)


def test_an_integration_of_another_organisation_cannot_touch_these_people(acme):
    elsewhere = system_actor(acme.other_org, "directory sync", account_services.DEACTIVATE_MEMBERS)

    with pytest.raises(PermissionDenied, match="another organisation"):
        account_services.membership_set_active(actor=elsewhere, membership=acme.erin, active=False)
    assert Membership.objects.get(pk=acme.erin.pk).is_active
