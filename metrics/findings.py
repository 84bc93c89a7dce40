"""The letter you would get today: each rule of `metrics.findings_rules` applied to the period's
figures, classified as a strength, satisfactory practice or an area for development, and said as
one plain sentence in the inspection letter's register (docs/findings.md states the rules).

Every figure is a measure's own aggregate, asked of the engine (one definition: nothing here
recomputes a measure); goals are settings (`metrics/goals.py`), England's figures DfE's
(`metrics/benchmarks.py`), neighbours' the comparators file. A figure that cannot be given is
not a finding: it is listed as not assessed, with the reason. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from statistics import median

import pandas as pd

from metrics import benchmarks, catalog, goals
from metrics.engine import Engine, MeasureUnavailable, concurrently, plain
from metrics.filters import Filters
from metrics.findings_rules import (
    DEVELOPMENT,
    HEADINGS,
    OUTLIER_PCT,
    OUTLIER_PP,
    RULES,
    SATISFACTORY,
    STRENGTH,
    Rule,
)
from metrics.findings_words import group_sentence, sentence
from metrics.lookups import data_start
from metrics.measure import DENOMINATOR, NUMERATOR
from metrics.summary import NOT_BY_TEAM, _measure_reason, declared_unavailable
from metrics.words import date_text

BETTER, IN_LINE, WORSE = "better", "in line", "worse"
# A group rule's breakdown and the column of the children's rows it reads.
GROUP_COLUMN = {"team": "team", "worker": "worker_id"}
IMPROVING, STEADY, WORSENING = "improving", "steady", "worsening"
NO_EARLIER = "no earlier data"
TEAM_COMPARISON = "compares the teams with each other: not with a team filter"
NOTHING_TO_JUDGE = "no figure for this period (nothing it counts happened)"
NO_STANDARD = "no goal, England figure or neighbours' figure to judge it against"


@dataclass(frozen=True)
class Finding:
    """One sentence of the letter, with the figures it rests on and the children behind it."""

    heading: str  # STRENGTH, SATISFACTORY or DEVELOPMENT
    rule: Rule
    sentence: str
    figures: dict
    children: dict | None  # {"measure": key, "team"/"worker": id, "count": n}
    score: int = 0  # how serious: more is worse (ordering within a heading)

    def as_json(self) -> dict:
        return {
            "heading": HEADINGS[self.heading],
            "heading_key": self.heading,
            "rule": self.rule.key,
            "measure": self.rule.measure,
            "figure": self.rule.figure,
            "subject": self.rule.subject,
            "sentence": self.sentence,
            "figures": self.figures,
            "children": self.children,
        }


@dataclass(frozen=True)
class NotAssessed:
    rule: Rule
    reason: str

    def as_json(self) -> dict:
        return {
            "rule": self.rule.key,
            "measure": self.rule.measure,
            "figure": self.rule.figure,
            "subject": self.rule.subject,
            "reason": self.reason,
        }


@dataclass
class Findings:
    """The findings of one period, most serious first under each heading."""

    filters: Filters
    findings: list[Finding] = field(default_factory=list)
    not_assessed: list[NotAssessed] = field(default_factory=list)

    def under(self, heading: str) -> list[Finding]:
        return [f for f in self.findings if f.heading == heading]

    def as_json(self) -> dict:
        f = self.filters
        return {
            "period": {
                "from": f.date_from.isoformat(),
                "to": f.date_to.isoformat(),
                "as_of": f.effective_as_of.isoformat(),
                "team": f.team,
            },
            "headings": {key: HEADINGS[key] for key in (STRENGTH, SATISFACTORY, DEVELOPMENT)},
            "findings": [x.as_json() for x in self.findings],
            "not_assessed": [x.as_json() for x in self.not_assessed],
        }


# -- the year earlier --------------------------------------------------------------------------


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 Feb -> 28 Feb)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def months_before(day: dt.date, months: int) -> dt.date:
    """`day` less whole calendar months (31 Mar - 1 month = 28 Feb)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def year_earlier(filters: Filters) -> Filters:
    """The same period (and as-of date) 12 months earlier: what the trend compares with."""
    as_of = year_before(filters.as_of) if filters.as_of else None
    return replace(
        filters,
        date_from=year_before(filters.date_from),
        date_to=year_before(filters.date_to),
        as_of=as_of,
    )


# -- judging a figure --------------------------------------------------------------------------


def versus(value: float, other: float | None, unit: str, higher: bool, margins) -> str | None:
    """Better, in line or worse than another figure, past the margin (goals.Margins)."""
    if other is None:
        return None
    diff = goals.shown(value, unit) - other
    inside = margins.pp if unit == "%" else abs(other) * margins.pct / 100
    if abs(diff) <= inside + 1e-9:
        return IN_LINE
    return BETTER if (diff > 0) == higher else WORSE


