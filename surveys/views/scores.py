"""The admins' "recompute now" page: a button that queues a full recompute of the
organisation's scores, a progress bar htmx refreshes while it runs, and the last runs."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from surveys import selectors_scores as selectors
from surveys import services
from surveys.access import access_score_run
from teamhub.lib.tenancy import Role, membership_required


@membership_required(Role.ADMIN)
@require_GET
def scores_configure(request, membership):
    runs = list(selectors.score_run_list(membership=membership))
    current = next((run for run in runs if run.is_active), runs[0] if runs else None)
    return render(request, "surveys/scores/configure.html", {"runs": runs, "run": current})


@membership_required(Role.ADMIN)
@require_POST
def scores_recompute(request, membership):
    _run, new = services.score_recompute_request(actor=membership)
    if new:
        messages.success(request, "Recompute queued: every score of the organisation is being computed again.")
    else:
        messages.info(request, "A recompute is already under way: here is its progress.")
    return redirect("surveys:scores_configure")


@membership_required()
@require_GET
def score_run_progress(request, membership, pk):
    """The progress fragment htmx polls every second while the run is queued or running."""
    run = access_score_run(membership=membership, run_id=pk)
    runs = selectors.score_run_list(membership=membership)
    return render(request, "surveys/scores/progress.html", {"run": run, "runs": runs})
