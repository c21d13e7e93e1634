"""The meeting brief through the API: what the page and its PDF show, from the same
selector (dashboards.selectors.brief), and nothing more.

Managers brief the teams they manage, admins any team; members are refused (403). A
team the caller may not brief — another organisation's included — is a 400 on
``team``, as an id of theirs is anywhere in a query string. A suppressed score is
``value: null, suppressed: true``, never its value.
"""

from rest_framework import serializers
from rest_framework.response import Response

from dashboards.selectors import brief as selectors
from surveys.models.scores import Granularity, Metric
from surveys.scoring.periods import Period
from teamhub.lib.api.fields import NamedChoiceField
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import CustomerSummarySerializer, MembershipSummarySerializer, TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.forms import MAX_ID
from teamhub.lib.tenancy import Role
from teams.models import Team
from work.models import Handoff

# --- Query string -----------------------------------------------------------------------


class BriefQuerySerializer(serializers.Serializer):
    team = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Team ids (repeat the parameter for several); none: every team you may brief.",
    )
    date_from = serializers.DateField(required=False, help_text="The first day (default: six days before today).")
    date_to = serializers.DateField(required=False, help_text="The last day, included (default: today).")

    def get_fields(self):
        # ``from`` and ``to`` in the query string, as on the page (``from`` is a Python keyword).
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields

    def validate(self, data):
        membership = self.context["membership"]
        teams = list(selectors.briefable_teams(membership=membership))
        wanted = set(data.get("team") or ())
        unknown = wanted - {team.pk for team in teams}
        if unknown:
            raise serializers.ValidationError({"team": f"Not a team you may brief: {', '.join(map(str, unknown))}."})
        start, end = selectors.default_range(membership=membership)
        date_from, date_to = data.get("from") or start, data.get("to") or end
        if date_from > date_to:
            raise serializers.ValidationError({"to": "The last day must not be before the first."})
        if (date_to - date_from).days >= selectors.MAX_DAYS:
            raise serializers.ValidationError({"to": f"Choose at most {selectors.MAX_DAYS} days."})
        chosen = [team for team in teams if team.pk in wanted] if wanted else teams
        return {"teams": chosen, "date_from": date_from, "date_to": date_to}


# --- Shapes -----------------------------------------------------------------------------


class BriefWinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    impact = serializers.CharField()
    team = TeamSummarySerializer()
    author = MembershipSummarySerializer()
    account = CustomerSummarySerializer(allow_null=True)
    values = serializers.SerializerMethodField()
    spotlighted = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_values(self, win) -> list[str]:
        return [value.name for value in win.values.all()]

    def get_spotlighted(self, win) -> bool:
        return hasattr(win, "spotlight")


class BriefSpotlightSerializer(serializers.Serializer):
    win = BriefWinSerializer()
    note = serializers.CharField()
    by = MembershipSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class BriefHandoffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    account = CustomerSummarySerializer()
    status = NamedChoiceField(choices=Handoff.Status.choices, enum_name="HandoffStatusEnum")
    sender = MembershipSummarySerializer()
    sender_team = TeamSummarySerializer(allow_null=True)
    to_member = MembershipSummarySerializer(allow_null=True)
    to_team = TeamSummarySerializer(allow_null=True)
    reason = serializers.CharField(help_text="Why it was declined or returned.")
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    sla_hours = serializers.IntegerField()
    waited_hours = serializers.IntegerField(
        allow_null=True, help_text="Hours until accepted, or waited so far if still open; null otherwise."
    )


class BriefHandoffsSerializer(serializers.Serializer):
    opened = BriefHandoffSerializer(many=True, source="handoffs_opened", help_text="Sent or received in the range.")
    late = BriefHandoffSerializer(
        many=True, source="handoffs_late", help_text="Not accepted within their SLA (accepted later, or still open)."
    )
    returned = BriefHandoffSerializer(many=True, source="handoffs_returned", help_text="Returned in the range.")


class BriefKeyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    current = serializers.DecimalField(max_digits=14, decimal_places=2)
    progress = serializers.IntegerField(help_text="0 to 100.")
    goal = serializers.CharField(source="goal.title")
    team = TeamSummarySerializer(source="goal.team")


class BriefCheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key_result = BriefKeyResultSerializer()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField()
    author = MembershipSummarySerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class BriefFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    owner = MembershipSummarySerializer(allow_null=True)
    due_date = serializers.DateField(allow_null=True)


class BriefFeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="nps or csat.")
    score = serializers.IntegerField()
    comment = serializers.CharField()
    account = CustomerSummarySerializer()
    team = TeamSummarySerializer(allow_null=True, help_text="The team owning the account when it arrived.")
    received_at = serializers.DateTimeField()
    follow_up = BriefFollowUpSerializer(allow_null=True)


class BriefAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owning_team = TeamSummarySerializer()
    lead = MembershipSummarySerializer(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is at risk, in words.")
    open_follow_ups = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField()


class BriefScoreSerializer(serializers.Serializer):
    metric = NamedChoiceField(choices=Metric.choices, enum_name="ScoreMetricEnum")
    snapshot_id = serializers.IntegerField(source="snapshot.pk", help_text="For scores/{id}/explanation/.")
    period_start = serializers.DateField(source="snapshot.period_start")
    period_label = serializers.SerializerMethodField()
    suppressed = serializers.BooleanField(source="snapshot.suppressed")
    value = serializers.SerializerMethodField(help_text="Null when suppressed (not enough responses).")
    change = serializers.FloatField(
        allow_null=True, help_text="Since the period before; null when either side is missing or suppressed."
    )

    def get_period_label(self, score) -> str:
        return Period(score.snapshot.granularity, score.snapshot.period_start).label

    def get_value(self, score) -> float | None:
        return None if score.snapshot.suppressed else score.snapshot.value


class BriefTeamScoresSerializer(serializers.Serializer):
    team = TeamSummarySerializer()
    scores = BriefScoreSerializer(many=True)


class BriefSerializer(serializers.Serializer):
    teams = TeamSummarySerializer(many=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    granularity = NamedChoiceField(
        choices=Granularity.choices, enum_name="ScoreGranularityEnum", help_text="The period of the score changes."
    )
    wins = BriefWinSerializer(many=True)
    spotlights = BriefSpotlightSerializer(many=True)
    handoffs = BriefHandoffsSerializer(source="*")
    check_ins = BriefCheckInSerializer(many=True)
    nps_comments = BriefFeedbackSerializer(many=True, source="comments")
    detractors = BriefFeedbackSerializer(many=True, help_text="Detractor answers and the follow-up each opened.")
    accounts_at_risk = BriefAccountSerializer(many=True)
    score_changes = BriefTeamScoresSerializer(many=True)


# --- View -------------------------------------------------------------------------------


@org_scoped_schema(tags=["dashboards"])
class BriefViewSet(OrgScopedViewSet):
    serializer_class = BriefSerializer
    queryset = Team.objects.all()
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.MANAGER}

    @operation(
        "brief_retrieve",
        "The meeting brief of one team or several over a date range (default: the last seven days): wins and "
        "spotlights, handoffs opened, late or returned, key-result check-ins, NPS comments and detractor "
        "follow-ups, accounts at risk and score changes — what the brief page and its PDF show",
        BriefSerializer,
        parameters=[BriefQuerySerializer],
    )
    def retrieve(self, request, org_slug):
        query = BriefQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        brief = selectors.meeting_brief(membership=self.membership, **query.validated_data)
        return Response(BriefSerializer(brief, context=self.get_serializer_context()).data)
