"""Upgrading a database of the old layout keeps every row (issue 10, point 2).

Before the restructure, wins, handoffs, notifications and deliveries lived in teams/
and the score outbox in surveys/. The test migrates the database back to that layout,
fills it through the historical models (what the old code could have written), migrates
it forward again and reads the rows through today's models: nothing lost, and the
columns the new layout adds filled as their migrations promise.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Where the old code left the apps the restructure moved models out of; the new apps
# did not exist. The other apps (accounts 0001, customers 0003 then) keep any newer
# migrations applied: they do not touch the moved tables, and unapplying a migration
# that early in the plan makes Django re-render the project state through most of it.
OLD_LEAVES = {"teams": "0007_delivery_queued_at", "surveys": "0001_score_outbox"}
NEW_APPS = ("work", "notifications", "outbox")
# Rows the migrations themselves write.
BOOKKEEPING_TABLES = {"django_migrations"}
MOVED_CONTENT_TYPES = {
    ("teams", "win"): "work",
    ("teams", "winreaction"): "work",
    ("teams", "spotlight"): "work",
    ("teams", "adoption"): "work",
    ("teams", "handoff"): "work",
    ("teams", "handoffevent"): "work",
    ("teams", "notification"): "notifications",
    ("teams", "delivery"): "notifications",
    ("surveys", "dirtyscope"): "outbox",
}
# The moved tables (names kept), each given rows below.
MOVED_TABLES = {
    "teams_win",
    "teams_win_values",
    "teams_win_collaborators",
    "teams_winreaction",
    "teams_spotlight",
    "teams_adoption",
    "teams_handoff",
    "teams_handoffevent",
    "teams_notification",
    "teams_delivery",
    "surveys_dirtyscope",
}
SIGNATURE = "\n\n— TeamHub"
WEBHOOK = "https://hooks.example.com/services/T0/B0/secret"


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


# --- Migrating ----------------------------------------------------------------------


def _old_nodes(executor) -> list[tuple[str, str]]:
    """The migrations an old database had applied last, app by app."""
    leaves = executor.loader.graph.leaf_nodes()
    return [(app, OLD_LEAVES.get(app, name)) for app, name in leaves if app not in NEW_APPS]


def _migrate_back():
    """Unapply the new apps and the state moves; the executor orders the new apps'
    migrations before teams 0008 and surveys 0002, which they depend on."""
    executor = MigrationExecutor(connection)
    old = _old_nodes(executor)
    executor.migrate([(app, None) for app in NEW_APPS] + old)
    return executor.loader.project_state(old).apps


def _migrate_forward() -> None:
    # A fresh loader: the one that migrated back holds the applied set of before.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            # Table names come from the database itself, quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return {table: n for table, n in counts.items() if table not in BOOKKEEPING_TABLES}


# --- The old database's rows, written with the historical models ---------------------


def _people(apps, old) -> None:
    """Two organisations; Acme keeps New York time. Mia is on Bravo and Zulu; Noé has
    no name and no team; Max, a manager, is on Alpha."""
    Organization = apps.get_model("accounts", "Organization")
    old.acme = Organization.objects.create(name="Acme", slug="acme", timezone="America/New_York")
    old.beta = Organization.objects.create(name="Beta", slug="beta")
    old.ann = _member(apps, old.acme, "ann@acme.test", "Ann Admin", "admin")
    old.max = _member(apps, old.acme, "max@acme.test", "Max Manager", "manager")
    old.mia = _member(apps, old.acme, "mia@acme.test", "Mia Member", "member")
    old.noe = _member(apps, old.acme, "noe@acme.test", "", "member")
    old.bea = _member(apps, old.beta, "bea@beta.test", "Bea Beta", "admin")
    Team = apps.get_model("teams", "Team")
    old.alpha = Team.objects.create(organization=old.acme, name="Alpha", webhook_url=WEBHOOK)
    old.bravo = Team.objects.create(organization=old.acme, name="Bravo")
    old.zulu = Team.objects.create(organization=old.acme, name="Zulu")
    old.gamma = Team.objects.create(organization=old.beta, name="Gamma")
    old.alpha.managers.add(old.max)
    seats = [(old.alpha, old.max), (old.bravo, old.mia), (old.zulu, old.mia), (old.gamma, old.bea)]
    TeamMembership = apps.get_model("teams", "TeamMembership")
    TeamMembership.objects.bulk_create(TeamMembership(team=team, membership=person) for team, person in seats)


def _member(apps, organization, email: str, full_name: str, role: str):
    user = apps.get_model("accounts", "User").objects.create(email=email, full_name=full_name, password="!")
    return apps.get_model("accounts", "Membership").objects.create(user=user, organization=organization, role=role)


def _customers(apps, old) -> None:
    """Zulu owns Contoso (Mia is on Zulu); Alpha owns Fabrikam (Mia is not on Alpha)."""
    Value = apps.get_model("teams", "Value")
    old.care = Value.objects.create(organization=old.acme, name="Customer care")
    old.craft = Value.objects.create(organization=old.acme, name="Craft")
    old.bold = Value.objects.create(organization=old.beta, name="Boldness")
    CustomerAccount = apps.get_model("customers", "CustomerAccount")
    old.contoso = CustomerAccount.objects.create(organization=old.acme, owning_team=old.zulu, name="Contoso")
    old.fabrikam = CustomerAccount.objects.create(organization=old.acme, owning_team=old.alpha, name="Fabrikam")
    old.initech = CustomerAccount.objects.create(organization=old.beta, owning_team=old.gamma, name="Initech")


def _wins(apps, old) -> None:
    Win = apps.get_model("teams", "Win")
    old.win = Win.objects.create(
        organization=old.acme,
        team=old.zulu,
        author=old.mia,
        account=old.contoso,
        title="Saved the Contoso renewal",
        story="Two days of migration help.",
        impact="Renewed for three years",
        created_at=at(20),
    )
    old.win.values.add(old.care, old.craft)
    old.win.collaborators.add(old.max, old.noe)
    old.beta_win = Win.objects.create(
        organization=old.beta, team=old.gamma, author=old.bea, title="First customer", created_at=at(21)
    )
    old.beta_win.values.add(old.bold)
    apps.get_model("teams", "WinReaction").objects.create(win=old.win, membership=old.max)
    apps.get_model("teams", "Spotlight").objects.create(win=old.win, by=old.max, note="What care looks like.")
    apps.get_model("teams", "Adoption").objects.create(win=old.win, team=old.alpha, by=old.max, note="We do it too.")


def _handoffs(apps, old) -> None:
    """Each way the receiving team is worked out, with the team it should come to."""
    old.expected_receiving_team = {}
    cases = [
        # name, handed to, account, accepted by, expected receiving team
        ("to_mia_open_on_owning_team", old.mia, old.contoso, None, old.zulu),
        ("to_mia_accepted_on_owning_team", old.mia, old.contoso, old.mia, old.zulu),
        ("to_mia_open_not_on_owning_team", old.mia, old.fabrikam, None, old.bravo),  # first of hers by name
        ("to_mia_accepted_not_on_owning_team", old.mia, old.fabrikam, old.mia, old.bravo),
        ("to_mia_accepted_by_max", old.mia, old.fabrikam, old.max, old.alpha),  # who accepted, not whom to
        ("to_noe_on_no_team", old.noe, old.contoso, None, None),
        ("to_alpha_open", old.alpha, old.contoso, None, old.alpha),
        ("to_bravo_accepted_by_max", old.bravo, old.fabrikam, old.max, old.bravo),  # the team, not Max's
    ]
    for name, to, account, accepted_by, expected in cases:
        setattr(old, name, _handoff(apps, old, name, to, account, accepted_by))
        old.expected_receiving_team[name] = expected.pk if expected else None


def _handoff(apps, old, name, to, account, accepted_by):
    to_team = to if to._meta.model_name == "team" else None
    handoff = apps.get_model("teams", "Handoff").objects.create(
        organization=old.acme,
        account=account,
        subject=name.replace("_", " "),
        sender=old.ann,
        to_member=None if to_team else to,
        to_team=to_team,
        status="accepted" if accepted_by else "open",
        accepted_by=accepted_by,
        accepted_at=at(22, 10) if accepted_by else None,
        created_at=at(22),
        sla_hours=24,
    )
    HandoffEvent = apps.get_model("teams", "HandoffEvent")
    HandoffEvent.objects.create(handoff=handoff, to_status="open", by=old.ann, created_at=at(22))
    if accepted_by:
        HandoffEvent.objects.create(
            handoff=handoff, from_status="open", to_status="accepted", by=accepted_by, created_at=at(22, 10)
        )
    return handoff


def _messages(apps, old) -> None:
    """Notifications about a handoff and about a win, their e-mails (sent, failed,
    pending), and posts to team chats with and without a link line."""
    Notification = apps.get_model("teams", "Notification")
    old.handed = Notification.objects.create(
        organization=old.acme,
        recipient=old.mia,
        kind="handoff_to_you",
        title="Ann Admin handed you “Renewal” (Contoso)",
        url=f"/work/handoffs/{old.to_mia_open_on_owning_team.pk}/",
        handoff=old.to_mia_open_on_owning_team,
    )
    old.spotlit = Notification.objects.create(
        organization=old.acme,
        recipient=old.noe,
        kind="win_spotlighted",
        title="Max Manager put your win “Saved the Contoso renewal” in the spotlight",
        url="",
        win=old.win,
        read_at=at(23),
    )
    # Written before titles were folded to one line: the e-mail went out with the
    # subject folded at send time and the body as typed.
    old.declined = Notification.objects.create(
        organization=old.acme,
        recipient=old.ann,
        kind="handoff_declined",
        title="Mia Member declined “Renewal”:  too busy\nthis week",
        url=f"/work/handoffs/{old.to_mia_accepted_on_owning_team.pk}/",
        handoff=old.to_mia_accepted_on_owning_team,
    )
    Delivery = apps.get_model("teams", "Delivery")
    email = {"organization": old.acme, "channel": "email", "created_at": at(22, 1), "queued_at": at(22, 1)}
    old.sent = Delivery.objects.create(
        **email, notification=old.handed, target="mia@acme.test", status="sent", attempts=1, sent_at=at(22, 2)
    )
    old.failed = Delivery.objects.create(
        **email, notification=old.spotlit, target="noe@acme.test", status="failed", attempts=4, last_error="SMTP down"
    )
    old.pending = Delivery.objects.create(**email, notification=old.declined, target="ann@acme.test")
    webhook = {"organization": old.acme, "channel": "webhook", "target": WEBHOOK, "created_at": at(22, 1)}
    old.post = Delivery.objects.create(
        **webhook,
        team=old.alpha,
        status="sent",
        sent_at=at(22, 2),
        message=f"Ann Admin handed Alpha “Renewal” &amp; more\n{settings.SITE_URL}/work/handoffs/7/",
    )
    old.bare_post = Delivery.objects.create(**webhook, team=old.bravo, message="“Renewal” has waited more than 24 h")


def _outbox(apps, old) -> None:
    """Marks made late in the New York evening: the UTC date is already the next day."""
    DirtyScope = apps.get_model("surveys", "DirtyScope")
    evening = at(24, 3, 30)  # 22:30 on 23 November in New York
    old.marks = {
        "acme_org": DirtyScope.objects.create(
            organization=old.acme, scope_type="org", scope_id=old.acme.pk, marked_at=evening
        ),
        "acme_team": DirtyScope.objects.create(
            organization=old.acme, scope_type="team", scope_id=old.zulu.pk, marked_at=evening
        ),
        "beta_org": DirtyScope.objects.create(
            organization=old.beta, scope_type="org", scope_id=old.beta.pk, marked_at=evening
        ),
    }
    old.expected_days = {"acme_org": dt.date(2026, 11, 23), "acme_team": dt.date(2026, 11, 23)}
    old.expected_days["beta_org"] = dt.date(2026, 11, 24)


def _content_types(apps, old) -> None:
    """An old database has content types (with permissions) for the models in their old apps."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old.content_types = {
        key: ContentType.objects.get_or_create(app_label=key[0], model=key[1])[0].pk for key in MOVED_CONTENT_TYPES
    }


