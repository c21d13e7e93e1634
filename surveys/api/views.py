"""Surveys through the API: building and running pulses (admins, and managers for the
teams they manage), the question bank, and a person's own surveys to answer.

Nothing here returns anyone's answers: a response is accepted and acknowledged, never
read back, and no endpoint lists who answered.
"""

from django.db.models import Count
from drf_spectacular.utils import OpenApiResponse, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from surveys import access, bank, selectors, services
from surveys.api import serializers as s
from surveys.models import Question, Survey, SurveyRound
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import NestedViewSet, OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role

DELETED = OpenApiResponse(description="Removed.")


@org_scoped_schema(tags=["surveys"])
@extend_schema_view(
    list=operation(
        "surveys_list", "The organisation's surveys, newest first (admins and managers)", s.SurveySerializer(many=True)
    ),
    create=operation(
        "surveys_create",
        "A draft pulse: audience, cadence and statements from the bank (admins; managers for their teams)",
        s.SurveyDetailSerializer,
        status=201,
        request=s.SurveyCreateSerializer,
    ),
    retrieve=operation("surveys_retrieve", "A survey with its questions", s.SurveyDetailSerializer),
    partial_update=operation(
        "surveys_update",
        "Change a draft; once running, only its title and introduction",
        s.SurveyDetailSerializer,
        request=s.SurveyWriteSerializer,
    ),
)
class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = s.SurveySerializer
    queryset = Survey.objects.all()
    filter_backends = []
    action_roles = {
        "list": Role.MANAGER,
        "retrieve": Role.MANAGER,
        "create": Role.MANAGER,
        "partial_update": Role.MANAGER,
        "start": Role.MANAGER,
        "end": Role.MANAGER,
    }

    def select(self):
        surveys = selectors.survey_list(membership=self.membership)
        return surveys.prefetch_related("questions") if self.action != "list" else surveys

    def retrieve(self, request, org_slug, pk):
        return self.respond(s.SurveyDetailSerializer, self.get_object())

    def create(self, request, org_slug):
        survey = services.survey_create(actor=self.membership, **self.validated(s.SurveyCreateSerializer))
        return self.respond(s.SurveyDetailSerializer, self.reload(survey), status.HTTP_201_CREATED)

    def partial_update(self, request, org_slug, pk):
        survey = access.access_survey(membership=self.membership, survey_id=pk, write=True)
        changes = self.validated(s.SurveyWriteSerializer, partial=True)
        survey = services.survey_update(actor=self.membership, survey=survey, **changes)
        return self.respond(s.SurveyDetailSerializer, self.reload(survey))

    @operation(
        "surveys_start", "Start a draft: its first round opens by itself, at its time", s.RoundSerializer, request=None
    )
    def start(self, request, org_slug, pk):
        survey = access.access_survey(membership=self.membership, survey_id=pk, write=True)
        first = services.survey_activate(actor=self.membership, survey=survey)
        return self.respond(
            s.RoundSerializer, SurveyRound.objects.annotate(invited=Count("invitations")).get(pk=first.pk)
        )

    @operation("surveys_end", "End a running survey: no further rounds", s.SurveyDetailSerializer, request=None)
    def end(self, request, org_slug, pk):
        survey = access.access_survey(membership=self.membership, survey_id=pk, write=True)
        return self.respond(
            s.SurveyDetailSerializer, self.reload(services.survey_end(actor=self.membership, survey=survey))
        )


