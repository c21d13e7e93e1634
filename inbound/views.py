"""Pages for feedback from other tools (admins: webhooks and the unmatched list;
managers and admins: NPS history imports), and the two public webhook endpoints."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.imports import services as import_services
from customers.imports.run import progress_cache_key
from customers.models import CustomerImport
from inbound import access, forms, hooks, selectors, services
from inbound.history import KIND, NPS_HISTORY
from inbound.models import Scheme
from teamhub.lib.forms import apply_validation_error, attempt, attempt_or_flash
from teamhub.lib.tenancy import Role, membership_required

ERRORS_SHOWN = 200


# --- Webhook secrets ----------------------------------------------------------------------


def _sources_page(request, membership, *, secret=None, source=None, status=200):
    sources = list(selectors.source_list(membership=membership))
    context = {
        "sources": sources,
        "missing": [s for s in Scheme if s not in {source.scheme for source in sources}],
        "secret": secret,
        "shown_source": source,
        "unmatched_count": selectors.unmatched_list(membership=membership).count(),
        "rotate_form": forms.RotateForm(),
        "hook_urls": {
            Scheme.STANDARD: request.build_absolute_uri(f"/hooks/{membership.organization.slug}/nps/"),
            Scheme.TYPEFORM: request.build_absolute_uri(f"/hooks/{membership.organization.slug}/typeform/"),
        },
    }
    return render(request, "inbound/sources.html", context, status=status)


@membership_required(Role.ADMIN)
@require_GET
def sources(request, membership):
    return _sources_page(request, membership)


@membership_required(Role.ADMIN)
@require_POST
def source_create(request, membership):
    """The secret is in this response alone: it is stored encrypted and never shown again."""
    form = forms.SourceCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Standard Webhooks or Typeform.")
        return redirect("inbound:sources")
    try:
        source, secret = services.source_create(actor=membership, scheme=form.cleaned_data["scheme"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inbound:sources")
    return _sources_page(request, membership, secret=secret, source=source)


@membership_required()  # the object is the admins': anyone else finds nothing (404)
@require_POST
def source_rotate(request, membership, pk):
    source = access.access_source(membership=membership, source_id=pk)
    form = forms.RotateForm(request.POST)
    keep = form.is_valid() and form.cleaned_data["keep_previous"]
    source, secret = services.source_rotate(actor=membership, source=source, keep_previous=keep)
    return _sources_page(request, membership, secret=secret, source=source)


@membership_required()  # the object is the admins': anyone else finds nothing (404)
@require_POST
def source_delete(request, membership, pk):
    source = access.access_source(membership=membership, source_id=pk)
    services.source_delete(actor=membership, source=source)
    messages.success(request, f"The {source.get_scheme_display()} webhook is off: deliveries to it are refused.")
    return redirect("inbound:sources")


@membership_required()  # the object is the admins': anyone else finds nothing (404)
@require_http_methods(["GET", "POST"])
def typeform_mapping(request, membership, pk):
    source = access.access_source(membership=membership, source_id=pk)
    initial = {name: getattr(source, name) for name in services.MAPPING_FIELDS}
    form = forms.TypeformMappingForm(request.POST or None, initial=initial)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.source_configure, actor=membership, source=source, **form.cleaned_data)
    )
    if saved:
        messages.success(request, "Saved: new Typeform responses are read this way.")
        return redirect("inbound:sources")
    return render(
        request, "inbound/typeform.html", {"form": form, "source": source}, status=400 if form.errors else 200
    )


# --- The unmatched list ---------------------------------------------------------------------


@membership_required(Role.ADMIN)
@require_GET
def unmatched(request, membership):
    context = {
        "items": selectors.unmatched_list(membership=membership)[:100],
        # One list for every row's selects: the queries do not grow with the rows.
        "accounts": list(selectors.assignable_accounts(membership=membership)),
        "contacts": list(selectors.assignable_contacts(membership=membership)),
    }
    return render(request, "inbound/unmatched.html", context)


@membership_required()  # the object is the admins': anyone else finds nothing (404)
@require_POST
def unmatched_assign(request, membership, pk):
    item = access.access_unmatched(membership=membership, unmatched_id=pk)
    form = forms.AssignForm(request.POST, membership=membership, prefix=f"u{pk}")
    if not form.is_valid():
        problems = "; ".join(f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
        messages.error(request, f"Not assigned: {problems}")
        return redirect("inbound:unmatched")
    account, contact = form.cleaned_data["account"], form.cleaned_data["contact"]
    if attempt_or_flash(
        request, services.unmatched_assign, actor=membership, unmatched=item, account=account, contact=contact
    ):
        messages.success(request, f"Recorded as {account.name}'s feedback.")
    return redirect("inbound:unmatched")


@membership_required()  # the object is the admins': anyone else finds nothing (404)
@require_POST
def unmatched_dismiss(request, membership, pk):
    item = access.access_unmatched(membership=membership, unmatched_id=pk)
    if attempt_or_flash(request, services.unmatched_dismiss, actor=membership, unmatched=item):
        messages.success(request, "Dismissed.")
    return redirect("inbound:unmatched")


# --- NPS history imports ------------------------------------------------------------------


@membership_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def imports(request, membership):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = import_services.import_upload(
                actor=membership, uploaded_file=form.cleaned_data["file"], kind=NPS_HISTORY
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("inbound:import_map", pk=item.pk)
    items = selectors.history_imports(membership=membership)[:50]
    return render(request, "inbound/imports.html", {"form": form, "imports": items, "kind": KIND})


@membership_required()
@require_http_methods(["GET", "POST"])
def import_map(request, membership, pk):
    item = access.access_history_import(membership=membership, import_id=pk)
    if not item.can_change:
        return redirect("inbound:import_detail", pk=pk)
    form = forms.HistoryMappingForm(request.POST or None, customer_import=item)
    if request.method == "POST" and form.is_valid():
        mapping = dict(form.cleaned_data)
        if attempt(
            form,
            import_services.import_configure,
            actor=membership,
            customer_import=item,
            mapping=mapping,
            default_team=None,
        ):
            return redirect("inbound:import_preview", pk=pk)
    return render(request, "inbound/import_map.html", {"form": form, "import": item})


@membership_required()
@require_GET
def import_preview(request, membership, pk):
    item = access.access_history_import(membership=membership, import_id=pk)
    preview = None
    try:
        preview = import_services.import_preview(customer_import=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    context = {"import": item, "preview": preview, "editable": item.can_change}
    return render(request, "inbound/import_preview.html", context)


@membership_required()
@require_POST
def import_start(request, membership, pk):
    item = access.access_history_import(membership=membership, import_id=pk)
    if not attempt_or_flash(request, import_services.import_start, actor=membership, customer_import=item):
        return redirect("inbound:import_preview", pk=pk)
    return redirect("inbound:import_detail", pk=pk)


@membership_required()
@require_GET
def import_detail(request, membership, pk):
    item = access.access_history_import(membership=membership, import_id=pk)
    return render(request, "inbound/import_detail.html", _progress_context(item))


@membership_required()
@require_GET
def import_progress(request, membership, pk):
    """The fragment htmx polls every second while the import is queued or running."""
    item = access.access_history_import(membership=membership, import_id=pk)
    return render(request, "inbound/partials/import_progress.html", _progress_context(item))


def _progress_context(item: CustomerImport) -> dict:
    active = item.status in (CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING)
    if item.status == CustomerImport.Status.RUNNING:
        for name, value in (cache.get(progress_cache_key(item.pk)) or {}).items():
            setattr(item, name, value)
    errors = item.errors or []
    labels = {key: target.label for key, target in KIND.targets_by_key.items()}
    shown = [{**e, "label": labels.get(e["column"], e["column"])} for e in errors[:ERRORS_SHOWN]]
    return {"import": item, "active": active, "errors": shown, "more_errors": max(0, len(errors) - ERRORS_SHOWN)}


# --- The webhook endpoints (public: the signature is the credential) --------------------------


def _respond(outcome: hooks.Outcome) -> JsonResponse:
    return JsonResponse(outcome.body, status=outcome.status)


def _too_large(request):
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > hooks.MAX_BODY


@csrf_exempt  # signed by the sender instead: no session, no cookie, nothing to forge
@require_POST
def hook_standard(request, org_slug):
    if _too_large(request):
        return JsonResponse({"error": {"status": 413, "code": "too_large", "message": "Too large."}}, status=413)
    headers = dict(request.headers.items())
    return _respond(hooks.receive_standard(org_slug=org_slug, body=request.body, headers=headers))


@csrf_exempt  # signed by Typeform instead
@require_POST
def hook_typeform(request, org_slug):
    if _too_large(request):
        return JsonResponse({"error": {"status": 413, "code": "too_large", "message": "Too large."}}, status=413)
    signature = request.headers.get("Typeform-Signature", "")
    return _respond(hooks.receive_typeform(org_slug=org_slug, body=request.body, signature=signature))