def _build_old_database(apps) -> SimpleNamespace:
    old = SimpleNamespace()
    for build in (_people, _customers, _wins, _handoffs, _messages, _outbox, _content_types):
        build(apps, old)
    return old


# --- What the upgraded database holds ------------------------------------------------


def _check_wins(old) -> None:
    from work.models import Adoption, Spotlight, Win, WinReaction

    win = Win.objects.get(pk=old.win.pk)
    assert (win.title, win.story, win.impact, win.created_at) == (
        "Saved the Contoso renewal",
        "Two days of migration help.",
        "Renewed for three years",
        at(20),
    )
    assert (win.organization_id, win.team_id, win.author_id, win.account_id) == (
        old.acme.pk,
        old.zulu.pk,
        old.mia.pk,
        old.contoso.pk,
    )
    assert set(win.values.values_list("pk", flat=True)) == {old.care.pk, old.craft.pk}
    assert set(win.collaborators.values_list("pk", flat=True)) == {old.max.pk, old.noe.pk}
    assert list(Win.objects.get(pk=old.beta_win.pk).values.values_list("pk", flat=True)) == [old.bold.pk]
    assert WinReaction.objects.get(win=win).membership_id == old.max.pk
    assert Spotlight.objects.get(win=win).note == "What care looks like."
    assert Adoption.objects.get(win=win).team_id == old.alpha.pk


