"""Scores through the API: snapshots by scope, metric, granularity and period; a scope's
current scores with the change since the period before; each score's explanation; and
the admins' "recompute now" with its progress.

What a caller may read is surveys.access.access_scores, for every endpoint here. A
suppressed score is ``value: null, suppressed: true`` with no sample size and no
components but the reason — never the value; members do not get suppressed ones at all.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from surveys import selectors_scores as selectors
from surveys import services
from surveys.access import access_score_run
from surveys.models import ScoreRun, ScoreSnapshot
from surveys.models.scores import Granularity, Metric, ScopeType
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import MembershipSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.forms import MAX_ID
from teamhub.lib.tenancy import Role

SCOPE_TYPE = {"choices": ScopeType.choices, "enum_name": "ScoreScopeTypeEnum"}
METRIC = {"choices": Metric.choices, "enum_name": "ScoreMetricEnum"}
GRANULARITY = {"choices": Granularity.choices, "enum_name": "ScoreGranularityEnum"}


# --- Shapes ---------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The period's first day, organisation time zone.")
    end = serializers.DateField(help_text="The period's last day (included).")
    label = serializers.CharField(help_text="2026-W14, 2026-04 or 2026-Q2.")


class ScoreSerializer(serializers.ModelSerializer):
    scope_type = NamedChoiceField(**SCOPE_TYPE, read_only=True)
    metric = NamedChoiceField(**METRIC, read_only=True)
    granularity = NamedChoiceField(**GRANULARITY, read_only=True)
    period = serializers.SerializerMethodField()
    value = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Null when suppressed (not enough responses)."
    )
    sample_size = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Respondents or answers counted; null when suppressed."
    )

    class Meta:
        model = ScoreSnapshot
        fields = [
            "id",
            "scope_type",
            "scope_id",
            "metric",
            "granularity",
            "period",
            "value",
            "suppressed",
            "sample_size",
            "computed_at",
        ]
        read_only_fields = fields

    def get_period(self, snapshot) -> PeriodSerializer:
        return PeriodSerializer(selectors.period_data(snapshot)).data

    def to_representation(self, snapshot):
        data = super().to_representation(snapshot)
        if snapshot.suppressed:  # the row keeps none, and the API never shows one
            data["value"] = data["sample_size"] = None
        return data


class ExplanationSerializer(ScoreSerializer):
    metric_label = serializers.SerializerMethodField()
    formula = serializers.SerializerMethodField(help_text="How the metric is computed, in plain words.")
    scale = serializers.SerializerMethodField(help_text="0 to 100, -100 to 100, or hours.")
    components = serializers.SerializerMethodField(
        help_text="Every input count and sub-score; for a suppressed score only the reason (``suppressed``)."
    )

    class Meta(ScoreSerializer.Meta):
        fields = [*ScoreSerializer.Meta.fields, "metric_label", "formula", "scale", "components"]
        read_only_fields = fields

    def get_metric_label(self, snapshot) -> str:
        return selectors.metric_label(snapshot.metric)

    def get_formula(self, snapshot) -> str:
        return selectors.formula(snapshot.metric)

    def get_scale(self, snapshot) -> str:
        return selectors.scale(snapshot.metric)

    def get_components(self, snapshot) -> dict:
        return selectors.explanation(snapshot)["components"]


class CurrentScoreSerializer(serializers.Serializer):
    metric = NamedChoiceField(**METRIC)
    score = ScoreSerializer(source="snapshot", help_text="The latest period's snapshot.")
    previous = ScoreSerializer(allow_null=True, help_text="The period before's, if there is one.")
    change = serializers.FloatField(
        allow_null=True, help_text="Since the previous period; null when either side is missing or suppressed."
    )


class CurrentScoresSerializer(serializers.Serializer):
    scope_type = NamedChoiceField(**SCOPE_TYPE)
    scope_id = serializers.IntegerField()
    granularity = NamedChoiceField(**GRANULARITY)
    scores = CurrentScoreSerializer(many=True)


class ScoreRunSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(choices=ScoreRun.Status.choices, enum_name="ScoreRunStatusEnum", read_only=True)
    requested_by = MembershipSummarySerializer(read_only=True, allow_null=True)
    percent = serializers.IntegerField(read_only=True, help_text="0 to 100.")

    class Meta:
        model = ScoreRun
        fields = [
            "id",
            "status",
            "done",
            "total",
            "percent",
            "written",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        read_only_fields = fields


# --- Query strings ----------------------------------------------------------------------


class ScopeQuerySerializer(serializers.Serializer):
    scope_type = NamedChoiceField(**SCOPE_TYPE, required=False, help_text="With scope_id: one scope's scores.")
    scope_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="The scope's id (the organisation's own for org)."
    )

    def validate(self, data):
        if ("scope_type" in data) != ("scope_id" in data):
            missing = "scope_id" if "scope_type" in data else "scope_type"
            raise serializers.ValidationError({missing: "Give both scope_type and scope_id, or neither."})
        return data


class ScoreQuerySerializer(ScopeQuerySerializer):
    metric = NamedChoiceField(**METRIC, required=False)
    granularity = NamedChoiceField(**GRANULARITY, required=False)
    date_from = serializers.DateField(required=False, help_text="Periods starting on this day or later.")
    date_to = serializers.DateField(required=False, help_text="Periods starting on this day or earlier.")

    def get_fields(self):
        # ``from`` and ``to`` in the query string (``from`` is a Python keyword).
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields

    def validate(self, data):
        data = super().validate(data)
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise serializers.ValidationError({"to": "The end of the range must not be before its start."})
        data["date_from"], data["date_to"] = data.pop("from", None), data.pop("to", None)
        return data


class CurrentQuerySerializer(ScopeQuerySerializer):
    """Without a scope: the organisation's own scores."""

    granularity = NamedChoiceField(**GRANULARITY, required=False, default=Granularity.MONTH)

    def validate(self, data):
        data = super().validate(data)
        if "scope_type" not in data:
            data |= {"scope_type": ScopeType.ORGANIZATION, "scope_id": self.context["membership"].organization_id}
        return data


