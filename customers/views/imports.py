"""CSV import pages (upload, map columns, preview, start, progress) and the export."""

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers import selectors
from customers.exports import export_lines
from customers.forms import AccountFilterForm
from customers.imports import parsing, services
from customers.imports.run import progress_cache_key
from customers.models import CustomerImport
from teamhub.lib.forms import ModelChoiceField, apply_validation_error
from teamhub.lib.tenancy import Role, get_visible_or_404, membership_required
from teams.models import Team

ERRORS_SHOWN = 200


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma or semicolon separated, up to 50 MB.")


class MappingForm(forms.Form):
    """One select of the file's columns per field, and the default team."""

    def __init__(self, *args, customer_import: CustomerImport, membership, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [(h, h) for h in customer_import.headers if h]
        for key, target in parsing.TARGETS.items():
            self.fields[key] = forms.ChoiceField(label=target.label, choices=choices, required=False)
            self.fields[key].initial = customer_import.mapping.get(key, "")
        teams = Team.objects.for_org(membership.organization_id)
        if not membership.is_admin:
            teams = teams.filter(managers=membership)
        self.fields["default_team"] = ModelChoiceField(
            queryset=teams,
            required=False,
            label="Default owning team",
            help_text="For new accounts on rows without a team.",
            initial=customer_import.default_team_id,
        )

    def account_fields(self):
        return [self[t.key] for t in parsing.ACCOUNT_TARGETS]

    def contact_fields(self):
        return [self[t.key] for t in parsing.CONTACT_TARGETS]


def _import_for(membership, pk) -> CustomerImport:
    """The creator's or (for admins) any of the organisation's imports; else 404."""
    queryset = CustomerImport.objects.of_kind("accounts").select_related("default_team", "created_by__user")
    customer_import = get_visible_or_404(queryset, membership, pk=pk)
    services.require_importer(membership)
    return customer_import


@membership_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def import_list(request, membership):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_import = services.import_upload(actor=membership, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("customers:import_map", pk=customer_import.pk)
    imports = selectors.import_list(membership=membership)[:50]
    return render(request, "customers/import_list.html", {"form": form, "imports": imports})


@membership_required()
@require_http_methods(["GET", "POST"])
def import_map(request, membership, pk):
    customer_import = _import_for(membership, pk)
    if not customer_import.can_change:
        return redirect("customers:import_detail", pk=pk)
    form = MappingForm(request.POST or None, customer_import=customer_import, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        default_team = data.pop("default_team")
        try:
            services.import_configure(
                actor=membership, customer_import=customer_import, mapping=data, default_team=default_team
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("customers:import_preview", pk=pk)
    return render(request, "customers/import_map.html", {"form": form, "import": customer_import})


@membership_required()
@require_GET
def import_preview(request, membership, pk):
    customer_import = _import_for(membership, pk)
    preview = None
    try:
        preview = services.import_preview(customer_import=customer_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    context = {"import": customer_import, "preview": preview, "editable": customer_import.can_change}
    return render(request, "customers/import_preview.html", context)


@membership_required()
@require_POST
def import_start(request, membership, pk):
    customer_import = _import_for(membership, pk)
    try:
        services.import_start(actor=membership, customer_import=customer_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("customers:import_preview", pk=pk)
    return redirect("customers:import_detail", pk=pk)


@membership_required()
@require_GET
def import_detail(request, membership, pk):
    customer_import = _import_for(membership, pk)
    return render(request, "customers/import_detail.html", _progress_context(customer_import))


@membership_required()
@require_GET
def import_progress(request, membership, pk):
    """The progress fragment htmx polls every second while the import is queued or running."""
    customer_import = _import_for(membership, pk)
    return render(request, "customers/import_progress.html", _progress_context(customer_import))


def _progress_context(customer_import: CustomerImport) -> dict:
    active = customer_import.status in (CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING)
    if customer_import.status == CustomerImport.Status.RUNNING:
        # While rows are written the worker reports progress through the cache.
        for field, value in (cache.get(progress_cache_key(customer_import.pk)) or {}).items():
            setattr(customer_import, field, value)
    errors = customer_import.errors or []
    shown = [{**e, "label": getattr(parsing.TARGETS.get(e["column"]), "label", "")} for e in errors[:ERRORS_SHOWN]]
    return {
        "import": customer_import,
        "active": active,
        "errors": shown,
        "more_errors": max(0, len(errors) - ERRORS_SHOWN),
    }


@membership_required()
@require_GET
def export(request, membership):
    """The account list as CSV, filtered by the list page's query string.

    The filters are checked before the first line is sent: once a streamed response has
    begun, an error can only cut the download short, behind a 200.
    """
    form = AccountFilterForm(request.GET, membership=membership)
    if not form.is_valid():
        return HttpResponseBadRequest(_filter_errors(form), content_type="text/plain; charset=utf-8")
    accounts = selectors.account_list(membership=membership, **form.filters())
    response = StreamingHttpResponse(export_lines(accounts), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="accounts-{stamp}.csv"'
    return response


def _filter_errors(form) -> str:
    problems = "; ".join(f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
    return f"Nothing was exported: the filters are not valid ({problems}). Go back to the list and filter again."
