"""The formulas behind every survey figure, as pure functions of counts.

Nothing here reads the database: the selectors count in SQL and pass the counts in,
so each formula is tested on its own, table by table, and results, exports and (later)
score snapshots compute a figure the same way. Percentages are rounded only for
display, never here.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

FAVOURABLE = frozenset({4, 5})  # "agree" and "strongly agree" on a 1 to 5 statement
PROMOTERS = frozenset({9, 10})
DETRACTORS = frozenset(range(7))  # 0 to 6


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent; None when there is nothing to divide."""
    return None if whole <= 0 else 100.0 * part / whole


def percent_favourable(distribution: Mapping[int, int]) -> float | None:
    """Share of 4s and 5s among the answers to 1 to 5 statements."""
    total = sum(distribution.values())
    return percent(sum(n for value, n in distribution.items() if value in FAVOURABLE), total)


@dataclass(frozen=True)
class NetScore:
    """NPS or eNPS: % promoters (9 to 10) minus % detractors (0 to 6), from -100 to 100."""

    promoters: int
    passives: int
    detractors: int

    @property
    def total(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def value(self) -> float | None:
        if not self.total:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.total


def net_score(distribution: Mapping[int, int]) -> NetScore:
    """Promoters, passives and detractors of 0 to 10 answers."""
    promoters = sum(n for value, n in distribution.items() if value in PROMOTERS)
    detractors = sum(n for value, n in distribution.items() if value in DETRACTORS)
    return NetScore(promoters, sum(distribution.values()) - promoters - detractors, detractors)


def top_two_box(distribution: Mapping[int, int], *, top: int = 5) -> float | None:
    """CSAT: share of the two best answers (4 and 5 on a 1 to 5 scale)."""
    return percent(sum(n for value, n in distribution.items() if value >= top - 1), sum(distribution.values()))


def weighted_mean(values: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Mean of the values present, by their weights renormalised over those present: a
    missing value (None) or a weight of zero drops out; nothing left gives None."""
    present = {name: value for name, value in values.items() if value is not None and weights.get(name, 0) > 0}
    total_weight = sum(weights[name] for name in present)
    if not total_weight:
        return None
    return sum(value * weights[name] for name, value in present.items()) / total_weight


def correlation(n: int, sum_x: float, sum_y: float, sum_xy: float, sum_xx: float, sum_yy: float) -> float | None:
    """Pearson's r, from -1 to 1, of ``n`` pairs given by their sums (sums add up over
    groups, so a parent's r comes from its groups' sums). None with fewer than three
    pairs, or when either side does not vary (everyone gave the same answer)."""
    if n < 3:
        return None
    spread_x = n * sum_xx - sum_x * sum_x
    spread_y = n * sum_yy - sum_y * sum_y
    # Sums of floats: a spread within rounding of zero is no spread.
    if spread_x <= 1e-9 * max(1.0, n * sum_xx) or spread_y <= 1e-9 * max(1.0, n * sum_yy):
        return None
    r = (n * sum_xy - sum_x * sum_y) / (spread_x * spread_y) ** 0.5
    return max(-1.0, min(1.0, r))


def suppressed(counts: Mapping[Hashable, int], threshold: int, hidden: Iterable[Hashable] = ()) -> set[Hashable]:
    """Which groups of one parent to hide, given each group's count of respondents (and
    any the caller must hide for reasons of its own, ``hidden``).

    A group with fewer than ``threshold`` is hidden. Then the complement rule: while the
    hidden groups together hold fewer than ``threshold`` (or only one is hidden), the
    smallest group still shown is hidden too — otherwise the parent's figure minus the
    shown groups' would reveal the small group's. A group nobody answered in takes no
    part: subtracting reveals only that nobody there answered, never an answer. Ties
    between equal counts go to the group whose key sorts first, so the same data always
    hides the same groups.
    """
    answered = {key: n for key, n in counts.items() if n > 0}
    hidden = {key for key, n in answered.items() if n < threshold} | {key for key in hidden if key in answered}
    shown = sorted((n, _sort_key(key), key) for key, n in answered.items() if key not in hidden)
    hidden_total = sum(answered[key] for key in hidden)
    next_smallest = 0
    while hidden and next_smallest < len(shown) and (len(hidden) < 2 or hidden_total < threshold):
        n, _, key = shown[next_smallest]
        hidden.add(key)
        hidden_total += n
        next_smallest += 1
    return hidden | {key for key, n in counts.items() if n <= 0}


def line_suppressed(
    counts: Mapping[Hashable, int],
    threshold: int,
    hidden: Iterable[Hashable] = (),
    *,
    parent_hidden: bool = False,
    unpublished: Iterable[Hashable] = (),
) -> tuple[set[Hashable], bool]:
    """One line of figures that add up — groups summing to their parent — as published
    figures are: (the groups to hide, whether the parent must be hidden too).

    With the parent shown, the complement rule (``suppressed``); and when it cannot be
    met — one group answered, hidden for a reason of its own — the parent, which equals
    it, must go. With the parent hidden, its groups must not all be shown, or it comes
    back by addition: then the smallest is hidden (ties to the key that sorts first).
    ``unpublished`` groups (the "no team" group) are never shown, so they conceal too."""
    answered = {key: n for key, n in counts.items() if n > 0}
    concealed = {key for key in unpublished if key in answered}
    if parent_hidden:
        groups = {key for key in hidden if key in counts} | {key for key, n in answered.items() if n < threshold}
        if answered and not (concealed or any(key in answered for key in groups)):
            _, _, smallest = min((n, _sort_key(key), key) for key, n in answered.items())
            groups.add(smallest)
        return groups, False
    groups = suppressed(counts, threshold, hidden)
    concealed |= {key for key in groups if key in answered}
    hidden_answered = any(key in answered for key in groups)
    incomplete = hidden_answered and (len(concealed) < 2 or sum(answered[key] for key in concealed) < threshold)
    return groups, incomplete


def overlapping(
    shown: Mapping[Hashable, int], others: Mapping[Hashable, int], pairs: Mapping[tuple, int], threshold: int
) -> set[Hashable]:
    """Groups of a second breakdown (``others``, e.g. functions) to hide because of how
    they cut the shown groups of the first (``shown``, e.g. teams): ``pairs`` counts the
    respondents in each (first, second) intersection. Shown side by side, a team and a
    function differ by the people in one and not the other; when that difference, or
    what they share, is a few people (1 to ``threshold`` - 1), comparing the two figures
    tells those few people's answers. So such a function is hidden."""
    hidden = set()
    for (first, second), both in pairs.items():
        if first not in shown or second not in others or both <= 0:
            continue
        differences = (both, shown[first] - both, others[second] - both)
        if any(0 < n < threshold for n in differences):
            hidden.add(second)
    return hidden


def _sort_key(key: Hashable) -> tuple:
    # Keys mix ids and None (the "no team" group): None sorts first, then by value.
    return (key is not None, str(key))
