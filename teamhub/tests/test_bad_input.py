"""Bad input on real endpoints and pages: a clear 400 (or 413) and nothing saved, never a 500.

Each case once gave a 500 or Django's HTML 400: a body nested too deeply for Python's
JSON parser, a body over the upload limit, too many form fields or files, and an id too
large for the database (SQLite raises OverflowError). The fixes are in the shared
plumbing (the API's JSON parser and exception handler, the project's 400 handler, the
bounded id fields), so these tests go through the real routes.
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers import services as customer_services
from customers.models import CustomerImport
from teamhub.lib.testing import api_url
from teams import services as team_services
from teams.models import Team
from work.models import Handoff, Win

pytestmark = pytest.mark.django_db

# Longer than any id the database holds (a 64-bit integer): SQLite overflows on it.
HUGE = "1234567890123456789012345"
NESTED = ["[" * 1000, '{"a":' * 1000, "[" * 100_000]


@pytest.fixture
def acme(personas):
    """Acme's Support team (Bob manages it, Charlie is on it), a value, a function, a
    strength and a customer of Support's."""
    team = team_services.team_create(actor=personas.admin, name="Support", managers=[personas.manager])
    team_services.team_member_add(actor=personas.admin, team=team, membership=personas.member)
    return {
        "team": team,
        "value": team_services.value_create(actor=personas.admin, name="Care"),
        "function": team_services.function_create(actor=personas.admin, name="Sales"),
        "strength": team_services.strength_create(actor=personas.admin, name="Negotiation"),
        "account": customer_services.account_create(
            actor=personas.admin, name="Initech", owning_team=team, external_ref="I-1"
        ),
    }


