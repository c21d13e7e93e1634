"""Daily work through the API: wins, handoffs and their lifecycle, suggestions,
notifications; refusals, another organisation's ids, and bounded queries.

Alice is Acme's admin, Bob a manager of the support team, Charlie a member on it;
Olivia is Globex's admin.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import MembershipFactory
from customers.tests.factories import CustomerAccountFactory
from notifications.models import Notification
from teamhub.lib.testing import api_url as url
from teamhub.lib.testing import error_fields as fields_of
from teams.tests.factories import TeamFactory, TeamMembershipFactory, ValueFactory
from work import selectors, services
from work.access import is_recipient
from work.models import Adoption, Handoff, Spotlight, Win, WinReaction
from work.notices import Kind
from work.tests.factories import HandoffFactory, SpotlightFactory, WinFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(personas):
    """Support: Bob manages it, Charlie is on it."""
    team = TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def value(personas):
    return ValueFactory(organization=personas.org, name="Customer first")


@pytest.fixture
def account(personas, team):
    return CustomerAccountFactory(organization=personas.org, owning_team=team, name="Northwind")


@pytest.fixture
def win(personas, team, value, account):
    return services.win_create(actor=personas.member, title="Saved the order", values=[value], account=account)


@pytest.fixture
def handoff(personas, account):
    """Open, from Charlie to Bob."""
    return services.handoff_create(actor=personas.member, account=account, subject="Quote", to_member=personas.manager)


# --- Wins -------------------------------------------------------------------------------------


def test_member_logs_a_win_in_one_call(personas, as_member, team, value, account):
    helper = MembershipFactory(organization=personas.org)
    body = {
        "title": "Rescued the launch",
        "values": [value.pk],
        "impact": "Kept a 40k order",
        "account": account.pk,
        "collaborators": [helper.pk],
    }

    response = as_member.post(url("api-wins"), body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["team"]["id"] == team.pk  # their only team
    assert [v["name"] for v in data["values"]] == ["Customer first"]
    assert [c["id"] for c in data["collaborators"]] == [helper.pk]
    assert data["applause"] == 0 and data["spotlight"] is None
    assert Win.objects.get(pk=data["id"]).author == personas.member


def test_win_create_without_values_is_a_400_that_creates_nothing(as_member, team):
    response = as_member.post(url("api-wins"), {"title": "No value", "values": []}, format="json")

    assert response.status_code == 400
    assert "values" in fields_of(response)
    assert not Win.objects.exists()


@pytest.mark.parametrize("field", ["values", "team", "account", "collaborators"])
def test_win_create_rejects_another_organisations_ids(personas, as_member, team, value, field):
    other = {
        "values": [ValueFactory(organization=personas.other_org).pk],
        "team": TeamFactory(organization=personas.other_org).pk,
        "account": CustomerAccountFactory(organization=personas.other_org).pk,
        "collaborators": [personas.outsider.pk],
    }
    body = {"title": "Sneaky", "values": [value.pk], field: other[field]}

    response = as_member.post(url("api-wins"), body, format="json")

    assert response.status_code == 400
    assert field in fields_of(response)
    assert not Win.objects.exists()


def test_win_list_filters_by_team_account_spotlight_and_value(personas, as_member, team, value, account, win):
    other_team = TeamFactory(organization=personas.org)
    other_value = ValueFactory(organization=personas.org)
    elsewhere = WinFactory(organization=personas.org, team=other_team, values=[other_value])
    SpotlightFactory(win=elsewhere)

    def ids(**params):
        response = as_member.get(url("api-wins"), params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [elsewhere.pk, win.pk]
    assert ids(team=team.pk) == [win.pk]
    assert ids(account=account.pk) == [win.pk]
    assert ids(spotlighted="true") == [elsewhere.pk]
    assert ids(value=value.pk) == [win.pk]


def test_win_list_filter_with_another_organisations_team_is_a_400(personas, as_member):
    response = as_member.get(url("api-wins"), {"team": TeamFactory(organization=personas.other_org).pk})

    assert response.status_code == 400
    assert "team" in fields_of(response)


def test_win_of_another_organisation_is_not_found(personas, as_admin):
    foreign = WinFactory(organization=personas.other_org)

    assert as_admin.get(url("api-win", pk=foreign.pk)).status_code == 404
    assert as_admin.post(url("api-win-applause", pk=foreign.pk)).status_code == 404
    assert as_admin.post(url("api-win-spotlight", pk=foreign.pk), {"note": "x"}, format="json").status_code == 404


def test_colleague_applauds_once_and_withdraws(as_manager, win):
    path = url("api-win-applause", pk=win.pk)

    first = as_manager.post(path)
    again = as_manager.post(path)

    assert first.status_code == 201
    assert first.json()["applause"] == 1 and first.json()["applauded_by_me"] is True
    assert again.status_code == 400
    assert as_manager.delete(path).status_code == 204
    assert not WinReaction.objects.exists()


def test_author_cannot_applaud_own_win(as_member, win):
    response = as_member.post(url("api-win-applause", pk=win.pk))

    assert response.status_code == 400
    assert not WinReaction.objects.exists()


def test_manager_spotlights_a_win_of_their_team_and_the_author_is_told(personas, as_manager, win):
    response = as_manager.post(url("api-win-spotlight", pk=win.pk), {"note": "Copy this"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["spotlight"]["note"] == "Copy this"
    assert Notification.objects.filter(recipient=personas.member, about_type="win", about_id=win.pk).exists()


def test_spotlight_needs_a_note(as_manager, win):
    response = as_manager.post(url("api-win-spotlight", pk=win.pk), {"note": ""}, format="json")

    assert response.status_code == 400
    assert "note" in fields_of(response)
    assert not Spotlight.objects.exists()


def test_manager_of_another_team_cannot_spotlight(personas, api_client_for, win):
    other_manager = MembershipFactory(organization=personas.org, role="manager")
    TeamFactory(organization=personas.org, managers=[other_manager])

    response = api_client_for(other_manager).post(url("api-win-spotlight", pk=win.pk), {"note": "x"}, format="json")

    assert response.status_code == 403
    assert not Spotlight.objects.exists()


def test_member_cannot_spotlight(as_member, win):
    assert as_member.post(url("api-win-spotlight", pk=win.pk), {"note": "x"}, format="json").status_code == 403


def test_another_team_adopts_a_spotlighted_win(personas, api_client_for, win):
    SpotlightFactory(win=win)
    sales = TeamFactory(organization=personas.org, name="Sales")
    seller = TeamMembershipFactory(team=sales).membership

    response = api_client_for(seller).post(
        url("api-win-adoptions", pk=win.pk), {"team": sales.pk, "note": "We do it too"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["team"]["name"] == "Sales"
    assert Adoption.objects.get().by == seller
    shown = api_client_for(personas.member).get(url("api-win", pk=win.pk)).json()
    assert [(a["team"]["name"], a["by"]["id"], a["note"]) for a in shown["adoptions"]] == [
        ("Sales", seller.pk, "We do it too")
    ]
    assert shown["adoption_count"] == 1


def test_adoption_with_another_organisations_team_is_a_400(personas, as_admin, win):
    SpotlightFactory(win=win)
    foreign = TeamFactory(organization=personas.other_org)

    response = as_admin.post(url("api-win-adoptions", pk=win.pk), {"team": foreign.pk}, format="json")

    assert response.status_code == 400
    assert "team" in fields_of(response)


def test_values_in_action_counts_wins_per_value_and_month(as_member, team, win):
    response = as_member.get(url("api-values-in-action"), {"months": 3, "team": team.pk})

    assert response.status_code == 200, response.content
    data = response.json()
    assert len(data["labels"]) == 3
    assert data["series"] == {"Customer first": [0, 0, 1]}


def test_values_in_action_rejects_a_silly_range(as_member):
    assert as_member.get(url("api-values-in-action"), {"months": 0}).status_code == 400


# --- Handoffs ---------------------------------------------------------------------------------


def test_member_hands_a_need_to_a_colleague(personas, as_member, account):
    body = {"account": account.pk, "subject": "Refund", "to_member": personas.manager.pk, "context": "Broken zip"}

    response = as_member.post(url("api-handoffs"), body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "open" and data["breached"] is False and data["time_to_accept_hours"] is None
    assert [e["to_status"] for e in data["events"]] == ["open"]
    assert Notification.objects.filter(recipient=personas.manager, about_type="handoff", about_id=data["id"]).exists()


def test_handoff_needs_exactly_one_recipient(personas, as_member, account, team):
    body = {"account": account.pk, "subject": "Both", "to_member": personas.manager.pk, "to_team": team.pk}

    response = as_member.post(url("api-handoffs"), body, format="json")

    assert response.status_code == 400
    assert "to_member" in fields_of(response)
    assert not Handoff.objects.exists()


@pytest.mark.parametrize("field", ["account", "to_member", "to_team"])
def test_handoff_create_rejects_another_organisations_ids(personas, as_member, account, field):
    body = {"account": account.pk, "subject": "Sneaky"}
    body[field] = {
        "account": CustomerAccountFactory(organization=personas.other_org).pk,
        "to_member": personas.outsider.pk,
        "to_team": TeamFactory(organization=personas.other_org).pk,
    }[field]
    if field == "account":
        body["to_member"] = personas.manager.pk

    response = as_member.post(url("api-handoffs"), body, format="json")

    assert response.status_code == 400
    assert field in fields_of(response)
    assert not Handoff.objects.exists()


def test_handoff_lifecycle_accept_then_complete(personas, as_manager, as_member, handoff):
    accept = as_manager.post(url("api-handoff-accept", pk=handoff.pk))
    complete = as_manager.post(url("api-handoff-complete", pk=handoff.pk))

    assert accept.status_code == 200, accept.content
    assert accept.json()["accepted_by"]["id"] == personas.manager.pk
    assert accept.json()["time_to_accept_hours"] is not None
    assert complete.status_code == 200
    data = as_member.get(url("api-handoff", pk=handoff.pk)).json()
    assert data["status"] == "completed"
    assert [e["to_status"] for e in data["events"]] == ["open", "accepted", "completed"]


def test_illegal_transition_is_a_400_on_status(as_manager, handoff):
    response = as_manager.post(url("api-handoff-complete", pk=handoff.pk))

    assert response.status_code == 400
    assert fields_of(response)["status"] == ["A handoff that is open cannot be completed."]
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.OPEN


def test_sender_cannot_accept_their_own_handoff(as_member, handoff):
    response = as_member.post(url("api-handoff-accept", pk=handoff.pk))

    assert response.status_code == 403
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.OPEN


def test_only_whoever_accepted_completes(as_manager, as_member, handoff):
    as_manager.post(url("api-handoff-accept", pk=handoff.pk))

    assert as_member.post(url("api-handoff-complete", pk=handoff.pk)).status_code == 403


def test_decline_and_return_need_a_reason(personas, as_manager, handoff):
    no_reason = as_manager.post(url("api-handoff-decline", pk=handoff.pk), {}, format="json")
    declined = as_manager.post(url("api-handoff-decline", pk=handoff.pk), {"reason": "Not mine"}, format="json")

    assert no_reason.status_code == 400
    assert "reason" in fields_of(no_reason)
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined" and declined.json()["reason"] == "Not mine"
    assert Notification.objects.filter(recipient=personas.member, kind=Kind.HANDOFF_DECLINED).exists()


def test_accepted_handoff_is_returned_with_a_reason(as_manager, handoff):
    as_manager.post(url("api-handoff-accept", pk=handoff.pk))

    response = as_manager.post(url("api-handoff-return", pk=handoff.pk), {"reason": "Needs legal"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "returned"


def test_only_the_sender_cancels(as_manager, as_member, handoff):
    assert as_manager.post(url("api-handoff-cancel", pk=handoff.pk)).status_code == 403
    response = as_member.post(url("api-handoff-cancel", pk=handoff.pk))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_team_handoff_is_claimed_by_someone_on_the_team(personas, as_admin, as_member, account, team):
    body = {"account": account.pk, "subject": "Returns spike", "to_team": team.pk}
    created = as_admin.post(url("api-handoffs"), body, format="json").json()

    response = as_member.post(url("api-handoff-accept", pk=created["id"]))

    assert response.status_code == 200, response.content
    assert response.json()["accepted_by"]["id"] == personas.member.pk


def test_handoff_is_hidden_from_people_not_involved(personas, api_client_for, handoff):
    bystander = MembershipFactory(organization=personas.org)
    client = api_client_for(bystander)

    assert client.get(url("api-handoff", pk=handoff.pk)).status_code == 404
    assert client.post(url("api-handoff-accept", pk=handoff.pk)).status_code == 404
    assert client.get(url("api-handoffs")).json()["count"] == 0


def test_admin_sees_every_handoff(as_admin, handoff):
    assert as_admin.get(url("api-handoff", pk=handoff.pk)).status_code == 200
    assert as_admin.get(url("api-handoffs")).json()["count"] == 1


def test_handoff_of_another_organisation_is_not_found(personas, as_admin):
    foreign = HandoffFactory(organization=personas.other_org)

    assert as_admin.get(url("api-handoff", pk=foreign.pk)).status_code == 404
    assert as_admin.post(url("api-handoff-cancel", pk=foreign.pk)).status_code == 404


def _api_ids(client, **params) -> set[int]:
    response = client.get(url("api-handoffs"), params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_handoff_boxes_status_and_account_filters(personas, as_manager, account, team, handoff):
    to_team = services.handoff_create(actor=personas.admin, account=account, subject="Team", to_team=team)
    sent = services.handoff_create(actor=personas.manager, account=account, subject="Mine", to_member=personas.admin)
    declined = services.handoff_create(actor=personas.manager, account=account, subject="No", to_member=personas.admin)
    other_account = CustomerAccountFactory(organization=personas.org)
    services.handoff_decline(actor=personas.admin, handoff=declined, reason="No")

    assert _api_ids(as_manager, box="to_me") == {handoff.pk}
    assert _api_ids(as_manager, box="to_my_teams") == {to_team.pk}
    assert _api_ids(as_manager, box="sent") == {sent.pk}  # a box holds what is not closed, as in the inbox
    assert _api_ids(as_manager, status="declined") == {declined.pk}
    assert _api_ids(as_manager, box="sent", status="declined") == set()
    assert _api_ids(as_manager, account=account.pk) == {handoff.pk, to_team.pk, sent.pk, declined.pk}
    assert _api_ids(as_manager, account=other_account.pk) == set()
    assert as_manager.get(url("api-handoffs"), {"box": "everything"}).status_code == 400


@pytest.mark.parametrize("who", ["member", "manager", "admin"])
def test_each_api_box_is_the_inbox_pages_box(personas, api_client_for, account, team, who):
    """The API's ``box`` and the inbox page answer from one selector: the same handoffs,
    whatever their state, for every role."""
    me = getattr(personas, who)
    others = [p for p in (personas.member, personas.manager, personas.admin) if p != me]
    mine = [
        services.handoff_create(actor=others[0], account=account, subject="To me", to_member=me),
        services.handoff_create(actor=others[1], account=account, subject="To the team", to_team=team),
        services.handoff_create(actor=me, account=account, subject="Sent", to_member=others[0]),
        services.handoff_create(actor=me, account=account, subject="Sent, then declined", to_member=others[1]),
    ]
    services.handoff_decline(actor=others[1], handoff=mine[3], reason="Not mine")
    claimed = services.handoff_create(actor=others[0], account=account, subject="Claimed", to_team=team)
    if is_recipient(me, claimed):
        services.handoff_accept(actor=me, handoff=claimed)
    page = selectors.inbox(membership=me)

    for box, handoffs in page.items():
        assert _api_ids(api_client_for(me), box=box) == {h.pk for h in handoffs}, box


def test_suggestions_name_people_with_reasons(personas, as_member, account):
    response = as_member.get(url("api-handoff-suggestions"), {"account": account.pk})

    assert response.status_code == 200, response.content
    people = {row["membership"]["id"]: row for row in response.json()}
    assert personas.member.pk not in people
    assert people[personas.manager.pk]["reasons"]


def test_suggestions_need_a_customer_of_the_organisation(personas, as_member):
    foreign = CustomerAccountFactory(organization=personas.other_org)

    assert as_member.get(url("api-handoff-suggestions")).status_code == 400
    response = as_member.get(url("api-handoff-suggestions"), {"account": foreign.pk})
    assert response.status_code == 400
    assert "account" in fields_of(response)


# --- Notifications ----------------------------------------------------------------------------


def test_notifications_are_only_your_own(personas, as_manager, as_member, handoff):
    mine = as_manager.get(url("api-notifications")).json()

    assert [row["handoff"] for row in mine["results"]] == [handoff.pk]
    assert as_member.get(url("api-notifications")).json()["count"] == 0


def test_read_one_notification(as_manager, handoff):
    notification = Notification.objects.get(about_type="handoff", about_id=handoff.pk)

    response = as_manager.post(url("api-notification-read", pk=notification.pk))

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert as_manager.get(url("api-notifications"), {"unread": "true"}).json()["count"] == 0


def test_someone_elses_notification_is_not_found(as_member, handoff):
    notification = Notification.objects.get(about_type="handoff", about_id=handoff.pk)

    assert as_member.post(url("api-notification-read", pk=notification.pk)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_all_notifications(personas, as_manager, account):
    for n in range(3):
        services.handoff_create(actor=personas.member, account=account, subject=f"N{n}", to_member=personas.manager)

    response = as_manager.post(url("api-notifications-read"))

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(recipient=personas.manager, read_at__isnull=True).exists()


# --- Bounded queries --------------------------------------------------------------------------


def _count(client, path) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def _more_work(personas, team, value, account, n):
    for i in range(n):
        helper = MembershipFactory(organization=personas.org)
        win = services.win_create(
            actor=personas.member, title=f"W{i}", values=[value], account=account, collaborators=[helper]
        )
        services.win_react(actor=personas.manager, win=win)
        SpotlightFactory(win=win, by=personas.manager)
        handoff = services.handoff_create(
            actor=personas.member, account=account, subject=f"H{i}", to_member=personas.manager
        )
        services.handoff_accept(actor=personas.manager, handoff=handoff)
        services.handoff_create(actor=personas.admin, account=account, subject=f"T{i}", to_team=team)


@pytest.mark.parametrize(
    ("name", "who"),
    [("api-wins", "member"), ("api-handoffs", "manager"), ("api-handoffs", "admin"), ("api-notifications", "manager")],
)
def test_list_queries_do_not_grow_with_rows(personas, api_client_for, team, value, account, name, who):
    client = api_client_for(getattr(personas, who))
    _more_work(personas, team, value, account, 1)
    one, _ = _count(client, url(name))

    _more_work(personas, team, value, account, 5)
    many, sql = _count(client, url(name))

    assert client.get(url(name)).json()["count"] >= 6
    assert many == one, "\n".join(sql)


def test_handoff_detail_queries_do_not_grow_with_events(personas, as_manager, account):
    short = services.handoff_create(actor=personas.member, account=account, subject="S", to_member=personas.manager)
    one, _ = _count(as_manager, url("api-handoff", pk=short.pk))
    long = services.handoff_create(actor=personas.member, account=account, subject="L", to_member=personas.manager)
    services.handoff_accept(actor=personas.manager, handoff=long)
    services.handoff_complete(actor=personas.manager, handoff=long)

    many, sql = _count(as_manager, url("api-handoff", pk=long.pk))

    assert many == one, "\n".join(sql)