def classify(rag: str | None, england: str | None, neighbours: str | None, trend: str | None):
    """The heading and how serious (docs/findings.md, "How a figure is classified")."""
    worse_than_others = WORSE in (england, neighbours)
    if (
        rag == goals.RED
        or (rag != goals.GREEN and worse_than_others)
        or (rag == goals.AMBER and trend == WORSENING)
    ):
        heading = DEVELOPMENT
    elif (
        rag in (goals.GREEN, None)
        and not worse_than_others
        and trend != WORSENING
        and (
            BETTER in (england, neighbours)
            or (rag == goals.GREEN and not england and not neighbours)
        )
    ):
        heading = STRENGTH
    else:
        heading = SATISFACTORY
    score = {goals.RED: 2, goals.AMBER: 1}.get(rag or "", 0)
    score += (england == WORSE) + (neighbours == WORSE) + (trend == WORSENING)
    return heading, score


# -- asking the engine -------------------------------------------------------------------------


class _Asked:
    """The headlines (with each share's parts) a set of rules needs, asked concurrently."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.got: dict[tuple[str, Filters], dict | str] = {}

    def ask(self, pairs: set[tuple[str, Filters]]) -> None:
        todo = [p for p in pairs if p not in self.got]

        def one(pair: tuple[str, Filters]) -> dict | str:
            key, filters = pair
            try:
                return self.engine.headline(catalog.get(key), filters, parts=True)
            except MeasureUnavailable as exc:
                return str(exc).split(": ", 1)[-1]

        for pair, answer in zip(todo, concurrently(one, todo), strict=True):
            self.got[pair] = answer

    def figure(self, key: str, filters: Filters, figure: str) -> object:
        answer = self.got.get((key, filters))
        return answer.get(figure) if isinstance(answer, dict) else None


def _history_ok(rule: Rule, filters: Filters, start: dt.date | None) -> bool:
    """Whether the data reach back as far as the rule's figure reads for this period."""
    if start is None:
        return False
    return months_before(filters.date_from, rule.history_months) >= start


def _reason(
    engine: Engine, rule: Rule, filters: Filters, declared: dict[str, str], start: dt.date | None
) -> str | None:
    """Why a rule cannot be judged for these filters, or None."""
    reason = _measure_reason(engine, rule.measure, filters)
    if reason:
        return reason
    if rule.history_months and start is not None and not _history_ok(rule, filters, start):
        return (
            f"needs {rule.history_months} months of data before the period; the data start "
            f"on {date_text(start)}"
        )
    measure = catalog.get(rule.measure)
    if measure.section in declared:
        return declared[measure.section]
    if rule.figure not in measure.aggregates:
        return "not implemented"
    off = getattr(engine, "unavailable_aggregates", None)
    if off is not None and rule.figure in off(measure):
        return off(measure)[rule.figure]
    if rule.by == "team" and (filters.team or filters.worker):
        return TEAM_COMPARISON
    if rule.by and rule.by not in ("team", "worker") and rule.by not in measure.dimensions:
        return f"no breakdown by {rule.by}"
    return None


def _england(engine: Engine, rule: Rule, filters: Filters):
    """England's figure for the rule's figure and year, if one is comparable."""
    found = benchmarks.benchmark(rule.measure, rule.figure, filters.date_to)
    if found is None:
        return None
    if found.timescale_wd and rule.target:
        if engine.settings.targets.get(rule.target) != found.timescale_wd:
            return None  # a local share within another timescale is not England's
    return found


def _neighbours(engine: Engine, rule: Rule, filters: Filters):
    comparators = getattr(engine.settings, "comparators", None)
    key = benchmarks.KEYS.get((rule.measure, rule.figure))
    if comparators is None or key is None:
        return None
    return comparators.summary(key, "neighbour", filters.date_to)


def _affected(asked: _Asked, rule: Rule, filters: Filters) -> int | None:
    if rule.affected is None:
        return None
    value = asked.figure(rule.affected.measure, filters, rule.affected.figure)
    return None if value is None else int(value)


