"""Daily-work pages (wins, spotlights, handoffs, inbox, notifications) through the
test client, as each persona."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from customers.models import FollowUp
from customers.tests.factories import CustomerAccountFactory, FollowUpFactory
from notifications.models import Notification
from teams.tests.factories import TeamFactory, TeamMembershipFactory, ValueFactory
from work import services
from work.models import Adoption, Handoff, Spotlight, Win, WinReaction
from work.notices import Kind
from work.tests.factories import HandoffFactory, SpotlightFactory, WinFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def w(personas):
    """Acme: the manager runs ``team`` with the member on it; ``mate`` is on ``other_team``."""
    org = personas.org
    team = TeamFactory(organization=org, name="Wholesale", managers=[personas.manager])
    other_team = TeamFactory(organization=org, name="Schools")
    TeamMembershipFactory(team=team, membership=personas.member)
    mate = TeamMembershipFactory(team=other_team, membership__user__full_name="Mia Mate").membership
    value = ValueFactory(organization=org, name="Customer first")
    account = CustomerAccountFactory(organization=org, owning_team=team, name="Alpine Co")
    return SimpleNamespace(
        p=personas, team=team, other_team=other_team, mate=mate, value=value, account=account, org=org
    )


def _win(w, **kwargs):
    kwargs.setdefault("values", [w.value])
    return WinFactory(organization=w.org, author=w.p.member, team=w.team, **kwargs)


def _handoff(w, **kwargs):
    kwargs.setdefault("to_member", w.mate)
    kwargs.setdefault("sender", w.p.member)
    return HandoffFactory(organization=w.org, account=w.account, **kwargs)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _assert_constant(client, url, grow) -> None:
    client.get(url)  # settle the session's current organisation
    few = _queries(client, url)
    grow()
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


# --- Logging a win --------------------------------------------------------------------------


def test_home_offers_the_three_field_win_form_with_the_only_team_hidden(w, client_for):
    response = client_for(w.p.member).get(reverse("home"))
    html = response.content.decode()
    assert 'id="log-win"' in html
    assert f'type="hidden" name="team" value="{w.team.pk}"' in html
    assert "Placeholder" not in html and "arrives with the wins feature" not in html


def test_member_logs_a_win_with_htmx_and_gets_the_card_and_a_fresh_form(w, client_for):
    data = {"title": "Saved the spring order", "values": [w.value.pk], "collaborator": w.mate.pk}
    response = client_for(w.p.member).post(reverse("work:win_create"), data, headers=HTMX)
    assert response.status_code == 200
    win = Win.objects.get(title="Saved the spring order")
    assert win.team == w.team and list(win.collaborators.all()) == [w.mate]
    html = response.content.decode()
    assert f'id="win-{win.pk}"' in html
    assert 'id="log-win"' in html and 'hx-swap-oob="true"' in html


def test_win_without_a_value_shows_the_field_error_in_place_and_saves_nothing(w, client_for):
    response = client_for(w.p.member).post(reverse("work:win_create"), {"title": "No value"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#log-win"
    assert "field__error" in response.content.decode()
    assert not Win.objects.exists()


def test_win_by_someone_on_no_team_is_refused_with_the_services_message(w, client_for):
    loner = MembershipFactory(organization=w.org)
    response = client_for(loner).post(reverse("work:win_create"), {"title": "Alone", "values": [w.value.pk]})
    assert response.status_code == 200
    assert "Choose a team of your organisation." in response.content.decode()
    assert not Win.objects.exists()


def test_win_create_without_htmx_redirects_home_to_the_new_card(w, client_for):
    response = client_for(w.p.member).post(reverse("work:win_create"), {"title": "Won", "values": [w.value.pk]})
    win = Win.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{reverse('home')}#win-{win.pk}"


def test_win_with_another_orgs_value_is_a_field_error(w, client_for):
    foreign = ValueFactory(organization=w.p.other_org)
    client = client_for(w.p.member)
    response = client.post(reverse("work:win_create"), {"title": "Won", "values": [foreign.pk]})
    assert response.status_code == 200 and not Win.objects.exists()


def test_home_quick_form_keeps_its_three_fields_and_links_to_the_full_form(w, client_for):
    html = client_for(w.p.member).get(reverse("home")).content.decode()
    quick = html[html.index('id="log-win"') : html.index("</form>", html.index('id="log-win"'))]
    assert 'name="title"' in quick and 'name="values"' in quick and 'name="collaborator"' in quick
    for field in ("story", "impact", "account", "collaborators"):
        assert f'name="{field}"' not in quick
    assert f'<a href="{reverse("work:win_create")}">More details' in quick


def test_full_win_form_offers_every_field(w, client_for):
    TeamMembershipFactory(team=w.other_team, membership=w.p.member)  # on two teams: the team is asked
    CustomerAccountFactory(organization=w.p.other_org, name="Globex Buyer")
    html = client_for(w.p.member).get(reverse("work:win_create")).content.decode()
    assert '<textarea name="story"' in html and '<input type="text" name="impact"' in html
    assert '<select name="account"' in html and "Alpine Co" in html and "Globex Buyer" not in html
    assert '<select name="team"' in html and html.count('type="checkbox" name="values"') == 1
    # Every colleague once (not the author, not another organisation's), none through the quick form's select.
    boxes = re.findall(r'type="checkbox" name="collaborators" value="(\d+)"', html)
    assert sorted(map(int, boxes)) == sorted([w.p.admin.pk, w.p.manager.pk, w.mate.pk])
    assert 'name="collaborator"' not in html


def test_full_win_form_groups_colleagues_by_team_own_teams_first_each_once(w, client_for):
    TeamMembershipFactory(team=w.team, membership=w.mate)  # Mia is on Schools and on the member's Wholesale
    TeamMembershipFactory(team=w.other_team, membership__organization=w.org, membership__user__full_name="Sam S")
    html = client_for(w.p.member).get(reverse("work:win_create")).content.decode()
    groups = html[html.index('class="people-pick__groups"') :]
    assert re.findall(r"<legend>([^<]+)</legend>", groups) == ["Wholesale", "Schools", "On no team yet"]
    assert groups.count(f'name="collaborators" value="{w.mate.pk}"') == 1
    assert groups.index("Mia Mate") < groups.index("Schools") < groups.index("Sam S") < groups.index("Alice Admin")


def test_member_logs_a_win_with_every_field_and_sees_them_on_its_page(w, client_for):
    helper = TeamMembershipFactory(team=w.team, membership__user__full_name="Wes Wholesale").membership
    data = {
        "title": "Kept the spring order",
        "story": "Called ahead.\nSwapped the courier.",
        "impact": "A 12k order kept",
        "account": w.account.pk,
        "values": [w.value.pk],
        "collaborators": [w.mate.pk, helper.pk],
    }
    client = client_for(w.p.member)
    response = client.post(reverse("work:win_create"), data)
    win = Win.objects.get()
    assert response["Location"] == f"{reverse('home')}#win-{win.pk}"
    assert (win.story, win.impact, win.account, win.team) == (data["story"], data["impact"], w.account, w.team)
    assert set(win.collaborators.all()) == {w.mate, helper}
    html = client.get(reverse("work:win_detail", args=[win.pk])).content.decode()
    for text in ("Called ahead.<br>Swapped the courier.", "A 12k order kept", "Alpine Co", "Mia Mate", "Wes Wholesale"):
        assert text in html


@pytest.mark.parametrize(
    "change, error",
    [
        ({"values": []}, "Choose at least one value the win shows."),
        ({"title": ""}, "Say what went well, in a line."),
        ({"impact": "x" * 241}, "at most 240 characters"),
        ({"account": "FOREIGN_ACCOUNT"}, "Select a valid choice"),
        ({"collaborators": ["OUTSIDER"]}, "Select a valid choice"),
    ],
)
def test_refused_full_win_shows_the_error_keeps_what_was_typed_and_saves_nothing(w, client_for, change, error):
    ids = {"FOREIGN_ACCOUNT": CustomerAccountFactory(organization=w.p.other_org).pk, "OUTSIDER": w.p.outsider.pk}
    data = {"title": "Kept the order", "story": "Called ahead.", "values": [w.value.pk], "collaborators": [w.mate.pk]}
    data.update({k: ids.get(v, v) if isinstance(v, str) else [ids.get(i, i) for i in v] for k, v in change.items()})
    response = client_for(w.p.member).post(reverse("work:win_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "The win is not logged yet" in html and error in html
    assert "Called ahead.</textarea>" in html
    assert not Win.objects.exists()


def test_quick_form_refused_without_javascript_shows_the_full_form_keeping_the_colleague(w, client_for):
    data = {"title": "No value yet", "collaborator": w.mate.pk}
    html = client_for(w.p.member).post(reverse("work:win_create"), data).content.decode()
    assert "Choose at least one value the win shows." in html and '<textarea name="story"' in html
    assert re.search(rf'name="collaborators" value="{w.mate.pk}"[^>]*checked', html)
    assert not Win.objects.exists()


# --- Feeds, applause, spotlight, adoption ------------------------------------------------------


def test_org_feed_shows_values_collaborators_account_impact_and_applause(w, client_for):
    win = _win(w, account=w.account, collaborators=[w.mate], impact="Renewal signed")
    WinReaction.objects.create(win=win, membership=w.p.admin)
    html = client_for(w.p.manager).get(reverse("work:wins")).content.decode()
    for text in (win.title, "Customer first", "Mia Mate", "Alpine Co", "Renewal signed", 'class="applause-count">1<'):
        assert text in html


def test_home_cards_show_the_impact_but_not_the_story(w, client_for):
    _win(w, impact="Renewal signed", story="A long tale of couriers.")
    html = client_for(w.p.manager).get(reverse("home")).content.decode()
    assert "Renewal signed" in html and "A long tale of couriers." not in html


def test_feeds_and_home_issue_constant_queries(w, client_for):
    _win(w, account=w.account, collaborators=[w.mate])
    client = client_for(w.p.manager)

    def grow():
        for i in range(6):
            win = _win(w, account=w.account, collaborators=[w.mate, w.p.admin])
            SpotlightFactory(win=win, by=w.p.manager) if i % 2 else None
            _handoff(w, to_member=w.p.manager)

    for url in (
        reverse("work:wins"),
        reverse("work:team_wins", args=[w.team.pk]),
        reverse("home"),
        reverse("work:inbox"),
        reverse("customers:account_detail", args=[w.account.pk]),
    ):
        _assert_constant(client, url, grow)


def test_spotlight_page_lists_spotlighted_wins_with_adoptions_in_constant_queries(w, client_for):
    client = client_for(w.p.member)

    def grow():
        for _ in range(4):
            win = _win(w)
            SpotlightFactory(win=win, note="Copy the call-ahead.")
            Adoption.objects.create(win=win, team=w.other_team)

    grow()
    _assert_constant(client, reverse("work:spotlights"), grow)
    html = client.get(reverse("work:spotlights")).content.decode()
    assert "Copy the call-ahead." in html and "Schools" in html


def test_applause_toggles_with_htmx_once_per_colleague(w, client_for):
    win = _win(w)
    client = client_for(w.mate)
    url = reverse("work:win_applause", args=[win.pk])
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert WinReaction.objects.filter(win=win, membership=w.mate).count() == 1
    client.post(url, headers=HTMX)
    assert not WinReaction.objects.exists()


def test_author_cannot_applaud_their_own_win(w, client_for):
    win = _win(w)
    response = client_for(w.p.member).post(reverse("work:win_applause", args=[win.pk]), follow=True)
    assert "your own is already counted" in response.content.decode()
    assert not WinReaction.objects.exists()


def test_applause_on_another_orgs_win_is_404(w, client_for):
    foreign = WinFactory(organization=w.p.other_org)
    assert client_for(w.p.member).post(reverse("work:win_applause", args=[foreign.pk])).status_code == 404


def test_team_manager_spotlights_with_a_note(w, client_for):
    win = _win(w)
    response = client_for(w.p.manager).post(reverse("work:win_spotlight", args=[win.pk]), {"note": "Copy this"})
    assert response.status_code == 302
    assert Spotlight.objects.get(win=win).note == "Copy this"
    assert Notification.objects.filter(recipient=w.p.member, about_type="win", about_id=win.pk).exists()


def test_spotlight_without_a_note_is_a_field_error(w, client_for):
    win = _win(w)
    url = reverse("work:win_spotlight", args=[win.pk])
    response = client_for(w.p.manager).post(url, {"note": "  "}, headers=HTMX)
    assert response.status_code == 200 and "Say why this is what good looks like" in response.content.decode()
    assert not Spotlight.objects.exists()


def test_spotlight_form_only_for_managers_of_the_wins_team(w, client_for):
    win = _win(w)
    form = f'action="{reverse("work:win_spotlight", args=[win.pk])}"'
    assert form in client_for(w.p.manager).get(reverse("work:wins")).content.decode()
    assert form not in client_for(w.mate).get(reverse("work:wins")).content.decode()
    response = client_for(w.mate).post(reverse("work:win_spotlight", args=[win.pk]), {"note": "Mine now"})
    assert response.status_code == 403 and not Spotlight.objects.exists()


def test_someone_on_another_team_adopts_a_spotlighted_win(w, client_for):
    win = _win(w)
    SpotlightFactory(win=win)
    client = client_for(w.mate)
    assert "We adopted this" in client.get(reverse("work:wins")).content.decode()
    response = client.post(reverse("work:win_adopt", args=[win.pk]), {"team": w.other_team.pk}, headers=HTMX)
    assert response.status_code == 200 and "Adopted by 1 team" in response.content.decode()
    assert Adoption.objects.filter(win=win, team=w.other_team, by=w.mate).exists()


def test_adopting_for_a_team_you_are_not_on_is_403(w, client_for):
    win = _win(w)
    SpotlightFactory(win=win)
    response = client_for(w.p.member).post(reverse("work:win_adopt", args=[win.pk]), {"team": w.other_team.pk})
    assert response.status_code == 403 and not Adoption.objects.exists()


def test_values_in_action_chart_has_its_data_and_explanation(w, client_for):
    _win(w)
    for url in (reverse("work:values_in_action"), reverse("work:team_wins", args=[w.team.pk])):
        html = client_for(w.p.member).get(url).content.decode()
        assert 'id="values-data"' in html and "data-values-chart" in html and "How is this computed" in html


# --- Handoffs -----------------------------------------------------------------------------------


def test_member_hands_a_need_to_a_colleague(w, client_for):
    data = {"account": w.account.pk, "subject": "Quote for 40 jackets", "to_member": w.mate.pk}
    response = client_for(w.p.member).post(reverse("work:handoff_create"), data)
    handoff = Handoff.objects.get()
    assert response["Location"] == reverse("work:handoff_detail", args=[handoff.pk])
    assert handoff.to_member == w.mate and handoff.sender == w.p.member
    assert Notification.objects.filter(recipient=w.mate, about_type="handoff", about_id=handoff.pk).exists()


@pytest.mark.parametrize(
    "extra, field_error",
    [
        ({}, "Choose whom to hand it to"),
        ({"to_member": "ME", "to_team": None}, "it is already yours"),
        ({"to_team": "TEAM", "to_member": "MATE"}, "not both"),
    ],
)
def test_bad_handoff_is_a_field_error_and_saves_nothing(w, client_for, extra, field_error):
    ids = {"ME": w.p.member.pk, "TEAM": w.team.pk, "MATE": w.mate.pk}
    data = {"account": w.account.pk, "subject": "Need"}
    data.update({k: ids[v] for k, v in extra.items() if v})
    if extra.get("to_member") == "ME":
        # Not offered in the list: forge it past the form to reach the service's rule.
        response = client_for(w.p.member).post(reverse("work:handoff_create"), data)
        assert "Select a valid choice" in response.content.decode()
    else:
        response = client_for(w.p.member).post(reverse("work:handoff_create"), data)
        assert field_error in response.content.decode()
    assert response.status_code == 200 and not Handoff.objects.exists()


def test_handoff_form_offers_only_the_chosen_customers_open_follow_ups(w, client_for):
    FollowUpFactory(account=w.account, summary="Quote for jackets")
    FollowUpFactory(account=w.account, summary="Old complaint", status=FollowUp.Status.DONE)
    FollowUpFactory(account=CustomerAccountFactory(organization=w.org, owning_team=w.team), summary="Birch invoice")
    client = client_for(w.p.member)
    blank = client.get(reverse("work:handoff_create")).content.decode()
    assert "Choose the customer first" in blank
    assert "Quote for jackets" not in blank and "Birch invoice" not in blank
    chosen = client.get(reverse("work:handoff_create"), {"account": w.account.pk}).content.decode()
    assert "Quote for jackets" in chosen
    assert "Old complaint" not in chosen and "Birch invoice" not in chosen


def test_choosing_the_customer_refreshes_its_follow_ups_with_the_suggestions(w, client_for):
    follow_up = FollowUpFactory(account=w.account, summary="Quote for jackets")
    FollowUpFactory(account=CustomerAccountFactory(organization=w.org, owning_team=w.team), summary="Birch invoice")
    url = reverse("work:handoff_suggestions")
    data = {"account": w.account.pk, "follow_up": follow_up.pk}
    html = client_for(w.p.member).get(url, data, headers=HTMX).content.decode()
    assert '<div id="follow-up-field" hx-swap-oob="true">' in html
    assert f'<option value="{follow_up.pk}" selected>Quote for jackets</option>' in html
    assert "Birch invoice" not in html


def test_handoff_keeps_a_follow_up_of_its_customer(w, client_for):
    follow_up = FollowUpFactory(account=w.account)
    data = {"account": w.account.pk, "subject": "Need", "to_member": w.mate.pk, "follow_up": follow_up.pk}
    assert client_for(w.p.member).post(reverse("work:handoff_create"), data).status_code == 302
    assert Handoff.objects.get().follow_up == follow_up


@pytest.mark.parametrize("status", [FollowUp.Status.OPEN, FollowUp.Status.DONE])
def test_handoff_with_another_customers_or_a_closed_follow_up_is_refused(w, client_for, status):
    other_account = CustomerAccountFactory(organization=w.org, owning_team=w.team)
    follow_up = FollowUpFactory(account=other_account if status == FollowUp.Status.OPEN else w.account, status=status)
    data = {"account": w.account.pk, "subject": "Need", "to_member": w.mate.pk, "follow_up": follow_up.pk}
    response = client_for(w.p.member).post(reverse("work:handoff_create"), data)
    assert response.status_code == 200 and "open follow-ups, or none." in response.content.decode()
    assert not Handoff.objects.exists()


def test_handoff_to_another_orgs_account_is_refused(w, client_for):
    foreign = CustomerAccountFactory(organization=w.p.other_org)
    data = {"account": foreign.pk, "subject": "Need", "to_member": w.mate.pk}
    response = client_for(w.p.member).post(reverse("work:handoff_create"), data)
    assert response.status_code == 200 and not Handoff.objects.exists()


def test_suggestions_refresh_with_reasons(w, client_for):
    response = client_for(w.p.manager).get(reverse("work:handoff_suggestions"), {"account": w.account.pk}, headers=HTMX)
    html = response.content.decode()
    assert "Charlie Member" in html and "which owns Alpine Co" in html
    assert 'data-pick-select="handoff-to_member"' in html
    assert "<html" not in html


def test_suggestions_without_an_account_ask_for_one(w, client_for):
    html = client_for(w.p.member).get(reverse("work:handoff_suggestions")).content.decode()
    assert "Choose the customer" in html


def test_handoff_page_shows_state_age_sla_history_and_the_viewers_moves(w, client_for):
    handoff = services.handoff_create(
        actor=w.p.member,
        account=w.account,
        subject="Late one",
        to_member=w.mate,
        at=timezone.now() - dt.timedelta(hours=30),
    )
    url = reverse("work:handoff_detail", args=[handoff.pk])
    html = client_for(w.mate).get(url).content.decode()
    assert "SLA breached" in html and "Open" in html and "Charlie Member" in html
    assert reverse("work:handoff_accept", args=[handoff.pk]) in html
    assert reverse("work:handoff_decline", args=[handoff.pk]) in html
    assert reverse("work:handoff_cancel", args=[handoff.pk]) not in html
    sender_html = client_for(w.p.member).get(url).content.decode()
    assert reverse("work:handoff_cancel", args=[handoff.pk]) in sender_html
    assert reverse("work:handoff_accept", args=[handoff.pk]) not in sender_html


def test_handoff_lifecycle_through_the_pages(w, client_for):
    handoff = services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    mate = client_for(w.mate)
    assert mate.post(reverse("work:handoff_accept", args=[handoff.pk])).status_code == 302
    assert mate.post(reverse("work:handoff_complete", args=[handoff.pk])).status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.COMPLETED
    assert handoff.events.count() == 3


def test_illegal_move_shows_the_services_message_and_changes_nothing(w, client_for):
    handoff = services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    response = client_for(w.mate).post(reverse("work:handoff_complete", args=[handoff.pk]), follow=True)
    assert "A handoff that is open cannot be completed." in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.OPEN


def test_decline_without_a_reason_is_a_field_error(w, client_for):
    handoff = services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    response = client_for(w.mate).post(reverse("work:handoff_decline", args=[handoff.pk]), {"reason": ""})
    assert response.status_code == 200 and "Say why it is declined" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.OPEN


def test_only_the_sender_cancels(w, client_for):
    handoff = services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    assert client_for(w.mate).post(reverse("work:handoff_cancel", args=[handoff.pk])).status_code == 403
    assert client_for(w.p.member).post(reverse("work:handoff_cancel", args=[handoff.pk])).status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.CANCELLED


def test_another_orgs_handoff_is_404_before_any_403(w, client_for):
    foreign = HandoffFactory(organization=w.p.other_org)
    for name in ("work:handoff_detail", "work:handoff_cancel"):
        method = "get" if name.endswith("detail") else "post"
        assert getattr(client_for(w.p.admin), method)(reverse(name, args=[foreign.pk])).status_code == 404


# --- Inbox and notifications ----------------------------------------------------------------


def test_inbox_lists_the_three_boxes_with_breach_flags(w, client_for):
    _handoff(w, to_member=w.p.member, subject="For me", created_at=timezone.now() - dt.timedelta(hours=30))
    _handoff(w, to_member=None, to_team=w.team, sender=w.mate, subject="For my team")
    _handoff(w, subject="I sent it")
    html = client_for(w.p.member).get(reverse("work:inbox")).content.decode()
    for text in ("For me", "For my team", "I sent it", "SLA breached"):
        assert text in html


def test_home_shows_the_oldest_three_of_a_box_and_how_many_more(w, client_for):
    for i in range(5):
        _handoff(
            w,
            to_member=w.p.member,
            sender=w.mate,
            subject=f"Need {i}",
            created_at=timezone.now() - dt.timedelta(hours=9 - i),
        )
    client = client_for(w.p.member)
    html = client.get(reverse("home")).content.decode()
    box = html[html.index('id="box-home_to_me"') : html.index('id="box-home_to_my_teams"')]
    assert '<span class="chip__count">5</span>' in box
    assert "Need 2" in box and "Need 3" not in box and "and 2 more in your inbox" in box
    inbox = client.get(reverse("work:inbox")).content.decode()
    assert all(f"Need {i}" in inbox for i in range(5)) and "more in your inbox" not in inbox


def test_inbox_counts_every_unread_notification_not_only_those_listed(w, client_for):
    Notification.objects.bulk_create(
        Notification(organization=w.org, recipient=w.mate, kind=Kind.HANDOFF_TO_YOU, title=f"Note {i}")
        for i in range(55)
    )
    Notification.objects.filter(title="Note 0").update(read_at=timezone.now())
    html = client_for(w.mate).get(reverse("work:inbox")).content.decode()
    assert html.count("notification--unread") == 50  # the list stops at 50
    assert "54 unread</span>" in html and 'aria-label="54 unread notifications"' in html


def test_nav_shows_the_unread_count_in_one_query(w, client_for):
    handoff = services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    client = client_for(w.mate)
    html = client.get(reverse("teams:directory")).content.decode()
    assert 'class="nav-count"' in html and "1 unread notification" in html
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("teams:directory"))
    counts = [q["sql"] for q in captured if "teams_notification" in q["sql"]]
    assert len(counts) == 1, counts
    assert handoff


def test_mark_one_and_all_notifications_read(w, client_for):
    for subject in ("One", "Two"):
        services.handoff_create(actor=w.p.member, account=w.account, subject=subject, to_member=w.mate)
    first, second = Notification.objects.filter(recipient=w.mate).order_by("pk")
    client = client_for(w.mate)
    response = client.post(reverse("notifications:read", args=[first.pk]), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="notifications"' in html
    # The navigation's count follows, out of band.
    assert 'hx-swap-oob="outerHTML:.mainnav .nav-count">1</span>' in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at and not second.read_at
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=w.mate, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(w, client_for):
    services.handoff_create(actor=w.p.member, account=w.account, subject="Need", to_member=w.mate)
    notification = Notification.objects.get(recipient=w.mate)
    assert client_for(w.p.admin).post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


# --- The account page -------------------------------------------------------------------------


def test_account_page_lists_its_wins_and_handoffs_newest_first(w, client_for):
    _win(w, account=w.account, title="Older win", created_at=timezone.now() - dt.timedelta(days=2))
    _win(w, account=w.account, title="Newer win")
    _handoff(w, subject="Account need")
    html = client_for(w.p.manager).get(reverse("customers:account_detail", args=[w.account.pk])).content.decode()
    assert html.index("Newer win") < html.index("Older win")
    assert "Account need" in html and "No wins yet" not in html and "No handoffs yet" not in html


def test_account_page_keeps_its_empty_states(w, client_for):
    html = client_for(w.p.manager).get(reverse("customers:account_detail", args=[w.account.pk])).content.decode()
    assert "No wins yet" in html and "No handoffs yet" in html
