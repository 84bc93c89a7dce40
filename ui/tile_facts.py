"""What a measure's tile says, gathered from the metrics layer: the figure and its parts, the
goal and its RAG, England's figure for the period's year, neighbours and region, the change on
the previous period (or "no earlier data") and the last 12 months for the line."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from metrics import MEASURES, Filters, MeasureUnavailable
from metrics.benchmarks import KEYS, benchmark, yearly_rate_reason
from metrics.goals import FEWEST, change, rag
from metrics.measure import DENOMINATOR, FLOW, NUMERATOR
from ui import data
from ui.page import PageContext
from ui.tiles import TileFacts

# What a measure's share counts, for "41 of 48 ...".
COUNTED = {
    "contacts": "contacts decided",
    "referrals": "referrals",
    "allocation": "referrals allocated",
    "seen": "children seen",
    "assessments": "assessments",
    "icpc": "conferences",
    "cp_reviews": "plans reviewed on time",
    "cp_review_chain": "reviews held on time",
    "cp_plans": "plans ended",
    "recording": "notes recorded",
    "agencies": "requests answered",
}


def twelve_months(filters: Filters) -> Filters:
    """The 12 calendar months ending with the period's last month (a tile's line); the same
    filters as the period when the period is those 12 months (one cached query for both)."""
    end = filters.date_to
    month = end.month - 11
    start = dt.date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    if filters.date_from == start:
        return filters
    return replace(filters, date_from=start, as_of=filters.as_of or end)


def spark(ctx: PageContext, key: str, aggregate: str) -> list[float] | None:
    """The aggregate month by month over 12 months; a share's months with fewer than 5 in the
    denominator are left out (too few to judge). None with fewer than two months to draw."""
    try:
        frame = data.monthly(ctx.source, key, twelve_months(ctx.filters))
    except MeasureUnavailable:
        return None
    if frame.empty or aggregate not in frame:
        return None
    judged = frame
    denominator = DENOMINATOR.format(aggregate)
    if denominator in frame:
        judged = frame[frame[denominator].fillna(0) >= FEWEST]
    values = [float(v) for v in judged[aggregate].dropna()]
    return values if len(values) >= 2 else None


def earlier_data(ctx: PageContext) -> bool:
    """Whether the extract reaches back over the whole previous period (else a change on it
    would be a rise from nothing)."""
    start = data.data_start(ctx.source)
    if start is None:
        return True
    return ctx.filters.previous_period().date_from >= start.replace(day=1)


def previous_headline(ctx: PageContext, key: str) -> dict:
    """The measure's aggregates over the previous period of the same length ({} if none)."""
    try:
        return data.headline(ctx.source, key, ctx.filters.previous_period())
    except MeasureUnavailable:
        return {}


def tile_facts(ctx: PageContext, key: str, spec, now: dict, before: dict) -> TileFacts:
    """Everything the tile of `spec` (ui/drill.Tile) says about measure `key`."""
    measure = MEASURES[key]
    settings = ctx.engine.settings
    aggregate = spec.aggregate
    value = now.get(aggregate)
    numerator = now.get(NUMERATOR.format(aggregate))
    denominator = now.get(DENOMINATOR.format(aggregate))
    target_text = None
    if spec.target:
        days = ctx.target(spec.target)
        target_text = f"within {days} working day" + ("" if days == 1 else "s")
    goal = settings.goal(key, aggregate)
    facts = TileFacts(
        label=spec.label,
        value=value,
        unit=spec.unit,
        higher_is_better=spec.higher_is_better,
        goal=goal,
        target_text=target_text,
        numerator=None if denominator is None else int(numerator or 0),
        denominator=None if denominator is None else int(denominator),
        what=COUNTED.get(key, "children"),
        margins=settings.margins,
        help=measure.description or None,
    )
    reason = ctx.engine.unavailable_aggregates(measure).get(aggregate)
    if reason:  # a table the extract lacks, or a setting not given (the population)
        facts.unavailable = reason
        return facts
    if value is None:
        facts.unavailable = (
            f"no {facts.what} to count in this period" if denominator == 0 else "no figure"
        )
        facts.judgement = None
        return facts
    facts.judgement = rag(value, goal, spec.higher_is_better, spec.unit, denominator=denominator)
    facts.change = change(
        value,
        before.get(aggregate),
        spec.unit,
        spec.higher_is_better,
        earlier_data=earlier_data(ctx),
    )
    period_end = ctx.filters.date_to
    england = benchmark(key, aggregate, period_end)
    if england is not None and england.timescale_wd is not None and spec.target:
        if ctx.target(spec.target) != england.timescale_wd:
            facts.england_note = (
                f"England: not comparable (it counts within {england.timescale_wd} working "
                f"days; the timescale here is {ctx.target(spec.target)})"
            )
            england = None
    yearly = yearly_rate_reason(
        aggregate, measure.kind == FLOW, ctx.filters.date_from, ctx.filters.date_to
    )
    if england is not None and yearly:
        facts.england_note = f"England: not comparable ({yearly})"
        england = None
    facts.england = england
    if settings.comparators is not None and (key, aggregate) in KEYS and not yearly:
        found = [
            settings.comparators.summary(KEYS[(key, aggregate)], group, period_end)
            for group in ("neighbour", "region")
        ]
        facts.comparators = [f for f in found if f is not None]
    facts.spark = spark(ctx, key, aggregate)
    return facts
