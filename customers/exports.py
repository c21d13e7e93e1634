"""CSV export of the account list, as filtered on the list page.

Spreadsheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so such cells are prefixed with a single quote.
"""

import csv
from collections.abc import Iterator

from customers.models import CustomerAccount

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FULL_HEADER = [
    "Name",
    "External reference",
    "Segment",
    "Status",
    "Annual revenue",
    "Owning team",
    "Account lead",
    "Account lead e-mail",
]
CHUNK = 2000


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def account_row(account: CustomerAccount) -> list[str]:
    """Everyone sees name, owning team and lead; the rest only with full access
    (the selector's ``in_full`` annotation)."""
    lead = account.lead.user if account.lead_id else None
    full = getattr(account, "in_full", False)
    cells = [
        account.name,
        account.external_ref if full else "",
        account.segment if full else "",
        account.get_status_display() if full else "",
        account.annual_revenue if full and account.annual_revenue is not None else "",
        account.owning_team.name,
        lead.display_name if lead else "",
        lead.email if lead else "",
    ]
    return [neutralise(cell) for cell in cells]


def export_lines(accounts) -> Iterator[str]:
    """CSV lines for a streaming response; the queryset is read in chunks."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel reads the file as UTF-8
    yield writer.writerow(FULL_HEADER)
    for account in accounts.iterator(chunk_size=CHUNK):
        yield writer.writerow(account_row(account))
