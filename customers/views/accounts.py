"""Accounts: the list, an account's page, creating, editing and transferring one, and
a team's turnaround times."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from customers import access, selectors, services
from customers.forms import AccountFilterForm, AccountForm, ContactForm, FollowUpForm, TransferForm
from customers.pages import account_sections
from teamhub.lib.forms import attempt, changes_of
from teamhub.lib.tenancy import Role, membership_required
from teams.access import access_team

PAGE_SIZE = 50


def _url_or_none(name: str) -> str | None:
    """The import and export pages come with another change; link them once they exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@membership_required()
def account_list(request, membership):
    form = AccountFilterForm(request.GET or None, membership=membership)
    filters = form.filters()
    accounts = selectors.account_list(membership=membership, **filters)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": any(v for k, v in filters.items() if k != "sort"),
        "query": query.urlencode(),
        "can_create": membership.role in (Role.ADMIN, Role.MANAGER),
        # The import starts from its upload page (import_start takes an import's id).
        "import_url": _url_or_none("customers:imports") or _url_or_none("customers:import_start"),
        "export_url": _url_or_none("customers:export"),
    }
    return render(request, "customers/account_list.html", context)


@membership_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def account_create(request, membership):
    form = AccountForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = attempt(form, services.account_create, actor=membership, **data)
        if account:
            messages.success(request, f"Account “{account.name}” added to {account.owning_team.name}.")
            return redirect("customers:account_detail", pk=account.pk)
    return render(request, "customers/account_form.html", {"form": form, "account": None})


@membership_required()
def account_detail(request, membership, pk):
    account = access.access_account(membership=membership, account_id=pk)
    return account_page(request, membership, account)


def account_page(request, membership, account, *, contact_form=None, follow_up_form=None):
    """The account's page; a bound form that failed is shown with its errors."""
    context = {"account": account, "can_manage": access.can_manage_account(membership, account)}
    if not access.has_full_access(membership, account):
        context["managers"] = account.owning_team.managers.select_related("user").order_by("user__full_name")
        return render(request, "customers/account_limited.html", context)
    context.update(
        contacts=selectors.account_contacts(account=account),
        follow_ups=list(services.with_outcome_required(selectors.account_follow_ups(account=account))),
        history=selectors.ownership_history(account=account),
        contact_form=contact_form or ContactForm(auto_id="new-contact-%s"),
        follow_up_form=follow_up_form or FollowUpForm(account=account, auto_id="new-follow-up-%s"),
        # What other apps show of this customer (its wins, its handoffs…), each its own card.
        sections=account_sections(membership=membership, account=account),
    )
    return render(request, "customers/account_detail.html", context)


@membership_required()
@require_http_methods(["GET", "POST"])
def account_update(request, membership, pk):
    account = access.access_account(membership=membership, account_id=pk, manage=True)
    initial = {field: getattr(account, field) for field in services.ACCOUNT_FIELDS}
    form = AccountForm(request.POST or None, initial=initial, membership=membership, account=account)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.account_update, actor=membership, account=account, **changes_of(form))
    ):
        messages.success(request, f"Account “{account.name}” saved.")
        return redirect("customers:account_detail", pk=account.pk)
    return render(request, "customers/account_form.html", {"form": form, "account": account})


@membership_required()
@require_http_methods(["GET", "POST"])
def account_transfer(request, membership, pk):
    account = access.access_account(membership=membership, account_id=pk, manage=True)
    form = TransferForm(request.POST or None, account=account, membership=membership)
    if request.method == "POST" and form.is_valid():
        change = attempt(form, services.account_transfer, actor=membership, account=account, **form.cleaned_data)
        if change:
            messages.success(request, f"“{account.name}” now belongs to {change.to_team.name}.")
            return redirect("customers:account_detail", pk=account.pk)
    return render(request, "customers/account_transfer.html", {"form": form, "account": account})


@membership_required()
def turnaround(request, membership, pk):
    team = access_team(membership=membership, team_id=pk)
    months = selectors.turnaround_by_month(team=team)
    chart = {
        "labels": [m["period"].strftime("%b %Y") for m in months],
        "response_median": [m["response_median"] for m in months],
        "response_p90": [m["response_p90"] for m in months],
        "resolution_median": [m["resolution_median"] for m in months],
        "resolution_p90": [m["resolution_p90"] for m in months],
    }
    context = {"team": team, "months": months, "chart": chart, "has_data": any(m["received"] for m in months)}
    return render(request, "customers/turnaround.html", context)
