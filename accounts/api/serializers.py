from rest_framework import serializers

from accounts.models import ApiToken, Invitation, Membership, Organization, User
from teamhub.lib.api.summaries import UserSummarySerializer
from teamhub.lib.tenancy import Role


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "timezone"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "timezone",
            "anonymity_threshold",
            "comment_threshold",
            "handoff_sla_hours",
            "survey_throttle_days",
            "detractor_sla_days",
            "weight_survey",
            "weight_responsiveness",
            "weight_follow_through",
            "weight_breadth",
            "created_at",
        ]
        read_only_fields = ["slug", "created_at"]


class MyMembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer()

    class Meta:
        model = Membership
        fields = ["organization", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "memberships"]

    def get_memberships(self, user) -> list[dict]:
        active = [m for m in user.memberships.all() if m.is_active]
        return MyMembershipSerializer(active, many=True).data


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "is_active", "created_at"]
        read_only_fields = ["id", "user", "created_at"]


class MyOrganizationSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Organization
        fields = ["slug", "name", "timezone", "role"]


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)
    invited_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "created_at", "expires_at", "email_sent_at"]
        read_only_fields = ["id", "status", "invited_by", "created_at", "expires_at", "email_sent_at"]


class InvitationCreatedSerializer(InvitationSerializer):
    accept_url = serializers.CharField(read_only=True, help_text="Shown once: only its digest is stored.")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "accept_url"]


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: only its digest is stored.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
