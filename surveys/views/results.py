"""Results pages: a round's results (with a heatmap of groups by driver), a CSV of them,
and a survey's trend across rounds — each suppressed by surveys.results, for the viewer
or, for an admin, as a chosen manager would see them."""

import csv

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from accounts.models import Membership
from surveys import access, results
from surveys.bank import Driver
from surveys.exports import result_rows
from teamhub.lib.tenancy import Role, has_role, membership_required
from teams.models import Function, Team


def _viewer(request, membership) -> Membership:
    """The person whose view is shown: the viewer, or the manager an admin previews as."""
    chosen = request.GET.get("as")
    if not chosen:
        return membership
    if not chosen.isdigit() or len(chosen) > 12:
        return results.preview_viewer(admin=membership, membership_id=0)
    return results.preview_viewer(admin=membership, membership_id=int(chosen))


def _breakdown(request) -> str | None:
    breakdown = request.GET.get("breakdown") or results.TEAM
    return breakdown if breakdown in results.BREAKDOWNS else None


def _managers(membership):
    if not has_role(membership, Role.ADMIN):
        return []
    return (
        Membership.objects.filter(organization_id=membership.organization_id, role=Role.MANAGER, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


@membership_required()
def round_results(request, membership, pk):
    round_ = access.access_round(membership=membership, round_id=pk)
    breakdown = _breakdown(request)
    if breakdown is None:
        return HttpResponseBadRequest("Break results down by team or by function.")
    viewer = _viewer(request, membership)
    found = results.round_results(viewer=viewer, round_=round_, breakdown=breakdown)
    try:
        focus = results.parse_group(request.GET.get("group"), breakdown)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    focus_group = found.group(focus) or found.organization
    engagement, enps = found.engagement, found.enps
    context = {
        "survey": round_.survey,
        "round": round_,
        "results": found,
        "breakdown": breakdown,
        "focus": focus_group,
        "focus_questions": found.questions_for(focus_group.group.key),
        "org_engagement": engagement.cells[results.ORG_KEY] if engagement else None,
        "org_enps": enps.cells[results.ORG_KEY] if enps else None,
        "viewer": viewer,
        "previewing": viewer.pk != membership.pk,
        "managers": _managers(membership),
        "query": _query(request),
    }
    return render(request, "surveys/results.html", context)


def _query(request) -> str:
    """The breakdown and preview of the current page, for the links it offers."""
    kept = {key: request.GET[key] for key in ("breakdown", "as") if request.GET.get(key)}
    return "&".join(f"{key}={value}" for key, value in kept.items())


@membership_required()
def round_results_csv(request, membership, pk):
    round_ = access.access_round(membership=membership, round_id=pk)
    breakdown = _breakdown(request)
    if breakdown is None:
        return HttpResponseBadRequest("Break results down by team or by function.")
    found = results.round_results(viewer=_viewer(request, membership), round_=round_, breakdown=breakdown)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"survey-{round_.survey_id}-round-{round_.number}-by-{breakdown}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    for row in result_rows(found):
        writer.writerow(row)
    return response


@membership_required()
def survey_trend(request, membership, pk):
    survey = access.access_survey(membership=membership, survey_id=pk)
    access.require_results_reader(membership, survey)
    breakdown = _breakdown(request)
    if breakdown is None:
        return HttpResponseBadRequest("Break results down by team or by function.")
    try:
        group_key = results.parse_group(request.GET.get("group"), breakdown)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    viewer = _viewer(request, membership)
    points = results.survey_trend(viewer=viewer, survey=survey, group_key=group_key, breakdown=breakdown)
    # Engagement has its own column; the other drivers follow.
    drivers = [d for d in Driver if d != Driver.ENGAGEMENT and any(d.value in p.drivers for p in points)]
    context = {
        "survey": survey,
        "points": points,
        "rows": [(p, [p.drivers.get(d.value) for d in drivers]) for p in points],
        "drivers": drivers,
        "group_key": group_key,
        "group_label": _group_label(survey, group_key),
        "chart": _trend_chart(points, drivers),
        "viewer": viewer,
        "previewing": viewer.pk != membership.pk,
        "breakdown": breakdown,
        "group_options": _group_options(survey, viewer, breakdown),
        "chosen": results.Group(group_key[0], group_key[1], "").slug,
    }
    return render(request, "surveys/trend.html", context)


def _group_options(survey, viewer, breakdown) -> list[tuple[str, str]]:
    """The groups the viewer may follow: those of the latest closed round they may see."""
    latest = survey.rounds.filter(status="closed").select_related("organization").order_by("-number").first()
    if latest is None:
        return []
    (found,) = results.rounds_results(viewer=viewer, rounds=[latest], breakdown=breakdown, comments=False)
    return [(g.group.slug, g.group.label) for g in found.groups]


def _group_label(survey, group_key) -> str:
    kind, group_id = group_key
    if kind == results.ORGANIZATION:
        return survey.organization.name
    if group_id is None:
        return results.NO_GROUP_LABEL[kind]
    model = Team if kind == results.TEAM else Function
    found = model.objects.filter(organization_id=survey.organization_id, pk=group_id).first()
    return found.name if found else results.NO_GROUP_LABEL[kind]


def _trend_chart(points, drivers) -> dict:
    """Each series a point per round, None where hidden (a gap in the line)."""

    def favourable(cell):
        return None if cell is None or cell.hidden else round(cell.favourable, 1)

    def net(cell):
        return None if cell is None or cell.hidden or cell.net.value is None else round(cell.net.value, 1)

    return {
        "labels": [f"Round {p.round.number}" for p in points],
        "engagement": [favourable(p.engagement) for p in points],
        "enps": [net(p.enps) for p in points],
        "response_rate": [None if p.response_rate is None else round(p.response_rate, 1) for p in points],
        "drivers": [
            {"label": d.label, "values": [favourable(p.drivers.get(d.value)) for p in points]} for d in drivers
        ],
    }
