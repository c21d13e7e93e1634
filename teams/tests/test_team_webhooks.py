"""A team's chat webhook: set by its managers (service, edit page, API), refused when
the address is bad, tested with the "Send a test message" button, and shown to
everyone else by its host only.

Bob manages Support, Charlie is a member on it. Test messages go to a real local
server (the ``webhook`` fixture).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from teamhub.lib.testing import api_url as api
from teams import services as team_services
from teams.models import Team
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

HOOK = "https://hooks.slack.com/services/T1/B1/abc"


@pytest.fixture(autouse=True)
def operator_defaults(settings):
    """As shipped: https only. The ``webhook`` fixture opens plain http for its local server."""
    settings.WEBHOOK_ALLOW_HTTP = False


@pytest.fixture
def support(personas):
    team = TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def support_chat(support, webhook):
    """Support with its webhook on the local chat server."""
    Team.objects.filter(pk=support.pk).update(webhook_url=webhook.url)
    support.refresh_from_db()
    return support


# --- Service ------------------------------------------------------------------------------


def test_a_manager_sets_the_webhook_of_their_team_and_clears_it(personas, support):
    team_services.team_update(
        actor=personas.manager, team=support, webhook_url="  https://hooks.slack.com/services/T/B/x "
    )
    assert Team.objects.get(pk=support.pk).webhook_url == "https://hooks.slack.com/services/T/B/x"

    team_services.team_update(actor=personas.manager, team=support, webhook_url="")
    assert Team.objects.get(pk=support.pk).webhook_url == ""


def test_a_bad_address_is_refused_and_nothing_is_saved(personas):
    team = TeamFactory(organization=personas.org, name="Before", managers=[personas.manager])

    with pytest.raises(ValidationError):
        team_services.team_update(
            actor=personas.manager, team=team, name="After", webhook_url="http://hooks.slack.com/x"
        )

    team.refresh_from_db()
    assert (team.name, team.webhook_url) == ("Before", "")


def test_a_plain_http_webhook_is_saved_only_when_the_operator_allows_it(personas, support, settings):
    url = "http://chat.internal/hooks/abc"
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(ValidationError, match="Enter an https address"):
        team_services.team_update(actor=personas.manager, team=support, webhook_url=url)
    assert Team.objects.get(pk=support.pk).webhook_url == ""

    settings.WEBHOOK_ALLOW_HTTP = True
    team_services.team_update(actor=personas.manager, team=support, webhook_url=url)

    assert Team.objects.get(pk=support.pk).webhook_url == url


def test_a_member_cannot_set_the_webhook(personas, support):
    with pytest.raises(PermissionDenied):
        team_services.team_update(actor=personas.member, team=support, webhook_url="https://hooks.slack.com/services/x")
    assert Team.objects.get(pk=support.pk).webhook_url == ""


def test_a_manager_tests_the_webhook_and_sees_why_it_fails(personas, support_chat, webhook):
    team_services.team_webhook_test(actor=personas.manager, team=support_chat)
    assert "TeamHub is connected" in webhook.texts[0]

    webhook.status = 403
    with pytest.raises(ValidationError, match="HTTP 403"):
        team_services.team_webhook_test(actor=personas.manager, team=support_chat)
    with pytest.raises(PermissionDenied):
        team_services.team_webhook_test(actor=personas.member, team=support_chat)
    assert len(webhook.received) == 2  # the member's test posted nothing


# --- Team edit page -----------------------------------------------------------------------


def test_a_manager_sets_the_webhook_on_the_team_page(personas, client_for, support):
    response = client_for(personas.manager).post(
        reverse("teams:team_update", args=[support.pk]),
        {"name": "Support", "mission": "", "webhook_url": HOOK},
        follow=True,
    )

    assert Team.objects.get(pk=support.pk).webhook_url == HOOK
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


def test_the_test_button_says_whether_the_message_arrived(personas, client_for, support_chat, webhook):
    client = client_for(personas.manager)

    ok = client.post(reverse("teams:team_webhook_test", args=[support_chat.pk]), follow=True).content.decode()
    webhook.status = 410
    refused = client.post(reverse("teams:team_webhook_test", args=[support_chat.pk]), follow=True).content.decode()

    assert "Test message posted to Support" in ok
    assert "HTTP 410" in refused
    assert len(webhook.received) == 2


def test_members_cannot_test_the_webhook(personas, client_for, support_chat, webhook):
    response = client_for(personas.member).post(reverse("teams:team_webhook_test", args=[support_chat.pk]))

    assert response.status_code == 403
    assert webhook.received == []


# --- API ----------------------------------------------------------------------------------


def test_api_sets_the_webhook_and_never_shows_it_back(personas, api_client_for, support):
    response = api_client_for(personas.manager).patch(api("api-team", pk=support.pk), {"webhook_url": HOOK})

    assert response.status_code == 200
    assert response.json()["webhook"] == "https://hooks.slack.com/…"
    assert "/B1/abc" not in response.content.decode()
    assert Team.objects.get(pk=support.pk).webhook_url == HOOK


def test_api_members_see_that_a_team_posts_to_chat_but_not_where(personas, api_client_for, support):
    Team.objects.filter(pk=support.pk).update(webhook_url=HOOK)

    response = api_client_for(personas.member).get(api("api-team", pk=support.pk))

    assert response.status_code == 200
    assert response.json()["webhook"] == "https://hooks.slack.com/…"
    assert "/B1/abc" not in response.content.decode()


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


def test_api_tests_the_webhook(personas, api_client_for, support_chat, webhook):
    client = api_client_for(personas.manager)

    assert client.post(api("api-team-webhook-test", pk=support_chat.pk)).status_code == 204
    webhook.status = 500
    refused = client.post(api("api-team-webhook-test", pk=support_chat.pk))
    assert refused.status_code == 400
    assert "HTTP 500" in refused.json()["error"]["fields"]["webhook_url"][0]
    assert api_client_for(personas.member).post(api("api-team-webhook-test", pk=support_chat.pk)).status_code == 403
