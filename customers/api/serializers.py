"""Shapes of the customers API. Validation of types and sizes only: the rules live in
customers.services, which the viewsets call with ``validated_data``.

Ids in bodies (``owning_team``, ``lead``, ``to_team``, ``contact``, ``owner``) resolve
among the rows the requester may see, so another organisation's id is a 400 on that
field and never reaches a service.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Membership
from customers import selectors
from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from customers.selectors import SORTS
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.summaries import MembershipSummarySerializer, TeamSummarySerializer
from teams.models import Team


def _account_status(**kwargs):
    return NamedChoiceField(choices=CustomerAccount.Status.choices, enum_name="AccountStatusEnum", **kwargs)


def _follow_up_status(**kwargs):
    return NamedChoiceField(choices=FollowUp.Status.choices, enum_name="FollowUpStatusEnum", **kwargs)


def _channel(**kwargs):
    return NamedChoiceField(choices=Contact.Channel.choices, enum_name="ContactChannelEnum", **kwargs)


# --- Accounts ---------------------------------------------------------------------------------------


class AccountDetailsSerializer(serializers.ModelSerializer):
    status = _account_status(read_only=True)
    open_follow_ups = serializers.IntegerField(read_only=True, help_text="Follow-ups open or in progress.")

    class Meta:
        model = CustomerAccount
        fields = ["external_ref", "segment", "status", "annual_revenue", "open_follow_ups", "created_at", "updated_at"]
        read_only_fields = fields


class AccountSerializer(serializers.ModelSerializer):
    """An account as everyone in the organisation sees it, with ``details`` for those
    who work on it.

    Everyone may find any account and read its name, owning team and lead, so they
    know whom to ask. ``details`` (reference, segment, status, revenue, open
    follow-ups) is present only when ``in_full`` is true: for the owning team's
    members and managers, and for admins; for everyone else it is ``null``.
    """

    owning_team = TeamSummarySerializer(read_only=True)
    lead = MembershipSummarySerializer(read_only=True, allow_null=True)
    in_full = serializers.BooleanField(
        read_only=True, help_text="Whether you work on this account's details (contacts, follow-ups, history)."
    )
    details = serializers.SerializerMethodField(help_text="Null unless ``in_full``.")

    class Meta:
        model = CustomerAccount
        fields = ["id", "name", "owning_team", "lead", "in_full", "details"]

    @extend_schema_field(AccountDetailsSerializer(allow_null=True))
    def get_details(self, account):
        return AccountDetailsSerializer(account).data if account.in_full else None


class AccountWriteSerializer(serializers.ModelSerializer):
    owning_team = OrgPrimaryKeyField(queryset=Team.objects.all(), help_text="The team that owns the account.")
    lead = OrgPrimaryKeyField(queryset=Membership.objects.all(), allow_null=True, required=False)
    status = _account_status(required=False)
    annual_revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False
    )

    class Meta:
        model = CustomerAccount
        fields = ["name", "external_ref", "segment", "status", "annual_revenue", "owning_team", "lead"]
        # Uniqueness of the external reference is the service's to check.
        validators = []


class AccountUpdateSerializer(AccountWriteSerializer):
    """The owning team changes only by a transfer, which records why."""

    class Meta(AccountWriteSerializer.Meta):
        fields = ["name", "external_ref", "segment", "status", "annual_revenue", "lead"]


class AccountQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Name contains, or exact external reference.")
    team = OrgPrimaryKeyField(queryset=Team.objects.all(), required=False, help_text="Owning team's id.")
    segment = serializers.CharField(required=False, allow_blank=True, help_text="Segment or tier (any case).")
    status = _account_status(required=False)
    lead = OrgPrimaryKeyField(queryset=Membership.objects.all(), required=False, help_text="Account lead's id.")
    mine = serializers.BooleanField(required=False, default=False, help_text="Only accounts you work on in full.")
    ordering = NamedChoiceField(
        choices=[(key, key) for key in SORTS], enum_name="AccountOrderingEnum", required=False, default="name"
    )


class TransferSerializer(serializers.Serializer):
    to_team = OrgPrimaryKeyField(queryset=Team.objects.all(), help_text="The team that takes the account over.")
    reason = serializers.CharField(max_length=2000, help_text="Why the account moves; the history keeps it.")


class OwnershipChangeSerializer(serializers.ModelSerializer):
    from_team = TeamSummarySerializer(read_only=True, allow_null=True)
    to_team = TeamSummarySerializer(read_only=True, allow_null=True)
    changed_by = MembershipSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = OwnershipChange
        fields = ["id", "account", "from_team", "to_team", "reason", "changed_by", "created_at"]
        read_only_fields = fields


# --- Contacts ---------------------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    preferred_channel = _channel(required=False)
    needs_review = serializers.SerializerMethodField(
        help_text="Nobody has reviewed what the team remembers about this person for about six months."
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "account",
            "name",
            "email",
            "phone",
            "title",
            "preferred_channel",
            "preferences",
            "personal_notes",
            "survey_opt_out",
            "last_interaction_at",
            "notes_reviewed_at",
            "needs_review",
            "created_at",
        ]
        read_only_fields = ["id", "account", "notes_reviewed_at", "created_at"]

    def get_needs_review(self, contact) -> bool:
        # account_contacts() computes it for a list; a single contact gets the same rule.
        if hasattr(contact, "needs_review"):
            return contact.needs_review
        return selectors.needs_review(contact)


class ContactSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name"]


# --- Follow-ups -------------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    contact = ContactSummarySerializer(read_only=True, allow_null=True)
    owner = MembershipSummarySerializer(read_only=True, allow_null=True)
    status = _follow_up_status(read_only=True)
    is_closed = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "account",
            "team",
            "contact",
            "summary",
            "owner",
            "due_date",
            "status",
            "is_closed",
            "created_at",
            "first_response_at",
            "resolved_at",
            "outcome",
        ]
        read_only_fields = fields
        extra_kwargs = {"team": {"help_text": "The owning team when the need arrived: turnaround counts for it."}}


class FollowUpWriteSerializer(serializers.ModelSerializer):
    contact = OrgPrimaryKeyField(queryset=Contact.objects.all(), allow_null=True, required=False)
    owner = OrgPrimaryKeyField(
        queryset=Membership.objects.all(), allow_null=True, required=False, help_text="Defaults to you."
    )

    class Meta:
        model = FollowUp
        fields = ["summary", "contact", "owner", "due_date"]


class FollowUpUpdateSerializer(FollowUpWriteSerializer):
    """Status moves through its own endpoint, which stamps the turnaround times."""

    class Meta(FollowUpWriteSerializer.Meta):
        fields = ["summary", "contact", "owner", "due_date", "outcome"]


class FollowUpStatusSerializer(serializers.Serializer):
    status = _follow_up_status()
    outcome = serializers.CharField(required=False, allow_blank=True, help_text="Left out: the outcome stays.")


# --- Turnaround -------------------------------------------------------------------------------------


class TurnaroundQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24, default=6, help_text="How many months, up to 24.")


class TurnaroundSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="First day of the month, in the organisation's time zone.")
    received = serializers.IntegerField()
    responded = serializers.IntegerField()
    resolved = serializers.IntegerField()
    response_median = serializers.FloatField(allow_null=True, help_text="Hours to first response.")
    response_p90 = serializers.FloatField(allow_null=True)
    resolution_median = serializers.FloatField(allow_null=True, help_text="Hours to resolution.")
    resolution_p90 = serializers.FloatField(allow_null=True)
