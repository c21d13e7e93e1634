"""The short forms in which one app's resources appear inside another's.

Shape only, no model: a win names its team, a handoff its customer, a delivery its
recipient, and each app's serializers nest these without importing another app's
API. Each class is one schema component (``TeamSummary``, ``CustomerSummary``…).
"""

from rest_framework import serializers


class _Named(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class MembershipSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = UserSummarySerializer(read_only=True)


class TeamSummarySerializer(_Named):
    pass


class FunctionSummarySerializer(_Named):
    pass


class JobRoleSummarySerializer(_Named):
    pass


class StrengthSummarySerializer(_Named):
    pass


class ValueSummarySerializer(_Named):
    pass


class CustomerSummarySerializer(_Named):
    pass
