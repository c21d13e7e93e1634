"""The results of pulse rounds, suppressed as the anonymity rules say, for a viewer.

A round's results are counted in SQL in a handful of grouped queries — responses,
answers by value, respondents per driver, comments — for the organisation and one
breakdown (teams or functions), then hidden where the rules say so:

* a group with fewer respondents than the organisation's anonymity threshold shows
  "not enough responses": no figure, no distribution, no count;
* the complement rule (``formulas.suppressed``) runs separately for every measure —
  the response count, each question, each driver, each question's comments — over the
  whole partition, the "no team" (or "no function") group included, so a shown parent
  minus its shown children never reveals a hidden child;
* comments need the comment threshold, counted in comments;
* everything is computed for the whole organisation first and only then narrowed to
  what the viewer may see, so what one person sees is always part of one safe whole.

Results exist once a round has closed; while it is open only the organisation's
response count is shown (and only from the threshold on), since watching figures
change as people answer would reveal what each newcomer said.

A hidden cell is built without its numbers at all, so no template or serializer can
show them by mistake.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404

from accounts.models import Membership
from surveys import access, formulas
from surveys.bank import Driver
from surveys.models import Answer, Question, Response, RoundQuestion, SurveyInvitation, SurveyRound
from teamhub.lib.tenancy import Role, has_role
from teams.models import Function, Team

ORGANIZATION, TEAM, FUNCTION = "organization", "team", "function"
BREAKDOWNS = {TEAM: "team", FUNCTION: "function"}
ORG_KEY = (ORGANIZATION, None)
NO_GROUP_LABEL = {TEAM: "No team", FUNCTION: "No function"}


@dataclass(frozen=True)
class Group:
    kind: str
    id: int | None
    label: str

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.id)

    @property
    def slug(self) -> str:
        """How the group is named in a URL or a CSV: ``organization``, ``team:7``, ``team:none``."""
        return self.kind if self.kind == ORGANIZATION else f"{self.kind}:{self.id or 'none'}"


@dataclass(frozen=True)
class Cell:
    """One figure for one group. Hidden: every number is None."""

    hidden: bool
    n: int | None = None
    distribution: dict[int, int] | None = None

    @property
    def favourable(self) -> float | None:
        return None if self.hidden else formulas.percent_favourable(self.distribution)

    @property
    def net(self) -> formulas.NetScore | None:
        return None if self.hidden else formulas.net_score(self.distribution)

    @property
    def mean(self) -> float | None:
        if self.hidden or not self.n:
            return None
        return sum(value * count for value, count in self.distribution.items()) / self.n

    def shares(self, values) -> list[tuple[int, int, float]]:
        """(value, count, percent) for each possible value, for a distribution bar."""
        if self.hidden:
            return []
        total = sum(self.distribution.values())
        return [(v, self.distribution.get(v, 0), formulas.percent(self.distribution.get(v, 0), total)) for v in values]

    @property
    def band(self) -> int | None:
        """Which of five colour bands a percent favourable falls in, for the heatmap."""
        favourable = self.favourable
        if favourable is None:
            return None
        return sum(favourable >= edge for edge in (40, 55, 70, 85))


HIDDEN = Cell(hidden=True)


@dataclass
class GroupResult:
    group: Group
    invited: int
    responses: Cell

    @property
    def response_rate(self) -> float | None:
        return None if self.responses.hidden else formulas.percent(self.responses.n, self.invited)


@dataclass
class QuestionResult:
    question: Question
    cells: dict
    comments: dict = field(default_factory=dict)  # group key → list of texts, or None when hidden

    @property
    def values(self) -> list[int]:
        if self.question.kind == Question.Kind.AGREEMENT:
            return [1, 2, 3, 4, 5]
        if self.question.kind == Question.Kind.SCALE:
            return list(range(11))
        if self.question.kind == Question.Kind.CHOICE:
            return list(range(len(self.question.choices)))
        return []

    def labels(self) -> list[str]:
        if self.question.kind == Question.Kind.CHOICE:
            return list(self.question.choices)
        return [str(v) for v in self.values]

    def segments(self, cell: Cell) -> list[dict]:
        """A shown cell's distribution as bar segments: value label, count, percent, and
        the segment's offset and width out of 100."""
        if cell.hidden or not self.values:
            return []
        offset, segments = 0.0, []
        for (value, count, pct), label in zip(cell.shares(self.values), self.labels(), strict=True):
            width = pct or 0.0
            segments.append(
                {"value": value, "label": label, "count": count, "percent": width, "x": offset, "width": width}
            )
            offset += width
        return segments


