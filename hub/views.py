"""The pages that join every app. Home: what the person should see first each day."""

from django.shortcuts import render

from accounts import selectors as account_selectors
from surveys import selectors as survey_selectors
from teamhub.lib.tenancy import membership_required
from teams import selectors as team_selectors
from work import selectors as work_selectors


@membership_required()
def home(request, membership):
    context = {
        "role_counts": account_selectors.role_counts(membership=membership),
        # The person's teams, each with their role and what excellence looks like in it.
        "my_teams": team_selectors.my_excellence(membership=membership),
        # The quick win form comes from work's template tag, which builds its form.
        "wins": work_selectors.win_cards(membership=membership, limit=5),
        # The oldest three of each box, each knowing how many more wait in the inbox.
        "boxes": work_selectors.inbox(membership=membership, limit=3),
        "surveys": list(survey_selectors.pending_rounds(membership=membership)),
    }
    return render(request, "hub/home.html", context)
