"""Handoffs: sending one (with suggestions of whom to ask), its page with the moves
the viewer may make, and the inbox (with the person's notifications)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import CustomerAccount
from notifications import selectors as notification_selectors
from teamhub.lib.forms import apply_validation_error, attempt
from teamhub.lib.tenancy import membership_required
from work import access, selectors, services
from work.forms import HandoffForm, ReasonForm, SuggestForm
from work.models import Handoff
from work.services.handoffs import is_breached, time_to_accept

S = Handoff.Status
SERVICES = {
    "accept": services.handoff_accept,
    "decline": services.handoff_decline,
    "complete": services.handoff_complete,
    "return": services.handoff_return,
    "cancel": services.handoff_cancel,
}
NEEDS_REASON = {"decline", "return"}
NOTIFICATIONS_SHOWN = 50


@membership_required()
def handoff_detail(request, membership, pk):
    return _detail(request, membership, access.access_handoff(membership=membership, handoff_id=pk))


def _detail(request, membership, handoff, *, reason_form=None, failed_move="", status=200):
    now = timezone.now()
    moves = access.allowed_moves(membership, handoff)
    context = {
        "handoff": handoff,
        "age": now - handoff.created_at,
        "time_to_accept": time_to_accept(handoff),
        "breached": is_breached(handoff, now),
        "events": selectors.handoff_history(handoff=handoff),
        "moves": moves,
        "reason_forms": {
            move: reason_form if move == failed_move else ReasonForm(auto_id=f"{move}-%s")
            for move in NEEDS_REASON
            if move in moves
        },
    }
    return render(request, "work/handoff_detail.html", context, status=status)


@membership_required()
@require_POST
def handoff_move(request, membership, pk, move):
    """accept, decline, complete, return or cancel. The service decides what is legal;
    a refusal shows its message, a missing reason lands on the reason field."""
    handoff = access.access_handoff(membership=membership, handoff_id=pk)
    form = ReasonForm(request.POST, auto_id=f"{move}-%s")
    kwargs = {"reason": request.POST.get("reason", "")} if move in NEEDS_REASON else {}
    try:
        handoff = SERVICES[move](actor=membership, handoff=handoff, **kwargs)
    except ValidationError as error:
        if getattr(error, "error_dict", {}).keys() & {"reason"}:
            apply_validation_error(form, error)
            return _detail(request, membership, handoff, reason_form=form, failed_move=move)
        messages.error(request, " ".join(error.messages))
        return redirect("work:handoff_detail", pk=handoff.pk)
    messages.success(request, f"“{handoff.subject}” is {handoff.get_status_display().lower()}.")
    return redirect("work:handoff_detail", pk=handoff.pk)


@membership_required()
@require_http_methods(["GET", "POST"])
def handoff_create(request, membership):
    initial = {key: request.GET[key] for key in ("account", "to_member", "to_team") if request.GET.get(key)}
    form = HandoffForm(request.POST or None, membership=membership, initial=initial, auto_id="handoff-%s")
    if request.method == "POST" and form.is_valid():
        handoff = attempt(form, services.handoff_create, actor=membership, **form.service_kwargs())
        if handoff:
            messages.success(request, f"“{handoff.subject}” handed to {_recipient_name(handoff)}.")
            return redirect("work:handoff_detail", pk=handoff.pk)
    context = {"form": form, **_suggestions(membership, form.data if form.is_bound else initial)}
    return render(request, "work/handoff_form.html", context)


@membership_required()
def handoff_suggestions(request, membership):
    """The suggestions block, refreshed by htmx when the account, strength or function
    changes, with the follow-up select (out of band) narrowed to the chosen customer's."""
    form = HandoffForm(initial=request.GET.dict(), membership=membership, auto_id="handoff-%s")
    context = {"form": form, **_suggestions(membership, request.GET)}
    return render(request, "work/partials/suggestions_update.html", context)


def _suggestions(membership, data) -> dict:
    form = SuggestForm(data, membership=membership)
    chosen = form.cleaned_data if form.is_valid() else {}
    account: CustomerAccount | None = chosen.get("account")
    if account is None:
        return {"suggestions": None}
    found = selectors.suggest_recipients(
        membership=membership, account=account, strength=chosen.get("strength"), function=chosen.get("function")
    )
    return {"suggestions": found, "suggest_account": account}


def _recipient_name(handoff) -> str:
    return handoff.to_member.user.display_name if handoff.to_member_id else handoff.to_team.name


# --- The inbox and notifications -------------------------------------------------------------


@membership_required()
def inbox(request, membership):
    return render(request, "work/inbox.html", _inbox_context(membership))


def _inbox_context(membership) -> dict:
    # The list stops at 50; its unread count, like the navigation's, counts them all
    # (partials/notifications.html asks the navigation's tag, which counts once a request).
    notifications = notification_selectors.notification_list(membership=membership)[:NOTIFICATIONS_SHOWN]
    return {"boxes": selectors.inbox(membership=membership), "notifications": notifications}