@dataclass
class DriverResult:
    driver: str
    label: str
    cells: dict


@dataclass
class RoundResults:
    round: SurveyRound
    breakdown: str
    threshold: int
    comment_threshold: int
    groups: list[GroupResult]
    questions: list[QuestionResult]
    drivers: list[DriverResult]
    closed: bool

    @property
    def organization(self) -> GroupResult:
        return self.groups[0]

    @property
    def children(self) -> list[GroupResult]:
        return self.groups[1:]

    @property
    def enps(self) -> QuestionResult | None:
        return next((q for q in self.questions if q.question.is_enps), None)

    @property
    def engagement(self) -> DriverResult | None:
        return next((d for d in self.drivers if d.driver == Driver.ENGAGEMENT), None)

    def group(self, key) -> GroupResult | None:
        return next((g for g in self.groups if g.group.key == key), None)

    def heatmap(self) -> list[tuple[GroupResult, list[Cell]]]:
        """A row per group shown, a cell per driver (in ``drivers`` order)."""
        return [(g, [d.cells.get(g.group.key, HIDDEN) for d in self.drivers]) for g in self.groups]

    def questions_for(self, key) -> list[dict]:
        """Each question's cell, distribution segments and comments for one group."""
        rows = []
        for q in self.questions:
            cell = q.cells.get(key, HIDDEN)
            rows.append({"result": q, "cell": cell, "comments": q.comments.get(key), "segments": q.segments(cell)})
        return rows


# --- Who sees which groups --------------------------------------------------------------------


def visible_group_filter(viewer: Membership, breakdown: str):
    """Which groups of a breakdown the viewer may see besides the organisation: admins
    every one; managers their own teams, and every function (an organisation-wide
    aggregate). Nobody else reads results."""
    if has_role(viewer, Role.ADMIN):
        return lambda group: True
    if breakdown == FUNCTION:
        return lambda group: group.id is not None
    managed = access.managed_team_ids(viewer)
    return lambda group: group.kind == ORGANIZATION or group.id in managed


def preview_viewer(*, admin: Membership, membership_id) -> Membership:
    """The manager an admin previews results as: a manager of the same organisation."""
    if not has_role(admin, Role.ADMIN):
        raise Http404("Only admins preview results as someone else.")
    viewer = (
        Membership.objects.select_related("user", "organization")
        .filter(pk=membership_id, organization_id=admin.organization_id, is_active=True, role=Role.MANAGER)
        .first()
    )
    if viewer is None:
        raise Http404("No manager of your organisation matches.")
    return viewer


# --- Counting ---------------------------------------------------------------------------------

# Counts are kept per (team id, function id) pair: each breakdown sums them its own way,
# and suppression compares the two (see ``formulas.overlapping``).
Pair = tuple


def _pairs(queryset, *fields: str, team: str = "team_id", function: str = "function_id", **aggregate) -> list:
    return list(
        queryset.values(*fields, team, function)
        .annotate(**aggregate)
        .order_by()
        .values_list(*fields, team, function, *aggregate)
    )