def _check_handoffs(old) -> None:
    """Statuses and stamps kept; the receiving team is the team handed to, else the
    team of whoever accepted it (or, open, of whom it was handed to): the customer's
    team when they are on it, else their first team by name."""
    from work.models import Handoff

    received = {}
    for name in old.expected_receiving_team:
        handoff = Handoff.objects.get(pk=getattr(old, name).pk)
        accepted = getattr(old, name).accepted_by_id is not None
        assert handoff.subject == name.replace("_", " ")
        assert (handoff.status, handoff.created_at) == ("accepted" if accepted else "open", at(22))
        assert handoff.accepted_at == (at(22, 10) if accepted else None)
        events = [(e.from_status, e.to_status, e.created_at) for e in handoff.events.all()]
        assert events == [("", "open", at(22))] + ([("open", "accepted", at(22, 10))] if accepted else [])
        received[name] = handoff.receiving_team_id
    assert received == old.expected_receiving_team


def _check_notifications(old) -> None:
    from notifications.models import Notification

    notifications = Notification.objects.filter(pk__in=[old.handed.pk, old.spotlit.pk, old.declined.pk])
    about = {n.pk: (n.about_type, n.about_id, n.kind, n.url, n.read_at) for n in notifications}
    assert about == {
        old.handed.pk: ("handoff", old.to_mia_open_on_owning_team.pk, "handoff_to_you", old.handed.url, None),
        old.spotlit.pk: ("win", old.win.pk, "win_spotlighted", "", at(23)),
        old.declined.pk: ("handoff", old.to_mia_accepted_on_owning_team.pk, "handoff_declined", old.declined.url, None),
    }


