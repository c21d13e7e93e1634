"""Every API failure answers with one JSON error shape."""

import json

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import RequestFactory
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from teamhub.lib.api.errors import ERROR_RESPONSES, bad_request

pytestmark = pytest.mark.django_db


class _NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    size = serializers.IntegerField(min_value=1)


class _Raising(APIView):
    """Raises whatever the test puts in ``exc``; validates a body on POST."""

    exc = None

    def get(self, request):
        raise self.exc

    def post(self, request):
        _NameSerializer(data=request.data).is_valid(raise_exception=True)
        return Response({})


def _call(exc=None, *, method="get", data=None, user=None):
    factory = APIRequestFactory()
    request = getattr(factory, method)("/x/", data, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return _Raising.as_view(exc=exc)(request)


@pytest.fixture
def user(personas):
    return personas.member.user


def test_serializer_errors_are_400_with_fields_and_the_first_message(user):
    response = _call(method="post", data={"name": "too long", "size": 0}, user=user)

    assert response.status_code == 400
    error = response.data["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert (error["status"], error["code"]) == (400, "invalid")
    assert set(error["fields"]) == {"name", "size"}
    assert error["message"] == error["fields"]["name"][0]
    assert all(isinstance(m, str) for messages in error["fields"].values() for m in messages)


def test_django_validation_error_with_fields_is_400_on_those_fields(user):
    exc = DjangoValidationError({"email": "Taken.", "__all__": "Not like this."})

    error = _call(exc, user=user).data["error"]

    assert error["fields"] == {"email": ["Taken."], "non_field_errors": ["Not like this."]}
    assert error["message"] == "Taken."


def test_django_validation_error_without_fields_is_400_non_field(user):
    error = _call(DjangoValidationError("Only a pending invitation can be revoked."), user=user).data["error"]

    assert error == {
        "status": 400,
        "code": "invalid",
        "message": "Only a pending invitation can be revoked.",
        "fields": {"non_field_errors": ["Only a pending invitation can be revoked."]},
    }


def test_nested_validation_errors_are_flattened_to_strings(user):
    error = _call(exceptions.ValidationError({"address": {"city": ["Required."]}}), user=user).data["error"]

    assert error["fields"] == {"address": ["city: Required."]}


def test_unauthenticated_is_401_without_fields():
    response = _call(exceptions.NotAuthenticated())

    assert response.status_code == 401
    assert response.data == {
        "error": {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
        }
    }


def test_django_permission_denied_is_403_with_its_message(user):
    response = _call(DjangoPermissionDenied("This needs the admin role."), user=user)

    assert response.status_code == 403
    assert response.data["error"] == {
        "status": 403,
        "code": "permission_denied",
        "message": "This needs the admin role.",
    }


def test_http404_is_404_and_reveals_nothing(user):
    response = _call(Http404("No membership in org 7 with id 12"), user=user)

    assert response.status_code == 404
    assert response.data["error"] == {"status": 404, "code": "not_found", "message": "Not found."}


def test_unexpected_exceptions_are_not_swallowed(user):
    with pytest.raises(ZeroDivisionError):
        _call(ZeroDivisionError(), user=user)


def test_error_shape_reaches_clients_as_json(client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 401


def test_an_api_path_no_route_matches_answers_the_json_error_shape(client):
    response = client.get("/api/v1/tokens/not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Nothing is at this address."}}


def test_a_page_path_no_route_matches_answers_the_html_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Not found" in response.content


# --- Request bodies Django refuses --------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_413_too_large(user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

    response = _call(RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."), user=user)

    assert response.status_code == 413
    assert response.data["error"] == {
        "status": 413,
        "code": "too_large",
        "message": "The request body is larger than the 2.5 MB the server accepts: send less at once.",
    }


@pytest.mark.parametrize(
    "exc, code, message",
    [
        (
            TooManyFieldsSent("…DATA_UPLOAD_MAX_NUMBER_FIELDS."),
            "too_many_fields",
            "The request has more than 1000 fields.",
        ),
        (TooManyFilesSent("…DATA_UPLOAD_MAX_NUMBER_FILES."), "too_many_files", "The request has more than 100 files."),
    ],
)
def test_too_many_fields_or_files_is_400_naming_the_limit(user, exc, code, message):
    response = _call(exc, user=user)

    assert response.status_code == 400
    assert response.data["error"] == {"status": 400, "code": code, "message": message}


def test_the_schema_documents_413_in_the_error_shape():
    assert ERROR_RESPONSES[413] is ERROR_RESPONSES[400]


# --- The project's 400 handler ------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (RequestDataTooBig(), 413, "too_large"),
        (TooManyFieldsSent(), 400, "too_many_fields"),
        (TooManyFilesSent(), 400, "too_many_files"),
        (SuspiciousOperation(), 400, "bad_request"),
    ],
)
def test_a_refused_api_request_answers_the_json_error_shape(exc, status, code):
    response = bad_request(RequestFactory().post("/api/v1/orgs/acme/wins/"), exc)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = json.loads(response.content)["error"]
    assert (error["status"], error["code"]) == (status, code) and error["message"]


def test_a_refused_page_request_answers_djangos_400_page():
    response = bad_request(RequestFactory().post("/wins/new/"), RequestDataTooBig())

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"Bad Request (400)" in response.content


def test_an_api_request_refused_before_any_view_answers_the_json_error_shape(client):
    # An unknown Host is refused by middleware, before DRF: the project's 400 handler answers.
    response = client.get("/api/v1/me/", headers={"host": "unknown.example"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "bad_request"


def test_a_page_request_refused_before_any_view_answers_the_html_page(client):
    response = client.get("/wins/", headers={"host": "unknown.example"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