def _empty_counts() -> dict:
    return {
        "invited": {},
        "responses": {},
        "by_value": defaultdict(lambda: defaultdict(dict)),  # question → pair → value → answers
        "driver_respondents": defaultdict(dict),  # driver → pair → distinct respondents
        "comments": defaultdict(dict),  # question → pair → comments written
    }


def _counts(rounds: list[SurveyRound], *, comments: bool = True) -> dict[int, dict]:
    """Every count the results need, per round and by (team, function) of the
    respondents: five grouped queries, however many rounds and however large."""
    ids = [r.pk for r in rounds]
    counts = {pk: _empty_counts() for pk in ids}
    answers = Answer.objects.filter(response__round__in=ids)
    in_response = {"team": "response__team_id", "function": "response__function_id"}
    for name, queryset in (
        ("invited", SurveyInvitation.objects.filter(round__in=ids)),
        ("responses", Response.objects.filter(round__in=ids)),
    ):
        for round_id, t, f, n in _pairs(queryset, "round_id", n=Count("pk")):
            counts[round_id][name][(t, f)] = n
    rows = _pairs(
        answers.filter(value__isnull=False), "response__round_id", "question_id", "value", **in_response, n=Count("pk")
    )
    for round_id, question_id, value, t, f, n in rows:
        counts[round_id]["by_value"][question_id][(t, f)][value] = n
    agreement = answers.filter(value__isnull=False, question__kind=Question.Kind.AGREEMENT).exclude(question__driver="")
    rows = _pairs(
        agreement, "response__round_id", "question__driver", **in_response, n=Count("response_id", distinct=True)
    )
    for round_id, driver, t, f, n in rows:
        counts[round_id]["driver_respondents"][driver][(t, f)] = n
    if comments:
        written = answers.filter(question__kind=Question.Kind.TEXT).exclude(text="")
        for round_id, question_id, t, f, n in _pairs(
            written, "response__round_id", "question_id", **in_response, n=Count("pk")
        ):
            counts[round_id]["comments"][question_id][(t, f)] = n
    return counts


def _names(organization_id: int, counts: dict[int, dict]) -> dict[str, dict]:
    """Team and function names for every group of these rounds: two queries."""
    pairs = {pair for c in counts.values() for pair in (*c["invited"], *c["responses"])}
    return {
        TEAM: dict(
            Team.objects.filter(organization_id=organization_id, pk__in={t for t, _ in pairs}).values_list("pk", "name")
        ),
        FUNCTION: dict(
            Function.objects.filter(organization_id=organization_id, pk__in={f for _, f in pairs}).values_list(
                "pk", "name"
            )
        ),
    }


def _groups(breakdown: str, ids, names: dict) -> list[Group]:
    known = sorted((names[i], i) for i in ids if i in names)
    groups = [Group(breakdown, i, name) for name, i in known]
    if None in ids or any(i not in names for i in ids if i is not None):
        groups.append(Group(breakdown, None, NO_GROUP_LABEL[breakdown]))
    return groups


class _Partitions:
    """The round's groups in both breakdowns, and how a pair of ids folds into each (a
    team or function since deleted counts with "no team" or "no function")."""

    def __init__(self, counts: dict, names: dict):
        pairs = set(counts["invited"]) | set(counts["responses"])
        self.groups = {
            TEAM: _groups(TEAM, {t for t, _ in pairs}, names[TEAM]),
            FUNCTION: _groups(FUNCTION, {f for _, f in pairs}, names[FUNCTION]),
        }
        self._known = {kind: {g.id for g in groups} for kind, groups in self.groups.items()}

    def fold(self, pair: Pair) -> Pair:
        t, f = pair
        return (t if t in self._known[TEAM] else None, f if f in self._known[FUNCTION] else None)

    def sums(self, by_pair: dict) -> tuple[dict, dict, dict]:
        """(team id → n, function id → n, folded pair → n)."""
        teams, functions, pairs = defaultdict(int), defaultdict(int), defaultdict(int)
        for pair, n in by_pair.items():
            t, f = self.fold(pair)
            teams[t] += n
            functions[f] += n
            pairs[(t, f)] += n
        return dict(teams), dict(functions), dict(pairs)

    def distributions(self, by_pair: dict) -> tuple[dict, dict]:
        """(team id → value → n, function id → value → n)."""
        teams, functions = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
        for pair, dist in by_pair.items():
            t, f = self.fold(pair)
            for value, n in dist.items():
                teams[t][value] += n
                functions[f][value] += n
        return {k: dict(v) for k, v in teams.items()}, {k: dict(v) for k, v in functions.items()}


