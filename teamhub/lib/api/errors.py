"""One JSON error shape for every API failure.

    {"error": {"status": 400, "code": "invalid", "message": "…",
               "fields": {"email": ["Enter a valid e-mail address."]}}}

``fields`` is present only for validation errors.
"""

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from teamhub.lib.api.parsers import RequestTooLarge
from teamhub.lib.forms import MAX_ID


def body_refusal(exc) -> exceptions.APIException | None:
    """Django's refusals of a request body (too big, too many fields or files), in the
    API's terms; None for any other exception.

    Django raises them as SuspiciousOperation, which DRF does not handle, so without this
    an API client would get Django's HTML 400 page.
    """
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return exceptions.ParseError(f"The request has more than {limit} fields.", code="too_many_fields")
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return exceptions.ParseError(f"The request has more than {limit} files.", code="too_many_files")
    return None


def _id_beyond_the_database(exc, context) -> bool:
    """An id in the path larger than any the database can hold (SQLite raises
    OverflowError on it): no such object, so 404 rather than a 500."""
    kwargs = context.get("kwargs") or {}
    return isinstance(exc, OverflowError) and any(isinstance(v, int) and v > MAX_ID for v in kwargs.values())


def exception_handler(exc, context):
    refusal = body_refusal(exc)
    if refusal is not None:
        exc = refusal
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404) or _id_beyond_the_database(exc, context):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"error": _error_body(exc, response.status_code)}
    return response


def _django_validation_detail(exc: DjangoValidationError):
    # Django files errors not tied to one field (Model.clean, constraints) under
    # "__all__"; the API names them as DRF does, so clients see one key for both.
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {
            non_field if field == NON_FIELD_ERRORS else field: [m for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {non_field: exc.messages}


def _error_body(exc, status_code: int) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
        fields = {key: _flatten(value) for key, value in detail.items()}
        first = next(iter(fields.values()), ["Invalid input."])
        return {
            "status": status_code,
            "code": "invalid",
            "message": first[0] if first else "Invalid input.",
            "fields": fields,
        }
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    return {"status": status_code, "code": codes if isinstance(codes, str) else "error", "message": str(detail)}


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {msg}" for key, inner in value.items() for msg in _flatten(inner)]
    if isinstance(value, list):
        return [msg for item in value for msg in _flatten(item)]
    return [str(value)]


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()), required=False
                ),
            },
        )
    },
)

ERROR_RESPONSES = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    413: ErrorSerializer,
    # A body in a media type no parser reads (DRF's UnsupportedMediaType), in the one error shape.
    415: ErrorSerializer,
}


def not_found(request, exception):
    """The project's 404 handler: the API's error shape under /api/, the page elsewhere.

    A path that no API route matches (``/api/v1/tokens/abc/`` where ids are numbers)
    never reaches DRF, so without this an API client would get an HTML page.
    """
    if request.path.startswith("/api/"):
        body = {"status": 404, "code": "not_found", "message": "Nothing is at this address."}
        return JsonResponse({"error": body}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The project's 400 handler: the API's error shape under /api/, the page elsewhere.

    Django answers with it when a request body is refused before any API view could
    (a SuspiciousOperation raised outside DRF); a body over the upload limit is 413.
    """
    if request.path.startswith("/api/"):
        refusal = body_refusal(exception) or exceptions.ParseError("The request could not be read.", code="bad_request")
        body = _error_body(refusal, refusal.status_code)
        return JsonResponse({"error": body}, status=refusal.status_code)
    return defaults.bad_request(request, exception)
