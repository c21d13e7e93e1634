"""What admins see of deliveries, on the Deliveries page and through the API: listed
by status, sent again one by one or all failed at once, another organisation's not
found, and a webhook's secret path never shown.

Alice is Acme's admin, Bob a manager, Charlie a member; Olivia is Globex's admin. The
deliveries are made through ``send``: e-mails to Charlie and Bob, and a post to a chat
"room", an outside recipient registered here as an app above this one would register
its own (a team's chat, say), whose webhook is a real local server.
"""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import MembershipFactory
from notifications import recipients
from notifications.models import Delivery
from notifications.recipients import Recipient, Unreachable, member
from notifications.selectors import delivery_counts, delivery_list
from notifications.services import Message, delivery_retry, send
from notifications.tasks import deliver_notification
from teamhub.lib.testing import api_url as api

pytestmark = pytest.mark.django_db

SECRET = "/services/T000/B000/secret"
RETURNS = Message(kind="alert", title="Returns spike", url="/alerts/7/", about_type="alert", about_id=7)

ROOMS: dict[int, str | None] = {}


def _room_address(room_id, channel):
    address = ROOMS.get(room_id)
    if address is None:
        raise Unreachable(f"Room {room_id} was closed.")
    return address


@pytest.fixture(autouse=True)
def rooms():
    recipients.register("room", _room_address)
    ROOMS.clear()
    return ROOMS


def _room(room_id: int, url: str, name: str = "Support") -> Recipient:
    ROOMS[room_id] = url
    return Recipient("room", room_id, name, Delivery.Channel.WEBHOOK, url)


@pytest.fixture
def failed(personas, webhook):
    """A post to the Support room's webhook that the chat server refused (404), and the
    two e-mails of the same message (to Charlie and Bob), sent."""
    webhook.status = 404
    send(
        RETURNS,
        organization_id=personas.org.pk,
        to=[member(personas.member), member(personas.manager), _room(1, webhook.url)],
    )
    for pk in Delivery.objects.values_list("pk", flat=True):
        deliver_notification(pk)
    webhook.status = 200
    return Delivery.objects.get(status=Delivery.Status.FAILED)


def _more_deliveries(personas, webhook, count: int = 3) -> None:
    """More of both kinds: e-mails that carry a notification, and room posts."""
    people = [member(MembershipFactory(organization=personas.org)) for _ in range(count)]
    rooms = [_room(10 + n, webhook.url, f"Room {n}") for n in range(count)]
    send(Message(kind="alert", title="More", url="/alerts/8/"), organization_id=personas.org.pk, to=people + rooms)


def _sql(queries) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


# --- Selectors and services ---------------------------------------------------------------


def test_admins_see_the_failed_deliveries_of_their_organisation_only(personas, failed):
    assert list(delivery_list(membership=personas.admin)) == [failed]
    assert list(delivery_list(membership=personas.manager)) == []
    assert list(delivery_list(membership=personas.outsider)) == []
    assert delivery_counts(membership=personas.admin) == {"pending": 0, "sent": 2, "failed": 1}


def test_only_failed_deliveries_are_sent_again_and_only_by_admins(personas, webhook):
    send(RETURNS, organization_id=personas.org.pk, to=[_room(1, webhook.url)])
    post = Delivery.objects.get()

    with pytest.raises(ValidationError, match="this one is pending"):
        delivery_retry(actor=personas.admin, delivery=post)
    Delivery.objects.filter(pk=post.pk).update(status=Delivery.Status.FAILED)
    post.refresh_from_db()
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        delivery_retry(actor=personas.manager, delivery=post)
    with pytest.raises(PermissionDenied, match="another organisation"):  # Olivia is an admin, of Globex
        delivery_retry(actor=personas.outsider, delivery=post)
    assert Delivery.objects.get(pk=post.pk).status == Delivery.Status.FAILED


# --- Pages --------------------------------------------------------------------------------


