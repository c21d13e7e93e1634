"""Who may reach feedback from other tools: one place per entity.

Webhook secrets and the unmatched list are the admins' (a response nobody matched
could be any team's). NPS history imports are their uploader's, and every admin's.
"""

from accounts.models import Membership
from customers.imports import services as import_services
from customers.models import CustomerImport
from inbound.history import NPS_HISTORY
from inbound.models import InboundSource, UnmatchedResponse
from teamhub.lib.tenancy import get_visible_or_404


def access_source(*, membership: Membership, source_id) -> InboundSource:
    """Another organisation's webhook, or any to a non-admin, is not found."""
    return get_visible_or_404(InboundSource.objects.select_related("organization"), membership, pk=source_id)


def access_unmatched(*, membership: Membership, unmatched_id) -> UnmatchedResponse:
    return get_visible_or_404(UnmatchedResponse.objects.all(), membership, pk=unmatched_id)


def access_history_import(*, membership: Membership, import_id) -> CustomerImport:
    """An NPS history import: its uploader's, or an admin's; a 403 for one visible to
    someone who may no longer import."""
    queryset = CustomerImport.objects.of_kind(NPS_HISTORY).select_related("created_by__user")
    customer_import = get_visible_or_404(queryset, membership, pk=import_id)
    import_services.require_importer(membership)
    return customer_import
