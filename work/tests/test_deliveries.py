"""What admins see of deliveries (pages and API), and a team's chat webhook set and
tested from its edit page and through the API.

Alice is Acme's admin, Bob a manager of Support, Charlie a member on it; Olivia is
Globex's admin.
"""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tests.factories import CustomerAccountFactory
from notifications.models import Delivery
from notifications.selectors import delivery_counts, delivery_list
from notifications.tasks import deliver_notification
from teamhub.lib.testing import api_url as api
from teams.models import Team
from teams.tests.factories import TeamFactory, TeamMembershipFactory
from work import services

pytestmark = pytest.mark.django_db

SECRET = "/services/T000/B000/secret"


@pytest.fixture
def support(personas):
    team = TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def failed(personas, support, webhook):
    """A post to Support's webhook that the chat server refused (404), and the three
    e-mails of the handoff that caused it, sent."""
    Team.objects.filter(pk=support.pk).update(webhook_url=webhook.url)
    support.refresh_from_db()
    webhook.status = 404
    account = CustomerAccountFactory(organization=personas.org, name="Northwind")
    services.handoff_create(actor=personas.admin, account=account, subject="Returns spike", to_team=support)
    for pk in Delivery.objects.values_list("pk", flat=True):
        deliver_notification(pk)
    webhook.status = 200
    return Delivery.objects.get(status=Delivery.Status.FAILED)


# --- Selectors ----------------------------------------------------------------------------


def test_admins_see_the_failed_deliveries_of_their_organisation_only(personas, failed):
    assert list(delivery_list(membership=personas.admin)) == [failed]
    assert list(delivery_list(membership=personas.manager)) == []
    assert list(delivery_list(membership=personas.outsider)) == []
    assert delivery_counts(membership=personas.admin) == {"pending": 0, "sent": 2, "failed": 1}


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


def test_the_deliveries_page_makes_a_constant_number_of_queries(personas, client_for, failed):
    client = client_for(personas.admin)
    client.get(reverse("notifications:deliveries"))  # the first request of a session does more
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:deliveries"), {"status": "all"})
    Delivery.objects.bulk_create(
        [
            Delivery(
                organization=personas.org,
                recipient_type="team",
                recipient_id=failed.recipient_id,
                recipient_name="Support",
                channel="webhook",
                target="https://x.io/h",
                subject=m,
                message=m,
            )
            for m in ("One", "Two", "Three")
        ]
    )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("notifications:deliveries"), {"status": "all"})
    assert len(more) == len(one)


# --- Team webhook on its edit page ---------------------------------------------------------


def test_a_manager_sets_the_webhook_on_the_team_page(personas, client_for, support):
    client = client_for(personas.manager)
    hook = "https://hooks.slack.com/services/T1/B1/abc"

    response = client.post(
        reverse("teams:team_update", args=[support.pk]),
        {"name": "Support", "mission": "", "webhook_url": hook},
        follow=True,
    )

    assert Team.objects.get(pk=support.pk).webhook_url == hook
    page = response.content.decode()
    assert "Posts to chat at https://hooks.slack.com/…" in page
    assert "/B1/abc" not in page  # the team page shows the host only


def test_a_webhook_that_is_not_https_is_refused_on_the_page(personas, client_for, support):
    response = client_for(personas.manager).post(
        reverse("teams:team_update", args=[support.pk]),
        {"name": "Renamed", "mission": "", "webhook_url": "http://hooks.slack.com/x"},
    )

    assert response.status_code == 200
    assert "Enter an https address" in response.content.decode()
    assert Team.objects.get(pk=support.pk).name == "Support"  # nothing half-saved


def test_members_see_that_a_team_posts_to_chat_but_not_where(personas, client_for, support):
    Team.objects.filter(pk=support.pk).update(webhook_url="https://hooks.slack.com/services/T/B/abc")

    page = client_for(personas.member).get(reverse("teams:team_detail", args=[support.pk])).content.decode()

    assert "Posts to chat at https://hooks.slack.com/…" in page
    assert "/B/abc" not in page


def test_the_test_button_says_whether_the_message_arrived(personas, client_for, support, webhook):
    Team.objects.filter(pk=support.pk).update(webhook_url=webhook.url)
    client = client_for(personas.manager)

    ok = client.post(reverse("teams:team_webhook_test", args=[support.pk]), follow=True).content.decode()
    webhook.status = 410
    refused = client.post(reverse("teams:team_webhook_test", args=[support.pk]), follow=True).content.decode()

    assert "Test message posted to Support" in ok
    assert "HTTP 410" in refused
    assert len(webhook.received) == 2