def _check_emails(old) -> None:
    """An e-mail goes to the notification's person (named by full name, else by the
    address), with the subject and the text it was sent with."""
    from notifications.models import Delivery

    site = settings.SITE_URL
    expected = {
        old.sent.pk: (old.mia.pk, "Mia Member", old.handed, f"{old.handed.title}\n\n{site}{old.handed.url}"),
        old.failed.pk: (old.noe.pk, "noe@acme.test", old.spotlit, old.spotlit.title),
        old.pending.pk: (old.ann.pk, "Ann Admin", old.declined, f"{old.declined.title}\n\n{site}{old.declined.url}"),
    }
    for pk, (person, name, notification, text) in expected.items():
        delivery = Delivery.objects.get(pk=pk)
        assert (delivery.recipient_type, delivery.recipient_id, delivery.recipient_name) == ("member", person, name)
        assert delivery.subject == " ".join(notification.title.split())
        assert delivery.message == text + SIGNATURE
        assert delivery.notification_id == notification.pk
        assert (delivery.kind, delivery.about_type) == (
            notification.kind,
            "handoff" if notification.handoff_id else "win",
        )
        assert delivery.about_id == (notification.handoff_id or notification.win_id)
    sent, failed = Delivery.objects.get(pk=old.sent.pk), Delivery.objects.get(pk=old.failed.pk)
    assert (sent.status, sent.attempts, sent.sent_at, sent.created_at) == ("sent", 1, at(22, 2), at(22, 1))
    assert (failed.status, failed.attempts, failed.last_error, failed.target) == (
        "failed",
        4,
        "SMTP down",
        "noe@acme.test",
    )


