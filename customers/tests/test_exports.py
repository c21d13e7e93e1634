"""CSV export of the account list: filters, columns by access, formula injection."""

import csv
import io

import pytest
from django.urls import reverse

from customers import services as customer_services
from customers.exports import neutralise
from teams import services as team_services


@pytest.fixture
def accounts(personas):
    support = team_services.team_create(actor=personas.admin, name="Support", managers=[personas.manager])
    sales = team_services.team_create(actor=personas.admin, name="Sales")
    ours = customer_services.account_create(
        actor=personas.admin, name="=HYPERLINK(1)", owning_team=support, external_ref="-R1", segment="@Gold"
    )
    theirs = customer_services.account_create(
        actor=personas.admin, name="Secretive", owning_team=sales, external_ref="S-1", segment="Platinum"
    )
    return ours, theirs


def export(client, **params):
    response = client.get(reverse("customers:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_plain_text():
    assert neutralise("Acme") == "Acme" and neutralise(None) == "" and neutralise(12) == "12"


def test_export_neutralises_cells_and_shows_details_only_with_full_access(personas, accounts, client_for):
    rows = export(client_for(personas.manager))
    assert rows[0][:2] == ["Name", "External reference"]
    by_team = {row[5]: row for row in rows[1:]}
    assert by_team["Support"][:3] == ["'=HYPERLINK(1)", "'-R1", "'@Gold"]
    # Sales is not the manager's team: name, team and lead only.
    assert by_team["Sales"][0] == "Secretive" and by_team["Sales"][1:5] == ["", "", "", ""]


def test_admin_exports_everything(personas, accounts, client_for):
    rows = export(client_for(personas.admin))
    assert {row[1] for row in rows[1:]} == {"'-R1", "S-1"}


def test_export_applies_the_list_filters(personas, accounts, client_for):
    ours, _theirs = accounts
    assert [r[0] for r in export(client_for(personas.admin), q="Secret")[1:]] == ["Secretive"]
    assert [r[0] for r in export(client_for(personas.admin), team=ours.owning_team_id)[1:]] == ["'=HYPERLINK(1)"]


def test_export_never_shows_another_organisation(personas, accounts, client_for):
    assert export(client_for(personas.outsider)) == [export(client_for(personas.admin))[0]]


def test_export_needs_login(client):
    assert client.get(reverse("customers:export")).status_code == 302


# Longer than any id the database holds: SQLite overflows on it, once the download has begun.
HUGE = "1234567890123456789012345"


@pytest.mark.parametrize(
    "params, label",
    [({"team": HUGE}, "Team"), ({"lead": HUGE}, "Lead"), ({"team": "junk"}, "Team"), ({"status": "asleep"}, "Status")],
    ids=["huge-team", "huge-lead", "junk-team", "unknown-status"],
)
def test_export_with_an_invalid_filter_answers_400_before_any_line(personas, accounts, client_for, params, label):
    """A filter that is not valid could only cut the download short, behind a 200, once it
    streams; and dropping it would export more than was asked for."""
    response = client_for(personas.admin).get(reverse("customers:export"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Nothing was exported: the filters are not valid") and f"{label}:" in text
