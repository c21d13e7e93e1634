"""Organisation-wide configuration (admins): values, functions, roles with their
excellence templates, and the strengths catalogue."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from teamhub.lib.forms import attempt, attempt_or_flash, changes_of, is_htmx
from teamhub.lib.tenancy import Role, membership_required
from teams import selectors, services
from teams.forms import CriterionForm, FunctionForm, JobRoleForm, StrengthForm, ValueForm
from teams.models import Function, JobRole, Strength, Value
from teams.views._common import admin_object, admin_role_criterion

# --- Values ------------------------------------------------------------------------------------


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def values(request, membership):
    form = ValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = attempt(form, services.value_create, actor=membership, **form.cleaned_data)
        if value:
            messages.success(request, f"Value “{value.name}” added.")
            return redirect("teams:values")
    context = {"form": form, "values": selectors.value_list(membership=membership, include_archived=True)}
    return render(request, "teams/config/values.html", context)


@membership_required()
@require_http_methods(["GET", "POST"])
def value_update(request, membership, pk):
    value = admin_object(Value.objects.all(), membership, pk)
    initial = {"name": value.name, "description": value.description, "order": value.order}
    form = ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = changes_of(form, skip_empty=("order",))
        if attempt(form, services.value_update, actor=membership, value=value, **changes):
            messages.success(request, f"Value “{value.name}” saved.")
            return redirect("teams:values")
    return render(request, "teams/config/edit.html", _edit_context(form, value, "value", "teams:values", "Values"))


@membership_required()
@require_POST
def value_archive(request, membership, pk):
    value = admin_object(Value.objects.all(), membership, pk)
    archive = request.POST.get("action") != "restore"
    if attempt_or_flash(request, services.value_update, actor=membership, value=value, is_active=not archive):
        messages.success(request, f"“{value.name}” {'archived' if archive else 'restored'}.")
    if is_htmx(request):
        value.refresh_from_db()
        return render(request, "teams/config/partials/value_update.html", {"value": value})
    return redirect("teams:values")


# --- Functions ---------------------------------------------------------------------------------


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def functions(request, membership):
    form = FunctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        function = attempt(form, services.function_create, actor=membership, **form.cleaned_data)
        if function:
            messages.success(request, f"Function “{function.name}” added.")
            return redirect("teams:functions")
    context = {"form": form, "functions": selectors.function_list(membership=membership)}
    return render(request, "teams/config/functions.html", context)


@membership_required()
@require_http_methods(["GET", "POST"])
def function_update(request, membership, pk):
    function = admin_object(Function.objects.all(), membership, pk)
    form = FunctionForm(request.POST or None, initial={"name": function.name, "order": function.order})
    if request.method == "POST" and form.is_valid():
        changes = changes_of(form, skip_empty=("order",))
        if attempt(form, services.function_update, actor=membership, function=function, **changes):
            messages.success(request, f"Function “{function.name}” saved.")
            return redirect("teams:functions")
    context = _edit_context(form, function, "function", "teams:functions", "Functions")
    return render(request, "teams/config/edit.html", context)


@membership_required()
@require_POST
def function_delete(request, membership, pk):
    function = admin_object(Function.objects.all(), membership, pk)
    if attempt_or_flash(request, services.function_delete, actor=membership, function=function):
        messages.success(request, f"Function “{function.name}” deleted.")
    return redirect("teams:functions")


# --- Roles and their excellence templates ---------------------------------------------------------


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def roles(request, membership):
    form = JobRoleForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        role = attempt(form, services.job_role_create, actor=membership, **form.cleaned_data)
        if role:
            messages.success(request, f"Role “{role.name}” added. Now say what excellence looks like in it.")
            return redirect("teams:role_detail", pk=role.pk)
    context = {"form": form, "roles": selectors.job_role_list(membership=membership)}
    return render(request, "teams/config/roles.html", context)


@membership_required()
@require_http_methods(["GET", "POST"])
def role_detail(request, membership, pk):
    role = admin_object(JobRole.objects.select_related("function"), membership, pk)
    initial = {"function": role.function_id, "name": role.name, "purpose": role.purpose}
    form = JobRoleForm(request.POST or None, initial=initial, membership=membership)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.job_role_update, actor=membership, role=role, **changes_of(form))
    ):
        messages.success(request, f"Role “{role.name}” saved.")
        return redirect("teams:role_detail", pk=role.pk)
    return _role_page(request, membership, role, role_form=form)


@membership_required()
@require_POST
def role_delete(request, membership, pk):
    role = admin_object(JobRole.objects.all(), membership, pk)
    if attempt_or_flash(request, services.job_role_delete, actor=membership, role=role):
        messages.success(request, f"Role “{role.name}” deleted.")
        return redirect("teams:roles")
    return redirect("teams:role_detail", pk=role.pk)


@membership_required()
@require_POST
def role_criterion_add(request, membership, pk):
    role = admin_object(JobRole.objects.select_related("function"), membership, pk)
    form = CriterionForm(request.POST, auto_id="new-%s")
    if form.is_valid() and attempt(form, services.role_criterion_add, actor=membership, role=role, **form.cleaned_data):
        if not is_htmx(request):
            return redirect("teams:role_detail", pk=role.pk)
        form = None  # a fresh one for the next criterion
    return _role_page(request, membership, role, add_form=form)


@membership_required()
@require_POST
def role_criterion_update(request, membership, pk):
    criterion = admin_role_criterion(membership, pk)
    form = CriterionForm(request.POST, auto_id=f"rc{criterion.pk}-%s")
    changes = form.cleaned_data if form.is_valid() else None
    if changes and attempt(form, services.role_criterion_update, actor=membership, criterion=criterion, **changes):
        if not is_htmx(request):
            return redirect("teams:role_detail", pk=criterion.role_id)
        return _role_page(request, membership, criterion.role)
    return _role_page(request, membership, criterion.role, row=(criterion.pk, form))


@membership_required()
@require_POST
def role_criterion_delete(request, membership, pk):
    criterion = admin_role_criterion(membership, pk)
    services.role_criterion_delete(actor=membership, criterion=criterion)
    if is_htmx(request):
        return _role_page(request, membership, criterion.role)
    return redirect("teams:role_detail", pk=criterion.role_id)


def _role_page(request, membership, role, *, role_form=None, add_form=None, row=None):
    """The role page, or with htmx only its template section; ``row`` is a
    (criterion id, bound form) pair to show with its errors."""
    criteria = list(role.criteria.all())
    for criterion in criteria:
        if row and row[0] == criterion.pk:
            criterion.form = row[1]
        else:
            initial = {"looks_like": criterion.looks_like, "measure": criterion.measure}
            criterion.form = CriterionForm(initial=initial, auto_id=f"rc{criterion.pk}-%s")
    context = {"role": role, "criteria": criteria, "add_form": add_form or CriterionForm(auto_id="new-%s")}
    if is_htmx(request):
        return render(request, "teams/config/partials/role_criteria_update.html", context)
    context["form"] = role_form or JobRoleForm(
        initial={"function": role.function_id, "name": role.name, "purpose": role.purpose}, membership=membership
    )
    return render(request, "teams/config/role_detail.html", context)


# --- The strengths catalogue ------------------------------------------------------------------------


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def strengths(request, membership):
    form = StrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        strength = attempt(form, services.strength_create, actor=membership, **form.cleaned_data)
        if strength:
            messages.success(request, f"“{strength.name}” added to the catalogue.")
            return redirect("teams:strengths")
    context = {"form": form, "strengths": selectors.strength_list(membership=membership)}
    return render(request, "teams/config/strengths.html", context)


@membership_required()
@require_http_methods(["GET", "POST"])
def strength_update(request, membership, pk):
    strength = admin_object(Strength.objects.all(), membership, pk)
    initial = {"name": strength.name, "kind": strength.kind, "description": strength.description}
    form = StrengthForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.strength_update, actor=membership, strength=strength, **changes_of(form))
    ):
        messages.success(request, f"“{strength.name}” saved.")
        return redirect("teams:strengths")
    context = _edit_context(form, strength, "strength", "teams:strengths", "Strengths")
    return render(request, "teams/config/edit.html", context)


@membership_required()
@require_POST
def strength_delete(request, membership, pk):
    strength = admin_object(Strength.objects.all(), membership, pk)
    services.strength_delete(actor=membership, strength=strength)
    messages.success(request, f"“{strength.name}” removed from the catalogue, and from everyone who had it.")
    return redirect("teams:strengths")


def _edit_context(form, obj, what: str, back: str, section: str) -> dict:
    return {"form": form, "object": obj, "what": what, "back": back, "section": section}
