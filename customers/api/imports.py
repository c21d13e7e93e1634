"""CSV imports over the API: upload (and start), start with a mapping, poll progress."""

import json

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from customers.imports import services
from customers.models import CustomerImport
from teamhub.lib.api.errors import ERROR_RESPONSES
from teamhub.lib.api.parsers import JSONParser
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role
from teams.models import Team

ERRORS_RETURNED = 500


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportSerializer(serializers.ModelSerializer):
    # Plain text in the schema: "status" enums of other components would collide by name.
    status = serializers.CharField(
        read_only=True, help_text="uploaded, queued, running, succeeded or failed (nothing imported)."
    )
    percent = serializers.IntegerField(read_only=True)
    error_count = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    created_by = serializers.EmailField(source="created_by.user.email", read_only=True, default=None)

    class Meta:
        model = CustomerImport
        fields = [
            *("id", "filename", "status", "created_by", "headers", "mapping", "default_team"),
            *("total_rows", "processed_rows", "percent"),
            *("accounts_created", "accounts_updated", "contacts_created", "contacts_updated"),
            *("message", "error_count", "errors", "created_at", "started_at", "finished_at"),
        ]
        read_only_fields = fields

    def get_error_count(self, obj) -> int:
        return len(obj.errors or [])

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, obj):
        """The first 500 row errors (row number as a spreadsheet shows it, column, reason)."""
        return (obj.errors or [])[:ERRORS_RETURNED]


class MappingField(serializers.JSONField):
    """An object (field -> column name); multipart forms send it as a JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested too deeply
                raise serializers.ValidationError("Give the mapping as a JSON object.") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise serializers.ValidationError("Give the mapping as an object: field name to column name.")
        return data


class StartSerializer(serializers.Serializer):
    mapping = MappingField(
        required=False,
        help_text="Field -> column header: name, external_ref, segment, status, annual_revenue, team, lead, "
        "contact_name, contact_email, contact_phone, contact_title, contact_channel, contact_preferences, "
        "contact_notes, contact_opt_out. Left out: the suggestions from the headers.",
    )
    default_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.none(), required=False, allow_null=True, help_text="For rows without a team."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        if membership is not None:
            self.fields["default_team"].queryset = Team.objects.for_org(membership.organization_id)


class UploadSerializer(StartSerializer):
    file = serializers.FileField(help_text="The CSV file (UTF-8, comma or semicolon separated, up to 50 MB).")
    start = serializers.BooleanField(default=True, help_text="Start at once; false: only upload.")


@org_scoped_schema(tags=["customer imports"])
@extend_schema_view(
    list=extend_schema(
        operation_id="customer_imports_list",
        summary="Imports: your own (admins: the organisation's)",
        responses={200: ImportSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        operation_id="customer_imports_retrieve",
        summary="An import's status, progress and row errors",
        responses={200: ImportSerializer, **ERROR_RESPONSES},
    ),
)
class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = ImportSerializer
    queryset = CustomerImport.objects.all()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_roles = {"list": Role.MANAGER, "retrieve": Role.MANAGER, "create": Role.MANAGER, "start": Role.MANAGER}

    def base_queryset(self):
        return CustomerImport.objects.of_kind("accounts").select_related("created_by__user")

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _configure_and_start(self, customer_import, data: dict, start: bool) -> CustomerImport:
        if "mapping" in data or "default_team" in data:
            services.import_configure(
                actor=self.membership,
                customer_import=customer_import,
                mapping=data.get("mapping", customer_import.mapping),
                default_team=data.get("default_team", customer_import.default_team),
            )
        if start:
            customer_import = services.import_start(actor=self.membership, customer_import=customer_import)
        return customer_import

    @extend_schema(
        operation_id="customer_imports_create",
        summary="Upload a CSV file, map its columns and start the import (managers, admins)",
        request={"multipart/form-data": UploadSerializer},
        responses={201: ImportSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, org_slug):
        data = self._validated(UploadSerializer)
        # One transaction: a bad mapping leaves no half-made import behind.
        with transaction.atomic():
            customer_import = services.import_upload(actor=self.membership, uploaded_file=data["file"])
            customer_import = self._configure_and_start(customer_import, data, data["start"])
        return self._respond(customer_import, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="customer_imports_start",
        summary="Set the column mapping and start an uploaded import (managers, admins)",
        request=StartSerializer,
        responses={202: ImportSerializer, **ERROR_RESPONSES},
    )
    def start(self, request, org_slug, pk):
        customer_import = self.get_object()
        services.require_importer(self.membership)
        customer_import = self._configure_and_start(customer_import, self._validated(StartSerializer), True)
        return self._respond(customer_import, status.HTTP_202_ACCEPTED)

    def _respond(self, customer_import, code):
        return Response(self.get_serializer(self.get_queryset().get(pk=customer_import.pk)).data, status=code)
