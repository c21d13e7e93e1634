"""Follow-ups: customer needs being handled, and moving them along.

With htmx a status change swaps the follow-up's row in place; without it, the
account page is shown again.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from customers import access, services
from customers.forms import FollowUpForm, FollowUpStatusForm
from customers.views.accounts import account_page
from teamhub.lib.forms import attempt, changes_of, is_htmx
from teamhub.lib.tenancy import membership_required

MOVED = {
    "open": "reopened",
    "in_progress": "started",
    "done": "done",
    "cancelled": "cancelled",
}


def _back_to(follow_up) -> str:
    return reverse("customers:account_detail", kwargs={"pk": follow_up.account_id}) + f"#follow-up-{follow_up.pk}"


@membership_required()
@require_POST
def follow_up_create(request, membership, pk):
    account = access.access_account(membership=membership, account_id=pk, full=True)
    form = FollowUpForm(request.POST, account=account, auto_id="new-follow-up-%s")
    follow_up = form.is_valid() and attempt(
        form, services.follow_up_create, actor=membership, account=account, **form.cleaned_data
    )
    if follow_up:
        messages.success(request, f"Follow-up “{follow_up.summary}” opened.")
        return redirect(_back_to(follow_up))
    return account_page(request, membership, account, follow_up_form=form)


@membership_required()
@require_http_methods(["GET", "POST"])
def follow_up_update(request, membership, pk):
    follow_up = access.access_follow_up(membership=membership, follow_up_id=pk)
    fields = ("summary", "contact", "owner", "due_date", "outcome")
    initial = {field: getattr(follow_up, field) for field in fields}
    form = FollowUpForm(request.POST or None, initial=initial, account=follow_up.account, editing=True)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.follow_up_update, actor=membership, follow_up=follow_up, **changes_of(form))
    ):
        messages.success(request, f"Follow-up “{follow_up.summary}” saved.")
        return redirect(_back_to(follow_up))
    return render(request, "customers/follow_up_form.html", {"form": form, "follow_up": follow_up})


@membership_required()
@require_POST
def follow_up_status(request, membership, pk):
    """Start, finish (with an outcome), cancel or reopen; the service says which moves are legal."""
    follow_up = access.access_follow_up(membership=membership, follow_up_id=pk)
    form = FollowUpStatusForm(request.POST)
    moved = None
    if form.is_valid():
        outcome = form.cleaned_data["outcome"] or None
        status = form.cleaned_data["status"]
        moved = attempt(
            form, services.follow_up_set_status, actor=membership, follow_up=follow_up, status=status, outcome=outcome
        )
    if moved:
        messages.success(request, f"“{moved.summary}” {MOVED[moved.status]}.")
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, error or "That move is not possible.")
    if is_htmx(request):
        follow_up = access.access_follow_up(membership=membership, follow_up_id=pk)
        follow_up.needs_outcome = services.outcome_required(follow_up) is not None
        context = {"f": follow_up, "error": None if moved else form.errors}
        return render(request, "customers/partials/follow_up_update.html", context)
    return redirect(_back_to(follow_up))
