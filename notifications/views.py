"""Pages for notifications: marking one's own read (they are listed in the inbox), and
the admins' deliveries: e-mails and chat posts that did not arrive, sent again."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import access, selectors, services
from notifications.models import Delivery
from notifications.tasks import MAX_ATTEMPTS
from teamhub.lib.forms import attempt_or_flash, is_htmx
from teamhub.lib.tenancy import Role, membership_required

PER_PAGE = 50
NOTIFICATIONS_SHOWN = 50
# The inbox lists notifications beside the handoffs; a form there sends ``next``.
INBOX = "work:inbox"


def notifications_context(membership) -> dict:
    # The list stops at 50; its unread count, like the navigation's, counts them all
    # (partials/notifications.html asks the navigation's tag, which counts once a request).
    return {"notifications": selectors.notification_list(membership=membership)[:NOTIFICATIONS_SHOWN]}


@membership_required()
@require_POST
def notification_read(request, membership, pk):
    notification = access.access_notification(membership=membership, notification_id=pk)
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
        return render(request, "notifications/partials/notifications_update.html", notifications_context(membership))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse(INBOX)
    return redirect(back)


# --- Deliveries (admins) -------------------------------------------------------------------


def _status(request) -> str:
    status = request.GET.get("status", Delivery.Status.FAILED)
    return status if status in selectors.STATUSES else Delivery.Status.FAILED


@membership_required(Role.ADMIN)
def deliveries(request, membership):
    status = _status(request)
    deliveries = selectors.delivery_list(membership=membership, status=status)
    page = Paginator(deliveries, PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.delivery_counts(membership=membership)
    tabs = [(value, label, counts[value]) for value, label in Delivery.Status.choices]
    context = {"page": page, "status": status, "tabs": tabs, "counts": counts, "max_attempts": MAX_ATTEMPTS}
    return render(request, "notifications/deliveries.html", context)


def _back(request):
    status = _status(request)
    return redirect(f"{reverse('notifications:deliveries')}?status={status}")


@membership_required()
@require_POST
def delivery_retry(request, membership, pk):
    delivery = access.access_delivery(membership=membership, delivery_id=pk)  # another organisation's: 404 first
    if attempt_or_flash(request, services.delivery_retry, actor=membership, delivery=delivery):
        messages.success(request, f"Sending again to {delivery.shown_target}.")
    return _back(request)


@membership_required(Role.ADMIN)
@require_POST
def deliveries_retry_failed(request, membership):
    count = services.deliveries_retry_failed(actor=membership)
    if count:
        messages.success(request, f"Sending {count} failed deliver{'y' if count == 1 else 'ies'} again.")
    else:
        messages.info(request, "Nothing to send again: no failed delivery has somewhere to go.")
    return _back(request)
