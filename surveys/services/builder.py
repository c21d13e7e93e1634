"""Building a survey: a draft with questions from the bank and of its own, an audience
and a cadence; then running it, or ending it."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Membership
from surveys import access, bank
from surveys.models import Question, Survey, SurveyRound
from surveys.schedule import MAX_OPEN_DAYS, timing
from teamhub.lib.tenancy import Role, require_role
from teams.models import Function, Team

SETTINGS = (
    "title",
    "intro",
    "audience",
    "cadence",
    "first_opens_on",
    "opens_at",
    "open_days",
    "questions_per_round",
)
# What may still change once rounds run: the words, not who is asked or when.
LIVE_SETTINGS = ("title", "intro")
CHOICES_MAX = 12


def _check_audience(actor: Membership, survey: Survey, teams: list[Team], functions: list[Function]) -> None:
    for team in teams:
        if team.organization_id != actor.organization_id:
            raise ValidationError({"teams": "Choose teams of your organisation."})
    for function in functions:
        if function.organization_id != actor.organization_id:
            raise ValidationError({"functions": "Choose functions of your organisation."})
    if survey.audience == Survey.Audience.TEAMS and not teams:
        raise ValidationError({"teams": "Choose at least one team to ask."})
    if survey.audience == Survey.Audience.FUNCTIONS and not functions:
        raise ValidationError({"functions": "Choose at least one function to ask."})
    if not access.may_address(actor, survey.audience, [t.pk for t in teams]):
        raise ValidationError({"audience": "Managers survey the teams they manage: choose only those."})


def _check_timing(survey: Survey) -> None:
    longest = MAX_OPEN_DAYS[survey.cadence]
    if survey.open_days is not None and not 1 <= survey.open_days <= longest:
        how_often = survey.get_cadence_display().lower()
        raise ValidationError({"open_days": f"A round of a survey asked {how_often} stays open 1 to {longest} days."})
    if survey.questions_per_round is not None and not survey.is_recurring:
        raise ValidationError({"questions_per_round": "Only a recurring survey asks its questions in turns."})


@transaction.atomic
def survey_create(
    *,
    actor: Membership,
    title: str,
    first_opens_on: dt.date,
    opens_at: dt.time,
    teams: list[Team] = (),
    functions: list[Function] = (),
    bank_keys: list[str] = (),
    include_enps: bool = True,
    **fields,
) -> Survey:
    """A draft survey, with the chosen bank statements (in the bank's order) and, unless
    told otherwise, the eNPS question last. Admins survey anyone; managers the teams
    they manage."""
    require_role(actor, Role.MANAGER)
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise ValidationError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    survey = Survey(
        organization=actor.organization,
        title=title,
        first_opens_on=first_opens_on,
        opens_at=opens_at,
        created_by=actor,
        **fields,
    )
    teams, functions = list(teams), list(functions)
    _check_audience(actor, survey, teams, functions)
    _check_timing(survey)
    survey.full_clean()
    survey.save()
    survey.teams.set(teams if survey.audience == Survey.Audience.TEAMS else [])
    survey.functions.set(functions if survey.audience == Survey.Audience.FUNCTIONS else [])
    questions_add_from_bank(actor=actor, survey=survey, keys=[*bank_keys, *([bank.ENPS_KEY] if include_enps else [])])
    return survey


def _locked(survey: Survey) -> Survey:
    """The survey as it is now, locked until the change commits: its status decides what
    may change, and a stale copy (another tab started it meanwhile) must not."""
    return Survey.objects.select_for_update().select_related("organization").get(pk=survey.pk)


def _require_draft(survey: Survey, what: str) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(f"{what} only while the survey is a draft: its rounds already run.")


@transaction.atomic
def survey_update(*, actor: Membership, survey: Survey, teams=None, functions=None, **changes) -> Survey:
    """Change a survey. A draft changes freely; a running one only its title and intro,
    so every round of it asks the same people in the same rhythm."""
    access.require_survey_manager(actor, survey)
    survey = _locked(survey)
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    structural = (set(changes) - set(LIVE_SETTINGS)) or teams is not None or functions is not None
    if structural:
        _require_draft(survey, "Who is asked and when can change")
    for field, value in changes.items():
        setattr(survey, field, value)
    teams = list(survey.teams.all()) if teams is None else list(teams)
    functions = list(survey.functions.all()) if functions is None else list(functions)
    _check_audience(actor, survey, teams, functions)
    _check_timing(survey)
    survey.full_clean()
    survey.save()
    survey.teams.set(teams if survey.audience == Survey.Audience.TEAMS else [])
    survey.functions.set(functions if survey.audience == Survey.Audience.FUNCTIONS else [])
    return survey


def _next_order(survey: Survey) -> int:
    return (survey.questions.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def questions_add_from_bank(*, actor: Membership, survey: Survey, keys: list[str]) -> list[Question]:
    """Add bank statements (and the eNPS question) to a draft; ones already there stay."""
    access.require_survey_manager(actor, survey)
    survey = _locked(survey)
    _require_draft(survey, "Questions can be added")
    unknown = [key for key in keys if key not in bank.BY_KEY and key != bank.ENPS_KEY]
    if unknown:
        raise ValidationError({"bank_keys": f"Not in the question bank: {', '.join(unknown)}."})
    present = set(survey.questions.values_list("bank_key", flat=True))
    wanted = [key for key in dict.fromkeys(keys) if key not in present]
    # The bank's order, then the eNPS question last, as people are asked them.
    wanted.sort(key=lambda key: (key == bank.ENPS_KEY, bank.BANK.index(bank.BY_KEY[key]) if key in bank.BY_KEY else 0))
    order = _next_order(survey)
    name = actor.organization.name
    questions = []
    for offset, key in enumerate(wanted):
        if key == bank.ENPS_KEY:
            kind, text, driver = Question.Kind.SCALE, bank.render(bank.ENPS_TEXT, name), ""
        else:
            item = bank.BY_KEY[key]
            kind, text, driver = Question.Kind.AGREEMENT, bank.render(item.text, name), item.driver
        questions.append(
            Question(survey=survey, order=order + offset, kind=kind, text=text, driver=driver, bank_key=key)
        )
    return Question.objects.bulk_create(questions)


@transaction.atomic
def question_add(
    *, actor: Membership, survey: Survey, kind: str, text: str, choices: list[str] = (), driver: str = ""
) -> Question:
    """A question of the survey's own: agreement 1 to 5, 0 to 10, single choice or free text."""
    access.require_survey_manager(actor, survey)
    survey = _locked(survey)
    _require_draft(survey, "Questions can be added")
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": "Write the question."})
    choices = [" ".join(str(c).split()) for c in choices if str(c).strip()]
    if kind == Question.Kind.CHOICE:
        if not 2 <= len(choices) <= CHOICES_MAX:
            raise ValidationError({"choices": f"Give 2 to {CHOICES_MAX} options, one per line."})
        if len(set(choices)) != len(choices):
            raise ValidationError({"choices": "Each option once."})
    elif choices:
        raise ValidationError({"choices": "Only a single-choice question has options."})
    if driver and kind != Question.Kind.AGREEMENT:
        raise ValidationError({"driver": "Only agreement statements count towards a driver."})
    question = Question(survey=survey, order=_next_order(survey), kind=kind, text=text, driver=driver, choices=choices)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_remove(*, actor: Membership, question: Question) -> None:
    access.require_survey_manager(actor, question.survey)
    _require_draft(_locked(question.survey), "Questions can be removed")
    question.delete()


@transaction.atomic
def survey_activate(*, actor: Membership, survey: Survey, now=None) -> SurveyRound:
    """Start running a draft: its first round is planned (it opens by itself, at its
    time). Returns that round."""
    access.require_survey_manager(actor, survey)
    survey = _locked(survey)  # a double click plans one round
    _require_draft(survey, "A survey starts")
    if not survey.questions.exists():
        raise ValidationError("Add at least one question first.")
    zone = ZoneInfo(survey.organization.timezone)
    first = timing(survey, 1, zone)
    if first.closes_at <= (now or timezone.now()):
        raise ValidationError({"first_opens_on": "Its first round would already be over: choose a later day."})
    survey.status = Survey.Status.ACTIVE
    survey.save(update_fields=["status", "updated_at"])
    return SurveyRound.objects.create(
        organization_id=survey.organization_id,
        survey=survey,
        number=1,
        opens_at=first.opens_at,
        remind_at=first.remind_at,
        closes_at=first.closes_at,
    )


@transaction.atomic
def survey_end(*, actor: Membership, survey: Survey) -> Survey:
    """No further rounds; one that is open runs to its close."""
    access.require_survey_manager(actor, survey)
    survey = _locked(survey)
    if survey.status != Survey.Status.ACTIVE:
        raise ValidationError("Only a running survey can be ended.")
    SurveyRound.objects.filter(survey=survey, status=SurveyRound.Status.SCHEDULED).delete()
    survey.status = Survey.Status.ENDED
    survey.save(update_fields=["status", "updated_at"])
    return survey
