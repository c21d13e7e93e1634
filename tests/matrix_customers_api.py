"""Authorization matrix rows for the customers/ API (see tests/test_authorization_matrix.py).

Every route is under ``/api/v1/orgs/{org_slug}/``. ``p.teams.account`` is owned by
``p.teams.team`` (Acme's manager manages it, Acme's member is on it);
``p.teams.other_account`` is owned by ``p.teams.unmanaged_team``, so the member and the
manager find it (name, team, lead) but do not work on it: its nested collections answer
them 403, and its account-level writes too. Contacts and follow-ups addressed by their
own id exist only for those who work on their account: ``other_contact`` and
``other_follow_up`` (on ``other_account``) answer them 404.
"""

from tests.matrix_rows import collection, on_object

ROUTES = [
    # --- Accounts: everyone finds them; the owning team's managers and admins change them ---
    *collection("api-accounts", member=200),
    *collection(
        "api-accounts",
        "POST",
        data=lambda p: {"name": "Wholesale Co", "owning_team": p.teams.team.pk},
        member=403,
        manager=201,
    ),
    *on_object("api-account", member=200, pk="account"),
    # Reduced representation for the member and manager, full for the admin.
    *on_object("api-account", variant="not-theirs", member=200, pk="other_account"),
    *on_object("api-account", "PATCH", data=lambda p: {"segment": "Silver"}, member=403, manager=200, pk="account"),
    *on_object(
        "api-account",
        "PATCH",
        variant="not-theirs",
        data=lambda p: {"segment": "Silver"},
        member=403,
        manager=403,
        admin=200,
        pk="other_account",
    ),
    *on_object(
        "api-account-transfer",
        "POST",
        data=lambda p: {"to_team": p.teams.unmanaged_team.pk, "reason": "They buy from sales now"},
        member=403,
        manager=201,
        pk="account",
    ),
    *on_object(
        "api-account-transfer",
        "POST",
        variant="not-theirs",
        data=lambda p: {"to_team": p.teams.team.pk, "reason": "Ours now"},
        member=403,
        manager=403,
        admin=201,
        pk="other_account",
    ),
    *on_object("api-account-ownership-changes", member=200, account_pk="account"),
    *on_object(
        "api-account-ownership-changes",
        variant="not-theirs",
        member=403,
        manager=403,
        admin=200,
        account_pk="other_account",
    ),
    # --- Contacts: the people who work on the account ---
    *on_object("api-account-contacts", member=200, account_pk="account"),
    *on_object(
        "api-account-contacts", variant="not-theirs", member=403, manager=403, admin=200, account_pk="other_account"
    ),
    *on_object(
        "api-account-contacts",
        "POST",
        data=lambda p: {"name": "Sam Buyer", "preferences": "Fridays"},
        member=201,
        account_pk="account",
    ),
    *on_object(
        "api-account-contacts",
        "POST",
        variant="not-theirs",
        data=lambda p: {"name": "Sam Buyer"},
        member=403,
        manager=403,
        admin=201,
        account_pk="other_account",
    ),
    *on_object("api-contact", member=200, pk="contact"),
    *on_object("api-contact", "PATCH", data=lambda p: {"personal_notes": "Two cats"}, member=200, pk="contact"),
    *on_object("api-contact", "DELETE", member=204, pk="contact"),
    *on_object("api-contact-reviewed", "POST", member=200, pk="contact"),
    *on_object("api-contact", variant="not-theirs", member=404, manager=404, admin=200, pk="other_contact"),
    *on_object(
        "api-contact",
        "PATCH",
        variant="not-theirs",
        data=lambda p: {"personal_notes": "Skis twice a year"},
        member=404,
        manager=404,
        admin=200,
        pk="other_contact",
    ),
    # --- Follow-ups: the people who work on the account ---
    *on_object("api-account-follow-ups", member=200, account_pk="account"),
    *on_object(
        "api-account-follow-ups", variant="not-theirs", member=403, manager=403, admin=200, account_pk="other_account"
    ),
    *on_object(
        "api-account-follow-ups",
        "POST",
        data=lambda p: {"summary": "Call back about sizes"},
        member=201,
        account_pk="account",
    ),
    *on_object("api-follow-up", member=200, pk="follow_up"),
    *on_object("api-follow-up", "PATCH", data=lambda p: {"due_date": "2030-01-31"}, member=200, pk="follow_up"),
    *on_object(
        "api-follow-up-status",
        "POST",
        data=lambda p: {"status": "in_progress"},
        member=200,
        pk="follow_up",
    ),
    *on_object("api-follow-up", variant="not-theirs", member=404, manager=404, admin=200, pk="other_follow_up"),
    # --- Turnaround: everyone in the organisation, any team ---
    *on_object("api-team-turnaround", member=200, team_pk="team"),
    *on_object("api-team-turnaround", variant="unmanaged", member=200, team_pk="unmanaged_team"),
]
