"""The pages that join every app. Home: what the person should see first each day."""

from django.shortcuts import render

from hub import selectors
from teamhub.lib.tenancy import membership_required


@membership_required()
def home(request, membership):
    # The quick win form comes from work's template tag, which builds its form.
    return render(request, "hub/home.html", selectors.home(membership=membership))
