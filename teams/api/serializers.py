"""Shapes of teams' API resources. Validation of types and sizes only: the rules live
in teams.services, which the viewsets call with ``validated_data``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Membership
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.summaries import (
    FunctionSummarySerializer,
    JobRoleSummarySerializer,
    MembershipSummarySerializer,
    StrengthSummarySerializer,
    TeamSummarySerializer,
    UserSummarySerializer,
)
from teamhub.lib.forms import MAX_ID
from teams.models import (
    CheckIn,
    Commitment,
    ExcellenceChange,
    ExcellenceCriterion,
    Function,
    Goal,
    JobRole,
    KeyResult,
    MemberStrength,
    RoleCriterion,
    Stage,
    StageChange,
    Strength,
    Team,
    TeamMembership,
    Value,
)


def _stage_field(**kwargs):
    return NamedChoiceField(choices=Stage.choices, enum_name="StageEnum", **kwargs)


# --- Values, functions, roles, the strengths catalogue --------------------------------------------


class ValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Value
        fields = ["id", "name", "description", "order", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"order": {"required": False}}


class ValueCreateSerializer(ValueSerializer):
    """A new value is always active; archive it afterwards with ``is_active``."""

    class Meta(ValueSerializer.Meta):
        read_only_fields = ["id", "is_active", "created_at"]


class FunctionSerializer(serializers.ModelSerializer):
    role_count = serializers.IntegerField(read_only=True, help_text="Roles defined in this function.")

    class Meta:
        model = Function
        fields = ["id", "name", "order", "role_count"]
        read_only_fields = ["id"]
        extra_kwargs = {"order": {"required": False}}


class RoleCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleCriterion
        fields = ["id", "looks_like", "measure", "order"]
        read_only_fields = ["id", "order"]


class RoleCriterionUpdateSerializer(RoleCriterionSerializer):
    class Meta(RoleCriterionSerializer.Meta):
        read_only_fields = ["id"]


class JobRoleSerializer(serializers.ModelSerializer):
    function = OrgPrimaryKeyField(queryset=Function.objects.all())
    function_name = serializers.CharField(source="function.name", read_only=True)
    criteria = RoleCriterionSerializer(many=True, read_only=True, help_text="The excellence template.")
    holder_count = serializers.IntegerField(read_only=True, help_text="People who hold this role on a team.")

    class Meta:
        model = JobRole
        fields = ["id", "function", "function_name", "name", "purpose", "criteria", "holder_count"]
        read_only_fields = ["id"]


class JobRoleCreateSerializer(JobRoleSerializer):
    criteria = RoleCriterionSerializer(
        many=True, required=False, help_text="The excellence template, in order: what excellence looks like, and how."
    )


class StrengthSerializer(serializers.ModelSerializer):
    holder_count = serializers.IntegerField(read_only=True, help_text="People who marked this strength.")

    class Meta:
        model = Strength
        fields = ["id", "name", "kind", "description", "holder_count"]
        read_only_fields = ["id"]


class StrengthHolderSerializer(serializers.ModelSerializer):
    membership = MembershipSummarySerializer(read_only=True)
    endorsement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MemberStrength
        fields = ["id", "membership", "level", "endorsement_count"]


class HoldersQuerySerializer(serializers.Serializer):
    min_level = serializers.IntegerField(min_value=1, max_value=5, required=False, default=1)


# --- Teams and their people -----------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer):
    membership = MembershipSummarySerializer(read_only=True)
    job_role = JobRoleSummarySerializer(read_only=True, allow_null=True)
    function = FunctionSummarySerializer(source="job_role.function", read_only=True, allow_null=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "team", "membership", "team_role", "job_role", "function", "joined_at"]
        read_only_fields = ["id", "team", "joined_at"]


class TeamMemberCreateSerializer(serializers.ModelSerializer):
    membership = OrgPrimaryKeyField(queryset=Membership.objects.all())
    job_role = OrgPrimaryKeyField(queryset=JobRole.objects.all(), allow_null=True, required=False)

    class Meta:
        model = TeamMembership
        fields = ["membership", "team_role", "job_role"]


class TeamMemberUpdateSerializer(serializers.ModelSerializer):
    job_role = OrgPrimaryKeyField(queryset=JobRole.objects.all(), allow_null=True, required=False)

    class Meta:
        model = TeamMembership
        fields = ["team_role", "job_role"]


class FunctionCoverageSerializer(serializers.Serializer):
    present = FunctionSummarySerializer(many=True, read_only=True)
    missing = FunctionSummarySerializer(many=True, read_only=True)
    is_cross_functional = serializers.BooleanField(read_only=True, help_text="People of two functions or more.")


class CommitmentStatusSerializer(serializers.Serializer):
    commitment = serializers.ChoiceField(choices=Commitment.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    is_kept = serializers.BooleanField(read_only=True)
    kept_since = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    updated_by = MembershipSummarySerializer(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CommitmentSetSerializer(serializers.Serializer):
    commitment = serializers.ChoiceField(choices=Commitment.choices)
    is_kept = serializers.BooleanField()
    kept_since = serializers.DateField(required=False, allow_null=True, help_text="Defaults to today when kept.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TeamSerializer(serializers.ModelSerializer):
    stage = _stage_field(read_only=True)
    managers = MembershipSummarySerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    webhook = serializers.CharField(
        source="webhook_host",
        read_only=True,
        help_text="Where the team's chat webhook posts, host only (the address is a secret); empty when none.",
    )

    class Meta:
        model = Team
        fields = ["id", "name", "mission", "stage", "managers", "member_count", "webhook", "created_at"]
        read_only_fields = fields


class TeamDetailSerializer(TeamSerializer):
    members = TeamMemberSerializer(source="member_list", many=True, read_only=True)
    function_coverage = FunctionCoverageSerializer(source="coverage", read_only=True)
    commitments = CommitmentStatusSerializer(
        source="commitment_list", many=True, read_only=True, help_text="All six, recorded or not."
    )

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "members", "function_coverage", "commitments"]
        read_only_fields = fields


class TeamWriteSerializer(serializers.ModelSerializer):
    managers = OrgPrimaryKeyField(
        queryset=Membership.objects.all(),
        many=True,
        required=False,
        help_text="Membership ids of the team's managers (admins only).",
    )

    class Meta:
        model = Team
        fields = ["name", "mission", "managers", "webhook_url"]
        extra_kwargs = {
            "webhook_url": {
                "write_only": True,
                "help_text": "A Slack-compatible incoming webhook (https); empty removes it. Never shown back.",
            }
        }


class StageChangeRequestSerializer(serializers.Serializer):
    stage = _stage_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = _stage_field(read_only=True)
    to_stage = _stage_field(read_only=True)
    changed_by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "note", "changed_by", "created_at"]
        read_only_fields = fields


# --- Excellence -----------------------------------------------------------------------------------


class ExcellenceCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExcellenceCriterion
        fields = ["id", "team_membership", "looks_like", "measure", "order", "source", "updated_at"]
        read_only_fields = ["id", "team_membership", "order", "source", "updated_at"]


class ExcellenceCriterionUpdateSerializer(ExcellenceCriterionSerializer):
    class Meta(ExcellenceCriterionSerializer.Meta):
        read_only_fields = ["id", "team_membership", "source", "updated_at"]


class ExcellenceSnapshotSerializer(serializers.Serializer):
    looks_like = serializers.CharField(read_only=True)
    measure = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)


class ExcellenceChangeSerializer(serializers.ModelSerializer):
    before = ExcellenceSnapshotSerializer(read_only=True, allow_null=True)
    after = ExcellenceSnapshotSerializer(read_only=True, allow_null=True)
    changed_by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ExcellenceChange
        fields = ["id", "criterion", "action", "before", "after", "changed_by", "created_at"]
        read_only_fields = fields


# --- Goals, key results, check-ins ----------------------------------------------------------------


class KeyResultSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(
        read_only=True, min_value=0, max_value=100, help_text="How far current has moved from baseline to target, %."
    )

    class Meta:
        model = KeyResult
        fields = [
            "id",
            "goal",
            "title",
            "kind",
            "unit",
            "baseline",
            "target",
            "current",
            "direction",
            "order",
            "progress",
        ]
        read_only_fields = ["id", "goal", "current"]
        extra_kwargs = {
            "direction": {"required": False, "help_text": "Follows from baseline and target when left out."},
            "order": {"required": False},
        }


class GoalSerializer(serializers.ModelSerializer):
    owner = OrgPrimaryKeyField(queryset=Membership.objects.all(), allow_null=True, required=False)
    team = OrgPrimaryKeyField(
        queryset=Team.objects.all(),
        allow_null=True,
        required=False,
        help_text="Set for a team goal (on creation only); leave out for an organisation goal.",
    )
    parent = OrgPrimaryKeyField(
        queryset=Goal.objects.all(),
        allow_null=True,
        required=False,
        help_text="The organisation goal a team goal serves.",
    )
    status = NamedChoiceField(choices=Goal.Status.choices, enum_name="GoalStatusEnum", required=False)
    level = serializers.SerializerMethodField()
    key_results = KeyResultSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "level",
            "title",
            "description",
            "owner",
            "team",
            "parent",
            "period_start",
            "period_end",
            "status",
            "key_results",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_level(self, goal) -> str:
        return "team" if goal.is_team_goal else "org"


class CheckInSerializer(serializers.ModelSerializer):
    author = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CheckIn
        fields = ["id", "value", "note", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class CheckInCreatedSerializer(CheckInSerializer):
    key_result = KeyResultSerializer(read_only=True, help_text="The key result with its new current value.")

    class Meta(CheckInSerializer.Meta):
        fields = [*CheckInSerializer.Meta.fields, "key_result"]


# --- People's strengths and the directory ---------------------------------------------------------


class MyStrengthSerializer(serializers.ModelSerializer):
    strength = OrgPrimaryKeyField(queryset=Strength.objects.all())
    strength_name = serializers.CharField(source="strength.name", read_only=True)
    endorsement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MemberStrength
        fields = ["id", "strength", "strength_name", "level", "endorsement_count", "created_at"]
        read_only_fields = ["id", "created_at"]


class EndorsedStrengthSerializer(serializers.ModelSerializer):
    strength = StrengthSummarySerializer(read_only=True)
    endorsement_count = serializers.IntegerField(read_only=True)
    endorsed_by_me = serializers.BooleanField(source="endorsed_by_viewer", read_only=True)

    class Meta:
        model = MemberStrength
        fields = ["id", "strength", "level", "endorsement_count", "endorsed_by_me"]
        read_only_fields = fields


class DirectoryStrengthSerializer(serializers.ModelSerializer):
    strength = StrengthSummarySerializer(read_only=True)
    endorsement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MemberStrength
        fields = ["id", "strength", "level", "endorsement_count"]
        read_only_fields = fields


class DirectoryTeamSerializer(serializers.ModelSerializer):
    team = TeamSummarySerializer(read_only=True)
    job_role = JobRoleSummarySerializer(read_only=True, allow_null=True)
    function = FunctionSummarySerializer(source="job_role.function", read_only=True, allow_null=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "team", "team_role", "job_role", "function"]
        read_only_fields = fields


class DirectoryPersonSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    strengths = DirectoryStrengthSerializer(many=True, read_only=True)
    teams = DirectoryTeamSerializer(source="team_memberships", many=True, read_only=True)
    functions = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "strengths", "teams", "functions"]
        read_only_fields = fields

    @extend_schema_field(FunctionSummarySerializer(many=True))
    def get_functions(self, person) -> list[dict]:
        # From the prefetched team memberships: no query per person.
        functions = {tm.job_role.function for tm in person.team_memberships.all() if tm.job_role_id}
        ordered = sorted(functions, key=lambda f: (f.order, f.name))
        return FunctionSummarySerializer(ordered, many=True).data


class DirectoryQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    function = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, allow_null=True, default=None)
    strength = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, allow_null=True, default=None)
