"""Shapes of the inbound API: the bulk rows, webhook secrets, unmatched responses,
NPS history imports. Types and sizes only; the services check the rules."""

from rest_framework import serializers

from customers.models import Contact, CustomerAccount, CustomerImport
from inbound.models import InboundSource, Scheme, UnmatchedResponse
from surveys.models.feedback import FeedbackKind
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField


def _kind(**kwargs):
    return NamedChoiceField(choices=FeedbackKind.choices, enum_name="FeedbackKindEnum", **kwargs)


class BulkRowSerializer(serializers.Serializer):
    """One feedback (documentation: the service reads the rows, so that every problem of
    every row is reported by its index)."""

    account = serializers.IntegerField(required=False, help_text="The account's id; or account_ref.")
    account_ref = serializers.CharField(required=False, help_text="The account's external reference (CRM id).")
    contact = serializers.IntegerField(required=False, help_text="The contact's id; or contact_email.")
    contact_email = serializers.EmailField(required=False, help_text="A contact's e-mail (names the account too).")
    score = serializers.IntegerField(help_text="0 to 10 for NPS, 1 to 5 for CSAT.")
    kind = _kind(required=False, default=FeedbackKind.NPS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    received_at = serializers.DateTimeField(required=False, help_text="ISO 8601; without an offset, your time zone.")
    external_id = serializers.CharField(
        required=False, max_length=120, help_text="Your id for the response: sent again, it is recorded once."
    )


class BulkRequestSerializer(serializers.Serializer):
    rows = BulkRowSerializer(many=True, help_text="Up to 1,000 rows; all are saved, or none.")


class BulkResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    id = serializers.IntegerField(help_text="The feedback's id.")
    created = serializers.BooleanField(help_text="False: this external_id was recorded before (nothing changed).")


class BulkResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
    results = BulkResultSerializer(many=True)


class SourceSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(read_only=True, help_text="standard or typeform.")
    kind = _kind(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = InboundSource
        fields = [
            *("id", "scheme", "url", "kind", "score_field", "comment_field", "contact_field", "account_field"),
            *("created_at", "rotated_at", "previous_valid_until"),
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        path = "nps" if obj.scheme == "standard" else "typeform"
        request = self.context.get("request")
        url = f"/hooks/{obj.organization.slug}/{path}/"
        return request.build_absolute_uri(url) if request else url


class SourceWithSecretSerializer(SourceSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown in this response only.")

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class SourceCreateSerializer(serializers.Serializer):
    scheme = NamedChoiceField(choices=Scheme.choices, enum_name="WebhookSchemeEnum")


class RotateSerializer(serializers.Serializer):
    keep_previous = serializers.BooleanField(
        default=True, help_text="Keep the current secret valid for 24 hours; false: refuse it at once."
    )


class MappingSerializer(serializers.Serializer):
    kind = _kind(required=False)
    score_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    comment_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    contact_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    account_field = serializers.CharField(max_length=120, required=False, allow_blank=True)


class UnmatchedSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text="standard or typeform.")
    kind = _kind(read_only=True)

    class Meta:
        model = UnmatchedResponse
        fields = [
            *("id", "source", "external_id", "kind", "score", "comment"),
            *("account_ref", "contact_ref", "identifiers", "reason", "received_at"),
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    account = OrgPrimaryKeyField(queryset=CustomerAccount.objects.all(), help_text="The account it is about.")
    contact = OrgPrimaryKeyField(
        queryset=Contact.objects.all(), required=False, allow_null=True, help_text="One of its contacts, or none."
    )


class FeedbackRefSerializer(serializers.Serializer):
    feedback = serializers.IntegerField(help_text="The feedback recorded.")


class HistoryImportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="uploaded, queued, running, succeeded or failed.")
    percent = serializers.IntegerField(read_only=True)
    errors = serializers.JSONField(read_only=True, help_text="[{row, column, reason}], the first 500.")
    counts = serializers.JSONField(read_only=True, help_text="{label: number} once imported.")

    class Meta:
        model = CustomerImport
        fields = [
            *("id", "filename", "status", "headers", "mapping", "total_rows", "processed_rows", "percent"),
            *("counts", "message", "errors", "created_at", "started_at", "finished_at"),
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["errors"] = (data["errors"] or [])[:500]
        return data


class HistoryUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The CSV file (UTF-8, up to 50 MB).")
    mapping = serializers.JSONField(
        required=False,
        help_text="Field -> column header: external_id, account_ref, contact_email, score, kind, comment, "
        "received_at. Left out: the suggestions from the headers.",
    )
    start = serializers.BooleanField(default=True, help_text="Start at once; false: only upload.")


class HistoryStartSerializer(serializers.Serializer):
    mapping = serializers.JSONField(required=False)