# --- Views ------------------------------------------------------------------------------


@org_scoped_schema(tags=["scores"])
@extend_schema_view(
    list=operation(
        "scores_list",
        "Score snapshots you may read, newest period first, filtered by scope, metric, granularity and period",
        ScoreSerializer(many=True),
        parameters=[ScoreQuerySerializer],
    ),
)
class ScoreViewSet(OrgScopedViewSet):
    serializer_class = ScoreSerializer
    queryset = ScoreSnapshot.objects.all()
    filter_backends = []
    # Everyone reads scores; surveys.access.access_scores says which.
    action_roles = {"list": Role.MEMBER, "current": Role.MEMBER, "explanation": Role.MEMBER}

    def select(self):
        return selectors.snapshot_list(membership=self.membership)

    def _query(self, serializer_class) -> dict:
        query = serializer_class(data=self.request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        return query.validated_data

    def list(self, request, org_slug):
        filters = self._query(ScoreQuerySerializer)
        page = self.paginate_queryset(selectors.snapshot_list(membership=self.membership, **filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @operation(
        "scores_current",
        "A scope's (default: the organisation's) current scores: for each metric, its latest period's snapshot "
        "and the change since the period before (null when either is missing or suppressed)",
        CurrentScoresSerializer,
        parameters=[CurrentQuerySerializer],
    )
    def current(self, request, org_slug):
        filters = self._query(CurrentQuerySerializer)
        scores = selectors.current_scores(membership=self.membership, **filters)
        data = {**filters, "scores": scores}
        return Response(CurrentScoresSerializer(data, context=self.get_serializer_context()).data)

    @operation(
        "scores_explanation",
        "How one score was computed: the formula in plain words, its components, sample size and period "
        "(a suppressed score: only why it is hidden)",
        ExplanationSerializer,
    )
    def explanation(self, request, org_slug, pk):
        snapshot = get_object_or_404(self.select(), pk=pk)
        return self.respond(ExplanationSerializer, snapshot)


@org_scoped_schema(tags=["scores"])
class ScoreRunViewSet(OrgScopedViewSet):
    serializer_class = ScoreRunSerializer
    queryset = ScoreRun.objects.all()
    pagination_class = None
    filter_backends = []
    action_roles = {"create": Role.ADMIN, "retrieve": Role.ADMIN}

    @operation(
        "scores_recompute",
        "Recompute every score of the organisation now (admins). One run at a time: while one is queued or "
        "running, this answers that one",
        ScoreRunSerializer,
        status=202,
        request=None,
    )
    def create(self, request, org_slug):
        run, _new = services.score_recompute_request(actor=self.membership)
        return self.respond(ScoreRunSerializer, run, code=status.HTTP_202_ACCEPTED)

    @operation("scores_recompute_progress", "A recompute run's progress (admins)", ScoreRunSerializer)
    def retrieve(self, request, org_slug, pk):
        return self.respond(ScoreRunSerializer, access_score_run(membership=self.membership, run_id=pk))
