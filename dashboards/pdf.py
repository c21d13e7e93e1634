"""PDF rendering of server-rendered HTML with WeasyPrint.

WeasyPrint loads Pango through ctypes when it is imported; a machine without Pango
(a laptop, say) gets a clear "not available" from :func:`available` instead of a 500.
The Dockerfile and .ci/run install it. Fonts come from the project itself (Inter,
vendored under static/vendor/fonts/), so a PDF looks the same on every server.

Only the project's own static files are fetched while rendering: every other URL is
refused, so nothing in a brief (a customer's comment, say) can make the server
request an address.
"""

import logging
import mimetypes
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

# WeasyPrint logs each rendering step at INFO: one line per page of every PDF.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _weasyprint():
    try:
        import weasyprint
        import weasyprint.urls  # the fetcher's base class
    except (ImportError, OSError) as error:  # OSError: Pango or its libraries are missing
        return None, f"{type(error).__name__}: {error}"
    return weasyprint, ""


def available() -> bool:
    return _weasyprint()[0] is not None


def unavailable_reason() -> str:
    return _weasyprint()[1]


def _static_file(name: str) -> Path | None:
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:  # "../" out of the static directories
        return None
    if found:
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local paths
        return None
    return None


def _fetcher_class(weasyprint):
    class StaticOnlyFetcher(weasyprint.urls.URLFetcher):
        base_url = ""

        def fetch(self, url, headers=None):
            prefix = self.base_url.rstrip("/") + settings.STATIC_URL
            path = _static_file(url.removeprefix(prefix).split("?")[0]) if url.startswith(prefix) else None
            if path is None:
                raise ValueError(f"Only the project's static files are fetched, not {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            # The URL asked for, not the file's: relative URLs inside (fonts) resolve against it.
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnlyFetcher


def render(html: str, *, base_url: str) -> bytes:
    """The PDF of ``html`` (which links its stylesheets with ``{% static %}``); its
    links point at ``base_url``, the site's address (``request.build_absolute_uri("/")``)."""
    weasyprint, reason = _weasyprint()
    if weasyprint is None:
        raise RuntimeError(f"WeasyPrint is not available: {reason}")
    fetcher = _fetcher_class(weasyprint)()
    fetcher.base_url = base_url
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def filename(brief) -> str:
    """meeting-brief-2026-11-28-to-2026-12-04.pdf"""
    start, end = brief.date_from, brief.date_to
    if start == end:
        return f"meeting-brief-{start:%Y-%m-%d}.pdf"
    return f"meeting-brief-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.pdf"
