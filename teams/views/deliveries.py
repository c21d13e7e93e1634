"""Deliveries (admins): e-mails and chat posts that did not arrive, and sending them again."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from teamhub.lib.forms import attempt_or_flash
from teamhub.lib.tenancy import Role, get_visible_or_404, membership_required, require_role
from teams import services
from teams.models import Delivery
from teams.selectors.deliveries import STATUSES, delivery_counts, delivery_list
from teams.tasks import MAX_ATTEMPTS

PER_PAGE = 50


def _status(request) -> str:
    status = request.GET.get("status", Delivery.Status.FAILED)
    return status if status in STATUSES else Delivery.Status.FAILED


@membership_required(Role.ADMIN)
def deliveries(request, membership):
    status = _status(request)
    page = Paginator(delivery_list(membership=membership, status=status), PER_PAGE).get_page(request.GET.get("page"))
    counts = delivery_counts(membership=membership)
    tabs = [(value, label, counts[value]) for value, label in Delivery.Status.choices]
    context = {"page": page, "status": status, "tabs": tabs, "counts": counts, "max_attempts": MAX_ATTEMPTS}
    return render(request, "teams/config/deliveries.html", context)


def _back(request):
    status = _status(request)
    return redirect(f"{reverse('teams:deliveries')}?status={status}")


@membership_required()
@require_POST
def delivery_retry(request, membership, pk):
    related = Delivery.objects.select_related("team", "notification__recipient__user")
    delivery = get_visible_or_404(related, membership, pk=pk)  # another organisation's: 404 first
    require_role(membership, Role.ADMIN)
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