def test_members_cannot_test_the_webhook(personas, client_for, support):
    response = client_for(personas.member).post(reverse("teams:team_webhook_test", args=[support.pk]))

    assert response.status_code == 403


# --- API ----------------------------------------------------------------------------------


def test_api_lists_failed_deliveries_for_admins(personas, api_client_for, failed):
    response = api_client_for(personas.admin).get(api("api-deliveries"))

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == failed.pk
    assert (row["channel"], row["status"], row["target"]) == ("webhook", "failed", "http://127.0.0.1/…")
    assert row["team"]["name"] == "Support" and row["recipient"] is None
    assert "HTTP 404" in row["last_error"]


def test_api_lists_by_status(personas, api_client_for, failed):
    client = api_client_for(personas.admin)

    assert len(client.get(api("api-deliveries"), {"status": "sent"}).json()["results"]) == 2
    assert len(client.get(api("api-deliveries"), {"status": "all"}).json()["results"]) == 3
    refused = client.get(api("api-deliveries"), {"status": "lost"})
    assert refused.status_code == 400 and "status" in refused.json()["error"]["fields"]


@pytest.mark.parametrize("who, code", [("manager", 403), ("member", 403), ("outsider", 404)])
def test_api_deliveries_are_for_admins(personas, api_client_for, who, code):
    assert api_client_for(getattr(personas, who)).get(api("api-deliveries")).status_code == code


def test_api_sends_one_again_and_refuses_what_did_not_fail(personas, api_client_for, failed):
    client = api_client_for(personas.admin)

    again = client.post(api("api-delivery-retry", pk=failed.pk))
    twice = client.post(api("api-delivery-retry", pk=failed.pk))

    assert again.status_code == 200 and again.json()["status"] in ("pending", "sent")
    assert twice.status_code == 400
    assert "Only failed deliveries" in twice.json()["error"]["message"]


def test_api_another_organisations_delivery_is_not_found(personas, api_client_for, failed):
    response = api_client_for(personas.outsider).post(api("api-delivery-retry", org="globex", pk=failed.pk))

    assert response.status_code == 404


def test_api_sends_all_failed_again(personas, api_client_for, failed):
    response = api_client_for(personas.admin).post(api("api-deliveries-retry-failed"))

    assert (response.status_code, response.json()) == (202, {"queued": 1})


def test_api_sets_the_webhook_and_never_shows_it_back(personas, api_client_for, support):
    hook = "https://hooks.slack.com/services/T1/B1/abc"

    response = api_client_for(personas.manager).patch(api("api-team", pk=support.pk), {"webhook_url": hook})

    assert response.status_code == 200
    assert response.json()["webhook"] == "https://hooks.slack.com/…"
    assert "/B1/abc" not in response.content.decode()
    assert Team.objects.get(pk=support.pk).webhook_url == hook


def test_api_refuses_a_webhook_that_is_not_https(personas, api_client_for, support):
    response = api_client_for(personas.manager).patch(
        api("api-team", pk=support.pk), {"name": "Renamed", "webhook_url": "ftp://x/y"}
    )

    assert response.status_code == 400
    assert "webhook_url" in response.json()["error"]["fields"]
    assert Team.objects.get(pk=support.pk).name == "Support"


def test_api_members_cannot_set_the_webhook(personas, api_client_for, support):
    response = api_client_for(personas.member).patch(
        api("api-team", pk=support.pk), {"webhook_url": "https://hooks.slack.com/services/x"}
    )

    assert response.status_code == 403
    assert Team.objects.get(pk=support.pk).webhook_url == ""


def test_api_tests_the_webhook(personas, api_client_for, support, webhook):
    Team.objects.filter(pk=support.pk).update(webhook_url=webhook.url)
    client = api_client_for(personas.manager)

    assert client.post(api("api-team-webhook-test", pk=support.pk)).status_code == 204
    webhook.status = 500
    refused = client.post(api("api-team-webhook-test", pk=support.pk))
    assert refused.status_code == 400
    assert "HTTP 500" in refused.json()["error"]["fields"]["webhook_url"][0]
    assert api_client_for(personas.member).post(api("api-team-webhook-test", pk=support.pk)).status_code == 403
