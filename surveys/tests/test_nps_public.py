"""The customer's survey page: no login, 404 for an unknown token and 410 for a closed
round (the same for a token of another organisation as for one that never existed),
private headers, the contact's language, one-click scores, changing the answer,
opting out, and rate limits."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from surveys.models import NpsFeedback
from surveys.services import nps_rounds
from surveys.tests import test_nps_scene as scene
from surveys.tests.test_nps_scene import send_round, token_of
from surveys.views import public

pytestmark = pytest.mark.django_db

# The customer survey tests' shared fixtures.
shop, _fresh_limits = scene.shop, scene._fresh_limits


@pytest.fixture
def spring(shop):
    return send_round(shop.admin, accounts=[shop.gear, shop.boots])


@pytest.fixture
def anon():
    return Client()


def page(token):
    return reverse("surveys:link", kwargs={"token": token})


def _body(response) -> str:
    return response.content.decode()


def test_the_page_asks_the_question_with_private_headers_and_no_navigation(spring, shop, anon):
    response = anon.get(page(token_of(spring, shop.dora)))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie: nothing follows the contact
    body = _body(response)
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "How likely are you to recommend Acme to a friend or colleague?" in body
    assert len(re.findall(r'type="radio" name="score"', body)) == 11
    assert 'class="topbar"' not in body and "htmx" not in body
    # Nothing from elsewhere: every asset is TeamHub's own.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', body)


def test_an_unknown_token_and_another_organisations_look_the_same(shop, anon):
    globex = send_round(shop.outsider, accounts=[shop.globex_account])
    unknown = anon.get(page("x" * 43))
    # Globex's token under a link that is not it: the lookup is by digest, for every organisation alike.
    other = anon.get(page(token_of(globex, shop.globex_contact)[::-1]))
    assert unknown.status_code == other.status_code == 404
    assert _body(unknown) == _body(other)
    assert unknown["Referrer-Policy"] == "no-referrer"
    assert "This survey link is not valid" in _body(unknown)
    # Globex's real token opens Globex's page: a link is its own key, in any organisation.
    assert anon.get(page(token_of(globex, shop.globex_contact))).status_code == 200


def test_the_lookup_is_one_query_whatever_the_token(spring, shop, anon, django_assert_num_queries):
    with django_assert_num_queries(1):
        anon.get(page("y" * 43))


def test_a_closed_round_answers_410_and_keeps_the_answer(spring, shop, anon):
    raw = token_of(spring, shop.dora)
    anon.post(page(raw), {"score": "8", "comment": "Fine"})
    nps_rounds.nps_round_close(actor=shop.admin, round_=spring)
    assert anon.get(page(raw)).status_code == 410
    response = anon.post(page(raw), {"score": "2"})
    assert response.status_code == 410 and "This survey is closed" in _body(response)
    assert anon.get(reverse("surveys:link_score", kwargs={"token": raw, "score": 1})).status_code == 410
    assert NpsFeedback.objects.get().score == 8


def test_one_click_in_the_email_records_the_score_then_asks_for_a_comment(spring, shop, anon):
    raw = token_of(spring, shop.dora)
    response = anon.get(reverse("surveys:link_score", kwargs={"token": raw, "score": 3}))
    assert response.status_code == 302 and response["Location"] == page(raw) + "?saved=score"
    assert response["Referrer-Policy"] == "no-referrer"
    feedback = NpsFeedback.objects.get()
    assert (feedback.contact, feedback.score, feedback.channel) == (shop.dora, 3, "link")
    body = _body(anon.get(response["Location"]))
    assert "we recorded your score of 3" in body
    assert 'value="3" checked' in body


def test_the_answer_and_comment_can_be_changed_until_the_round_closes(spring, shop, anon):
    raw = token_of(spring, shop.dora)
    anon.post(page(raw), {"score": "3", "comment": "Late twice"})
    response = anon.post(page(raw), {"score": "4", "comment": "Late twice, but they called"})
    assert response.status_code == 302
    feedback = NpsFeedback.objects.get()
    assert (feedback.score, feedback.comment) == (4, "Late twice, but they called")
    body = _body(anon.get(page(raw)))
    assert "Late twice, but they called" in body and 'value="4" checked' in body


@pytest.mark.parametrize("data", [{"score": "11"}, {}, {"score": "x"}, {"score": "4", "comment": "z" * 4001}])
def test_bad_input_answers_400_and_saves_nothing(spring, shop, anon, data):
    response = anon.post(page(token_of(spring, shop.dora)), data)
    assert response.status_code == 400
    assert 'role="alert"' in _body(response)
    assert not NpsFeedback.objects.exists()


def test_a_score_outside_the_scale_in_the_link_is_refused(spring, shop, anon):
    response = anon.get(reverse("surveys:link_score", kwargs={"token": token_of(spring, shop.dora), "score": 42}))
    assert response.status_code == 400
    assert not NpsFeedback.objects.exists()


def test_the_page_speaks_the_contacts_language_first(spring, shop, anon):
    response = anon.get(page(token_of(spring, shop.ana)), HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "de"
    assert "Wie wahrscheinlich ist es, dass Sie Acme einem Freund oder Kollegen empfehlen?" in _body(response)
    assert '<html lang="de">' in _body(response)


@pytest.mark.parametrize(
    ("header", "expected", "text"),
    [
        ("es-ES,es;q=0.9", "es", "¿Qué probabilidad hay de que recomiende Acme"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr", "Quelle est la probabilité que vous recommandiez Acme"),
        ("ja", "en", "How likely are you to recommend Acme"),
        ("", "en", "How likely are you to recommend Acme"),
    ],
)
def test_without_a_language_of_their_own_the_browsers_is_used(spring, shop, anon, header, expected, text):
    response = anon.get(page(token_of(spring, shop.dora)), HTTP_ACCEPT_LANGUAGE=header)
    assert response["Content-Language"] == expected
    assert text in _body(response)


def test_the_404_page_follows_the_browser(anon, db):
    response = anon.get(page("z" * 43), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404 and "Este enlace de encuesta no es válido" in _body(response)


def test_opting_out_asks_first_then_is_honoured(spring, shop, anon):
    raw = token_of(spring, shop.dora)
    url = reverse("surveys:link_opt_out", kwargs={"token": raw})
    assert anon.get(url).status_code == 200
    shop.dora.refresh_from_db()
    assert not shop.dora.survey_opt_out  # a link checker following the e-mail's link opts nobody out
    response = anon.post(url)
    assert response.status_code == 200 and "You will get no more surveys from us" in _body(response)
    shop.dora.refresh_from_db()
    assert shop.dora.survey_opt_out


def test_opting_out_works_after_the_round_closed(spring, shop, anon):
    nps_rounds.nps_round_close(actor=shop.admin, round_=spring)
    assert anon.post(reverse("surveys:link_opt_out", kwargs={"token": token_of(spring, shop.dora)})).status_code == 200
    shop.dora.refresh_from_db()
    assert shop.dora.survey_opt_out


@pytest.fixture
def one_window():
    """The limits count in fixed one-minute windows in the cache: the clock stands still,
    so that a slow run cannot cross into the next window halfway through the requests."""
    from django.core.cache import cache

    cache.clear()  # and no other test's requests from this address count in it
    with time_machine.travel(dt.datetime.now(dt.UTC).replace(second=0, microsecond=0), tick=False):
        yield


@pytest.mark.serial  # the limit's cache misbehaves under parallel processes: not yet understood
def test_each_token_is_rate_limited(spring, shop, anon, one_window):
    raw = token_of(spring, shop.dora)
    answers = [anon.get(page(raw)).status_code for _ in range(public.PER_TOKEN + 1)]
    assert answers[:-1] == [200] * public.PER_TOKEN and answers[-1] == 429
    # Another contact's link from the same address is still served.
    assert anon.get(page(token_of(spring, shop.ana))).status_code == 200


@pytest.mark.serial  # the limit's cache misbehaves under parallel processes: not yet understood
def test_each_address_is_rate_limited_across_tokens(spring, shop, anon, one_window):
    for n in range(public.PER_ADDRESS):
        anon.get(page(f"guess-{n:038d}"))
    response = anon.get(page(token_of(spring, shop.dora)))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many tries" in _body(response)
    assert Client(REMOTE_ADDR="10.9.8.7").get(page(token_of(spring, shop.dora))).status_code == 200


def test_no_log_line_keeps_a_links_token(spring, shop):
    import logging

    from teamhub.lib.redact import SecretPathFilter

    raw = token_of(spring, shop.dora)
    request = Client().get(page(raw)).wsgi_request
    record = logging.makeLogRecord({"msg": '"%s %s HTTP/1.1" %s', "args": ("GET", page(raw), 200), "request": request})
    assert SecretPathFilter().filter(record)
    assert raw not in record.getMessage() and "/s/…" in record.getMessage()
    assert raw not in record.request.path


def test_the_access_log_keeps_no_token(spring, shop):
    from types import SimpleNamespace

    from gunicorn.config import Config

    from teamhub.lib.access_log import GunicornLogger

    raw = token_of(spring, shop.dora)
    request = SimpleNamespace(
        method="GET",
        path=page(raw),
        query="saved=score",
        version=(1, 1),
        headers=[("REFERER", page(raw))],
        uri=page(raw),
    )
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": page(raw) + "?saved=score",
        "PATH_INFO": page(raw),
        "QUERY_STRING": "saved=score",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": page(raw),
    }
    atoms = GunicornLogger(Config()).atoms(response, request, environ, dt.timedelta(seconds=1))
    assert not [key for key, value in atoms.items() if isinstance(value, str) and raw in value]
    assert atoms["U"] == "/s/…/"
