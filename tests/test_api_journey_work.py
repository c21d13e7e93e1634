"""Issue 5's journey through the API alone, on the demo organisation, with personal API
tokens as a script or an integration would use them: a win with a value and a
collaborator from another team, spotlighted and adopted; a customer need handed to the
suggested colleague of another team, who finds it in their inbox and notifications,
accepts and completes it; a late handoff reported as breached."""

import pytest
from rest_framework.test import APIClient

from accounts.demo import DEMO_SLUG, demo_email
from accounts.models import Membership
from accounts.services import api_token_create
from customers.models import CustomerAccount
from teams.models import Team, TeamMembership, Value
from work.models import Handoff

pytestmark = pytest.mark.django_db

API = f"/api/v1/orgs/{DEMO_SLUG}"


def client_of(membership: Membership) -> APIClient:
    _, raw = api_token_create(user=membership.user, name="journey")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def person(northwind, handle: str) -> Membership:
    return Membership.objects.get(organization=northwind, user__email=demo_email(handle))


def teams_of(membership: Membership) -> set[int]:
    return set(TeamMembership.objects.filter(membership=membership).values_list("team", flat=True))


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_a_win_is_logged_spotlighted_and_adopted_through_the_api(northwind):
    member, marcus, lena = (person(northwind, h) for h in ("member", "marcus", "lena"))
    team = Team.objects.get(organization=northwind, memberships__membership=member, managers=marcus)
    colleague = TeamMembership.objects.exclude(team=team).exclude(membership__in=[member, marcus]).first().membership
    value = Value.objects.filter(organization=northwind).first()

    # One call logs it, with a value and a collaborator from another team.
    win = ok(
        client_of(member).post(
            f"{API}/wins/",
            {"title": "Swapped couriers to save a reorder", "values": [value.pk], "collaborators": [colleague.pk]},
            format="json",
        ),
        201,
    )
    assert win["team"]["id"] == team.pk
    assert [c["id"] for c in win["collaborators"]] == [colleague.pk]

    # The manager of the member's team spotlights it; the author hears of it.
    ok(client_of(marcus).post(f"{API}/wins/{win['id']}/spotlight/", {"note": "Before they had to chase"}), 201)
    notes = ok(client_of(member).get(f"{API}/notifications/", {"unread": "true"}))["results"]
    assert any(n["kind"] == "win_spotlighted" and n["win"] == win["id"] for n in notes)

    # Another team's manager says her team adopted it; the spotlight list shows it.
    other_team = Team.objects.filter(organization=northwind, managers=lena).exclude(pk=team.pk).first()
    ok(client_of(lena).post(f"{API}/wins/{win['id']}/adoptions/", {"team": other_team.pk, "note": "Copied"}), 201)
    spotlighted = ok(client_of(lena).get(f"{API}/wins/", {"spotlighted": "true"}))["results"]
    assert any(w["id"] == win["id"] and w["adoption_count"] == 1 for w in spotlighted)


def test_a_need_goes_to_the_suggested_colleague_who_accepts_and_completes_it(northwind):
    member = person(northwind, "member")
    account = CustomerAccount.objects.exclude(owning_team__in=teams_of(member)).filter(organization=northwind).first()
    sender = client_of(member)

    suggestions = ok(sender.get(f"{API}/handoff-suggestions/", {"account": account.pk}))
    chosen = suggestions[0]
    assert chosen["reasons"]  # it says why
    colleague = Membership.objects.get(pk=chosen["membership"]["id"])
    assert not teams_of(colleague) & teams_of(member)  # someone of another team

    handoff = ok(
        sender.post(
            f"{API}/handoffs/",
            {
                "account": account.pk,
                "subject": "Wants 30 branded fleeces by spring",
                "customer_expects": "A quote this week",
                "to_member": colleague.pk,
            },
            format="json",
        ),
        201,
    )
    assert handoff["status"] == "open"

    receiver = client_of(colleague)
    inbox = ok(receiver.get(f"{API}/handoffs/", {"box": "to_me", "status": "open"}))["results"]
    assert handoff["id"] in [h["id"] for h in inbox]
    notes = ok(receiver.get(f"{API}/notifications/", {"unread": "true"}))["results"]
    assert any(n["kind"] == "handoff_to_you" and n["handoff"] == handoff["id"] for n in notes)

    accepted = ok(receiver.post(f"{API}/handoffs/{handoff['id']}/accept/"))
    assert accepted["status"] == "accepted" and accepted["breached"] is False
    assert accepted["time_to_accept_hours"] is not None
    completed = ok(receiver.post(f"{API}/handoffs/{handoff['id']}/complete/"))
    assert completed["status"] == "completed"
    assert [e["to_status"] for e in completed["events"]] == ["open", "accepted", "completed"]

    again = receiver.post(f"{API}/handoffs/{handoff['id']}/accept/")  # an illegal move
    assert again.status_code == 400 and "status" in again.json()["error"]["fields"]


def test_a_late_handoff_is_reported_as_breached(northwind):
    late = Handoff.objects.filter(status=Handoff.Status.OPEN, to_member__isnull=False).order_by("created_at").first()

    shown = ok(client_of(late.to_member).get(f"{API}/handoffs/{late.pk}/"))

    assert shown["breached"] is True
    assert shown["sla_hours"] == 24