def api_error(response, status: int, code: str) -> dict:
    """The API's one error shape, as JSON, with this status and code."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]
    return error


def team_state(team: Team) -> dict:
    fresh = Team.objects.get(pk=team.pk)
    return {"row": Team.objects.filter(pk=team.pk).values().get(), "managers": list(fresh.managers.all())}


# --- A JSON body nested too deeply ------------------------------------------------------------


@pytest.mark.parametrize("body", NESTED, ids=["list", "object", "very-deep"])
def test_deeply_nested_json_creating_a_win_is_400_and_saves_nothing(acme, as_member, body):
    response = as_member.post(api_url("api-wins"), body, content_type="application/json")

    error = api_error(response, 400, "parse_error")
    assert "nested too deeply" in error["message"]
    assert not Win.objects.exists()


@pytest.mark.parametrize("body", NESTED, ids=["list", "object", "very-deep"])
def test_deeply_nested_json_changing_a_team_is_400_and_changes_nothing(acme, as_admin, body):
    before = team_state(acme["team"])

    response = as_admin.patch(api_url("api-team", pk=acme["team"].pk), body, content_type="application/json")

    api_error(response, 400, "parse_error")
    assert team_state(acme["team"]) == before


def test_deeply_nested_json_handing_off_is_400_and_saves_nothing(acme, as_member):
    response = as_member.post(api_url("api-handoffs"), "[" * 1000, content_type="application/json")

    api_error(response, 400, "parse_error")
    assert not Handoff.objects.exists()


def test_json_nested_within_reason_still_reaches_validation(acme, as_member):
    body = '{"title": ' + "[" * 50 + "]" * 50 + "}"

    response = as_member.post(api_url("api-wins"), body, content_type="application/json")

    assert api_error(response, 400, "invalid")["fields"].keys() >= {"title"}


# --- A body over the upload limit: 413 ----------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _win(acme, story: str) -> dict:
    return {"title": "Kept the renewal", "values": [acme["value"].pk], "story": story}


@pytest.mark.parametrize("kind", ["json", "multipart", "form"])
def test_a_body_over_the_upload_limit_is_413_and_saves_nothing(acme, as_member, small_limit, kind):
    data = _win(acme, "s" * (small_limit + 1))
    if kind == "form":
        response = as_member.post(
            api_url("api-wins"), urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = as_member.post(api_url("api-wins"), data, format=kind)

    error = api_error(response, 413, "too_large")
    assert "larger than" in error["message"]
    assert not Win.objects.exists()


def test_a_body_over_the_limit_changing_a_team_is_413_and_changes_nothing(acme, as_admin, small_limit):
    before = team_state(acme["team"])

    response = as_admin.patch(api_url("api-team", pk=acme["team"].pk), {"mission": "m" * 3000}, format="json")

    api_error(response, 413, "too_large")
    assert team_state(acme["team"]) == before


def test_a_body_within_the_limit_is_accepted(acme, as_member, small_limit):
    response = as_member.post(api_url("api-wins"), _win(acme, "s" * 1000), format="json")

    assert response.status_code == 201, response.json()
    assert Win.objects.count() == 1


def test_a_page_post_over_the_limit_is_a_plain_400_page(acme, personas, client_for, small_limit):
    response = client_for(personas.member).post(reverse("work:win_create"), _win(acme, "s" * 3000))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Win.objects.exists()


# --- Too many fields or files: 400 -------------------------------------------------------------


def test_too_many_form_fields_is_400_and_saves_nothing(acme, as_member, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = urlencode([("title", "Kept it"), ("values", acme["value"].pk)] + [(f"x{i}", "1") for i in range(10)])

    response = as_member.post(api_url("api-wins"), body, content_type="application/x-www-form-urlencoded")

    error = api_error(response, 400, "too_many_fields")
    assert "more than 10 fields" in error["message"]
    assert not Win.objects.exists()


def test_too_many_multipart_fields_is_400_and_saves_nothing(acme, as_member, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = {"title": "Kept it", "values": [acme["value"].pk], **{f"x{i}": "1" for i in range(10)}}

    response = as_member.post(api_url("api-wins"), data, format="multipart")

    api_error(response, 400, "too_many_fields")
    assert not Win.objects.exists()


def test_too_many_files_is_400_and_imports_nothing(acme, as_manager, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"crm{i}.csv", b"Name,Id\nAcme,1\n") for i in range(3)]

    response = as_manager.post(api_url("api-imports"), {"file": files}, format="multipart")

    error = api_error(response, 400, "too_many_files")
    assert "more than 2 files" in error["message"]
    assert not CustomerImport.objects.exists()


# --- Ids too large for the database: API --------------------------------------------------------


@pytest.mark.parametrize(
    "name, param",
    [
        ("api-goals", "team"),
        ("api-wins", "team"),
        ("api-wins", "account"),
        ("api-wins", "value"),
        ("api-values-in-action", "team"),
        ("api-accounts", "team"),
        ("api-accounts", "lead"),
        ("api-roles", "function"),
        ("api-directory", "function"),
        ("api-directory", "strength"),
        ("api-handoffs", "account"),
        ("api-handoff-suggestions", "account"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_an_id_filter_too_large_for_the_database_is_400_on_that_filter(acme, as_member, name, param, value):
    response = as_member.get(api_url(name), {param: value})

    assert list(api_error(response, 400, "invalid")["fields"]) == [param]


@pytest.mark.parametrize("param", ["strength", "function"])
def test_suggestions_for_a_strength_or_function_too_large_are_400(acme, as_member, param):
    response = as_member.get(api_url("api-handoff-suggestions"), {"account": acme["account"].pk, param: HUGE})

    assert list(api_error(response, 400, "invalid")["fields"]) == [param]


@pytest.mark.parametrize("field", ["values", "collaborators", "team", "account"])
def test_a_win_naming_an_id_too_large_is_400_on_that_field_and_saves_nothing(acme, as_member, field):
    data = {"title": "Kept the renewal", "values": [acme["value"].pk]}
    data[field] = [int(HUGE)] if field in ("values", "collaborators") else int(HUGE)

    response = as_member.post(api_url("api-wins"), data, format="json")

    assert list(api_error(response, 400, "invalid")["fields"]) == [field]
    assert not Win.objects.exists()


def test_team_managers_too_large_an_id_is_400_and_changes_nothing(acme, as_admin):
    before = team_state(acme["team"])

    response = as_admin.patch(api_url("api-team", pk=acme["team"].pk), {"managers": [int(HUGE)]}, format="json")

    assert list(api_error(response, 400, "invalid")["fields"]) == ["managers"]
    assert team_state(acme["team"]) == before


def test_an_id_too_large_in_the_path_is_404(acme, as_member):
    response = as_member.get(f"/api/v1/orgs/acme/teams/{HUGE}/")

    api_error(response, 404, "not_found")


# --- Ids too large for the database: pages ------------------------------------------------------


@pytest.mark.parametrize(
    "name, param",
    [
        ("customers:account_list", "team"),
        ("customers:account_list", "lead"),
        ("teams:directory", "function"),
        ("teams:directory", "strength"),
        ("work:handoff_create", "account"),
        ("work:handoff_create", "to_member"),
        ("work:handoff_create", "to_team"),
        ("work:handoff_suggestions", "account"),
        ("work:handoff_suggestions", "strength"),
    ],
)
def test_a_page_filter_too_large_for_the_database_shows_the_page(acme, personas, client_for, name, param):
    response = client_for(personas.member).get(reverse(name), {param: HUGE})

    assert response.status_code == 200


def test_a_win_with_values_too_large_is_a_form_error_and_saves_nothing(acme, personas, client_for):
    response = client_for(personas.member).post(reverse("work:win_create"), {"title": "Kept it", "values": [HUGE]})

    assert response.status_code == 200
    assert "not one of the available choices" in response.context["form"].errors["values"][0]
    assert not Win.objects.exists()


def test_a_win_with_a_collaborator_too_large_is_a_form_error_and_saves_nothing(acme, personas, client_for):
    data = {"title": "Kept it", "values": [acme["value"].pk], "collaborator": HUGE}

    response = client_for(personas.member).post(reverse("work:win_create"), data)

    assert response.status_code == 200
    assert "collaborator" in response.context["form"].errors
    assert not Win.objects.exists()


def test_a_new_team_with_managers_too_large_is_a_form_error_and_saves_nothing(acme, personas, client_for):
    response = client_for(personas.admin).post(reverse("teams:team_create"), {"name": "Sales", "managers": [HUGE]})

    assert response.status_code == 200
    assert "managers" in response.context["form"].errors
    assert list(Team.objects.values_list("name", flat=True)) == ["Support"]


def test_editing_a_team_with_managers_too_large_is_a_form_error_and_changes_nothing(acme, personas, client_for):
    before = team_state(acme["team"])
    url = reverse("teams:team_update", kwargs={"pk": acme["team"].pk})

    response = client_for(personas.admin).post(url, {"name": "Renamed", "managers": [HUGE]})

    assert response.status_code == 200
    assert "managers" in response.context["form"].errors
    assert team_state(acme["team"]) == before


def test_a_handoff_for_an_account_too_large_is_a_form_error_and_saves_nothing(acme, personas, client_for):
    data = {"account": HUGE, "subject": "Needs a quote", "to_team": acme["team"].pk}

    response = client_for(personas.member).post(reverse("work:handoff_create"), data)

    assert response.status_code == 200
    assert "account" in response.context["form"].errors
    assert not Handoff.objects.exists()