def _one(
    engine: Engine, asked: _Asked, rule: Rule, filters: Filters, earlier: Filters | None
) -> Finding | NotAssessed:
    value = asked.figure(rule.measure, filters, rule.figure)
    answer = asked.got.get((rule.measure, filters))
    if isinstance(answer, str):
        return NotAssessed(rule, answer)
    unit = goals.unit_of(rule.figure)
    denominator = asked.figure(rule.measure, filters, DENOMINATOR.format(rule.figure))
    numerator = asked.figure(rule.measure, filters, NUMERATOR.format(rule.figure))
    if value is None:
        return NotAssessed(rule, NOTHING_TO_JUDGE)
    if denominator is not None and denominator < goals.FEWEST:
        return NotAssessed(rule, f"too few to judge ({int(denominator)} in all)")
    value = float(value)
    settings = engine.settings
    goal = settings.goal(rule.measure, rule.figure)
    rag = goals.rag(value, goal, rule.higher_is_better, unit).level if goal else None
    england = _england(engine, rule, filters)
    neighbours = _neighbours(engine, rule, filters)
    margins = settings.margins
    vs_england = versus(
        value, england.value if england else None, unit, rule.higher_is_better, margins
    )
    vs_neighbours = versus(
        value, neighbours.value if neighbours else None, unit, rule.higher_is_better, margins
    )
    if rag is None and vs_england is None and vs_neighbours is None:
        return NotAssessed(rule, NO_STANDARD)
    previous = asked.figure(rule.measure, earlier, rule.figure) if earlier else None
    trend = None
    if previous is not None:
        trend = {BETTER: IMPROVING, IN_LINE: STEADY, WORSE: WORSENING}[
            versus(value, float(previous), unit, rule.higher_is_better, margins)
        ]
    heading, score = classify(rag, vs_england, vs_neighbours, trend)
    if heading == STRENGTH and rule.strength is None:
        heading = SATISFACTORY
    affected = _affected(asked, rule, filters)
    figures = {
        "value": round(value, 1),
        "unit": unit,
        "numerator": None if numerator is None else int(numerator),
        "denominator": None if denominator is None else int(denominator),
        "goal": goal.value if goal else None,
        "goal_amber_margin": goal.amber if goal else None,
        "against_goal": rag,
        "england": england.value if england else None,
        "england_year": england.basis if england else None,
        "against_england": vs_england,
        "neighbours": neighbours.value if neighbours else None,
        "neighbours_count": neighbours.count if neighbours else None,
        "against_neighbours": vs_neighbours,
        "year_earlier": None if previous is None else round(float(previous), 1),
        "trend": trend if earlier else NO_EARLIER,
        "change": None if previous is None else round(value - float(previous), 1),
        "affected": affected,
        "target": settings.targets.get(rule.target) if rule.target else None,
    }
    words = sentence(rule, heading, figures, settings)
    return Finding(heading, rule, words, figures, _children(rule, affected), score)


def _children(rule: Rule, affected: int | None) -> dict | None:
    """Where the children behind a finding are: the measure's rows (and which of them)."""
    if not rule.children:
        return None
    return {"measure": rule.children, "flag": rule.children_flag, "count": affected}


