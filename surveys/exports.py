"""Survey results as CSV rows: exactly the figures the results page shows the viewer,
with "not enough responses" where the page says it, and never a hidden number."""

from collections.abc import Iterator

from customers.exports import neutralise
from surveys.results import Cell, RoundResults

HEADER = [
    "round",
    "group type",
    "group",
    "measure",
    "question",
    "respondents",
    "invited",
    "response rate %",
    "favourable %",
    "mean",
    "eNPS",
    "promoters",
    "passives",
    "detractors",
    "distribution",
    "note",
]
NOT_ENOUGH = "not enough responses"


def _pct(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _distribution(cell: Cell, values, labels=None) -> str:
    labels = labels or [str(v) for v in values]
    return "; ".join(f"{label}: {count}" for label, (_, count, _) in zip(labels, cell.shares(values), strict=True))


def result_rows(results: RoundResults) -> Iterator[list[str]]:
    """The rows, each cell made safe for spreadsheets (names and question texts are
    typed by people: one starting with "=" must not run as a formula)."""
    for row in _rows(results):
        yield [neutralise(cell) for cell in row]


def _rows(results: RoundResults) -> Iterator[list[str]]:
    yield HEADER
    number = str(results.round.number)
    for group in results.groups:
        g = group.group
        base = [number, g.kind, g.label]
        cell = group.responses
        if cell.hidden:
            yield [*base, "responses", "", "", str(group.invited), "", "", "", "", "", "", "", "", NOT_ENOUGH]
        else:
            rate = _pct(group.response_rate)
            yield [*base, "responses", "", str(cell.n), str(group.invited), rate, "", "", "", "", "", "", "", ""]
        for driver in results.drivers:
            cell = driver.cells.get(g.key)
            if cell is None:
                continue
            if cell.hidden:
                yield [*base, f"driver: {driver.label}", "", "", "", "", "", "", "", "", "", "", "", NOT_ENOUGH]
            else:
                fav = _pct(cell.favourable)
                yield [*base, f"driver: {driver.label}", "", str(cell.n), "", "", fav, "", "", "", "", "", "", ""]
        for question in results.questions:
            cell = question.cells.get(g.key)
            if cell is None:
                continue
            yield [*base, *_question_row(question, cell)]


def _question_row(question, cell: Cell) -> list[str]:
    q = question.question
    measure = "comments" if q.kind == q.Kind.TEXT else ("eNPS" if q.is_enps else q.get_kind_display())
    if cell.hidden:
        return [measure, q.text, "", "", "", "", "", "", "", "", "", "", NOT_ENOUGH]
    if q.kind == q.Kind.TEXT:
        return [measure, q.text, str(cell.n), "", "", "", "", "", "", "", "", "", "comments on the results page"]
    fav = mean = enps = promoters = passives = detractors = ""
    labels = q.choices if q.kind == q.Kind.CHOICE else None
    if q.kind == q.Kind.AGREEMENT:
        fav, mean = _pct(cell.favourable), f"{cell.mean:.2f}"
    elif q.kind == q.Kind.SCALE:
        net = cell.net
        mean, enps = f"{cell.mean:.2f}", _pct(net.value)
        promoters, passives, detractors = str(net.promoters), str(net.passives), str(net.detractors)
    distribution = _distribution(cell, question.values, labels)
    return [measure, q.text, str(cell.n), "", "", fav, mean, enps, promoters, passives, detractors, distribution, ""]
