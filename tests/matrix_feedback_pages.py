"""Authorization matrix rows for customer feedback: pages.

``p.teams.feedback`` is a promoter's answer on ``p.teams.account`` (the member is on
its team, the manager manages it); ``p.teams.other_feedback`` one on
``p.teams.other_account``, whose team nobody here is on: only admins work on it.
Globex has the same.
"""

from tests.authz import Route
from tests.matrix_rows import EVERYONE, TO, acme_object, object_routes, pk

BACK = TO("surveys:feedback_list")

ROUTES = [
    # Everyone lists the feedback of the accounts they work on (the outsider: Globex's).
    Route(name="surveys:feedback_list", expect=EVERYONE),
    Route(name="surveys:feedback_export", expect=EVERYONE),
    *object_routes("surveys:feedback_thank", "POST", *pk("feedback"), admin=BACK, manager=BACK, member=BACK),
    Route(
        name="surveys:feedback_thank",
        method="POST",
        variant="other-team",
        kwargs=pk("other_feedback")[0],
        expect=acme_object(admin=BACK, manager=404, member=404),
    ),
]