@org_scoped_schema(tags=["surveys"])
@extend_schema_view(
    create=operation(
        "survey_questions_create",
        "Add statements from the bank, or a question of its own, to a draft",
        s.QuestionSerializer(many=True),
        status=201,
        request=s.QuestionCreateSerializer,
    ),
)
class SurveyQuestionViewSet(NestedViewSet):
    serializer_class = s.QuestionSerializer
    queryset = Question.objects.all()
    parent_kwarg = "survey_pk"
    action_roles = {"create": Role.MANAGER, "destroy": Role.MANAGER}

    def get_parent(self):
        return access.access_survey(membership=self.membership, survey_id=self.kwargs["survey_pk"])

    def create(self, request, org_slug, survey_pk):
        survey = access.access_survey(membership=self.membership, survey_id=survey_pk, write=True)
        data = self.validated(s.QuestionCreateSerializer)
        if "bank_keys" in data:
            added = services.questions_add_from_bank(actor=self.membership, survey=survey, keys=data["bank_keys"])
        else:
            data.pop("bank_keys", None)
            added = [services.question_add(actor=self.membership, survey=survey, **data)]
        return Response(s.QuestionSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @operation("survey_questions_delete", "Remove a question from a draft", DELETED, status=204)
    def destroy(self, request, org_slug, pk):
        question = access.access_question(membership=self.membership, question_id=pk, write=True)
        services.question_remove(actor=self.membership, question=question)
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["surveys"])
@extend_schema_view(
    list=operation(
        "survey_rounds_list", "A survey's rounds, newest first, with how many were asked", s.RoundSerializer(many=True)
    ),
)
class SurveyRoundViewSet(mixins.ListModelMixin, NestedViewSet):
    serializer_class = s.RoundSerializer
    queryset = SurveyRound.objects.all()
    parent_kwarg = "survey_pk"
    filter_backends = []
    action_roles = {"list": Role.MANAGER}

    def get_parent(self):
        return access.access_survey(membership=self.membership, survey_id=self.kwargs["survey_pk"])

    def select(self):
        if self.parent is None:
            return SurveyRound.objects.none()
        return selectors.survey_rounds(survey=self.parent)


@org_scoped_schema(tags=["surveys"])
class SurveyBankViewSet(OrgScopedViewSet):
    serializer_class = s.BankQuestionSerializer
    queryset = Survey.objects.all()
    pagination_class = None
    action_roles = {"list": Role.MANAGER}

    @operation("survey_bank", "The question bank: agreement statements by driver", s.BankQuestionSerializer(many=True))
    def list(self, request, org_slug):
        name = self.membership.organization.name
        rows = [{"key": q.key, "driver": q.driver, "text": bank.render(q.text, name)} for q in bank.BANK]
        return Response(s.BankQuestionSerializer(rows, many=True).data)


@org_scoped_schema(tags=["surveys"])
class MySurveyViewSet(OrgScopedViewSet):
    """A person's own surveys: the open rounds waiting for their answers, and answering."""

    serializer_class = s.PendingRoundSerializer
    queryset = SurveyRound.objects.all()
    pagination_class = None
    action_roles = {"list": Role.MEMBER, "answer": Role.MEMBER}

    @operation(
        "my_surveys", "Open rounds waiting for your answers, closing soonest first", s.PendingRoundSerializer(many=True)
    )
    def list(self, request, org_slug):
        rounds = list(selectors.pending_rounds(membership=self.membership))
        questions = {r.pk: selectors.round_questions(round_=r) for r in rounds}
        context = {**self.get_serializer_context(), "questions": questions}
        return Response(s.PendingRoundSerializer(rounds, many=True, context=context).data)

    @operation(
        "my_surveys_answer",
        "Answer a round, once, anonymously: answers cannot be read back or changed",
        s.AnsweredSerializer,
        status=201,
        request=s.ResponseCreateSerializer,
    )
    def answer(self, request, org_slug, pk):
        invitation = access.access_invitation(membership=self.membership, round_id=pk)
        items = self.validated(s.ResponseCreateSerializer)["answers"]
        answers = {item["question"]: item.get("value", item.get("text")) for item in items}
        services.response_submit(actor=self.membership, invitation=invitation, answers=answers)
        return self.respond(s.AnsweredSerializer, {"answered": True}, status.HTTP_201_CREATED)
