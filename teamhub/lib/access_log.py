"""gunicorn's access log, with a survey link's token redacted (see teamhub.lib.redact).
Named in gunicorn.conf.py; only gunicorn imports it."""

from gunicorn.glogging import Logger

from teamhub.lib.redact import redact


class GunicornLogger(Logger):
    """gunicorn's logger, writing a survey link's path redacted in the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom, not a chosen few: the path is in the request line, the path, the
        # referring page, and the environment's and headers' atoms too.
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
