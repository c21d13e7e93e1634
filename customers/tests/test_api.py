"""The customers API: accounts, transfers, contacts, follow-ups and turnaround through
HTTP, their refusals, and bounded queries.

Alice is Acme's admin, Bob manages "Support" (Charlie is on it), nobody manages
"Sales"; Olivia is Globex's admin.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from customers.tests.factories import (
    ContactFactory,
    CustomerAccountFactory,
    FollowUpFactory,
    OwnershipChangeFactory,
)
from teamhub.lib.testing import api_url as url
from teamhub.lib.testing import error_fields as fields_of
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(personas):
    team = TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def sales(personas):
    return TeamFactory(organization=personas.org, name="Sales")


@pytest.fixture
def account(support):
    return CustomerAccountFactory(organization=support.organization, owning_team=support, name="Northwind")


@pytest.fixture
def sales_account(sales):
    return CustomerAccountFactory(organization=sales.organization, owning_team=sales, name="Contoso")


@pytest.fixture
def globex_account(personas):
    return CustomerAccountFactory(organization=personas.other_org, name="Initech")


# --- Accounts ---------------------------------------------------------------------------------------


def test_account_list_shows_details_only_where_the_requester_works(account, sales_account, as_member):
    rows = {row["name"]: row for row in as_member.get(url("api-accounts")).json()["results"]}

    assert rows["Northwind"]["in_full"] is True
    assert rows["Northwind"]["details"]["external_ref"] == account.external_ref
    assert rows["Contoso"]["in_full"] is False
    assert rows["Contoso"]["details"] is None
    assert rows["Contoso"]["owning_team"] == {"id": sales_account.owning_team_id, "name": "Sales"}


def test_account_list_filters_and_orders(personas, account, sales_account, as_admin):
    CustomerAccountFactory(organization=personas.org, owning_team=account.owning_team, name="Acorn", segment="Silver")

    def names(**params):
        return [row["name"] for row in as_admin.get(url("api-accounts"), params).json()["results"]]

    assert names() == ["Acorn", "Contoso", "Northwind"]
    assert names(ordering="-name") == ["Northwind", "Contoso", "Acorn"]
    assert names(team=account.owning_team_id) == ["Acorn", "Northwind"]
    assert names(segment="silver") == ["Acorn"]
    assert names(q="north") == ["Northwind"]
    assert names(q=sales_account.external_ref) == ["Contoso"]
    assert names(status="churned") == []


def test_account_list_mine_keeps_the_members_accounts(account, sales_account, as_member):
    rows = as_member.get(url("api-accounts"), {"mine": "true"}).json()["results"]

    assert [row["name"] for row in rows] == ["Northwind"]


def test_account_list_rejects_another_organisations_team_filter(personas, account, as_admin):
    foreign = TeamFactory(organization=personas.other_org)

    response = as_admin.get(url("api-accounts"), {"team": foreign.pk})

    assert response.status_code == 400
    assert "team" in fields_of(response)


def test_account_retrieve_is_reduced_without_full_access(sales_account, as_member):
    ContactFactory(account=sales_account, name="Secret Sam", personal_notes="Loves liquorice")

    response = as_member.get(url("api-account", pk=sales_account.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["details"] is None and body["in_full"] is False
    assert "Secret Sam" not in response.content.decode() and "liquorice" not in response.content.decode()


def test_manager_creates_an_account_for_their_team(personas, support, as_manager):
    response = as_manager.post(
        url("api-accounts"),
        {"name": "Globe Ltd", "owning_team": support.pk, "segment": "Gold", "lead": personas.member.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["in_full"] is True and body["lead"]["id"] == personas.member.pk
    assert CustomerAccount.objects.get(pk=body["id"]).owning_team == support


def test_member_cannot_create_an_account(support, as_member):
    response = as_member.post(url("api-accounts"), {"name": "Globe Ltd", "owning_team": support.pk}, format="json")

    assert response.status_code == 403
    assert not CustomerAccount.objects.exists()


def test_manager_cannot_create_an_account_for_a_team_they_do_not_manage(sales, as_manager):
    response = as_manager.post(url("api-accounts"), {"name": "Globe Ltd", "owning_team": sales.pk}, format="json")

    assert response.status_code == 403
    assert not CustomerAccount.objects.exists()


def test_account_create_with_another_organisations_team_is_a_field_error(personas, as_admin):
    foreign = TeamFactory(organization=personas.other_org)

    response = as_admin.post(url("api-accounts"), {"name": "Globe Ltd", "owning_team": foreign.pk}, format="json")

    assert response.status_code == 400
    assert "owning_team" in fields_of(response)
    assert not CustomerAccount.objects.exists()


def test_account_create_rejects_a_duplicate_external_reference(account, as_admin):
    data = {"name": "Copy", "owning_team": account.owning_team_id, "external_ref": account.external_ref}

    response = as_admin.post(url("api-accounts"), data, format="json")

    assert response.status_code == 400
    assert "external_ref" in fields_of(response)
    assert CustomerAccount.objects.count() == 1


def test_account_create_rejects_negative_revenue(support, as_admin):
    data = {"name": "Globe", "owning_team": support.pk, "annual_revenue": "-1"}

    response = as_admin.post(url("api-accounts"), data, format="json")

    assert response.status_code == 400
    assert "annual_revenue" in fields_of(response)


def test_manager_updates_their_teams_account(account, as_manager):
    response = as_manager.patch(url("api-account", pk=account.pk), {"status": "at_risk"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["details"]["status"] == "at_risk"
    account.refresh_from_db()
    assert account.status == CustomerAccount.Status.AT_RISK


def test_manager_cannot_update_another_teams_account(sales_account, as_manager):
    response = as_manager.patch(url("api-account", pk=sales_account.pk), {"name": "Mine"}, format="json")

    assert response.status_code == 403
    sales_account.refresh_from_db()
    assert sales_account.name == "Contoso"


def test_account_update_rejects_a_foreign_lead(personas, account, as_admin):
    response = as_admin.patch(url("api-account", pk=account.pk), {"lead": personas.outsider.pk}, format="json")

    assert response.status_code == 400
    assert "lead" in fields_of(response)
    account.refresh_from_db()
    assert account.lead is None


@pytest.mark.parametrize("method", ["get", "patch"])
def test_another_organisations_account_is_not_found(globex_account, as_admin, method):
    response = getattr(as_admin, method)(url("api-account", pk=globex_account.pk), {}, format="json")

    assert response.status_code == 404


# --- Transfers --------------------------------------------------------------------------------------


def test_transfer_records_history_and_the_new_team_sees_the_account(
    personas, account, sales, as_manager, api_client_for
):
    response = as_manager.post(
        url("api-account-transfer", pk=account.pk), {"to_team": sales.pk, "reason": "They buy online"}, format="json"
    )

    assert response.status_code == 201, response.content
    change = OwnershipChange.objects.get()
    assert (change.from_team, change.to_team, change.changed_by) == (account.owning_team, sales, personas.manager)
    history = api_client_for(personas.admin).get(url("api-account-ownership-changes", account_pk=account.pk)).json()
    assert history["results"][0]["reason"] == "They buy online"

    newcomer = TeamMembershipFactory(team=sales).membership
    body = api_client_for(newcomer).get(url("api-account", pk=account.pk)).json()
    assert body["in_full"] is True and body["details"] is not None
    assert api_client_for(personas.member).get(url("api-account", pk=account.pk)).json()["details"] is None


def test_manager_of_another_team_cannot_transfer(sales_account, support, as_manager):
    response = as_manager.post(
        url("api-account-transfer", pk=sales_account.pk), {"to_team": support.pk, "reason": "Ours"}, format="json"
    )

    assert response.status_code == 403
    assert not OwnershipChange.objects.exists()


def test_member_cannot_transfer(account, sales, as_member):
    response = as_member.post(
        url("api-account-transfer", pk=account.pk), {"to_team": sales.pk, "reason": "Why not"}, format="json"
    )

    assert response.status_code == 403


def test_transfer_to_another_organisations_team_is_a_field_error(personas, account, as_admin):
    foreign = TeamFactory(organization=personas.other_org)

    response = as_admin.post(
        url("api-account-transfer", pk=account.pk), {"to_team": foreign.pk, "reason": "Sold"}, format="json"
    )

    assert response.status_code == 400
    assert "to_team" in fields_of(response)
    assert not OwnershipChange.objects.exists()


def test_transfer_needs_a_reason(account, sales, as_admin):
    response = as_admin.post(
        url("api-account-transfer", pk=account.pk), {"to_team": sales.pk, "reason": "  "}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in fields_of(response)
    account.refresh_from_db()
    assert account.owning_team != sales


def test_ownership_history_is_refused_without_full_access(sales_account, as_member):
    response = as_member.get(url("api-account-ownership-changes", account_pk=sales_account.pk))

    assert response.status_code == 403


def test_transfer_of_another_organisations_account_is_not_found(globex_account, sales, as_admin):
    response = as_admin.post(
        url("api-account-transfer", pk=globex_account.pk), {"to_team": sales.pk, "reason": "x"}, format="json"
    )

    assert response.status_code == 404


# --- Contacts ---------------------------------------------------------------------------------------


def test_member_adds_a_contact_with_preferences(account, as_member):
    data = {
        "name": "Jo",
        "email": "jo@northwind.example",
        "preferences": "Calls after 10",
        "preferred_channel": "phone",
    }

    response = as_member.post(url("api-account-contacts", account_pk=account.pk), data, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["needs_review"] is False and body["notes_reviewed_at"] is not None
    assert Contact.objects.get().preferences == "Calls after 10"


def test_contact_create_rejects_a_bad_email(account, as_member):
    data = {"name": "Jo", "email": "not-an-address"}

    response = as_member.post(url("api-account-contacts", account_pk=account.pk), data, format="json")

    assert response.status_code == 400
    assert "email" in fields_of(response)
    assert not Contact.objects.exists()


def test_contact_list_flags_notes_due_for_review(account, as_member):
    ContactFactory(account=account, name="Old", notes_reviewed_at=timezone.now() - timedelta(days=200))
    ContactFactory(account=account, name="Fresh", notes_reviewed_at=timezone.now())

    rows = as_member.get(url("api-account-contacts", account_pk=account.pk)).json()["results"]

    assert {row["name"]: row["needs_review"] for row in rows} == {"Fresh": False, "Old": True}


def test_mark_reviewed_clears_needs_review(account, as_member):
    contact = ContactFactory(account=account, notes_reviewed_at=timezone.now() - timedelta(days=200))

    response = as_member.post(url("api-contact-reviewed", pk=contact.pk))

    assert response.status_code == 200
    assert response.json()["needs_review"] is False


def test_member_edits_and_deletes_a_contact(account, as_member):
    contact = ContactFactory(account=account)

    response = as_member.patch(url("api-contact", pk=contact.pk), {"personal_notes": "Two cats"}, format="json")
    assert response.status_code == 200
    assert response.json()["personal_notes"] == "Two cats"

    assert as_member.delete(url("api-contact", pk=contact.pk)).status_code == 204
    assert not Contact.objects.exists()


def test_contacts_of_an_account_without_full_access_are_not_found(sales_account, as_manager):
    contact = ContactFactory(account=sales_account)

    assert as_manager.get(url("api-contact", pk=contact.pk)).status_code == 404
    assert as_manager.patch(url("api-contact", pk=contact.pk), {"name": "X"}, format="json").status_code == 404
    assert as_manager.delete(url("api-contact", pk=contact.pk)).status_code == 404
    assert as_manager.post(url("api-contact-reviewed", pk=contact.pk)).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_contact_collection_of_an_account_without_full_access_is_refused(sales_account, as_member):
    ContactFactory(account=sales_account, name="Secret Sam")

    response = as_member.get(url("api-account-contacts", account_pk=sales_account.pk))

    assert response.status_code == 403
    assert "Secret Sam" not in response.content.decode()


def test_another_organisations_contact_is_not_found(globex_account, as_admin):
    contact = ContactFactory(account=globex_account)

    assert as_admin.get(url("api-contact", pk=contact.pk)).status_code == 404
    assert as_admin.get(url("api-account-contacts", account_pk=globex_account.pk)).status_code == 404


# --- Follow-ups -------------------------------------------------------------------------------------


def test_follow_up_lifecycle_stamps_response_and_resolution(personas, account, as_member):
    contact = ContactFactory(account=account)
    response = as_member.post(
        url("api-account-follow-ups", account_pk=account.pk),
        {"summary": "Quote for jackets", "contact": contact.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == personas.member.pk and body["status"] == "open"
    assert body["team"] == account.owning_team_id
    status_url = url("api-follow-up-status", pk=body["id"])

    started = as_member.post(status_url, {"status": "in_progress"}, format="json").json()
    assert started["first_response_at"] is not None and started["resolved_at"] is None

    done = as_member.post(status_url, {"status": "done", "outcome": "Sent the quote"}, format="json").json()
    assert done["resolved_at"] is not None and done["is_closed"] is True
    assert done["first_response_at"] == started["first_response_at"]
    assert FollowUp.objects.get().outcome == "Sent the quote"


def test_illegal_follow_up_transition_is_a_status_error(account, as_member):
    now = timezone.now()
    follow_up = FollowUpFactory(account=account, status=FollowUp.Status.DONE, created_at=now, resolved_at=now)

    response = as_member.post(url("api-follow-up-status", pk=follow_up.pk), {"status": "cancelled"}, format="json")

    assert response.status_code == 400
    assert fields_of(response)["status"] == ["A follow-up that is done cannot become cancelled."]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE


def test_follow_up_create_rejects_another_accounts_contact(account, sales_account, as_admin):
    other_contact = ContactFactory(account=sales_account)

    response = as_admin.post(
        url("api-account-follow-ups", account_pk=account.pk),
        {"summary": "Call", "contact": other_contact.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "contact" in fields_of(response)
    assert not FollowUp.objects.exists()


def test_follow_up_create_rejects_a_foreign_owner(personas, account, as_admin):
    response = as_admin.post(
        url("api-account-follow-ups", account_pk=account.pk),
        {"summary": "Call", "owner": personas.outsider.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "owner" in fields_of(response)
    assert not FollowUp.objects.exists()


def test_member_updates_a_follow_up(account, as_member):
    follow_up = FollowUpFactory(account=account)

    response = as_member.patch(url("api-follow-up", pk=follow_up.pk), {"due_date": "2030-01-31"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["due_date"] == "2030-01-31"


def test_follow_ups_of_an_account_without_full_access_are_not_found(sales_account, as_member):
    follow_up = FollowUpFactory(account=sales_account)

    assert as_member.get(url("api-follow-up", pk=follow_up.pk)).status_code == 404
    assert as_member.post(url("api-follow-up-status", pk=follow_up.pk), {"status": "done"}).status_code == 404
    assert as_member.get(url("api-account-follow-ups", account_pk=sales_account.pk)).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN


def test_another_organisations_follow_up_is_not_found(globex_account, as_admin):
    follow_up = FollowUpFactory(account=globex_account)

    assert as_admin.get(url("api-follow-up", pk=follow_up.pk)).status_code == 404
    assert as_admin.post(url("api-follow-up-status", pk=follow_up.pk), {"status": "done"}).status_code == 404


# --- Turnaround -------------------------------------------------------------------------------------


def test_turnaround_is_open_to_everyone_in_the_organisation(account, sales, as_member):
    now = timezone.now()
    FollowUpFactory(
        account=account,
        created_at=now - timedelta(hours=10),
        first_response_at=now - timedelta(hours=8),
        resolved_at=now,
        status=FollowUp.Status.DONE,
    )

    rows = as_member.get(url("api-team-turnaround", team_pk=account.owning_team_id), {"months": 3}).json()

    assert len(rows) == 3
    assert rows[-1]["received"] == 1 and rows[-1]["response_median"] == pytest.approx(2)
    assert as_member.get(url("api-team-turnaround", team_pk=sales.pk)).status_code == 200


def test_turnaround_rejects_bad_months_and_foreign_teams(personas, support, as_member):
    assert as_member.get(url("api-team-turnaround", team_pk=support.pk), {"months": 0}).status_code == 400
    foreign = TeamFactory(organization=personas.other_org)
    assert as_member.get(url("api-team-turnaround", team_pk=foreign.pk)).status_code == 404


# --- Bounded queries --------------------------------------------------------------------------------


def _count(client, path) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def _add_rows(name, account, n):
    for _ in range(n):
        if name == "api-accounts":
            CustomerAccountFactory(
                organization=account.organization,
                owning_team=account.owning_team,
                lead=TeamMembershipFactory(team=account.owning_team).membership,
            )
        elif name == "api-account-contacts":
            ContactFactory(account=account)
        elif name == "api-account-follow-ups":
            FollowUpFactory(
                account=account,
                contact=ContactFactory(account=account),
                owner=TeamMembershipFactory(team=account.owning_team).membership,
            )
        else:
            OwnershipChangeFactory(account=account)


@pytest.mark.parametrize(
    "name", ["api-accounts", "api-account-contacts", "api-account-follow-ups", "api-account-ownership-changes"]
)
@pytest.mark.parametrize("who", ["admin", "member"])
def test_list_queries_do_not_grow_with_rows(personas, api_client_for, account, name, who):
    client = api_client_for(getattr(personas, who))
    path = url(name) if name == "api-accounts" else url(name, account_pk=account.pk)
    _add_rows(name, account, 1)
    one, _ = _count(client, path)

    _add_rows(name, account, 5)
    many, sql = _count(client, path)

    assert client.get(path).json()["count"] >= 6
    assert many == one, "\n".join(sql)
