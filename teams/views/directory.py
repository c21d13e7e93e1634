"""The directory: who is in the organisation, on which teams, in which functions,
strong at what; a person's profile, their own strengths and colleagues' endorsements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Membership
from teamhub.lib.forms import attempt, attempt_or_flash, is_htmx
from teamhub.lib.tenancy import get_visible_or_404, membership_required
from teams import selectors, services
from teams.forms import DirectoryFilterForm, MemberStrengthForm
from teams.models import MemberStrength


@membership_required()
def directory(request, membership):
    form = DirectoryFilterForm(request.GET or None, membership=membership)
    filters = form.cleaned_data if form.is_valid() else {}
    strength = filters.get("strength")
    function = filters.get("function")
    people = selectors.directory(
        membership=membership,
        query=(filters.get("q") or "").strip(),
        function_id=function.pk if function else None,
        strength_id=strength.pk if strength else None,
    )
    context = {
        "form": form,
        "people": people,
        "strength": strength,
        "strong_at": selectors.strong_at(membership=membership, strength=strength) if strength else None,
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "teams/directory.html", context)


@membership_required()
def person(request, membership, pk):
    profile = get_visible_or_404(Membership.objects.select_related("user"), membership, pk=pk)
    return _person_page(request, membership, profile)


@membership_required()
@require_POST
def my_strength_set(request, membership):
    """Add one of your own strengths, or change its level."""
    form = MemberStrengthForm(request.POST, membership=membership)
    if form.is_valid():
        marked = attempt(form, services.member_strength_set, actor=membership, **form.cleaned_data)
        if marked:
            messages.success(request, f"{marked.strength.name}: {marked.get_level_display().lower()}.")
            if not is_htmx(request):
                return redirect("teams:person", pk=membership.pk)
            form = None
    return _person_page(request, membership, membership, strength_form=form)


@membership_required()
@require_POST
def my_strength_remove(request, membership, pk):
    member_strength = _member_strength(membership, pk)
    if member_strength.membership_id != membership.pk:
        raise PermissionDenied("You can remove only your own strengths.")
    services.member_strength_remove(actor=membership, member_strength=member_strength)
    messages.success(request, f"{member_strength.strength.name} removed from your strengths.")
    return _after_strength_change(request, membership, membership)


@membership_required()
@require_POST
def endorse(request, membership, pk):
    member_strength = _member_strength(membership, pk)
    if member_strength.membership_id == membership.pk:
        raise PermissionDenied("You cannot endorse your own strength.")
    holder = member_strength.membership
    if attempt_or_flash(request, services.endorsement_create, actor=membership, member_strength=member_strength):
        messages.success(request, f"You endorsed {holder.user.display_name} for {member_strength.strength.name}.")
    return _after_strength_change(request, membership, holder)


@membership_required()
@require_POST
def unendorse(request, membership, pk):
    member_strength = _member_strength(membership, pk)
    services.endorsement_remove(actor=membership, member_strength=member_strength)
    messages.info(request, f"Endorsement of {member_strength.strength.name} withdrawn.")
    return _after_strength_change(request, membership, member_strength.membership)


def _member_strength(membership, pk) -> MemberStrength:
    queryset = MemberStrength.objects.select_related("strength", "membership__user")
    return get_visible_or_404(queryset.filter(membership__is_active=True), membership, pk=pk)


def _after_strength_change(request, membership, profile):
    if is_htmx(request):
        return _person_page(request, membership, profile)
    return redirect("teams:person", pk=profile.pk)


def _person_page(request, membership, profile, *, strength_form=None):
    is_self = profile.pk == membership.pk
    context = {
        "profile": profile,
        "is_self": is_self,
        "strengths": selectors.strengths_of(membership=profile, viewer=membership),
        "levels": MemberStrength.Level.choices,
    }
    if is_self:
        context["strength_form"] = strength_form or MemberStrengthForm(membership=membership)
    if is_htmx(request):
        return render(request, "teams/partials/person_strengths_update.html", context)
    context["teams"] = selectors.my_excellence(membership=profile)
    return render(request, "teams/person.html", context)
