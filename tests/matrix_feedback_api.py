"""Authorization matrix rows for customer feedback: the API (see matrix_feedback_pages
for the objects)."""

from tests.authz import Route
from tests.matrix_rows import acme, api_roles, collection, on_object

ROUTES = [
    *collection("api-nps-feedback", member=200),
    *on_object("api-nps-feedback-detail", member=200, pk="feedback"),
    *on_object("api-nps-feedback-thanked", "POST", member=200, pk="feedback"),
    # The account nobody here works on but the admins: its feedback is not found.
    Route(
        name="api-nps-feedback-detail",
        variant="other-team",
        kwargs=acme(pk="other_feedback"),
        expect=api_roles(member=404, manager=404, admin=200),
    ),
    Route(
        name="api-nps-feedback-thanked",
        method="POST",
        variant="other-team",
        kwargs=acme(pk="other_feedback"),
        expect=api_roles(member=404, manager=404, admin=200),
    ),
]