# --- Suppressing ------------------------------------------------------------------------------


def _cells(
    parts: _Partitions,
    by_pair: dict,
    dist_by_pair: dict | None,
    threshold: int,
    *,
    also_hidden: dict | None = None,
    functions_shown: bool = True,
) -> dict:
    """The cells of one measure for the organisation, every team and every function.

    Teams: the threshold and the complement rule. Functions: the same, and also those
    that cut a shown team by a few people (``formulas.overlapping``), since the two
    breakdowns can be read side by side. ``also_hidden`` (kind → ids) adds groups the
    caller must hide; ``functions_shown`` False hides every function."""
    also_hidden = also_hidden or {}
    teams_n, functions_n, pairs_n = parts.sums(by_pair)
    teams_dist, functions_dist = parts.distributions(dist_by_pair or {})
    total = sum(teams_n.values())
    cells = {}
    if total < threshold:
        cells[ORG_KEY] = HIDDEN
        hidden_teams, hidden_functions = set(teams_n) | {None}, set(functions_n) | {None}
    else:
        org_dist = defaultdict(int)
        for dist in teams_dist.values():
            for value, n in dist.items():
                org_dist[value] += n
        cells[ORG_KEY] = Cell(False, total, dict(org_dist))
        hidden_teams = formulas.suppressed(teams_n, threshold, also_hidden.get(TEAM, ()))
        shown_teams = {t: n for t, n in teams_n.items() if t not in hidden_teams}
        cut = formulas.overlapping(shown_teams, functions_n, pairs_n, threshold)
        hidden_functions = (
            set(functions_n)
            if not functions_shown
            else formulas.suppressed(functions_n, threshold, cut | set(also_hidden.get(FUNCTION, ())))
        )
    for kind, counts, dists, hidden in (
        (TEAM, teams_n, teams_dist, hidden_teams),
        (FUNCTION, functions_n, functions_dist, hidden_functions),
    ):
        for group in parts.groups[kind]:
            if group.id in hidden or counts.get(group.id, 0) <= 0:
                cells[group.key] = HIDDEN
            else:
                cells[group.key] = Cell(False, counts[group.id], dict(dists.get(group.id, {})))
    return cells


def round_results(*, viewer: Membership, round_: SurveyRound, breakdown: str = TEAM) -> RoundResults:
    """The round's results as ``viewer`` may see them, broken down by teams or functions."""
    return rounds_results(viewer=viewer, rounds=[round_], breakdown=breakdown)[0]


def rounds_results(
    *, viewer: Membership, rounds: list[SurveyRound], breakdown: str = TEAM, comments: bool = True
) -> list[RoundResults]:
    """Several rounds' results (of one organisation), each as ``round_results`` gives it,
    in a fixed number of queries however many rounds; without comments when not needed."""
    if breakdown not in BREAKDOWNS:
        raise ValueError(f"Unknown breakdown {breakdown!r}")
    if not rounds:
        return []
    organization = rounds[0].organization
    counts = _counts(rounds, comments=comments)
    names = _names(organization.pk, counts)
    asked = _asked(rounds)
    visible = visible_group_filter(viewer, breakdown)
    return [
        _narrow(_one(r, counts[r.pk], _Partitions(counts[r.pk], names), asked[r.pk], breakdown, comments), visible)
        for r in rounds
    ]


