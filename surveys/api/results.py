"""Survey results through the API, suppressed exactly as the pages are: a hidden figure
is ``null`` with ``suppressed: true`` and no count beside it, and what a viewer gets
is what surveys.results narrowed for them (admins may ask ``as`` a manager)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from surveys import access, results
from surveys.models import Survey
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role


class CellSerializer(serializers.Serializer):
    suppressed = serializers.BooleanField()
    respondents = serializers.IntegerField(allow_null=True)
    favourable = serializers.FloatField(allow_null=True, help_text="Percent of 4s and 5s (1 to 5 statements).")
    mean = serializers.FloatField(allow_null=True)
    net_score = serializers.FloatField(allow_null=True, help_text="eNPS: % promoters minus % detractors.")
    promoters = serializers.IntegerField(allow_null=True)
    passives = serializers.IntegerField(allow_null=True)
    detractors = serializers.IntegerField(allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), allow_null=True)


class GroupSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="organization, team:<id>, team:none, function:<id> or function:none")
    kind = serializers.CharField()
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    invited = serializers.IntegerField()
    responses = CellSerializer()
    response_rate = serializers.FloatField(allow_null=True)


class GroupCellSerializer(CellSerializer):
    group = serializers.CharField()
    comments = serializers.ListField(child=serializers.CharField(), allow_null=True, required=False)


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    driver = serializers.CharField()
    enps = serializers.BooleanField()
    groups = GroupCellSerializer(many=True)


class DriverResultSerializer(serializers.Serializer):
    driver = serializers.CharField()
    label = serializers.CharField()
    groups = GroupCellSerializer(many=True)


class RoundResultsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    survey = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    breakdown = serializers.CharField()
    anonymity_threshold = serializers.IntegerField()
    comment_threshold = serializers.IntegerField()
    viewed_as = serializers.IntegerField(help_text="The membership whose view this is.")
    groups = GroupSerializer(many=True)
    drivers = DriverResultSerializer(many=True)
    questions = QuestionResultSerializer(many=True)


class TrendPointSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    number = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    responses = CellSerializer()
    response_rate = serializers.FloatField(allow_null=True)
    engagement = CellSerializer(allow_null=True)
    enps = CellSerializer(allow_null=True)
    drivers = serializers.DictField(child=CellSerializer())


class TrendSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    group = serializers.CharField()
    breakdown = serializers.CharField()
    points = TrendPointSerializer(many=True)


def cell_data(cell: results.Cell) -> dict:
    if cell.hidden:
        return dict.fromkeys(
            ("respondents", "favourable", "mean", "net_score", "promoters", "passives", "detractors", "distribution")
        ) | {"suppressed": True}
    net = cell.net
    return {
        "suppressed": False,
        "respondents": cell.n,
        "favourable": cell.favourable,
        "mean": cell.mean,
        "net_score": net.value,
        "promoters": net.promoters,
        "passives": net.passives,
        "detractors": net.detractors,
        "distribution": {str(value): n for value, n in sorted(cell.distribution.items())},
    }


def _slug(key) -> str:
    kind, group_id = key
    return kind if kind == results.ORGANIZATION else f"{kind}:{group_id or 'none'}"


def results_data(found: results.RoundResults, viewer) -> dict:
    round_ = found.round

    def cells(cells: dict, comments: dict | None = None) -> list[dict]:
        rows = []
        for key, cell in cells.items():
            row = {"group": _slug(key), **cell_data(cell)}
            if comments is not None:
                row["comments"] = comments.get(key)
            rows.append(row)
        return rows

    return {
        "round": round_.pk,
        "survey": round_.survey_id,
        "number": round_.number,
        "status": round_.status,
        "breakdown": found.breakdown,
        "anonymity_threshold": found.threshold,
        "comment_threshold": found.comment_threshold,
        "viewed_as": viewer.pk,
        "groups": [
            {
                "group": g.group.slug,
                "kind": g.group.kind,
                "id": g.group.id,
                "name": g.group.label,
                "invited": g.invited,
                "responses": cell_data(g.responses),
                "response_rate": g.response_rate,
            }
            for g in found.groups
        ],
        "drivers": [{"driver": d.driver, "label": d.label, "groups": cells(d.cells)} for d in found.drivers],
        "questions": [
            {
                "question": q.question.pk,
                "text": q.question.text,
                "kind": q.question.kind,
                "driver": q.question.driver,
                "enps": q.question.is_enps,
                "groups": cells(q.cells, q.comments if q.question.kind == q.question.Kind.TEXT else None),
            }
            for q in found.questions
        ],
    }


def _optional(cell):
    return None if cell is None else cell_data(cell)


BREAKDOWN = OpenApiParameter("breakdown", OpenApiTypes.STR, enum=["team", "function"], description="Default: team.")
AS = OpenApiParameter("as", OpenApiTypes.INT, description="Admins: see it as this manager would.")
GROUP = OpenApiParameter("group", OpenApiTypes.STR, description="organization (default), team:<id> or function:<id>.")


@org_scoped_schema(tags=["surveys"])
class SurveyResultsViewSet(OrgScopedViewSet):
    serializer_class = RoundResultsSerializer
    queryset = Survey.objects.all()
    pagination_class = None
    filter_backends = []
    # Members are refused by the access functions, after another organisation's id is not found.
    action_roles = {"round_results": Role.MEMBER, "trend": Role.MEMBER}

    def _breakdown(self) -> str:
        breakdown = self.request.query_params.get("breakdown") or results.TEAM
        if breakdown not in results.BREAKDOWNS:
            raise serializers.ValidationError({"breakdown": ["Break results down by team or by function."]})
        return breakdown

    def _viewer(self):
        chosen = self.request.query_params.get("as")
        if not chosen:
            return self.membership
        if not chosen.isdigit() or len(chosen) > 12:
            raise serializers.ValidationError({"as": ["Give a manager's membership id."]})
        return results.preview_viewer(admin=self.membership, membership_id=int(chosen))

    @operation(
        "survey_round_results",
        "A round's results for the organisation and each team or function you may see, suppressed below the "
        "anonymity threshold (and by the complement rule); nothing until the round closes but the response count",
        RoundResultsSerializer,
        parameters=[BREAKDOWN, AS],
    )
    def round_results(self, request, org_slug, pk):
        round_ = access.access_round(membership=self.membership, round_id=pk)
        breakdown, viewer = self._breakdown(), self._viewer()
        found = results.round_results(viewer=viewer, round_=round_, breakdown=breakdown)
        return Response(results_data(found, viewer))

    @operation(
        "survey_trend",
        "One group's figures over the survey's closed rounds, each suppressed as that round's results are",
        TrendSerializer,
        parameters=[BREAKDOWN, GROUP, AS],
    )
    def trend(self, request, org_slug, pk):
        survey = access.access_survey(membership=self.membership, survey_id=pk)
        access.require_results_reader(self.membership, survey)
        breakdown, viewer = self._breakdown(), self._viewer()
        try:
            group_key = results.parse_group(request.query_params.get("group"), breakdown)
        except ValueError as error:
            raise serializers.ValidationError({"group": [str(error)]}) from None
        points = results.survey_trend(viewer=viewer, survey=survey, group_key=group_key, breakdown=breakdown)
        data = {
            "survey": survey.pk,
            "group": _slug(group_key),
            "breakdown": breakdown,
            "points": [
                {
                    "round": p.round.pk,
                    "number": p.round.number,
                    "opens_at": p.round.opens_at,
                    "responses": cell_data(p.responses),
                    "response_rate": p.response_rate,
                    "engagement": _optional(p.engagement),
                    "enps": _optional(p.enps),
                    "drivers": {driver: cell_data(cell) for driver, cell in p.drivers.items()},
                }
                for p in points
            ],
        }
        return Response(TrendSerializer(data).data)
