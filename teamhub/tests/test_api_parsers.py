"""The API's JSON parser: bodies DRF's own parser fails on become a 400 or a 413."""

import io

import pytest
from rest_framework.exceptions import ParseError

from teamhub.lib.api.errors import RequestTooLarge
from teamhub.lib.api.parsers import JSONParser


class _Endless(io.RawIOBase):
    """A body that never ends (chunked, no Content-Length); it counts what is read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        assert size is not None and size >= 0, "an unbounded read of an endless body never returns"
        self.read_bytes += size
        return b" " * size


def parse(data: bytes):
    return JSONParser().parse(io.BytesIO(data), "application/json", {})


def test_reads_json():
    assert parse(b'{"title": "Kept it", "values": [1]}') == {"title": "Kept it", "values": [1]}


@pytest.mark.parametrize("body", [b"[" * 1000, b'{"a":' * 1000, b"[" * 100_000])
def test_json_nested_too_deeply_is_a_parse_error(body):
    with pytest.raises(ParseError, match="nested too deeply"):
        parse(body)


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", b"1" * 5000])
def test_other_undecodable_json_is_a_parse_error(body):
    with pytest.raises(ParseError):
        parse(body)


def test_a_body_over_the_limit_is_too_large(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10

    with pytest.raises(RequestTooLarge) as refused:
        parse(b'{"title": "Kept it"}')

    assert refused.value.status_code == 413
    assert refused.value.get_codes() == "too_large"


def test_a_body_at_the_limit_is_read(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(b'{"a": 1}')

    assert parse(b'{"a": 1}') == {"a": 1}


def test_a_body_without_an_end_is_read_only_to_the_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    stream = _Endless()

    with pytest.raises(RequestTooLarge):
        JSONParser().parse(stream, "application/json", {})

    assert stream.read_bytes == 1001


def test_without_a_limit_the_whole_body_is_read(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None

    assert parse(b'{"story": "' + b"s" * 10_000 + b'"}') == {"story": "s" * 10_000}