def test_the_deliveries_page_shows_what_failed_and_why_without_the_secret(personas, client_for, failed):
    response = client_for(personas.admin).get(reverse("notifications:deliveries"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Returns spike" in page and "HTTP 404" in page and "Support" in page
    assert "http://127.0.0.1/…" in page
    assert SECRET not in page
    assert "Send all 1 failed again" in page


def test_the_deliveries_page_for_sent_ones(personas, client_for, failed):
    page = client_for(personas.admin).get(reverse("notifications:deliveries"), {"status": "sent"}).content.decode()

    assert personas.member.user.email in page and "Returns spike" in page
    assert "HTTP 404" not in page


def test_nothing_failed_is_an_empty_state(personas, client_for):
    page = client_for(personas.admin).get(reverse("notifications:deliveries")).content.decode()

    assert "Nothing failed" in page


@pytest.mark.parametrize("status, title", [("pending", "Nothing waiting"), ("sent", "Nothing sent yet")])
def test_each_status_with_nothing_in_it_says_so(personas, client_for, status, title):
    page = client_for(personas.admin).get(reverse("notifications:deliveries"), {"status": status}).content.decode()

    assert title in page
    assert "Send all" not in page


def test_the_deliveries_page_is_for_admins(personas, client_for):
    assert client_for(personas.manager).get(reverse("notifications:deliveries")).status_code == 403
    assert client_for(personas.member).get(reverse("notifications:deliveries")).status_code == 403


def test_an_admin_sends_one_again_from_the_page(
    personas,
    client_for,
    failed,
    webhook,
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(deliver_notification, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(personas.admin).post(
            reverse("notifications:delivery_retry", args=[failed.pk]), follow=True
        )

    assert "Sending again to http://127.0.0.1/…" in response.content.decode()
    queued.assert_called_once_with(args=(failed.pk,), kwargs={})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (Delivery.Status.PENDING, 0, "")
    deliver_notification(failed.pk)  # what the worker then does
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.SENT
    assert len(webhook.received) == 2


def test_sending_again_what_did_not_fail_says_why(personas, client_for, failed):
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).first()

    response = client_for(personas.admin).post(reverse("notifications:delivery_retry", args=[sent.pk]), follow=True)

    assert "Only failed deliveries can be sent again" in response.content.decode()


def test_another_organisations_delivery_is_not_found(personas, client_for, failed):
    response = client_for(personas.outsider).post(reverse("notifications:delivery_retry", args=[failed.pk]))

    assert response.status_code == 404
    assert Delivery.objects.get(pk=failed.pk).status == Delivery.Status.FAILED


def test_send_all_failed_again_from_the_page(personas, client_for, failed):
    response = client_for(personas.admin).post(reverse("notifications:deliveries_retry_failed"), follow=True)

    assert "Sending 1 failed delivery again." in response.content.decode()
    assert not Delivery.objects.filter(status=Delivery.Status.FAILED).exists()


def test_the_deliveries_page_makes_a_constant_number_of_queries(personas, client_for, failed, webhook):
    client = client_for(personas.admin)
    client.get(reverse("notifications:deliveries"))  # the first request of a session does more
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:deliveries"))
    _more_deliveries(personas, webhook)
    Delivery.objects.update(status=Delivery.Status.FAILED)  # the page lists one status at a time
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("notifications:deliveries")).content.decode()
    assert "Send all 9 failed again" in page and "Room 2" in page  # the many are listed
    assert len(more) == len(one), _sql(more)


# --- API ----------------------------------------------------------------------------------


def test_api_lists_failed_deliveries_for_admins(personas, api_client_for, failed):
    response = api_client_for(personas.admin).get(api("api-deliveries"))

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == failed.pk
    assert (row["channel"], row["status"], row["target"]) == ("webhook", "failed", "http://127.0.0.1/…")
    assert row["to"] == {"type": "room", "id": 1, "name": "Support"}
    assert row["recipient"] is None and row["team"] is None
    assert "HTTP 404" in row["last_error"]
    assert SECRET not in response.content.decode()


def test_api_names_the_person_of_an_email_and_the_team_of_a_team_chat_post(personas, api_client_for, failed):
    Delivery.objects.create(
        organization=personas.org,
        recipient_type="team",
        recipient_id=7,
        recipient_name="Support",
        channel=Delivery.Channel.WEBHOOK,
        target="https://hooks.slack.com" + SECRET,
        message="Old",
        status=Delivery.Status.SENT,
    )

    rows = api_client_for(personas.admin).get(api("api-deliveries"), {"status": "sent"}).json()["results"]

    teams = [row["team"] for row in rows if row["channel"] == "webhook"]
    people = {row["recipient"]["id"] for row in rows if row["channel"] == "email"}
    assert teams == [{"id": 7, "name": "Support"}]
    assert people == {personas.member.pk, personas.manager.pk}


def test_api_lists_by_status(personas, api_client_for, failed):
    client = api_client_for(personas.admin)

    assert len(client.get(api("api-deliveries"), {"status": "sent"}).json()["results"]) == 2
    assert len(client.get(api("api-deliveries"), {"status": "all"}).json()["results"]) == 3
    refused = client.get(api("api-deliveries"), {"status": "lost"})
    assert refused.status_code == 400 and "status" in refused.json()["error"]["fields"]


def test_api_lists_with_a_constant_number_of_queries(personas, api_client_for, failed, webhook):
    client = api_client_for(personas.admin)
    client.get(api("api-deliveries"), {"status": "all"})
    with CaptureQueriesContext(connection) as one:
        client.get(api("api-deliveries"), {"status": "all"})
    _more_deliveries(personas, webhook)
    with CaptureQueriesContext(connection) as more:
        rows = client.get(api("api-deliveries"), {"status": "all"}).json()["results"]
    assert len(rows) == 3 + 6
    assert len(more) == len(one), _sql(more)


@pytest.mark.parametrize("who, code", [("manager", 403), ("member", 403), ("outsider", 404)])
def test_api_deliveries_are_for_admins(personas, api_client_for, who, code):
    assert api_client_for(getattr(personas, who)).get(api("api-deliveries")).status_code == code


def test_api_sends_one_again_and_refuses_what_did_not_fail(personas, api_client_for, failed):
    client = api_client_for(personas.admin)

    again = client.post(api("api-delivery-retry", pk=failed.pk))
    twice = client.post(api("api-delivery-retry", pk=failed.pk))

    assert again.status_code == 200 and again.json()["status"] == "pending"  # the worker sends it after commit
    assert twice.status_code == 400
    assert "Only failed deliveries" in twice.json()["error"]["message"]


def test_api_another_organisations_delivery_is_not_found(personas, api_client_for, failed):
    response = api_client_for(personas.outsider).post(api("api-delivery-retry", org="globex", pk=failed.pk))

    assert response.status_code == 404
    assert Delivery.objects.get(pk=failed.pk).status == Delivery.Status.FAILED


def test_api_sends_all_failed_again(personas, api_client_for, failed):
    response = api_client_for(personas.admin).post(api("api-deliveries-retry-failed"))

    assert (response.status_code, response.json()) == (202, {"queued": 1})
    assert not Delivery.objects.filter(status=Delivery.Status.FAILED).exists()
