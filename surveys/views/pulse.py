"""Survey pages: building and running pulses (admins, and managers for their teams),
and answering one (anyone invited)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from surveys import access, selectors, services
from surveys.forms import AnswerForm, BuildForm, QuestionForm, SurveyForm
from surveys.models import Survey
from teamhub.lib.forms import attempt, attempt_or_flash
from teamhub.lib.tenancy import Role, membership_required


@membership_required(Role.MANAGER)
def survey_list(request, membership):
    surveys = selectors.survey_list(membership=membership)
    managed = [s.pk for s in surveys if access.can_manage_survey(membership, s)]
    return render(request, "surveys/list.html", {"surveys": surveys, "managed": managed})


@membership_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def survey_create(request, membership):
    form = BuildForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        survey = attempt(form, services.survey_create, actor=membership, **form.service_kwargs())
        if survey:
            messages.success(request, f"Draft “{survey.title}” saved: preview it, then start it.")
            return redirect("surveys:detail", pk=survey.pk)
    context = {"form": form, "bank": _bank(membership, form.data.getlist("bank_keys"))}
    return render(request, "surveys/build.html", context)


def _bank(membership, chosen):
    return selectors.bank_by_driver(organization_name=membership.organization.name, chosen=chosen)


def _detail(request, membership, survey, *, question_form=None, status=200):
    context = {
        "survey": survey,
        "can_manage": access.can_manage_survey(membership, survey),
        "questions": selectors.survey_questions(survey=survey),
        "rounds": selectors.survey_rounds(survey=survey),
        "has_closed_round": survey.rounds.filter(status="closed").exists(),
        "question_form": question_form or QuestionForm(auto_id="new-question-%s"),
        "bank": _bank(membership, survey.questions.values_list("bank_key", flat=True)),
    }
    return render(request, "surveys/detail.html", context, status=status)


@membership_required()
def survey_detail(request, membership, pk):
    return _detail(request, membership, access.access_survey(membership=membership, survey_id=pk))


@membership_required()
@require_http_methods(["GET", "POST"])
def survey_update(request, membership, pk):
    survey = access.access_survey(membership=membership, survey_id=pk, write=True)
    initial = {field: getattr(survey, field) for field in services.builder.SETTINGS}
    initial.update(teams=list(survey.teams.all()), functions=list(survey.functions.all()))
    form = SurveyForm(request.POST or None, initial=initial, membership=membership)
    if survey.status != Survey.Status.DRAFT:
        # Running: only the words change (the service refuses the rest).
        for name in set(form.fields) - set(services.builder.LIVE_SETTINGS):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name not in ("teams", "functions")}
        if {"teams", "functions"} & set(form.changed_data):
            changes.update(
                teams=list(form.cleaned_data["teams"]), functions=list(form.cleaned_data.get("functions", []))
            )
        if attempt(form, services.survey_update, actor=membership, survey=survey, **changes):
            messages.success(request, "Survey saved.")
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": survey})


@membership_required()
@require_POST
def question_add(request, membership, pk):
    survey = access.access_survey(membership=membership, survey_id=pk, write=True)
    if "bank_keys" in request.POST:
        keys = request.POST.getlist("bank_keys")
        if attempt_or_flash(request, services.questions_add_from_bank, actor=membership, survey=survey, keys=keys):
            messages.success(request, "Statements added.")
        return redirect("surveys:detail", pk=survey.pk)
    form = QuestionForm(request.POST, auto_id="new-question-%s")
    if form.is_valid() and attempt(
        form, services.question_add, actor=membership, survey=survey, **form.service_kwargs()
    ):
        messages.success(request, "Question added.")
        return redirect("surveys:detail", pk=survey.pk)
    return _detail(request, membership, survey, question_form=form, status=400)


@membership_required()
@require_POST
def question_remove(request, membership, pk):
    question = access.access_question(membership=membership, question_id=pk, write=True)
    if attempt_or_flash(request, services.question_remove, actor=membership, question=question):
        messages.success(request, "Question removed.")
    return redirect("surveys:detail", pk=question.survey_id)


@membership_required()
def survey_preview(request, membership, pk):
    """The first round's page exactly as an employee will see it; nothing can be sent."""
    survey = access.access_survey(membership=membership, survey_id=pk)
    form = AnswerForm(questions=selectors.preview_questions(survey=survey))
    context = {"survey": survey, "form": form, "preview": True, **_anonymity(membership)}
    return render(request, "surveys/answer.html", context)


@membership_required()
@require_POST
def survey_activate(request, membership, pk):
    survey = access.access_survey(membership=membership, survey_id=pk, write=True)
    if attempt_or_flash(request, services.survey_activate, actor=membership, survey=survey):
        messages.success(request, f"“{survey.title}” is running: its first round opens by itself, at its time.")
    return redirect("surveys:detail", pk=survey.pk)


@membership_required()
@require_POST
def survey_end(request, membership, pk):
    survey = access.access_survey(membership=membership, survey_id=pk, write=True)
    if attempt_or_flash(request, services.survey_end, actor=membership, survey=survey):
        messages.success(request, f"“{survey.title}” ended: no further rounds.")
    return redirect("surveys:detail", pk=survey.pk)


# --- Answering --------------------------------------------------------------------------------


def _anonymity(membership) -> dict:
    organization = membership.organization
    return {"threshold": organization.anonymity_threshold, "comment_threshold": organization.comment_threshold}


@membership_required()
@require_http_methods(["GET", "POST"])
def answer(request, membership, pk):
    invitation = access.access_invitation(membership=membership, round_id=pk)
    round_ = invitation.round
    form = AnswerForm(request.POST or None, questions=selectors.round_questions(round_=round_))
    context = {
        "survey": round_.survey,
        "round": round_,
        "form": form,
        "invitation": invitation,
        **_anonymity(membership),
    }
    if invitation.answered or round_.status != round_.Status.OPEN:
        return render(request, "surveys/answer_done.html", context)
    submitted = request.method == "POST" and form.is_valid()
    if submitted and attempt(
        form, services.response_submit, actor=membership, invitation=invitation, answers=form.answers()
    ):
        messages.success(request, "Thank you: your answers are in, anonymously.")
        return redirect("home")
    return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)