def _one(round_, counts, parts: _Partitions, questions, breakdown: str, with_comments: bool) -> RoundResults:
    organization = round_.organization
    threshold, comment_threshold = organization.anonymity_threshold, organization.comment_threshold
    closed = round_.status == SurveyRound.Status.CLOSED
    groups = parts.groups[breakdown]

    invited_teams, invited_functions, _ = parts.sums(counts["invited"])
    invited = invited_teams if breakdown == TEAM else invited_functions
    response_cells = _cells(parts, counts["responses"], None, threshold)
    if not closed:
        # While open: the organisation's count only, and all else waits.
        response_cells = {ORG_KEY: response_cells[ORG_KEY]} | {g.key: HIDDEN for g in groups}
    group_results = [
        GroupResult(Group(ORGANIZATION, None, organization.name), sum(invited.values()), response_cells[ORG_KEY])
    ]
    group_results += [GroupResult(g, invited.get(g.id, 0), response_cells[g.key]) for g in groups]

    question_results, drivers = [], []
    if closed:
        question_results = [
            _question(q, counts, parts, threshold, comment_threshold, round_, with_comments)
            for q in questions
            if with_comments or q.kind != Question.Kind.TEXT
        ]
        drivers = _drivers(question_results, counts, parts, threshold)

    keep = {ORG_KEY} | {g.key for g in groups}
    for item in (*question_results, *drivers):
        item.cells = {key: cell for key, cell in item.cells.items() if key in keep}
    for q in question_results:
        q.comments = {key: text for key, text in q.comments.items() if key in keep}
    return RoundResults(
        round_, breakdown, threshold, comment_threshold, group_results, question_results, drivers, closed
    )


def _asked(rounds: list[SurveyRound]) -> dict[int, list[Question]]:
    """The questions each round asks, in its order: one query."""
    asked = defaultdict(list)
    rows = RoundQuestion.objects.filter(round__in=rounds).select_related("question").order_by("round_id", "order")
    for row in rows:
        asked[row.round_id].append(row.question)
    return asked


def _question(question, counts, parts: _Partitions, threshold, comment_threshold, round_, with_comments=True):
    if question.kind == Question.Kind.TEXT:
        # Comments are shown for the organisation and for teams, never by function: two
        # lists of comments side by side share exactly the comments of the people in
        # both, so no crossing of breakdowns may ever be offered.
        written = counts["comments"].get(question.pk, {})
        cells = _cells(parts, written, None, comment_threshold, functions_shown=False)
        return QuestionResult(question, cells, _comments(question, round_, cells) if with_comments else {})
    dist = counts["by_value"].get(question.pk, {})
    answered = {pair: sum(d.values()) for pair, d in dist.items()}
    return QuestionResult(question, _cells(parts, answered, dist, threshold))


def _comments(question: Question, round_: SurveyRound, cells: dict) -> dict:
    """The comments of each group shown, in the order of their random ids (unrelated to
    when they were written); None for a hidden group."""
    shown = {key for key, cell in cells.items() if not cell.hidden}
    if not shown:
        return dict.fromkeys(cells)
    rows = (
        Answer.objects.filter(response__round=round_, question=question)
        .exclude(text="")
        .order_by("id")
        .values_list("response__team_id", "text")
    )
    by_group = defaultdict(list)
    for team_id, text in rows:
        by_group[ORG_KEY].append(text)
        by_group[(TEAM, team_id)].append(text)
    return {key: (by_group.get(key, []) if key in shown else None) for key in cells}


