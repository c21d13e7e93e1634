"""Authorization matrix rows for daily work (wins, handoffs, notifications): api.

Scene (tests/authz.py, ``p.teams``): ``win`` is the member's, on ``team`` (which the
manager manages); ``handoff`` is open, from the member to the manager;
``team_handoff`` is open, from the admin to ``unmanaged_team`` (nobody is on it or
manages it); ``notification`` is the manager's, about ``handoff``.

A handoff is visible to its sender, whom it was handed to (the person, or the people
on or managing the team) and admins: ``team_handoff`` answers 404 to the member and
the manager. A move its status does not allow is 400 for anyone who sees it (the
status is checked before the person); a visible handoff moved by the wrong person is 403.
"""

from tests.matrix_rows import collection, on_object

REASON = {"reason": "Not ours: billing owns refunds"}

ROUTES = [
    # --- Wins: everyone logs and applauds; the team's managers spotlight ---
    *collection("api-wins", member=200),
    *collection(
        "api-wins",
        "POST",
        data=lambda p: {"title": "Saved the launch", "values": [p.teams.value.pk], "team": p.teams.team.pk},
        member=201,
    ),
    *on_object("api-win", member=200, pk="win"),
    # The author cannot applaud their own win.
    *on_object("api-win-applause", "POST", member=400, manager=201, pk="win"),
    *on_object("api-win-applause", "DELETE", member=204, pk="win"),
    *on_object("api-win-spotlight", "POST", data=lambda p: {"note": "Copy this"}, member=403, manager=201, pk="win"),
    # Adopted by a team only its people speak for; the admin may, but the win is not spotlighted.
    *on_object(
        "api-win-adoptions",
        "POST",
        data=lambda p: {"team": p.teams.unmanaged_team.pk, "note": "We do it too"},
        member=403,
        manager=403,
        admin=400,
        pk="win",
    ),
    *collection("api-values-in-action", member=200),
    # --- Handoffs: the people involved and admins ---
    *collection("api-handoffs", member=200),
    *collection(
        "api-handoffs",
        "POST",
        data=lambda p: {"account": p.teams.account.pk, "subject": "Invoice query", "to_team": p.teams.team.pk},
        member=201,
    ),
    *on_object("api-handoff", member=200, pk="handoff"),
    *on_object("api-handoff", variant="team", member=404, admin=200, pk="team_handoff"),
    *on_object("api-handoff-accept", "POST", member=403, manager=200, admin=403, pk="handoff"),
    *on_object("api-handoff-accept", "POST", variant="team", member=404, admin=200, pk="team_handoff"),
    *on_object("api-handoff-decline", "POST", data=lambda p: REASON, member=403, manager=200, admin=403, pk="handoff"),
    # Open, so not yet completable or returnable: 400 for all who see it.
    *on_object("api-handoff-complete", "POST", member=400, pk="handoff"),
    *on_object("api-handoff-return", "POST", data=lambda p: REASON, member=400, pk="handoff"),
    *on_object("api-handoff-cancel", "POST", member=200, manager=403, pk="handoff"),
    *on_object("api-handoff-cancel", "POST", variant="team", member=404, admin=200, pk="team_handoff"),
    # GET sends no query string here, and the customer is required: 400 past the role check.
    *collection("api-handoff-suggestions", member=400),
    # --- Notifications: only your own ---
    *collection("api-notifications", member=200),
    *collection("api-notifications-read", "POST", member=200),
    *on_object("api-notification-read", "POST", member=404, manager=200, admin=404, pk="notification"),
    # --- Deliveries: admins only; ``failed_delivery`` is ``notification``'s e-mail ---
    *collection("api-deliveries", member=403, admin=200),
    *collection("api-deliveries-retry-failed", "POST", member=403, admin=202),
    *on_object("api-delivery-retry", "POST", member=403, admin=200, pk="failed_delivery"),
    # --- A team's chat webhook: on a private address, so a test is 400 for whoever may run it ---
    *on_object("api-team-webhook-test", "POST", member=403, manager=400, pk="team"),
    *on_object(
        "api-team-webhook-test", "POST", variant="unmanaged", member=403, manager=403, admin=400, pk="unmanaged_team"
    ),
]