def _groups(
    engine: Engine, rule: Rule, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    measure = catalog.get(rule.measure)
    frame = engine.breakdown(measure, filters, rule.by)
    affected = None
    if rule.affected is not None:
        try:
            affected = engine.breakdown(catalog.get(rule.affected.measure), filters, rule.by)
        except (MeasureUnavailable, ValueError):
            affected = None
    return frame, affected


def medians_of_the_others(values: list[float]) -> list[float]:
    """For each value, the median of all the other values (at least two values): what each
    group is compared with. Read off the values sorted once, not sorted again for every group
    (at 1,000,000 children some 4,000 workers made that 16 million steps, seconds of a cold
    Findings page)."""
    ranked = sorted(range(len(values)), key=values.__getitem__)
    ordered = [values[i] for i in ranked]
    place = {i: p for p, i in enumerate(ranked)}
    rest = len(values) - 1
    out = []
    for i in range(len(values)):
        # The others in order are `ordered` without position place[i]: the j-th of them is
        # ordered[j] before that position and ordered[j + 1] from it on.
        def nth(j: int, gap: int = place[i]) -> float:
            return ordered[j] if j < gap else ordered[j + 1]

        middle = rest // 2
        out.append(nth(middle) if rest % 2 else (nth(middle - 1) + nth(middle)) / 2)
    return out


def _group_finding(engine: Engine, rule: Rule, filters: Filters) -> Finding | None:
    """An area for development when one or more groups stand out (docs/findings.md), else None:
    a comparison of groups says nothing when none stands out."""
    frame, affected_frame = _groups(engine, rule, filters)
    name_column = f"{rule.by}_name"
    eligible = []
    for row in frame.to_dict("records"):
        key, value, size = row.get(rule.by), plain(row.get(rule.figure)), plain(row.get(rule.size))
        if key is None or value is None or size is None or size < rule.fewest:
            continue
        eligible.append((str(key), str(row.get(name_column) or key), float(value), int(size)))
    if len(eligible) < 2:
        return None
    unit = goals.unit_of(rule.figure)
    goal = engine.settings.goal(rule.measure, rule.figure)
    outliers = []
    for (key, name, value, size), others in zip(
        eligible, medians_of_the_others([v for _, _, v, _ in eligible]), strict=True
    ):
        worse_by = others - value if rule.higher_is_better else value - others
        limit = OUTLIER_PP if unit == "%" else abs(others) * OUTLIER_PCT / 100
        misses_goal = goal is None or goals.rag(value, goal, rule.higher_is_better, unit).level in (
            goals.AMBER,
            goals.RED,
        )
        if worse_by > limit and misses_goal:
            outliers.append((key, name, value, size))
    if not outliers:
        return None
    outliers.sort(key=lambda g: g[2], reverse=not rule.higher_is_better)
    keys = {k for k, *_ in outliers}
    rest = [v for k, _, v, _ in eligible if k not in keys]
    others = median(rest) if rest else None
    affected = None
    if affected_frame is not None and rule.affected is not None:
        picked = affected_frame[affected_frame[rule.by].astype(str).isin(keys)]
        affected = int(picked[rule.affected.figure].fillna(0).sum())
    figures = {
        "unit": unit,
        "by": rule.by,
        "groups": [
            {"id": k, "name": n if rule.name_groups else None, "value": round(v, 1), "size": s}
            for k, n, v, s in outliers
        ],
        "others": None if others is None else round(others, 1),
        "groups_compared": len(eligible),
        "goal": goal.value if goal else None,
        "affected": affected,
        "target": engine.settings.targets.get(rule.target) if rule.target else None,
    }
    words = group_sentence(rule, figures, engine.settings)
    children = _children(rule, affected)
    if children:
        # The rows of the groups standing out (their column in the children's rows); the link
        # to the Overview's drill-down narrows to the team or worker standing out most.
        children["groups"] = {"column": GROUP_COLUMN.get(rule.by, rule.by), "ids": sorted(keys)}
        if rule.by in ("team", "worker"):
            children[rule.by] = outliers[0][0]
    return Finding(DEVELOPMENT, rule, words, figures, children, score=3)


def find(engine: Engine, filters: Filters) -> Findings:
    """The findings for `filters` (a period, an as-of date, optionally a team)."""
    declared = declared_unavailable(engine.con)
    out = Findings(filters)
    engine.absent_tables()  # read once, before the threads share the engine
    start = data_start(engine)
    ready: list[Rule] = []
    for rule in RULES:
        reason = _reason(engine, rule, filters, declared, start)
        if reason:
            out.not_assessed.append(NotAssessed(rule, reason))
        else:
            ready.append(rule)
    year = year_earlier(filters)
    # The year earlier, for each rule whose figure the data can give then.
    earlier = {r.key: year for r in ready if _history_ok(r, year, start)}
    asked = _Asked(engine)
    pairs: set[tuple[str, Filters]] = set()
    for rule in ready:
        if rule.by:
            continue
        pairs.add((rule.measure, filters))
        if rule.key in earlier:
            pairs.add((rule.measure, year))
        if rule.affected and _measure_reason(engine, rule.affected.measure, filters) is None:
            pairs.add((rule.affected.measure, filters))
    asked.ask(pairs)
    order = {rule.key: i for i, rule in enumerate(RULES)}
    group_rules = [rule for rule in ready if rule.by]
    found: list[Finding] = [
        g for g in concurrently(lambda r: _group_finding(engine, r, filters), group_rules) if g
    ]
    for rule in ready:
        if rule.by:
            continue
        result = _one(engine, asked, rule, filters, earlier.get(rule.key))
        if isinstance(result, NotAssessed):
            out.not_assessed.append(result)
        else:
            found.append(result)
    rank = {DEVELOPMENT: 0, SATISFACTORY: 1, STRENGTH: 2}
    found.sort(
        key=lambda f: (
            rank[f.heading],
            -f.score,
            -(f.figures.get("affected") or 0),
            order[f.rule.key],
        )
    )
    # The letter's order: strengths, satisfactory practice, areas for development; within each,
    # the most serious first.
    letter = {STRENGTH: 0, SATISFACTORY: 1, DEVELOPMENT: 2}
    out.findings = sorted(found, key=lambda f: letter[f.heading])
    out.not_assessed.sort(key=lambda n: order[n.rule.key])
    return out


__all__ = ["Finding", "Findings", "NotAssessed", "NOT_BY_TEAM", "find", "year_earlier"]
