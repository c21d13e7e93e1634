"""Authorization matrix rows for daily work (wins, handoffs, notifications, deliveries): pages.

``p.teams.win`` is the member's win on ``p.teams.team`` (which the manager manages);
``p.teams.handoff`` is open, from the member to the manager; ``p.teams.team_handoff``
is open, from the admin to ``p.teams.unmanaged_team`` about ``other_account``; ``p.teams.notification`` is
the manager's, about ``handoff``. Globex's (under ``p.other_teams``): the win is its
member's, the handoff goes from its member to its admin (the outsider), and the
notification is the outsider's. ``p.teams.failed_delivery`` is that notification's e-mail,
failed.
"""

from tests.authz import Route
from tests.matrix_rows import (
    ADMIN_ONLY,
    EVERYONE,
    TO,
    acme_object,
    admin_only,
    everyone,
    globex_object,
    object_routes,
    only,
    own_teams,
    pk,
)

HANDOFF = pk("handoff")
REASON = lambda p: {"reason": "Not ours: ask Sales."}  # noqa: E731

ROUTES = [
    # --- Wins ---
    Route(name="work:wins", expect=EVERYONE),
    Route(name="work:spotlights", expect=EVERYONE),
    Route(name="work:values_in_action", expect=EVERYONE),
    Route(name="work:win_create", expect=EVERYONE),
    Route(
        name="work:win_create",
        method="POST",
        data=lambda p: {"title": "Saved the order", "values": [own_teams(p).value.pk], "team": own_teams(p).team.pk},
        expect=everyone(TO("home")),
    ),
    *object_routes("work:team_wins", "GET", *pk("team"), admin=200, manager=200, member=200),
    *object_routes("work:win_detail", "GET", *pk("win"), admin=200, manager=200, member=200),
    # The member wrote the win: applauding your own is refused with a message.
    *object_routes(
        "work:win_applause",
        "POST",
        *pk("win"),
        admin=TO("work:win_detail"),
        manager=TO("work:win_detail"),
        member=TO("work:win_detail", refused=True),
    ),
    *object_routes(
        "work:win_spotlight",
        "POST",
        *pk("win"),
        data=lambda p: {"note": "Copy this: they called before the customer asked."},
        admin=TO("work:win_detail"),
        manager=TO("work:win_detail"),
    ),
    # Only people on (or managing) the adopting team may adopt; the win is not
    # spotlighted, so even the admin is refused with the service's message.
    *object_routes(
        "work:win_adopt",
        "POST",
        *pk("win"),
        data=lambda p: {"team": own_teams(p).unmanaged_team.pk},
        admin=TO("work:win_detail", refused=True),
    ),
    # --- Handoffs ---
    Route(name="work:handoff_create", expect=EVERYONE),
    Route(
        name="work:handoff_create",
        method="POST",
        data=lambda p: {
            "account": own_teams(p).account.pk,
            "subject": "Quote for 40 jackets",
            "to_team": own_teams(p).unmanaged_team.pk,
        },
        expect=everyone(TO("work:handoff_detail")),
    ),
    Route(name="work:handoff_suggestions", expect=EVERYONE),
    *object_routes("work:handoff_detail", "GET", *HANDOFF, admin=200, manager=200, member=200),
    # Handed to the manager (Globex: to the outsider): only they accept or decline.
    Route(
        name="work:handoff_accept",
        method="POST",
        kwargs=HANDOFF[0],
        expect=only("manager", TO("work:handoff_detail"), others=403),
    ),
    Route(
        name="work:handoff_accept",
        variant="other-org",
        method="POST",
        kwargs=HANDOFF[1],
        expect=globex_object(TO("work:handoff_detail")),
    ),
    # Handed to a team nobody is on, about a customer of that team: the member and the
    # manager are not involved, so it does not exist for them; the admin may claim it.
    Route(
        name="work:handoff_detail",
        variant="team",
        kwargs=lambda p: {"pk": p.teams.team_handoff.pk},
        expect=only("admin", 200),
    ),
    Route(
        name="work:handoff_accept",
        variant="team",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.team_handoff.pk},
        expect=only("admin", TO("work:handoff_detail")),
    ),
    Route(
        name="work:handoff_decline",
        method="POST",
        kwargs=HANDOFF[0],
        data=REASON,
        expect=only("manager", TO("work:handoff_detail"), others=403),
    ),
    Route(
        name="work:handoff_decline",
        variant="other-org",
        method="POST",
        kwargs=HANDOFF[1],
        data=REASON,
        expect=globex_object(TO("work:handoff_detail")),
    ),
    # Still open: completing or returning it is illegal for everyone, with the service's message.
    *object_routes(
        "work:handoff_complete",
        "POST",
        *HANDOFF,
        admin=TO("work:handoff_detail", refused=True),
        manager=TO("work:handoff_detail", refused=True),
        member=TO("work:handoff_detail", refused=True),
    ),
    *object_routes(
        "work:handoff_return",
        "POST",
        *HANDOFF,
        data=REASON,
        admin=TO("work:handoff_detail", refused=True),
        manager=TO("work:handoff_detail", refused=True),
        member=TO("work:handoff_detail", refused=True),
    ),
    # Only the sender (the member; Globex's member, not the outsider) cancels.
    Route(
        name="work:handoff_cancel",
        method="POST",
        kwargs=HANDOFF[0],
        expect=only("member", TO("work:handoff_detail"), others=403),
    ),
    Route(name="work:handoff_cancel", variant="other-org", method="POST", kwargs=HANDOFF[1], expect=globex_object(403)),
    # --- The inbox and notifications ---
    Route(name="work:inbox", expect=EVERYONE),
    Route(name="notifications:read_all", method="POST", expect=everyone(TO("work:inbox"))),
    # People see only their own notifications: anyone else's does not exist for them.
    Route(
        name="notifications:read",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.notification.pk},
        expect=only("manager", TO("work:inbox")),
    ),
    Route(
        name="notifications:read",
        variant="other-org",
        method="POST",
        kwargs=lambda p: {"pk": p.other_teams.notification.pk},
        expect=globex_object(TO("work:inbox")),
    ),
    # --- Deliveries: admins look after what did not arrive ---
    Route(name="notifications:deliveries", expect=ADMIN_ONLY),
    Route(
        name="notifications:deliveries_retry_failed", method="POST", expect=admin_only(TO("notifications:deliveries"))
    ),
    *object_routes(
        "notifications:delivery_retry", "POST", *pk("failed_delivery"), admin=TO("notifications:deliveries")
    ),
    # --- A team's chat webhook: on a private address, so the test is refused with a message ---
    *object_routes(
        "teams:team_webhook_test",
        "POST",
        *pk("team"),
        admin=TO("teams:team_update", refused=True),
        manager=TO("teams:team_update", refused=True),
    ),
    Route(
        name="teams:team_webhook_test",
        variant="unmanaged",
        method="POST",
        kwargs=lambda p: {"pk": p.teams.unmanaged_team.pk},
        expect=acme_object(admin=TO("teams:team_update", refused=True)),
    ),
]
