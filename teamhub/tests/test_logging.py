"""Structured logs: one JSON object per line."""

import json
import logging
import sys

from django.test import RequestFactory

from teamhub.lib.logging import JsonFormatter


def _record(message="Something happened", *, level=logging.INFO, exc_info=None, **extra):
    logger = logging.getLogger("teamhub.test")
    return logger.makeRecord(logger.name, level, __file__, 1, message, (), exc_info, extra=extra or None)


def test_json_formatter_emits_one_json_line_with_the_basics():
    line = JsonFormatter().format(_record("Saved %s", level=logging.WARNING))

    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"]) == ("WARNING", "teamhub.test")
    assert entry["time"].endswith("+00:00")


def test_json_formatter_includes_the_traceback_of_an_exception():
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        record = _record("Recompute failed", level=logging.ERROR, exc_info=sys.exc_info())

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Recompute failed"
    assert entry["exc_type"] == "ZeroDivisionError"
    assert entry["traceback"].startswith("Traceback (most recent call last):")
    assert "1 / 0" in entry["traceback"]
    assert entry["traceback"].rstrip().endswith("ZeroDivisionError: division by zero")


def test_json_formatter_keeps_extra_fields_and_reprs_objects():
    entry = json.loads(JsonFormatter().format(_record(invitation_id=7, task="accounts.x", payload={"a": 1})))

    assert entry["invitation_id"] == 7
    assert entry["task"] == "accounts.x"
    assert entry["payload"] == "{'a': 1}"


def test_json_formatter_names_the_request_and_status():
    request = RequestFactory().post("/settings/members/3/")

    entry = json.loads(JsonFormatter().format(_record("Internal error", request=request, status_code=500)))

    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/settings/members/3/", 500)
    assert "request" not in entry


def test_json_formatter_extra_cannot_overwrite_the_message():
    record = _record("The real message")
    record.level = "spoofed"

    entry = json.loads(JsonFormatter().format(record))

    assert entry["level"] == "INFO"
    assert entry["message"] == "The real message"
