"""Feedback from other tools through the API: the bulk endpoint (admins, managers for
their teams' accounts), webhook secrets and the unmatched list (admins), NPS history
imports (managers and admins). Thin: the services hold the rules."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema_view
from rest_framework import mixins, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from customers.imports import services as import_services
from customers.models import CustomerImport
from inbound import access, selectors, services
from inbound.api import serializers as s
from inbound.history import NPS_HISTORY
from inbound.models import InboundSource, UnmatchedResponse
from surveys.models import NpsFeedback
from teamhub.lib.api.parsers import JSONParser
from teamhub.lib.api.schema import operation
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role

REMOVED = OpenApiResponse(description="Removed.")


@org_scoped_schema(tags=["customer feedback"])
class BulkFeedbackViewSet(OrgScopedViewSet):
    queryset = NpsFeedback.objects.all()
    serializer_class = s.BulkRequestSerializer
    action_roles = {"create": Role.MANAGER}

    @operation(
        "nps_feedback_bulk",
        "Record up to 1,000 feedback rows, all or none (admins; managers for their teams' accounts)",
        s.BulkResponseSerializer,
        status=201,
        request=s.BulkRequestSerializer,
        description="One row with a problem saves none; each problem is reported under `rows[<index>].<field>`, "
        "the index counting from 0. A row whose external_id was recorded before is answered with "
        "`created: false` and changes nothing.",
    )
    def create(self, request, org_slug):
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        results = services.feedback_bulk_record(actor=self.membership, rows=rows)
        created = sum(1 for _, is_new in results if is_new)
        body = {
            "created": created,
            "existing": len(results) - created,
            "results": [{"index": i, "id": f.pk, "created": is_new} for i, (f, is_new) in enumerate(results)],
        }
        return Response(body, status=status.HTTP_201_CREATED)


@org_scoped_schema(tags=["feedback webhooks"])
@extend_schema_view(
    list=operation(
        "inbound_sources_list", "The organisation's feedback webhooks (admins)", s.SourceSerializer(many=True)
    ),
    retrieve=operation("inbound_sources_retrieve", "A feedback webhook (admins)", s.SourceSerializer),
)
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = InboundSource.objects.all()
    serializer_class = s.SourceSerializer
    filter_backends = []
    pagination_class = None
    action_roles = dict.fromkeys(("list", "retrieve", "create", "partial_update", "destroy", "rotate"), Role.ADMIN)

    def base_queryset(self):
        return InboundSource.objects.select_related("organization")

    def _with_secret(self, source, secret, code):
        data = s.SourceWithSecretSerializer(self.reload(source), context=self.get_serializer_context()).data
        return Response({**data, "secret": secret}, status=code)

    @operation(
        "inbound_sources_create",
        "Create a webhook and its secret; the secret is in this response only (admins)",
        s.SourceWithSecretSerializer,
        status=201,
        request=s.SourceCreateSerializer,
    )
    def create(self, request, org_slug):
        data = self.validated(s.SourceCreateSerializer)
        source, secret = services.source_create(actor=self.membership, scheme=data["scheme"])
        return self._with_secret(source, secret, status.HTTP_201_CREATED)

    @operation(
        "inbound_sources_rotate",
        "Replace the secret; the new one is in this response only (admins)",
        s.SourceWithSecretSerializer,
        request=s.RotateSerializer,
    )
    def rotate(self, request, org_slug, pk):
        source = access.access_source(membership=self.membership, source_id=pk)
        data = self.validated(s.RotateSerializer)
        source, secret = services.source_rotate(actor=self.membership, source=source, **data)
        return self._with_secret(source, secret, status.HTTP_200_OK)

    @operation(
        "inbound_sources_update",
        "Typeform: which answer is the score, the comment, the contact or the account (admins)",
        s.SourceSerializer,
        request=s.MappingSerializer,
    )
    def partial_update(self, request, org_slug, pk):
        source = access.access_source(membership=self.membership, source_id=pk)
        source = services.source_configure(actor=self.membership, source=source, **self.validated(s.MappingSerializer))
        return self.respond(s.SourceSerializer, self.reload(source))

    @operation(
        "inbound_sources_delete", "Turn a webhook off: later deliveries are refused (admins)", REMOVED, status=204
    )
    def destroy(self, request, org_slug, pk):
        source = access.access_source(membership=self.membership, source_id=pk)
        services.source_delete(actor=self.membership, source=source)
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["feedback webhooks"])
@extend_schema_view(
    list=operation(
        "unmatched_feedback_list",
        "Responses no account or contact matched, newest first (admins)",
        s.UnmatchedSerializer(many=True),
    ),
)
class UnmatchedViewSet(mixins.ListModelMixin, OrgScopedViewSet):
    queryset = UnmatchedResponse.objects.all()
    serializer_class = s.UnmatchedSerializer
    filter_backends = []
    action_roles = {"list": Role.ADMIN, "assign": Role.ADMIN, "dismiss": Role.ADMIN}

    @operation(
        "unmatched_feedback_assign",
        "Record it as an account's (and contact's) feedback and take it off the list (admins)",
        s.FeedbackRefSerializer,
        request=s.AssignSerializer,
    )
    def assign(self, request, org_slug, pk):
        unmatched = access.access_unmatched(membership=self.membership, unmatched_id=pk)
        data = self.validated(s.AssignSerializer)
        feedback = services.unmatched_assign(
            actor=self.membership, unmatched=unmatched, account=data["account"], contact=data.get("contact")
        )
        return Response({"feedback": feedback.pk})

    @operation(
        "unmatched_feedback_dismiss", "Dismiss it: nothing is recorded (admins)", REMOVED, status=204, request=None
    )
    def dismiss(self, request, org_slug, pk):
        unmatched = access.access_unmatched(membership=self.membership, unmatched_id=pk)
        services.unmatched_dismiss(actor=self.membership, unmatched=unmatched)
        return Response(status=status.HTTP_204_NO_CONTENT)


@org_scoped_schema(tags=["customer feedback"])
@extend_schema_view(
    list=operation(
        "nps_imports_list", "NPS history imports: your own (admins: all)", s.HistoryImportSerializer(many=True)
    ),
    retrieve=operation(
        "nps_imports_retrieve", "An NPS history import's progress and row errors", s.HistoryImportSerializer
    ),
)
class HistoryImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = CustomerImport.objects.all()
    serializer_class = s.HistoryImportSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_roles = dict.fromkeys(("list", "retrieve", "create", "start"), Role.MANAGER)

    def base_queryset(self):
        return CustomerImport.objects.of_kind(NPS_HISTORY)

    def select(self):
        return selectors.history_imports(membership=self.membership)

    def _mapping(self, data, item):
        mapping = data.get("mapping")
        if mapping is None:
            return item
        return import_services.import_configure(
            actor=self.membership, customer_import=item, mapping=mapping, default_team=None
        )

    @operation(
        "nps_imports_create",
        "Upload a CSV of NPS history, map its columns and start it (managers, admins)",
        s.HistoryImportSerializer,
        status=201,
        request={"multipart/form-data": s.HistoryUploadSerializer},
    )
    def create(self, request, org_slug):
        data = self.validated(s.HistoryUploadSerializer)
        with transaction.atomic():  # a bad mapping leaves no half-made import behind
            item = import_services.import_upload(actor=self.membership, uploaded_file=data["file"], kind=NPS_HISTORY)
            item = self._mapping(data, item)
            if data["start"]:
                item = import_services.import_start(actor=self.membership, customer_import=item)
        return self.respond(s.HistoryImportSerializer, self.reload(item), status.HTTP_201_CREATED)

    @operation(
        "nps_imports_start",
        "Set the mapping and start an uploaded NPS history import",
        s.HistoryImportSerializer,
        status=202,
        request=s.HistoryStartSerializer,
    )
    def start(self, request, org_slug, pk):
        item = access.access_history_import(membership=self.membership, import_id=pk)
        with transaction.atomic():
            item = self._mapping(self.validated(s.HistoryStartSerializer), item)
            item = import_services.import_start(actor=self.membership, customer_import=item)
        return self.respond(s.HistoryImportSerializer, self.reload(item), status.HTTP_202_ACCEPTED)
