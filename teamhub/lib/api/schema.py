"""One helper for the OpenAPI block every operation repeats.

Each operation documents its id, a one-line summary, what it accepts and what it
answers on success — and every operation can also answer the API's one error shape
(400, 401, 403, 404…). ``operation`` writes that block, so a viewset says only what
is particular to it:

    @operation("wins_spotlight", "Hold a win up as what good looks like", s.WinSerializer,
               status=201, request=s.SpotlightRequestSerializer)
"""

from drf_spectacular.utils import extend_schema
from rest_framework.fields import empty

from teamhub.lib.api.errors import ERROR_RESPONSES


def operation(
    operation_id: str,
    summary: str,
    response,
    *,
    status: int = 200,
    request=empty,
    description: str | None = None,
    parameters: list | None = None,
):
    """``extend_schema`` for one operation: its success ``response`` under ``status``,
    and the shared error responses. ``request=None`` says it takes no body; left out,
    the viewset's serializer is used."""
    kwargs = {"operation_id": operation_id, "summary": summary, "responses": {status: response, **ERROR_RESPONSES}}
    if request is not empty:
        kwargs["request"] = request
    if description is not None:
        kwargs["description"] = description
    if parameters is not None:
        kwargs["parameters"] = parameters
    return extend_schema(**kwargs)
