"""Customer pages, driven through the test client as each persona."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from customers import services
from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from teams import services as team_services
from teams.models import Team

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@dataclass
class World:
    team: Team  # managed by the manager, the member is on it
    other_team: Team  # managed by nobody
    account: CustomerAccount  # owned by ``team``
    other_account: CustomerAccount  # owned by ``other_team``
    contact: Contact
    follow_up: FollowUp


def make_world(admin, manager, member) -> World:
    org = admin.organization.name
    team = team_services.team_create(actor=admin, name=f"{org} support", managers=[manager] if manager else [])
    team_services.team_member_add(actor=admin, team=team, membership=member)
    other_team = team_services.team_create(actor=admin, name=f"{org} sales")
    account = services.account_create(
        actor=admin, name=f"{org} Outdoors", owning_team=team, external_ref=f"{org}-1", segment="Gold", lead=member
    )
    contact = services.contact_create(
        actor=admin, account=account, name="Jo Walker", email="jo@customer.example", personal_notes="Loves figs"
    )
    return World(
        team=team,
        other_team=other_team,
        account=account,
        other_account=services.account_create(
            actor=admin, name=f"{org} Skis", owning_team=other_team, annual_revenue=Decimal(5000)
        ),
        contact=contact,
        follow_up=services.follow_up_create(
            actor=admin, account=account, summary="Quote for jackets", contact=contact, owner=member
        ),
    )


@pytest.fixture
def world(personas):
    return make_world(personas.admin, personas.manager, personas.member)


@pytest.fixture
def other_world(personas):
    return make_world(personas.outsider, None, MembershipFactory(organization=personas.other_org))


def _url(name, obj=None):
    return reverse(f"customers:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _assert_constant_queries(client, url, grow) -> None:
    client.get(url)  # settle the session's current organisation
    few = _count_queries(client, url)
    grow()
    many = _count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


# --- The list ------------------------------------------------------------------------------------


def test_nav_links_customers_for_everyone(client_for, personas):
    for who in (personas.member, personas.admin):
        assert _url("account_list") in client_for(who).get(reverse("home")).content.decode()


def test_account_list_shows_details_only_of_accounts_in_full(client_for, personas, world):
    content = client_for(personas.member).get(_url("account_list")).content.decode()

    assert world.account.name in content and world.other_account.name in content
    assert "Details belong to " + world.other_team.name in content
    assert "5,000" not in content  # the other team's revenue
    assert world.account.external_ref in content


def test_account_list_admin_sees_every_account_in_full(client_for, personas, world):
    content = client_for(personas.admin).get(_url("account_list")).content.decode()

    assert "Details belong to" not in content
    assert "5,000" in content


def test_account_list_searches_filters_and_sorts(client_for, personas, world):
    client = client_for(personas.member)

    by_name = client.get(_url("account_list"), {"q": "skis"}).context["page"].object_list
    by_ref = client.get(_url("account_list"), {"q": world.account.external_ref}).context["page"].object_list
    mine = client.get(_url("account_list"), {"mine": "on"}).context["page"].object_list
    by_team = client.get(_url("account_list"), {"team": world.other_team.pk}).context["page"].object_list
    by_revenue = client.get(_url("account_list"), {"sort": "-revenue"}).context["page"].object_list

    assert [a.pk for a in by_name] == [world.other_account.pk]
    assert [a.pk for a in by_ref] == [world.account.pk]
    assert [a.pk for a in mine] == [world.account.pk]
    assert [a.pk for a in by_team] == [world.other_account.pk]
    assert by_revenue[0].pk in {world.account.pk, world.other_account.pk}


def test_account_list_has_a_true_empty_state(client_for, personas):
    content = client_for(personas.manager).get(_url("account_list")).content.decode()

    assert "No customer accounts yet" in content
    assert _url("account_create") in content


def test_account_list_says_when_nothing_matches(client_for, personas, world):
    content = client_for(personas.member).get(_url("account_list"), {"q": "zzz"}).content.decode()

    assert "No account matches" in content


def test_account_list_pages_by_fifty(client_for, personas, world):
    for i in range(55):
        CustomerAccount.objects.create(organization=personas.org, name=f"Bulk {i:02}", owning_team=world.team)
    client = client_for(personas.admin)

    first = client.get(_url("account_list")).context["page"]
    second = client.get(_url("account_list"), {"page": 2}).context["page"]

    assert len(first.object_list) == 50
    assert len(second.object_list) == 7


def test_account_list_queries_do_not_grow_with_rows(client_for, personas, world):
    def grow():
        for i in range(20):
            lead = MembershipFactory(organization=personas.org)
            CustomerAccount.objects.create(
                organization=personas.org, name=f"Grown {i}", owning_team=world.other_team, lead=lead
            )

    _assert_constant_queries(client_for(personas.member), _url("account_list"), grow)


# --- The account page ----------------------------------------------------------------------------


def test_account_page_shows_everything_to_the_owning_team(client_for, personas, world):
    response = client_for(personas.member).get(_url("account_detail", world.account))

    content = response.content.decode()
    assert "Loves figs" in content
    assert "Quote for jackets" in content
    assert "Wins logged for this customer appear here" in content
    assert "NPS history" in content and "Handoffs" in content
    assert _url("account_transfer", world.account) not in content  # members do not transfer


def test_account_page_shows_whom_to_ask_without_full_access(client_for, personas, world):
    team_services.team_update(actor=personas.admin, team=world.other_team, managers=[personas.admin])

    content = client_for(personas.manager).get(_url("account_detail", world.other_account)).content.decode()

    assert world.other_team.name in content
    assert personas.admin.user.display_name in content
    assert "belong to " + world.other_team.name in content
    assert "Contacts" not in content


def test_account_page_of_another_org_is_404(client_for, personas, world, other_world):
    assert client_for(personas.admin).get(_url("account_detail", other_world.account)).status_code == 404


def test_account_page_queries_do_not_grow_with_rows(client_for, personas, world):
    def grow():
        for i in range(10):
            contact = services.contact_create(actor=personas.admin, account=world.account, name=f"C{i}")
            services.follow_up_create(actor=personas.admin, account=world.account, summary=f"F{i}", contact=contact)
            services.account_transfer(
                actor=personas.admin,
                account=world.account,
                to_team=world.other_team if i % 2 == 0 else world.team,
                reason="Back and forth",
            )

    _assert_constant_queries(client_for(personas.admin), _url("account_detail", world.account), grow)


def test_stale_notes_prompt_appears_after_six_months_and_still_right_clears_it(client_for, personas, world):
    client = client_for(personas.member)
    assert "Is it still right?" not in client.get(_url("account_detail", world.account)).content.decode()
    with time_machine.travel(timezone.now() - dt.timedelta(days=200)):
        old = services.contact_create(actor=personas.admin, account=world.account, name="Old Friend", preferences="Tea")

    page = client.get(_url("account_detail", world.account)).content.decode()
    assert page.count("Is it still right?") == 1
    assert "what we remember about Old Friend" in page
    response = client.post(_url("contact_mark_reviewed", old), headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Is it still right?" not in response.content.decode()
    assert "Is it still right?" not in client.get(_url("account_detail", world.account)).content.decode()


def test_still_right_without_htmx_redirects_to_the_account(client_for, personas, world):
    response = client_for(personas.member).post(_url("contact_mark_reviewed", world.contact))

    assert response.url.startswith(_url("account_detail", world.account))


# --- Creating, editing and transferring accounts -----------------------------------------------


def test_manager_creates_account_for_a_team_they_manage(client_for, personas, world):
    client = client_for(personas.manager)
    form = client.get(_url("account_create")).context["form"]
    assert list(form.fields["owning_team"].queryset) == [world.team]

    response = client.post(
        _url("account_create"), {"name": "Birch Ltd", "owning_team": world.team.pk, "status": "active"}
    )

    account = CustomerAccount.objects.get(name="Birch Ltd")
    assert response.url == _url("account_detail", account)
    assert account.owning_team == world.team


def test_manager_cannot_create_account_for_a_team_they_do_not_manage(client_for, personas, world):
    response = client_for(personas.manager).post(
        _url("account_create"), {"name": "Birch Ltd", "owning_team": world.other_team.pk, "status": "active"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["owning_team"]
    assert not CustomerAccount.objects.filter(name="Birch Ltd").exists()


def test_member_may_not_create_accounts(client_for, personas, world):
    assert client_for(personas.member).get(_url("account_create")).status_code == 403


def test_duplicate_external_ref_is_a_field_error_and_saves_nothing(client_for, personas, world):
    response = client_for(personas.admin).post(
        _url("account_create"),
        {"name": "Clash", "owning_team": world.team.pk, "status": "active", "external_ref": world.account.external_ref},
    )

    assert "external_ref" in response.context["form"].errors
    assert not CustomerAccount.objects.filter(name="Clash").exists()


def test_manager_edits_their_teams_account(client_for, personas, world):
    response = client_for(personas.manager).post(
        _url("account_update", world.account),
        {"name": "Outdoors Group", "status": "at_risk", "external_ref": world.account.external_ref},
    )

    world.account.refresh_from_db()
    assert response.status_code == 302
    assert (world.account.name, world.account.status) == ("Outdoors Group", "at_risk")


def test_member_may_not_edit_and_negative_revenue_is_refused(client_for, personas, world):
    assert client_for(personas.member).get(_url("account_update", world.account)).status_code == 403
    response = client_for(personas.manager).post(
        _url("account_update", world.account), {"name": "X", "status": "active", "annual_revenue": "-1"}
    )
    assert "annual_revenue" in response.context["form"].errors
    world.account.refresh_from_db()
    assert world.account.name != "X"


def test_manager_transfers_account_with_a_reason(client_for, personas, world):
    response = client_for(personas.manager).post(
        _url("account_transfer", world.account), {"to_team": world.other_team.pk, "reason": "Sales takes renewals"}
    )

    world.account.refresh_from_db()
    assert response.url == _url("account_detail", world.account)
    assert world.account.owning_team == world.other_team
    change = OwnershipChange.objects.get()
    assert (change.reason, change.changed_by) == ("Sales takes renewals", personas.manager)


def test_transfer_without_reason_is_a_field_error(client_for, personas, world):
    response = client_for(personas.manager).post(
        _url("account_transfer", world.account), {"to_team": world.other_team.pk}
    )

    assert "reason" in response.context["form"].errors
    assert not OwnershipChange.objects.exists()


def test_transfer_is_refused_to_member_and_on_unmanaged_team(client_for, personas, world, other_world):
    assert client_for(personas.member).get(_url("account_transfer", world.account)).status_code == 403
    assert client_for(personas.manager).get(_url("account_transfer", world.other_account)).status_code == 403
    assert client_for(personas.admin).get(_url("account_transfer", other_world.account)).status_code == 404


# --- Contacts -------------------------------------------------------------------------------------


def test_member_adds_a_contact_with_preferences(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("contact_create", world.account),
        {"name": "Ada", "preferred_channel": "phone", "preferences": "Calls at 9"},
    )

    contact = Contact.objects.get(name="Ada")
    assert response.status_code == 302
    assert contact.preferences == "Calls at 9"
    assert contact.notes_reviewed_at is not None


def test_contact_with_bad_email_is_a_field_error(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("contact_create", world.account), {"name": "Ada", "email": "nope", "preferred_channel": "email"}
    )

    assert response.status_code == 200
    assert response.context["contact_form"].errors["email"]
    assert not Contact.objects.filter(name="Ada").exists()


def test_contact_edit_with_htmx_returns_the_card(client_for, personas, world):
    client = client_for(personas.member)
    form = client.get(_url("contact_update", world.contact), headers=HTMX)
    assert '<form method="post"' in form.content.decode() and "<html" not in form.content.decode()

    response = client.post(
        _url("contact_update", world.contact),
        {"name": "Jo Walker", "preferred_channel": "video", "preferences": "Short calls"},
        headers=HTMX,
    )

    world.contact.refresh_from_db()
    assert world.contact.preferences == "Short calls"
    assert "Short calls" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_contact_edit_without_htmx_redirects_to_the_account(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("contact_update", world.contact), {"name": "Jo W.", "preferred_channel": "email"}
    )

    assert response.url.startswith(_url("account_detail", world.account))


def test_contact_edit_with_htmx_shows_errors_in_place(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("contact_update", world.contact), {"name": "", "preferred_channel": "email"}, headers=HTMX
    )

    assert "field__error" in response.content.decode()
    world.contact.refresh_from_db()
    assert world.contact.name == "Jo Walker"


def test_contacts_without_full_access_are_404(client_for, personas, world, other_world):
    services.contact_create(actor=personas.admin, account=world.other_account, name="Hidden")
    hidden = Contact.objects.get(name="Hidden")

    assert client_for(personas.manager).get(_url("contact_update", hidden)).status_code == 404
    assert client_for(personas.member).post(_url("contact_delete", hidden)).status_code == 404
    assert client_for(personas.admin).get(_url("contact_update", other_world.contact)).status_code == 404
    assert (
        client_for(personas.manager).post(_url("contact_create", world.other_account), {"name": "X"}).status_code == 403
    )


def test_member_deletes_a_contact(client_for, personas, world):
    response = client_for(personas.member).post(_url("contact_delete", world.contact))

    assert response.url == _url("account_detail", world.account)
    assert not Contact.objects.filter(pk=world.contact.pk).exists()


# --- Follow-ups ------------------------------------------------------------------------------------


def test_member_opens_a_follow_up(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("follow_up_create", world.account), {"summary": "Send the catalogue", "due_date": "2026-12-01"}
    )

    follow_up = FollowUp.objects.get(summary="Send the catalogue")
    assert response.status_code == 302
    assert follow_up.owner == personas.member
    assert follow_up.team == world.team


def test_follow_up_without_summary_is_a_field_error(client_for, personas, world):
    response = client_for(personas.member).post(_url("follow_up_create", world.account), {"due_date": "2026-12-01"})

    assert response.context["follow_up_form"].errors["summary"]
    assert FollowUp.objects.count() == 1


def test_follow_up_moves_through_its_statuses_with_htmx(client_for, personas, world):
    client = client_for(personas.member)
    url = _url("follow_up_status", world.follow_up)

    started = client.post(url, {"status": "in_progress"}, headers=HTMX)
    done = client.post(url, {"status": "done", "outcome": "Quote accepted"}, headers=HTMX)

    world.follow_up.refresh_from_db()
    assert started.status_code == done.status_code == 200
    assert "<html" not in done.content.decode()
    assert "Quote accepted" in done.content.decode()
    assert world.follow_up.status == "done"
    assert world.follow_up.first_response_at and world.follow_up.resolved_at


def test_illegal_follow_up_move_shows_the_services_message(client_for, personas, world):
    client = client_for(personas.member)
    client.post(_url("follow_up_status", world.follow_up), {"status": "done"})

    response = client.post(_url("follow_up_status", world.follow_up), {"status": "cancelled"}, headers=HTMX)

    assert "cannot become cancelled" in response.content.decode()
    world.follow_up.refresh_from_db()
    assert world.follow_up.status == "done"


def test_follow_up_move_without_htmx_redirects_with_a_message(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("follow_up_status", world.follow_up), {"status": "in_progress"}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(_url("account_detail", world.account))
    assert "started" in response.content.decode()


def test_follow_up_edit(client_for, personas, world):
    response = client_for(personas.member).post(
        _url("follow_up_update", world.follow_up), {"summary": "Quote for 40 jackets", "owner": personas.manager.pk}
    )

    world.follow_up.refresh_from_db()
    assert response.status_code == 302
    assert (world.follow_up.summary, world.follow_up.owner) == ("Quote for 40 jackets", personas.manager)


def test_follow_ups_without_full_access_are_404(client_for, personas, world, other_world):
    hidden = services.follow_up_create(actor=personas.admin, account=world.other_account, summary="Hidden")

    assert client_for(personas.manager).get(_url("follow_up_update", hidden)).status_code == 404
    assert client_for(personas.member).post(_url("follow_up_status", hidden), {"status": "done"}).status_code == 404
    assert client_for(personas.admin).get(_url("follow_up_update", other_world.follow_up)).status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == "open"


# --- Turnaround ------------------------------------------------------------------------------------


def test_turnaround_shows_monthly_figures_and_chart_data(client_for, personas, world):
    services.follow_up_set_status(
        actor=personas.admin,
        follow_up=world.follow_up,
        status="done",
        at=world.follow_up.created_at + dt.timedelta(hours=5),
    )

    response = client_for(personas.member).get(_url("turnaround", world.team))

    content = response.content.decode()
    assert 'id="turnaround-data"' in content
    assert "5.0 h" in content
    assert "How is this computed" in content


def test_turnaround_is_readable_by_everyone_in_the_org_but_not_others(client_for, personas, world, other_world):
    assert client_for(personas.member).get(_url("turnaround", world.other_team)).status_code == 200
    assert client_for(personas.admin).get(_url("turnaround", other_world.team)).status_code == 404


def test_account_list_ignores_only_the_invalid_filter(client_for, personas, world, other_world):
    response = client_for(personas.member).get(_url("account_list"), {"team": other_world.team.pk, "q": "skis"})

    assert [a.pk for a in response.context["page"].object_list] == [world.other_account.pk]
