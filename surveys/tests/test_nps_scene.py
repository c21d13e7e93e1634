"""Fixtures for the customer survey tests (no tests here): Acme's accounts and contacts,
a sent round, and helpers that run the real sending and delivery plumbing."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from customers.tests.factories import ContactFactory, CustomerAccountFactory
from notifications.models import Delivery
from notifications.tasks import deliver_notification
from surveys.models import NpsInvitation
from surveys.models.feedback import nps_link_token
from surveys.services import nps_rounds
from teams.tests.factories import TeamFactory


@pytest.fixture
def shop(acme):
    """Support (Bob manages it) owns Gear (Gold) and Boots (Silver); Sales owns Skis
    (Gold). Gear's contacts: Ana (German), Ben (no e-mail), Cleo (opted out); Boots':
    Dora; Skis': Eva (French). Globex has an account with a contact too."""
    p = acme
    p.gear = CustomerAccountFactory(organization=p.org, owning_team=p.support, name="Gear Co", segment="Gold")
    p.boots = CustomerAccountFactory(organization=p.org, owning_team=p.support, name="Boots Ltd", segment="Silver")
    p.skis = CustomerAccountFactory(organization=p.org, owning_team=p.sales, name="Skis AG", segment="Gold")
    p.ana = ContactFactory(account=p.gear, name="Ana Alves", email="ana@gear.example", language="de")
    p.ben = ContactFactory(account=p.gear, name="Ben Brook", email="")
    p.cleo = ContactFactory(account=p.gear, name="Cleo Cole", email="cleo@gear.example", survey_opt_out=True)
    p.dora = ContactFactory(account=p.boots, name="Dora Diaz", email="dora@boots.example")
    p.eva = ContactFactory(account=p.skis, name="Eva Eng", email="eva@skis.example", language="fr")
    globex_team = TeamFactory(organization=p.other_org, name="Globex support")
    p.globex_account = CustomerAccountFactory(organization=p.other_org, owning_team=globex_team, name="Globex buyer")
    p.globex_contact = ContactFactory(account=p.globex_account, name="Gus Globex", email="gus@buyer.example")
    return p


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The public pages' rate limits count in the shared cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def make_round(actor, *, accounts=(), teams=(), segments=(), kind="nps", title="Spring NPS", days=14):
    return nps_rounds.nps_round_create(
        actor=actor, title=title, kind=kind, accounts=accounts, teams=teams, segments=segments, closes_at=in_days(days)
    )


def send_round(actor, **kwargs):
    """A round created and sent, its invitations queued (as the task would, synchronously)."""
    round_ = make_round(actor, **kwargs)
    nps_rounds.nps_round_send(actor=actor, round_=round_)
    nps_rounds.nps_invitations_send(round_id=round_.pk)
    round_.refresh_from_db()
    return round_


def deliver_all() -> int:
    """Run the real delivery task for each pending delivery (locmem e-mail backend)."""
    pending = list(Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True))
    for pk in pending:
        deliver_notification.apply(args=[pk])
    return len(pending)


def token_of(round_, contact) -> str:
    return nps_link_token(NpsInvitation.objects.get(round=round_, contact=contact).token_nonce)


def make_nps_objects(*, admin, account, contact) -> dict:
    """For the authorization matrix (tests/authz.py): a draft round for ``account``, an
    open one that asked ``contact`` (with the link's token), and a closed one's link."""
    from accounts.models import Organization

    org = admin.organization
    closed = make_round(admin, accounts=[account], title=f"{org.name} autumn NPS")
    nps_rounds.nps_round_send(actor=admin, round_=closed)
    nps_rounds.nps_round_close(actor=admin, round_=closed)
    # Asked again at once, and the draft may be sent to them too: the organisation
    # asks without a throttle here.
    Organization.objects.filter(pk=org.pk).update(survey_throttle_days=0)
    org.survey_throttle_days = 0
    open_round = make_round(admin, accounts=[account], title=f"{org.name} spring NPS")
    nps_rounds.nps_round_send(actor=admin, round_=open_round)
    return {
        "nps_draft": make_round(admin, accounts=[account], title=f"{org.name} summer NPS"),
        "nps_round": open_round,
        "nps_token": token_of(open_round, contact),
        "nps_closed_token": token_of(closed, contact),
    }
