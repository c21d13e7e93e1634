"""Customer survey rounds: whom they ask, sending once, personal links that are hashed,
single-purpose and expire, the throttle, opt-outs, and changing an answer."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, Notification
from outbox.models import DirtyScope
from surveys.models import NpsFeedback, NpsInvitation, NpsRound
from surveys.models.feedback import nps_link_token, nps_token_hash
from surveys.services import nps_public, nps_rounds
from surveys.tasks import run_nps_rounds, send_nps_invitations
from surveys.tests import test_nps_scene as scene
from surveys.tests.test_nps_scene import deliver_all, in_days, make_round, send_round, token_of

pytestmark = pytest.mark.django_db

# The customer survey tests' shared fixtures.
shop, _fresh_limits = scene.shop, scene._fresh_limits


def _tokens_sent() -> list[str]:
    return [t for m in mail.outbox for t in re.findall(r"/s/([A-Za-z0-9_-]{43})/", m.body)]


# --- Creating and the audience -----------------------------------------------------------------


def test_a_manager_creates_a_round_for_their_teams_accounts(shop):
    round_ = make_round(shop.manager, accounts=[shop.gear], teams=[shop.support], segments=[" Gold "])
    assert (round_.status, round_.kind, round_.segments) == (NpsRound.Status.DRAFT, "nps", ["Gold"])
    assert list(round_.accounts.all()) == [shop.gear]
    assert round_.created_by == shop.manager


@pytest.mark.parametrize(
    ("audience", "field"),
    [({"accounts": "skis"}, "accounts"), ({"teams": "sales"}, "teams"), ({}, "accounts")],
)
def test_a_manager_may_not_ask_other_teams_accounts_or_nobody(shop, audience, field):
    kwargs = {key: [getattr(shop, name)] for key, name in audience.items()}
    with pytest.raises(ValidationError) as error:
        make_round(shop.manager, **kwargs)
    assert field in error.value.message_dict
    assert not NpsRound.objects.exists()


def test_members_and_other_organisations_may_not_create_rounds(shop):
    with pytest.raises(PermissionDenied):
        make_round(shop.member, accounts=[shop.gear])
    with pytest.raises(PermissionDenied):
        make_round(shop.outsider, accounts=[shop.gear])


@pytest.mark.parametrize("days", [-1, 91])
def test_the_closing_date_must_be_ahead_and_within_ninety_days(shop, days):
    with pytest.raises(ValidationError) as error:
        make_round(shop.admin, accounts=[shop.gear], days=days)
    assert "closes_at" in error.value.message_dict


def test_the_audience_says_why_each_contact_is_left_out(shop):
    earlier = send_round(shop.admin, accounts=[shop.boots], title="Winter NPS")
    round_ = make_round(shop.admin, segments=["Gold", "Silver"])
    audience = nps_rounds.nps_round_audience(actor=shop.admin, round_=round_)
    assert [c.name for c in audience.asked] == ["Ana Alves", "Eva Eng"]
    reasons = {c.name: why for c, why in audience.left_out}
    assert reasons["Ben Brook"] == "No e-mail address"
    assert reasons["Cleo Cole"] == "Opted out of surveys"
    assert reasons["Dora Diaz"].startswith("Asked on ") and "within the 30-day limit" in reasons["Dora Diaz"]
    assert earlier.invitations.count() == 1


def test_a_segment_reaches_only_a_managers_own_accounts(shop):
    round_ = make_round(shop.manager, segments=["Gold"])
    audience = nps_rounds.nps_round_audience(actor=shop.manager, round_=round_)
    assert [c.name for c in audience.asked] == ["Ana Alves"]  # not Eva, of Sales' Skis


def test_the_throttle_follows_the_organisation_setting(shop):
    send_round(shop.admin, accounts=[shop.boots])
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        later = make_round(shop.admin, accounts=[shop.boots])
        assert [c.name for c in nps_rounds.nps_round_audience(actor=shop.admin, round_=later).asked] == ["Dora Diaz"]
    soon = make_round(shop.admin, accounts=[shop.boots])
    assert nps_rounds.nps_round_audience(actor=shop.admin, round_=soon).asked == []
    shop.org.survey_throttle_days = 0
    shop.org.save(update_fields=["survey_throttle_days"])
    soon.refresh_from_db()
    assert [c.name for c in nps_rounds.nps_round_audience(actor=shop.admin, round_=soon).asked] == ["Dora Diaz"]


# --- Sending once -------------------------------------------------------------------------------


def test_sending_invites_each_contact_once_with_a_hashed_token(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear, shop.boots])
    assert nps_rounds.nps_round_send(actor=shop.admin, round_=round_) == 2
    invitations = list(NpsInvitation.objects.filter(round=round_).order_by("contact__name"))
    assert [i.contact for i in invitations] == [shop.ana, shop.dora]
    for invitation in invitations:
        raw = nps_link_token(invitation.token_nonce)
        assert len(raw) >= 43  # 256 bits, base64
        assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest() == nps_token_hash(raw)
        assert raw not in {invitation.token_nonce, invitation.token_hash}
    round_.refresh_from_db()
    assert (round_.status, round_.opened_at is not None) == (NpsRound.Status.OPEN, True)


def test_sending_twice_is_refused_and_asks_nobody_again(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear])
    nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    with pytest.raises(ValidationError):
        nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    assert NpsInvitation.objects.count() == 1


def test_a_round_with_nobody_to_ask_stays_a_draft(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear])
    shop.ana.survey_opt_out = True
    shop.ana.save(update_fields=["survey_opt_out"])
    with pytest.raises(ValidationError):
        nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    round_.refresh_from_db()
    assert round_.status == NpsRound.Status.DRAFT and not NpsInvitation.objects.exists()


def test_a_round_asking_segments_is_run_by_its_maker_or_an_admin(shop):
    admins = make_round(shop.admin, segments=["Gold"])
    with pytest.raises(PermissionDenied):  # Bob would send it to his Gold accounts alone
        nps_rounds.nps_round_send(actor=shop.manager, round_=admins)
    bobs = make_round(shop.manager, segments=["Gold"])
    assert nps_rounds.can_manage_nps_round(shop.admin, bobs)
    assert nps_rounds.nps_round_send(actor=shop.manager, round_=bobs) == 1


def test_a_manager_may_not_send_an_admins_round_for_other_teams(shop):
    round_ = make_round(shop.admin, accounts=[shop.skis])
    with pytest.raises(PermissionDenied):
        nps_rounds.nps_round_send(actor=shop.manager, round_=round_)


def test_the_send_task_is_enqueued_on_commit_with_the_round_id_only(shop, django_capture_on_commit_callbacks):
    sent_args = []
    original = send_nps_invitations.apply_async

    def spy(args=None, kwargs=None, **options):
        sent_args.append((args, kwargs))
        return original(args=args, kwargs=kwargs, **options)

    send_nps_invitations.apply_async = spy
    try:
        round_ = make_round(shop.admin, accounts=[shop.gear])
        with django_capture_on_commit_callbacks(execute=True):
            nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    finally:
        del send_nps_invitations.apply_async
    assert sent_args == [((round_.pk,), {})]


def test_a_task_delivered_twice_and_two_beats_queue_each_email_once(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear, shop.boots])
    nps_rounds.nps_round_send(actor=shop.admin, round_=round_)
    assert send_nps_invitations.run(round_.pk) == 2
    assert send_nps_invitations.run(round_.pk) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert run_nps_rounds.run() == {"closed": 0, "sent": 0}
        assert nps_rounds.nps_rounds_run() == {"closed": 0, "sent": 0}
    assert Delivery.objects.filter(kind="nps_invitation").count() == 2
    assert deliver_all() == 2 and deliver_all() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@gear.example", "dora@boots.example"]


def test_the_beat_sends_invitations_whose_message_was_lost(shop):
    round_ = make_round(shop.admin, accounts=[shop.gear])
    nps_rounds.nps_round_send(actor=shop.admin, round_=round_)  # its task never ran
    assert nps_rounds.nps_rounds_run() == {"closed": 0, "sent": 0}  # not yet: the task may be on its way
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert nps_rounds.nps_rounds_run() == {"closed": 0, "sent": 1}
    assert Delivery.objects.filter(kind="nps_invitation", recipient_id=shop.ana.pk).count() == 1


def test_the_email_has_the_scale_as_links_in_the_contacts_language(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    deliver_all()
    (message,) = mail.outbox
    raw = token_of(round_, shop.ana)
    assert message.subject == "Acme freut sich über Ihre Meinung"
    assert "Wie wahrscheinlich ist es, dass Sie Acme einem Freund oder Kollegen empfehlen?" in message.body
    assert re.search(r"Bis zum \d{1,2}\. [A-Z][a-zä]+ \d{4} können Sie", message.body)  # a German date
    for score in range(11):
        assert f"\n{score}: http://127.0.0.1:8000/s/{raw}/{score}/" in message.body
    assert f"/s/{raw}/opt-out/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000/s/{raw}/10/"' in html.replace("&amp;", "&")


def test_a_csat_email_offers_one_to_five(shop):
    round_ = send_round(shop.admin, accounts=[shop.boots], kind="csat")
    deliver_all()
    raw = token_of(round_, shop.dora)
    body = mail.outbox[0].body
    assert "How satisfied are you with Acme?" in body
    assert [int(n) for n in re.findall(rf"/s/{raw}/(\d+)/", body)] == [1, 2, 3, 4, 5]


def test_the_plaintext_token_is_stored_nowhere(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear, shop.boots])
    deliver_all()
    raws = [token_of(round_, c) for c in (shop.ana, shop.dora)]
    assert sorted(_tokens_sent()) == sorted(raws * 12)  # 11 scores and the page, in the text part
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            dump = repr(cursor.fetchall())
            assert not any(raw in dump for raw in raws), table
    for row in Delivery.objects.all():
        assert "/s/" not in row.message
    assert not Notification.objects.exists()  # contacts have no in-app notifications


def test_an_opt_out_after_queueing_is_honoured_and_no_email_goes(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    nps_public.nps_link_opt_out(invitation=NpsInvitation.objects.get(round=round_))
    deliver_all()
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_an_email_queued_for_a_round_since_closed_is_not_sent(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    nps_rounds.nps_round_close(actor=shop.admin, round_=round_)
    deliver_all()
    assert mail.outbox == []
    assert "closed" in Delivery.objects.get().last_error


# --- Links: single purpose, expiry, answers ----------------------------------------------------


def test_a_token_opens_its_own_invitation_only(shop):
    spring = send_round(shop.admin, accounts=[shop.gear, shop.boots])
    autumn = send_round(shop.admin, accounts=[shop.skis], title="Autumn NPS")
    link = nps_public.link_for_token(token_of(spring, shop.ana))
    assert (link.state, link.invitation.contact, link.round) == ("open", shop.ana, spring)
    nps_public.nps_link_answer(invitation=link.invitation, score=3, comment="Slow deliveries")
    (feedback,) = NpsFeedback.objects.all()
    assert (feedback.round, feedback.contact, feedback.account, feedback.team) == (
        spring,
        shop.ana,
        shop.gear,
        shop.support,
    )
    assert (feedback.channel, feedback.score, feedback.kind) == ("link", 3, "nps")
    assert not NpsFeedback.objects.filter(round=autumn).exists()
    assert not NpsFeedback.objects.filter(contact=shop.dora).exists()
    assert nps_public.link_for_token(token_of(spring, shop.ana)[:-1] + "x").state == "unknown"


def test_unknown_tokens_and_too_long_ones_find_nothing(shop):
    assert nps_public.link_for_token("nope").state == "unknown"
    assert nps_public.link_for_token("a" * 5000).state == "unknown"
    assert nps_public.link_for_token("").state == "unknown"


def test_a_link_expires_when_its_round_closes_or_its_time_is_up(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear], days=3)
    raw = token_of(round_, shop.ana)
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        assert nps_public.link_for_token(raw).state == "closed"
        with pytest.raises(ValidationError):
            nps_public.nps_link_answer(invitation=NpsInvitation.objects.get(), score=9)
        assert nps_rounds.nps_rounds_run()["closed"] == 1
    round_.refresh_from_db()
    assert round_.status == NpsRound.Status.CLOSED
    assert not NpsFeedback.objects.exists()


def test_closing_by_hand_ends_the_links_at_once(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    nps_rounds.nps_round_close(actor=shop.admin, round_=round_)
    assert nps_public.link_for_token(token_of(round_, shop.ana)).state == "closed"
    with pytest.raises(ValidationError):
        nps_rounds.nps_round_close(actor=shop.admin, round_=round_)


def test_changing_an_answer_updates_the_one_row_and_marks_the_outbox_again(shop):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    invitation = NpsInvitation.objects.get(round=round_)
    first = nps_public.nps_link_answer(invitation=invitation, score=3, comment="Slow")
    marks = DirtyScope.objects.count()
    second = nps_public.nps_link_answer(invitation=invitation, score=4)  # a click in the e-mail: comment kept
    assert second.pk == first.pk and NpsFeedback.objects.count() == 1
    second.refresh_from_db()
    assert (second.score, second.comment, second.received_at) == (4, "Slow", first.received_at)
    assert DirtyScope.objects.count() > marks
    nps_public.nps_link_answer(invitation=invitation, score=4, comment="")
    assert NpsFeedback.objects.get().comment == ""
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


@pytest.mark.parametrize("score", [11, -1, "x", None, "4.5"])
def test_an_out_of_range_score_is_refused_and_nothing_saved(shop, score):
    round_ = send_round(shop.admin, accounts=[shop.gear])
    with pytest.raises(ValidationError):
        nps_public.nps_link_answer(invitation=NpsInvitation.objects.get(round=round_), score=score)
    assert not NpsFeedback.objects.exists()


def test_an_opt_out_is_honoured_for_every_later_round(shop):
    first = send_round(shop.admin, accounts=[shop.boots])
    nps_public.nps_link_opt_out(invitation=NpsInvitation.objects.get(round=first))
    shop.dora.refresh_from_db()
    assert shop.dora.survey_opt_out
    with time_machine.travel(in_days(60)):
        later = make_round(shop.admin, accounts=[shop.boots])
        audience = nps_rounds.nps_round_audience(actor=shop.admin, round_=later)
    assert audience.asked == [] and audience.left_out == [(shop.dora, "Opted out of surveys")]


def test_the_beat_runs_the_rounds_job_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["run-nps-rounds"]
    assert (entry["task"], entry["schedule"]) == (run_nps_rounds.name, 60)
