"""Inbound rows for tests elsewhere (the authorization matrix): built through the services."""

from django.core.files.base import ContentFile

from customers.models import CustomerImport
from inbound import services
from inbound.history import NPS_HISTORY
from inbound.models import Scheme, UnmatchedResponse


def make_inbound_objects(*, admin, importer, org_name: str) -> dict:
    """Both webhooks (Typeform mapped), one unmatched response, and an uploaded NPS
    history import by ``importer``."""
    standard, _ = services.source_create(actor=admin, scheme=Scheme.STANDARD)
    typeform, _ = services.source_create(actor=admin, scheme=Scheme.TYPEFORM)
    services.source_configure(actor=admin, source=typeform, score_field="nps_score", contact_field="work_email")
    unmatched = UnmatchedResponse.objects.create(
        organization=admin.organization,
        source=Scheme.TYPEFORM,
        external_id=f"typeform:{org_name}-token",
        score=3,
        comment=f"{org_name}: unmatched, only admins read this",
        contact_ref=f"stranger@{org_name.lower()}-unknown.example",
        reason="No contact has this e-mail.",
        received_at="2026-11-30T10:00:00Z",
    )
    nps_import = CustomerImport.objects.create(
        organization=admin.organization,
        created_by=importer,
        kind=NPS_HISTORY,
        filename=f"{org_name.lower()}-nps-history.csv",
        file=ContentFile(b"Response ID,Account,Score,Date\nR-1,X-1,9,2026-01-01\n", name="nps.csv"),
        headers=["Response ID", "Account", "Score", "Date"],
        mapping={"external_id": "Response ID", "account_ref": "Account", "score": "Score", "received_at": "Date"},
    )
    return {
        "feedback_source": standard,
        "typeform_source": typeform,
        "unmatched": unmatched,
        "nps_import": nps_import,
    }
