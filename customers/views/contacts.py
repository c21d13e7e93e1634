"""Contacts of an account: the people there and what the team remembers about them.

With htmx, editing and "still right" swap the contact's card in place; without it,
they land back on the account page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from customers import access, selectors, services
from customers.forms import ContactForm
from customers.views.accounts import account_page
from teamhub.lib.forms import attempt, changes_of, is_htmx
from teamhub.lib.tenancy import membership_required


def _back_to(contact) -> str:
    return reverse("customers:account_detail", kwargs={"pk": contact.account_id}) + f"#contact-{contact.pk}"


def _card(request, contact, *, form=None):
    """The contact's card (or its edit form) for htmx to swap in."""
    contact.needs_review = selectors.needs_review(contact)
    context = {"contact": contact, "form": form, "account": contact.account}
    return render(request, "customers/partials/contact.html", context)


@membership_required()
@require_POST
def contact_create(request, membership, pk):
    account = access.access_account(membership=membership, account_id=pk, full=True)
    form = ContactForm(request.POST, auto_id="new-contact-%s")
    contact = form.is_valid() and attempt(
        form, services.contact_create, actor=membership, account=account, **form.cleaned_data
    )
    if contact:
        messages.success(request, f"{contact.name} added.")
        return redirect(_back_to(contact))
    return account_page(request, membership, account, contact_form=form)


@membership_required()
@require_http_methods(["GET", "POST"])
def contact_update(request, membership, pk):
    contact = access.access_contact(membership=membership, contact_id=pk)
    initial = {field: getattr(contact, field) for field in services.CONTACT_FIELDS}
    form = ContactForm(request.POST or None, initial=initial, auto_id=f"contact-{contact.pk}-%s")
    saved = (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.contact_update, actor=membership, contact=contact, **changes_of(form))
    )
    if saved and not is_htmx(request):
        messages.success(request, f"{contact.name} saved.")
        return redirect(_back_to(contact))
    if is_htmx(request):
        return _card(request, contact, form=None if saved else form)
    return render(request, "customers/contact_form.html", {"form": form, "contact": contact})


@membership_required()
@require_POST
def contact_mark_reviewed(request, membership, pk):
    contact = access.access_contact(membership=membership, contact_id=pk)
    services.contact_mark_reviewed(actor=membership, contact=contact)
    if is_htmx(request):
        return _card(request, contact)
    messages.success(request, f"What we remember about {contact.name} is marked as still right.")
    return redirect(_back_to(contact))


@membership_required()
@require_POST
def contact_delete(request, membership, pk):
    contact = access.access_contact(membership=membership, contact_id=pk)
    services.contact_delete(actor=membership, contact=contact)
    messages.success(request, f"{contact.name} removed.")
    return redirect("customers:account_detail", pk=contact.account_id)
