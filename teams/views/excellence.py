"""A person's excellence criteria on a team: they and their team's managers adapt
them; every change is kept with who, when, before and after."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from teamhub.lib.forms import attempt, is_htmx
from teamhub.lib.tenancy import membership_required
from teams import access, selectors, services
from teams.forms import CriterionForm


@membership_required()
def member_excellence(request, membership, pk):
    team_membership = access.access_team_membership(membership=membership, team_membership_id=pk)
    return _excellence_page(request, membership, team_membership)


@membership_required()
@require_POST
def criterion_add(request, membership, pk):
    team_membership = access.access_team_membership(membership=membership, team_membership_id=pk)
    access.require_excellence_editor(membership, team_membership)
    form = CriterionForm(request.POST, auto_id="new-%s")
    if form.is_valid() and attempt(
        form, services.criterion_add, actor=membership, team_membership=team_membership, **form.cleaned_data
    ):
        if not is_htmx(request):
            return redirect("teams:member_excellence", pk=pk)
        form = None
    return _excellence_page(request, membership, team_membership, add_form=form)


@membership_required()
@require_POST
def criterion_update(request, membership, pk):
    criterion = access.access_criterion(membership=membership, criterion_id=pk, write=True)
    form = CriterionForm(request.POST, auto_id=f"ec{pk}-%s")
    if form.is_valid() and attempt(
        form, services.criterion_update, actor=membership, criterion=criterion, **form.cleaned_data
    ):
        if not is_htmx(request):
            return redirect("teams:member_excellence", pk=criterion.team_membership_id)
        form = None
    team_membership = access.access_team_membership(
        membership=membership, team_membership_id=criterion.team_membership_id
    )
    return _excellence_page(request, membership, team_membership, row=(pk, form) if form else None)


@membership_required()
@require_POST
def criterion_delete(request, membership, pk):
    criterion = access.access_criterion(membership=membership, criterion_id=pk, write=True)
    team_membership_id = criterion.team_membership_id
    services.criterion_delete(actor=membership, criterion=criterion)
    if not is_htmx(request):
        return redirect("teams:member_excellence", pk=team_membership_id)
    team_membership = access.access_team_membership(membership=membership, team_membership_id=team_membership_id)
    return _excellence_page(request, membership, team_membership)


def _excellence_page(request, membership, team_membership, *, add_form=None, row=None):
    """The page, or with htmx only its criteria-and-history section; ``row`` is a
    (criterion id, bound form) pair to show with its errors."""
    criteria = list(team_membership.criteria.all())
    for criterion in criteria:
        if row and row[0] == criterion.pk:
            criterion.form = row[1]
        else:
            initial = {"looks_like": criterion.looks_like, "measure": criterion.measure}
            criterion.form = CriterionForm(initial=initial, auto_id=f"ec{criterion.pk}-%s")
    context = {
        "tm": team_membership,
        "criteria": criteria,
        "history": selectors.excellence_history(team_membership=team_membership),
        "can_edit": access.can_edit_excellence(membership, team_membership),
        "add_form": add_form or CriterionForm(auto_id="new-%s"),
    }
    template = "teams/partials/excellence_update.html" if is_htmx(request) else "teams/member_excellence.html"
    return render(request, template, context)
