"""What other apps add to a customer's page.

customers/ sits below the apps whose work is about customers (daily work, surveys),
so it cannot ask them for a customer's wins or NPS. Each of them registers a section
when it loads; the account page asks every registered section for its part, in
order, and includes its template with it.
"""

from collections.abc import Callable

# A section: called with the viewer and the account, returns the template to include
# and what it needs (a dict holding "template"), or None to show nothing.
Section = Callable[..., dict | None]
_sections: list[tuple[int, Section]] = []


def register_account_section(section: Section, *, order: int) -> None:
    if all(existing is not section for _, existing in _sections):
        _sections.append((order, section))
        _sections.sort(key=lambda entry: entry[0])


def account_sections(*, membership, account) -> list[dict]:
    found = (section(membership=membership, account=account) for _, section in _sections)
    return [part for part in found if part is not None]
