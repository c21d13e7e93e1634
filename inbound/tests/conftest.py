"""Acme with a team, two accounts and a contact; a Typeform sample payload."""

import copy
import datetime as dt
import json

import pytest

from customers.tests.factories import ContactFactory, CustomerAccountFactory
from teams.tests.factories import TeamFactory

# A form_response as Typeform sends it (its documented shape): answers carry their
# field's id, type and ref; hidden fields are the link's query parameters.
TYPEFORM_SAMPLE = {
    "event_id": "01HZX3V8J0Q6R2M5K9T4W7Y1AB",
    "event_type": "form_response",
    "form_response": {
        "form_id": "lT4Z3j",
        "token": "a3a12ec67a1365927098a606107fac15",
        "landed_at": "2026-12-04T01:40:12Z",
        "submitted_at": "2026-12-04T01:41:05Z",
        "hidden": {"account": "ACME-1", "utm_source": "newsletter"},
        "calculated": {"score": 0},
        "definition": {
            "id": "lT4Z3j",
            "title": "How are we doing?",
            "fields": [
                {
                    "id": "Z6xWb7rQ1mYt",
                    "ref": "nps_score",
                    "type": "opinion_scale",
                    "title": "How likely are you to recommend us to a friend or colleague?",
                    "properties": {},
                },
                {
                    "id": "k9PqR2sT4uVw",
                    "ref": "nps_reason",
                    "type": "long_text",
                    "title": "What is the main reason for your score?",
                    "properties": {},
                },
                {
                    "id": "m3NbV5cX7zLk",
                    "ref": "work_email",
                    "type": "email",
                    "title": "Your work e-mail",
                    "properties": {},
                },
            ],
        },
        "answers": [
            {
                "type": "number",
                "number": 9,
                "field": {"id": "Z6xWb7rQ1mYt", "type": "opinion_scale", "ref": "nps_score"},
            },
            {
                "type": "text",
                "text": "Support answers within the hour.",
                "field": {"id": "k9PqR2sT4uVw", "type": "long_text", "ref": "nps_reason"},
            },
            {
                "type": "email",
                "email": "jo@customer.example",
                "field": {"id": "m3NbV5cX7zLk", "type": "email", "ref": "work_email"},
            },
        ],
        "ending": {"id": "DlZ6e7e8f9g0", "ref": "01HZX3V8J0ENDING"},
    },
}


def typeform_body(**changes) -> bytes:
    """The sample, submitted a minute ago (Typeform's signature covers the body, not the
    time, so TeamHub refuses responses submitted too long ago), with ``changes``."""
    payload = copy.deepcopy(TYPEFORM_SAMPLE)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    payload["form_response"]["landed_at"] = (now - dt.timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    payload["form_response"]["submitted_at"] = (now - dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    payload["form_response"].update(changes)
    return json.dumps(payload).encode()


@pytest.fixture
def acme(personas):
    """Bob manages Support, which owns Acme Outdoors (ACME-1, contact Jo); Sales,
    managed by nobody here, owns Acme Skis (ACME-2)."""
    p = personas
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    p.account = CustomerAccountFactory(
        organization=p.org, owning_team=p.support, name="Acme Outdoors", external_ref="ACME-1"
    )
    p.other_account = CustomerAccountFactory(
        organization=p.org, owning_team=p.sales, name="Acme Skis", external_ref="ACME-2"
    )
    p.contact = ContactFactory(account=p.account, name="Jo", email="jo@customer.example")
    p.globex_account = CustomerAccountFactory(organization=p.other_org, name="Globex Corp", external_ref="ACME-1")
    return p
