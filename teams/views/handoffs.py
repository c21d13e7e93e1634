"""Handoffs: sending one (with suggestions of whom to ask), its page with the moves
the viewer may make, the inbox, and notifications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from customers.models import CustomerAccount
from teamhub.lib.forms import apply_validation_error, attempt, is_htmx
from teamhub.lib.tenancy import get_visible_or_404, membership_required
from teams import selectors, services
from teams.forms_work import HandoffForm, ReasonForm, SuggestForm
from teams.models import Handoff, Notification
from teams.services.handoffs import MOVES, is_breached, is_recipient, time_to_accept

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


def _handoff(membership, pk) -> Handoff:
    queryset = Handoff.objects.select_related(
        "account__owning_team",
        "follow_up",
        "sender__user",
        "sender_team",
        "to_member__user",
        "to_team",
        "accepted_by__user",
    )
    return get_visible_or_404(queryset, membership, pk=pk)


def legal_moves(membership, handoff: Handoff) -> list[str]:
    """The moves the service would accept from this person now, for the page's buttons."""
    moves = []
    if handoff.status in MOVES["accept"][0] and is_recipient(membership, handoff):
        moves += ["accept", "decline"]
    if handoff.status in MOVES["complete"][0] and handoff.accepted_by_id == membership.pk:
        moves += ["complete", "return"]
    if handoff.status in MOVES["cancel"][0] and handoff.sender_id == membership.pk:
        moves.append("cancel")
    return moves


@membership_required()
def handoff_detail(request, membership, pk):
    return _detail(request, membership, _handoff(membership, pk))


def _detail(request, membership, handoff, *, reason_form=None, failed_move="", status=200):
    now = timezone.now()
    moves = legal_moves(membership, handoff)
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
    return render(request, "teams/work/handoff_detail.html", context, status=status)


@membership_required()
@require_POST
def handoff_move(request, membership, pk, move):
    """accept, decline, complete, return or cancel. The service decides what is legal;
    a refusal shows its message, a missing reason lands on the reason field."""
    handoff = _handoff(membership, pk)
    form = ReasonForm(request.POST, auto_id=f"{move}-%s")
    kwargs = {"reason": request.POST.get("reason", "")} if move in NEEDS_REASON else {}
    try:
        handoff = SERVICES[move](actor=membership, handoff=handoff, **kwargs)
    except ValidationError as error:
        if getattr(error, "error_dict", {}).keys() & {"reason"}:
            apply_validation_error(form, error)
            return _detail(request, membership, handoff, reason_form=form, failed_move=move)
        messages.error(request, " ".join(error.messages))
        return redirect("teams:handoff_detail", pk=handoff.pk)
    messages.success(request, f"“{handoff.subject}” is {handoff.get_status_display().lower()}.")
    return redirect("teams:handoff_detail", pk=handoff.pk)


@membership_required()
@require_http_methods(["GET", "POST"])
def handoff_create(request, membership):
    initial = {key: request.GET[key] for key in ("account", "to_member", "to_team") if request.GET.get(key)}
    form = HandoffForm(request.POST or None, membership=membership, initial=initial, auto_id="handoff-%s")
    if request.method == "POST" and form.is_valid():
        handoff = attempt(form, services.handoff_create, actor=membership, **form.service_kwargs())
        if handoff:
            messages.success(request, f"“{handoff.subject}” handed to {_recipient_name(handoff)}.")
            return redirect("teams:handoff_detail", pk=handoff.pk)
    context = {"form": form, **_suggestions(membership, form.data if form.is_bound else initial)}
    return render(request, "teams/work/handoff_form.html", context)


@membership_required()
def handoff_suggestions(request, membership):
    """The suggestions block, refreshed by htmx when the account, strength or function
    changes, with the follow-up select (out of band) narrowed to the chosen customer's."""
    form = HandoffForm(initial=request.GET.dict(), membership=membership, auto_id="handoff-%s")
    context = {"form": form, **_suggestions(membership, request.GET)}
    return render(request, "teams/work/partials/suggestions_update.html", context)


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
    return render(request, "teams/work/inbox.html", _inbox_context(membership))


def _inbox_context(membership) -> dict:
    # The list stops at 50; its unread count, like the navigation's, counts them all
    # (partials/notifications.html asks the navigation's tag, which counts once a request).
    notifications = Notification.objects.visible_to(membership).select_related("handoff", "win")[:NOTIFICATIONS_SHOWN]
    return {"boxes": selectors.inbox(membership=membership), "notifications": notifications}


@membership_required()
@require_POST
def notification_read(request, membership, pk):
    notification = get_visible_or_404(Notification.objects.all(), membership, pk=pk)
    services.notification_mark_read(actor=membership, notification=notification)
    return _after_read(request, membership)


@membership_required()
@require_POST
def notifications_read_all(request, membership):
    count = services.notification_mark_read(actor=membership)
    messages.info(request, f"{count} notification(s) marked read." if count else "Nothing unread.")
    return _after_read(request, membership)


def _after_read(request, membership):
    if is_htmx(request):
        return render(request, "teams/work/partials/notifications_update.html", _inbox_context(membership))
    return redirect("teams:inbox")