def _check_posts(old) -> None:
    """A post to a team's chat goes to that team; its subject is the post's first line."""
    from notifications.models import Delivery

    for post, team, first_line in (
        (old.post, old.alpha, "Ann Admin handed Alpha “Renewal” &amp; more"),
        (old.bare_post, old.bravo, old.bare_post.message),
    ):
        delivery = Delivery.objects.get(pk=post.pk)
        assert (delivery.recipient_type, delivery.recipient_id, delivery.recipient_name) == ("team", team.pk, team.name)
        assert (delivery.subject, delivery.message) == (first_line, post.message)
        assert (delivery.channel, delivery.target, delivery.status) == ("webhook", WEBHOOK, post.status)
        assert delivery.notification_id is None


def _check_outbox(old) -> None:
    """Each mark's day is the date it was made in its organisation's time zone."""
    from outbox.models import DirtyScope

    for name, mark in old.marks.items():
        row = DirtyScope.objects.get(pk=mark.pk)
        assert (row.scope_type, row.scope_id, row.marked_at) == (mark.scope_type, mark.scope_id, at(24, 3, 30))
        assert row.day == old.expected_days[name], name


def _check_content_types(old) -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    moved = {key: ContentType.objects.get(pk=pk).app_label for key, pk in old.content_types.items()}
    assert moved == MOVED_CONTENT_TYPES


@pytest.mark.django_db(transaction=True)
def test_upgrading_an_old_database_keeps_every_row_and_fills_the_new_columns():
    """Every table keeps its row count; the moved rows read through today's models with
    their values; what is about what, who receives a delivery, its subject and text, a
    handoff's receiving team and a mark's day are filled from the old rows."""
    try:
        old = _build_old_database(_migrate_back())
        before = _row_counts()
        assert {table for table in MOVED_TABLES if before[table]} == MOVED_TABLES
        _migrate_forward()
        after = _row_counts()
        # Every old table keeps its rows; tables added since start empty.
        assert {table: n for table, n in after.items() if table in before} == before
        assert {table: n for table, n in after.items() if table not in before and n} == {}
        for check in (
            _check_wins,
            _check_handoffs,
            _check_notifications,
            _check_emails,
            _check_posts,
            _check_outbox,
            _check_content_types,
        ):
            check(old)
    finally:
        # Whatever happened, later tests get the database they expect.
        _migrate_forward()
