"""Shapes of daily work in the API: wins, handoffs and suggestions.

Types and sizes only: the rules (who may log, move or spotlight what) live in the
services, which the viewsets call with ``validated_data``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Membership
from customers.models import CustomerAccount, FollowUp
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.summaries import (
    CustomerSummarySerializer,
    MembershipSummarySerializer,
    TeamSummarySerializer,
    ValueSummarySerializer,
)
from teams.models import Function, Strength, Team, Value
from work.models import Adoption, Handoff, HandoffEvent, Spotlight, Win
from work.services.handoffs import is_breached, time_to_accept


def _handoff_status(**kwargs):
    return NamedChoiceField(choices=Handoff.Status.choices, enum_name="HandoffStatusEnum", **kwargs)


# --- Wins -------------------------------------------------------------------------------------


class SpotlightSerializer(serializers.ModelSerializer):
    by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Spotlight
        fields = ["note", "by", "created_at"]
        read_only_fields = fields


class WinSerializer(serializers.ModelSerializer):
    author = MembershipSummarySerializer(read_only=True)
    team = TeamSummarySerializer(read_only=True)
    account = CustomerSummarySerializer(read_only=True, allow_null=True)
    values = ValueSummarySerializer(many=True, read_only=True)
    collaborators = MembershipSummarySerializer(many=True, read_only=True)
    applause = serializers.IntegerField(read_only=True, help_text="Colleagues who applauded it.")
    applauded_by_me = serializers.BooleanField(source="applauded", read_only=True)
    adoption_count = serializers.IntegerField(read_only=True, help_text="Teams that adopted it.")
    spotlight = SpotlightSerializer(read_only=True, allow_null=True, help_text="Null unless a manager spotlighted it.")

    class Meta:
        model = Win
        fields = [
            "id",
            "title",
            "story",
            "impact",
            "author",
            "team",
            "account",
            "values",
            "collaborators",
            "applause",
            "applauded_by_me",
            "adoption_count",
            "spotlight",
            "created_at",
        ]
        read_only_fields = fields


class WinCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    values = OrgPrimaryKeyField(
        queryset=Value.objects.all(), many=True, help_text="Ids of the values it shows (at least one, not archived)."
    )
    team = OrgPrimaryKeyField(
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="A team you are on or manage; defaults to your team when you are on exactly one.",
    )
    story = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    impact = serializers.CharField(required=False, allow_blank=True, default="", max_length=240)
    account = OrgPrimaryKeyField(queryset=CustomerAccount.objects.all(), required=False, allow_null=True)
    collaborators = OrgPrimaryKeyField(
        queryset=Membership.objects.all(), many=True, required=False, help_text="Colleagues who helped (not you)."
    )


class WinQuerySerializer(serializers.Serializer):
    team = OrgPrimaryKeyField(queryset=Team.objects.all(), required=False, help_text="Only this team's wins.")
    account = OrgPrimaryKeyField(
        queryset=CustomerAccount.objects.all(), required=False, help_text="Only wins for this customer."
    )
    spotlighted = serializers.BooleanField(required=False, default=False, help_text="Only spotlighted wins.")
    value = OrgPrimaryKeyField(queryset=Value.objects.all(), required=False, help_text="Only wins showing this value.")


class SpotlightRequestSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, help_text="Why this is what good looks like.")


class AdoptionRequestSerializer(serializers.Serializer):
    team = OrgPrimaryKeyField(queryset=Team.objects.all(), help_text="The team (yours) that adopted the practice.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class AdoptionSerializer(serializers.ModelSerializer):
    team = TeamSummarySerializer(read_only=True)
    by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Adoption
        fields = ["id", "win", "team", "by", "note", "created_at"]
        read_only_fields = fields


class WinDetailSerializer(WinSerializer):
    adoptions = AdoptionSerializer(many=True, read_only=True, help_text="The teams that adopted it, and who said so.")

    class Meta(WinSerializer.Meta):
        fields = [*WinSerializer.Meta.fields, "adoptions"]
        read_only_fields = fields


class ValuesInActionQuerySerializer(serializers.Serializer):
    team = OrgPrimaryKeyField(queryset=Team.objects.all(), required=False, help_text="Only this team's wins.")
    months = serializers.IntegerField(required=False, default=6, min_value=1, max_value=24)


class ValuesInActionSerializer(serializers.Serializer):
    labels = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="First day of each month, oldest first."
    )
    series = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        read_only=True,
        help_text="Value name -> wins per month, aligned with labels.",
    )


# --- Handoffs ---------------------------------------------------------------------------------


class HandoffSerializer(serializers.ModelSerializer):
    account = CustomerSummarySerializer(read_only=True)
    sender = MembershipSummarySerializer(read_only=True)
    sender_team = TeamSummarySerializer(read_only=True, allow_null=True)
    to_member = MembershipSummarySerializer(read_only=True, allow_null=True)
    to_team = TeamSummarySerializer(read_only=True, allow_null=True)
    accepted_by = MembershipSummarySerializer(read_only=True, allow_null=True)
    status = _handoff_status(read_only=True)
    breached = serializers.SerializerMethodField(help_text="Accepted later than the SLA, or still open past it.")
    time_to_accept_hours = serializers.SerializerMethodField(help_text="Null until accepted.")

    class Meta:
        model = Handoff
        fields = [
            "id",
            "subject",
            "context",
            "customer_expects",
            "due_date",
            "account",
            "follow_up",
            "sender",
            "sender_team",
            "to_member",
            "to_team",
            "status",
            "accepted_by",
            "reason",
            "created_at",
            "accepted_at",
            "closed_at",
            "sla_hours",
            "breached",
            "time_to_accept_hours",
        ]
        read_only_fields = fields

    def get_breached(self, handoff) -> bool:
        return is_breached(handoff)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_time_to_accept_hours(self, handoff) -> float | None:
        waited = time_to_accept(handoff)
        return None if waited is None else round(waited.total_seconds() / 3600, 2)


class HandoffEventSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="Empty for the event that sent it.")
    to_status = _handoff_status(read_only=True)
    by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = HandoffEvent
        fields = ["id", "from_status", "to_status", "by", "reason", "created_at"]
        read_only_fields = fields


class HandoffDetailSerializer(HandoffSerializer):
    events = HandoffEventSerializer(many=True, read_only=True, help_text="Every move, oldest first.")

    class Meta(HandoffSerializer.Meta):
        fields = [*HandoffSerializer.Meta.fields, "events"]
        read_only_fields = fields


class HandoffCreateSerializer(serializers.Serializer):
    account = OrgPrimaryKeyField(queryset=CustomerAccount.objects.all(), help_text="The customer whose need it is.")
    subject = serializers.CharField(max_length=200)
    to_member = OrgPrimaryKeyField(
        queryset=Membership.objects.all(), required=False, allow_null=True, help_text="A colleague, or…"
    )
    to_team = OrgPrimaryKeyField(
        queryset=Team.objects.all(), required=False, allow_null=True, help_text="…a team: exactly one of the two."
    )
    context = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    customer_expects = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    follow_up = OrgPrimaryKeyField(
        queryset=FollowUp.objects.all(), required=False, allow_null=True, help_text="A follow-up of this customer."
    )


class HandoffQuerySerializer(serializers.Serializer):
    box = NamedChoiceField(
        choices=[
            ("to_me", "Handed to me, or claimed by me, and not closed"),
            ("to_my_teams", "Handed to a team I am on or manage, not yet claimed"),
            ("sent", "Sent by me, and not closed"),
        ],
        enum_name="HandoffBoxEnum",
        required=False,
        help_text="A box of the inbox, exactly as the inbox page shows it. Without it: every handoff you may see.",
    )
    status = _handoff_status(required=False)
    account = OrgPrimaryKeyField(
        queryset=CustomerAccount.objects.all(), required=False, help_text="Only handoffs about this customer."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text="Why: the sender reads it."
    )


class SuggestionQuerySerializer(serializers.Serializer):
    account = OrgPrimaryKeyField(queryset=CustomerAccount.objects.all(), help_text="The customer the need is about.")
    strength = OrgPrimaryKeyField(queryset=Strength.objects.all(), required=False, help_text="The strength it needs.")
    function = OrgPrimaryKeyField(queryset=Function.objects.all(), required=False, help_text="The function it needs.")


class SuggestionSerializer(serializers.Serializer):
    membership = MembershipSummarySerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
