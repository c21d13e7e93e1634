"""Secrets in URL paths kept out of the logs.

A customer's survey link carries its token in the path (/s/<token>/…): the token is
the key to that contact's answer, so no access log or log line may keep it. Both the
application's logs (a filter on the stdout handler) and gunicorn's access log (its
logger class, teamhub.lib.access_log, named in gunicorn.conf.py) write such a path as /s/…/.
"""

import re

SECRET_PATH = re.compile(r"/s/[^/\s?\"']+")
REDACTED = "/s/…"


def redact(text: str) -> str:
    return SECRET_PATH.sub(REDACTED, text)


class _RedactedRequest:
    """What the JSON formatter reads of a request, with the path redacted."""

    def __init__(self, request):
        self.method = getattr(request, "method", "")
        self.path = redact(getattr(request, "path", ""))


class SecretPathFilter:
    """A logging filter: rewrites the message and the request path of every record."""

    def filter(self, record) -> bool:
        message = record.getMessage()
        if SECRET_PATH.search(message):
            record.msg, record.args = redact(message), ()
        request = getattr(record, "request", None)
        if request is not None and SECRET_PATH.search(getattr(request, "path", "") or ""):
            record.request = _RedactedRequest(request)
        return True
