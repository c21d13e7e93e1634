"""The customer's survey page: a personal link, no login.

Mobile-first, its own minimal template (no navigation, no third-party assets), never
indexed, and it never sends the link onwards in a Referer. An unknown token answers
404, a closed or expired round 410 — the same page for a token that never existed and
one of another organisation, found the same way (one query on the digest). Each
address and each token is rate-limited (429). The page speaks the contact's language,
else the browser's, else English.
"""

from datetime import timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveys.models.feedback import FeedbackKind, nps_token_hash
from surveys.services import nps_public, nps_rounds
from teamhub.lib.ratelimit import allow, client_address

# Per minute: enough for a person changing their mind, far too few for guessing.
PER_ADDRESS = 60
PER_TOKEN = 20


def _headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _language(request, link) -> str:
    browser = translation.get_language_from_request(request)
    return nps_rounds.contact_language(link.invitation.contact if link.invitation else None, browser)


def _gone(request, status: int):
    if status == 404:
        heading, text = _("This survey link is not valid"), _("Check that the whole link was copied from the e-mail.")
    elif status == 410:
        heading, text = _("This survey is closed"), _("Thank you: it no longer takes answers.")
    else:
        heading, text = _("Too many tries"), _("Please wait a minute, then try again.")
    return render(request, "surveys/public/gone.html", {"heading": heading, "text": text}, status=status)


def public_link(view=None, *, closed_ok: bool = False):
    """Rate limit, find the link, choose the language, answer 404 (or 410 unless
    ``closed_ok``), set the headers."""
    if view is None:
        return lambda view: public_link(view, closed_ok=closed_ok)

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        link = None
        limited = not allow("survey-ip", client_address(request), limit=PER_ADDRESS, seconds=60)
        # The token's digest, not the token: cache keys are no place for a secret.
        limited = not allow("survey-token", nps_token_hash(token[:200]), limit=PER_TOKEN, seconds=60) or limited
        if not limited:
            link = nps_public.link_for_token(token)
        language = _language(request, link) if link else nps_rounds.contact_language(None, "")
        with nps_rounds.speaking(language):
            if limited:
                response = _gone(request, 429)
                response["Retry-After"] = "60"
            elif link.state == "unknown":
                response = _gone(request, 404)
            elif link.state == "closed" and not closed_ok:
                response = _gone(request, 410)
            else:
                response = view(request, link, token, *args, **kwargs)
        response["Content-Language"] = language
        return _headers(response)

    # No CSRF token: the link's token is itself the secret a forged request would lack,
    # and the page sets no cookie. (With Referrer-Policy: no-referrer a browser posts
    # "Origin: null", which Django's origin check would refuse.)
    return csrf_exempt(never_cache(wrapper))


def _context(link, token, **extra) -> dict:
    round_ = link.round
    zone = ZoneInfo(round_.organization.timezone)
    return {
        "organization": round_.organization.name,
        "is_nps": round_.kind == FeedbackKind.NPS,
        "scores": list(nps_rounds.scale(round_.kind)),
        "feedback": nps_public.link_answer(invitation=link.invitation),
        "page_url": reverse("surveys:link", kwargs={"token": token}),
        "opt_out_url": reverse("surveys:link_opt_out", kwargs={"token": token}),
        "closes": timezone.localtime(round_.closes_at, zone) - timedelta(minutes=1),
        "is_open": link.state == "open",
        **extra,
    }


@require_http_methods(["GET", "POST"])
@public_link
def link(request, link, token):
    """The question, the contact's answer so far, and a comment; saving changes it."""
    if request.method == "GET":
        saved = request.GET.get("saved") in ("score", "comment")
        context = _context(link, token, saved=saved, comment_saved=request.GET.get("saved") == "comment")
        return render(request, "surveys/public/answer.html", context)
    comment = request.POST.get("comment", "")
    try:
        nps_public.nps_link_answer(invitation=link.invitation, score=request.POST.get("score"), comment=comment)
    except ValidationError as error:
        context = _context(link, token, form_errors=error.messages)
        return render(request, "surveys/public/answer.html", context, status=400)
    return redirect(reverse("surveys:link", kwargs={"token": token}) + "?saved=comment")


@require_http_methods(["GET"])
@public_link
def link_score(request, link, token, score):
    """One click in the e-mail records the score; the page then asks for a comment."""
    try:
        nps_public.nps_link_answer(invitation=link.invitation, score=score)
    except ValidationError as error:
        context = _context(link, token, form_errors=error.messages)
        return render(request, "surveys/public/answer.html", context, status=400)
    return redirect(reverse("surveys:link", kwargs={"token": token}) + "?saved=score")


@require_http_methods(["GET", "POST"])
@public_link(closed_ok=True)
def link_opt_out(request, link, token):
    """Asks once more, then opts the contact out of every later survey. Works after the
    round closed too: an opt-out is never refused."""
    if request.method == "POST":
        nps_public.nps_link_opt_out(invitation=link.invitation)
    return render(request, "surveys/public/opt_out.html", _context(link, token, done=request.method == "POST"))
