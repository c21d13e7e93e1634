"""The API's JSON parser: a body that cannot be read is a 400 or a 413, never a 500."""

import io

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from rest_framework import exceptions, parsers
from rest_framework.exceptions import ParseError


class RequestTooLarge(exceptions.APIException):
    """A request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413 in the API's error shape.

    Here rather than in ``errors``, which imports DRF's views, which load this module
    (the default parser classes) as they are defined.
    """

    status_code = 413
    default_code = "too_large"

    def __init__(self, detail=None, code=None):
        super().__init__(detail or _too_large_message(), code)


def _too_large_message() -> str:
    size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).replace("\xa0", " ")
    return f"The request body is larger than the {size} the server accepts: send less at once."


class JSONParser(parsers.JSONParser):
    """DRF's, with two refusals it lacks.

    A body nested a thousand levels deep (``[[[[…``) exhausts Python's recursion limit
    inside ``json.load``; DRF turns only ValueError (bad syntax, bad UTF-8, a number
    of more than 4,300 digits) into a 400, so that one became a 500.

    A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413. Today DRF hands this parser
    ``request.body``, which Django bounds; earlier versions passed the raw request
    stream, which nothing bounds. So the parser keeps its own bound and reads at most
    limit + 1 bytes: a body without a Content-Length cannot make it read without end.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = _read_bounded(stream)
        try:
            return super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None


def _read_bounded(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RequestTooLarge()
    return data
