"""Wins: logging one, the organisation's and a team's feed, applause, spotlights,
adoptions, and values in action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from teamhub.lib.forms import attempt, attempt_or_flash, is_htmx
from teamhub.lib.tenancy import membership_required
from teams.access import access_team
from work import access, selectors, services
from work.forms import AdoptForm, SpotlightForm, WinForm
from work.models import Win, WinReaction

FEED_PAGE_SIZE = 20


def _one(membership, pk) -> Win:
    return selectors.win_cards(membership=membership, pk=pk)[0]


def _card(request, membership, pk, **extra):
    """One win's card, fresh, for an htmx swap."""
    win = _one(membership, pk)
    return render(request, "work/partials/win_card_update.html", {"win": win, **extra})


def _page(request, template, membership, wins, **context):
    page = Paginator(wins, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, wins=access.WinPowers(membership).decorate(page.object_list))
    return render(request, template, context)


# --- Pages ---------------------------------------------------------------------------------


@membership_required()
def wins(request, membership):
    wins = selectors.win_feed_with_adoptions(membership=membership)
    return _page(request, "work/wins.html", membership, wins, team=None)


@membership_required()
def team_wins(request, membership, pk):
    team = access_team(membership=membership, team_id=pk)
    chart = selectors.values_in_action(membership=membership, team=team)
    wins = selectors.win_feed_with_adoptions(membership=membership, team=team)
    return _page(request, "work/wins.html", membership, wins, team=team, chart=chart)


@membership_required()
def spotlights(request, membership):
    wins = selectors.win_feed_with_adoptions(membership=membership, spotlighted=True)
    return _page(request, "work/spotlights.html", membership, wins)


@membership_required()
def values_in_action(request, membership):
    chart = selectors.values_in_action(membership=membership)
    return render(request, "work/values_in_action.html", {"chart": chart})


@membership_required()
def win_detail(request, membership, pk):
    win = access.access_win(membership=membership, win_id=pk)
    return _detail(request, membership, win)


def _detail(request, membership, win, *, spotlight_form=None, status=200):
    context = {"win": _one(membership, win.pk), "spotlight_form": spotlight_form}
    return render(request, "work/win_detail.html", context, status=status)


@membership_required()
@require_http_methods(["GET", "POST"])
def win_create(request, membership):
    """Log a win: every field on its own page, then home to see it. The home page's
    quick form posts here with htmx and gets the new card (prepended to the feed) and a
    fresh form; with errors, the form again, in place."""
    form = WinForm(request.POST or None, membership=membership)
    win = None
    if request.method == "POST" and form.is_valid():
        win = attempt(form, services.win_create, actor=membership, **form.service_kwargs())
    if win:
        messages.success(request, f"Win “{win.title}” logged.")
    if is_htmx(request):
        return _quick_form_answer(request, membership, form, win)
    if win:
        # Home, where the new win tops the feed (its card's title leads to its page).
        return redirect(f"{reverse('home')}#win-{win.pk}")
    return render(request, "work/win_form.html", {"form": form})


def _quick_form_answer(request, membership, form, win):
    if win:
        context = {"win": _one(membership, win.pk), "win_form": WinForm(membership=membership), "compact": True}
        return render(request, "work/partials/win_created.html", context)
    response = render(request, "work/partials/win_form.html", {"win_form": form})
    response["HX-Retarget"], response["HX-Reswap"] = "#log-win", "outerHTML"
    return response


@membership_required()
@require_POST
def win_applause(request, membership, pk):
    """Applaud a colleague's win, or take the applause back: a toggle."""
    win = access.access_win(membership=membership, win_id=pk)
    if WinReaction.objects.filter(win=win, membership=membership).exists():
        services.win_unreact(actor=membership, win=win)
    else:
        attempt_or_flash(request, services.win_react, actor=membership, win=win)
    if is_htmx(request):
        return _card(request, membership, win.pk)
    return redirect("work:win_detail", pk=win.pk)


@membership_required()
@require_POST
def win_spotlight(request, membership, pk):
    win = access.access_win(membership=membership, win_id=pk)
    access.require_spotlighter(membership, win)
    form = SpotlightForm(request.POST)
    note = request.POST.get("note", "")
    if attempt(form, services.win_spotlight, actor=membership, win=win, note=note):
        messages.success(request, f"“{win.title}” is in the spotlight.")
        if is_htmx(request):
            return _card(request, membership, win.pk)
        return redirect("work:win_detail", pk=win.pk)
    if is_htmx(request):
        return _card(request, membership, win.pk, spotlight_form=form)
    return _detail(request, membership, win, spotlight_form=form)


@membership_required()
@require_POST
def win_adopt(request, membership, pk):
    """ "We adopted this": a team other than the win's says it copied a spotlighted win."""
    win = access.access_win(membership=membership, win_id=pk)
    form = AdoptForm(request.POST, membership=membership)
    if not form.is_valid():
        messages.error(request, "Choose the team that adopted it.")
    else:
        try:
            adoption = services.win_adopt(actor=membership, win=win, **form.cleaned_data)
            messages.success(request, f"{adoption.team.name} adopted “{win.title}”.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if is_htmx(request):
        return _card(request, membership, win.pk)
    return redirect("work:win_detail", pk=win.pk)