def _drivers(question_results: list[QuestionResult], counts, parts: _Partitions, threshold) -> list[DriverResult]:
    """Each driver's cells. A driver is hidden for a group whenever one of its questions
    with answers there is hidden there: its figure minus its other questions' would
    otherwise give the hidden one (every question may be skipped)."""
    results = []
    asked = [q for q in question_results if q.question.kind == Question.Kind.AGREEMENT and q.question.driver]
    for driver in Driver:
        of_driver = [q for q in asked if q.question.driver == driver]
        if not of_driver:
            continue
        dist = defaultdict(lambda: defaultdict(int))
        for q in of_driver:
            for pair, values in counts["by_value"].get(q.question.pk, {}).items():
                for value, n in values.items():
                    dist[pair][value] += n
        also_hidden = defaultdict(set)
        for q in of_driver:
            answered = {key for key, cell in q.cells.items() if not cell.hidden}
            teams_n, functions_n, _ = parts.sums(
                {pair: sum(d.values()) for pair, d in counts["by_value"].get(q.question.pk, {}).items()}
            )
            for kind, counts_n in ((TEAM, teams_n), (FUNCTION, functions_n)):
                also_hidden[kind] |= {i for i, n in counts_n.items() if n > 0 and (kind, i) not in answered}
        respondents = counts["driver_respondents"].get(driver, {})
        cells = _cells(parts, respondents, {k: dict(v) for k, v in dist.items()}, threshold, also_hidden=also_hidden)
        if any(q.cells[ORG_KEY].hidden and counts["by_value"].get(q.question.pk) for q in of_driver):
            cells = dict.fromkeys(cells, HIDDEN)  # the same, for the organisation as a whole
        results.append(DriverResult(driver, Driver(driver).label, cells))
    return results


def _narrow(results: RoundResults, visible) -> RoundResults:
    """Only the groups the viewer may see, with their cells; nothing else is kept."""
    keep = [g for g in results.groups if g.group.kind == ORGANIZATION or visible(g.group)]
    keys = {g.group.key for g in keep}

    def only(cells: dict) -> dict:
        return {key: cell for key, cell in cells.items() if key in keys}

    results.groups = keep
    for q in results.questions:
        q.cells = only(q.cells)
        q.comments = only(q.comments)
    for d in results.drivers:
        d.cells = only(d.cells)
    return results


# --- Over time --------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    round: SurveyRound
    responses: Cell
    response_rate: float | None
    engagement: Cell | None
    enps: Cell | None
    drivers: dict


def survey_trend(*, viewer: Membership, survey, group_key=ORG_KEY, breakdown: str = TEAM) -> list[TrendPoint]:
    """One group's figures over the survey's closed rounds, oldest first: each round's
    results exactly as the round's own page shows them to the viewer."""
    rounds = list(
        survey.rounds.filter(status=SurveyRound.Status.CLOSED).select_related("organization").order_by("number")
    )
    points = []
    for round_, results in zip(
        rounds, rounds_results(viewer=viewer, rounds=rounds, breakdown=breakdown, comments=False), strict=True
    ):
        group = results.group(group_key)
        if group is None:
            continue
        engagement, enps = results.engagement, results.enps
        points.append(
            TrendPoint(
                round=round_,
                responses=group.responses,
                response_rate=group.response_rate,
                engagement=engagement.cells.get(group_key, HIDDEN) if engagement else None,
                enps=enps.cells.get(group_key, HIDDEN) if enps else None,
                drivers={d.driver: d.cells.get(group_key, HIDDEN) for d in results.drivers},
            )
        )
    return points


def parse_group(value: str | None, breakdown: str) -> tuple[str, int | None]:
    """A group as named in a URL (see ``Group.slug``); the organisation when empty.
    Raises ValueError for anything else."""
    if not value or value == ORGANIZATION:
        return ORG_KEY
    kind, _, raw = value.partition(":")
    if kind != breakdown or not raw:
        raise ValueError("Choose a group of the breakdown shown.")
    if raw == "none":
        return (kind, None)
    if not raw.isdigit() or len(raw) > 12:
        raise ValueError("Choose a group of the breakdown shown.")
    return (kind, int(raw))
