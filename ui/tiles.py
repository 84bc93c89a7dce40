"""Headline tiles that read at a glance: the figure, its RAG in colour *and* word against the
goal, the goal, England (and neighbours and region when set), the change on the previous period
and a 12-month line. Judgements are made in metrics/goals.py; this module only draws them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from metrics.benchmarks import Benchmark
from metrics.comparators import Summary
from metrics.goals import Change, Goal, Judgement, Margins, goal_text, versus
from ui import sparkline
from ui.text import md

# A badge's icon repeats its words (never colour alone).
RAG_ICON = {
    "green": ":material/check_circle:",
    "orange": ":material/warning:",
    "red": ":material/error:",
    "gray": ":material/remove:",
}


def fmt(value: object, unit: str) -> str:
    """A figure as a tile shows it; "n/a" when there is none (never a 0 or a dash)."""
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "working days":
        text = f"{value:.1f}".removesuffix(".0")
        return f"{text} working day" + ("" if text == "1" else "s")
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def short(value: float, unit: str) -> str:
    """A goal or reference figure as few characters as say it: 90%, 85.7%, 35 days."""
    text = f"{value:,.1f}".removesuffix(".0")
    if unit == "%":
        return f"{text}%"
    if unit == "working days":
        return f"{text} working days"
    return text


def value_text(value: float | None, unit: str) -> str:
    """A tile's big figure: the unit of days goes in its title, so the figure is not cut."""
    if unit == "working days" and value is not None:
        return f"{value:.1f}".removesuffix(".0")
    return fmt(value, unit)


def title(label: str, unit: str) -> str:
    if unit == "working days" and "working day" not in label:
        return f"{label} (working days)"
    return label


@dataclass
class TileFacts:
    """Everything one tile says, worked out before it is drawn (ui/drill.tile_facts)."""

    label: str
    value: float | None
    unit: str
    higher_is_better: bool | None = None
    judgement: Judgement | None = None
    goal: Goal | None = None
    target_text: str | None = None  # the timescale: "within 45 working days"
    change: Change | None = None
    numerator: int | None = None
    denominator: int | None = None
    what: str = "children"  # what a share counts ("41 of 48 children")
    england: Benchmark | None = None
    england_note: str | None = None  # why England is not set beside it (e.g. another target)
    comparators: Sequence[Summary] = field(default_factory=list)
    margins: Margins = field(default_factory=Margins)
    spark: list[float] | None = None
    unavailable: str | None = None  # the reason there is no figure
    help: str | None = None


def lines(facts: TileFacts) -> list[str]:
    """The tile's caption lines in words (plain text; escaped for Markdown when drawn)."""
    if facts.unavailable:
        return [f"Not available: {facts.unavailable}"]
    out: list[str] = []
    share = facts.denominator is not None and facts.numerator is not None
    if share:
        within = f" {facts.target_text}" if facts.target_text else ""
        out.append(f"{facts.numerator:,} of {facts.denominator:,} {facts.what}{within}")
    said = goal_text(facts.goal, facts.unit, facts.higher_is_better)
    timescale = None if share or not facts.target_text else f"Timescale: {facts.target_text}"
    given = " · ".join(x for x in (said, timescale) if x)
    if given:
        out.append(given)
    if facts.england is not None:
        compared = versus(
            facts.value,
            facts.england.value,
            facts.unit,
            facts.higher_is_better,
            margin_pp=facts.margins.pp,
            margin_pct=facts.margins.pct,
        )
        text = f"England {fmt(facts.england.value, facts.unit)} ({facts.england.basis})"
        out.append(f"{text}: {_lower_first(compared)}" if compared else text)
    elif facts.england_note:
        out.append(facts.england_note)
    for other in facts.comparators:
        name = other.label if other.group == "region" else "neighbours"
        compared = versus(
            facts.value,
            other.value,
            facts.unit,
            facts.higher_is_better,
            name=name,
            margin_pp=facts.margins.pp,
            margin_pct=facts.margins.pct,
        )
        text = f"{other.label} {fmt(other.value, facts.unit)} ({other.year})"
        out.append(f"{text}: {_lower_first(compared)}" if compared else text)
    if facts.change is not None and facts.change.words:
        out.append(facts.change.words)
    if facts.spark:
        first, last = facts.spark[0], facts.spark[-1]
        out.append(
            f"Line: the last 12 months, from {value_text(first, facts.unit)} "
            f"to {value_text(last, facts.unit)}"
        )
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def rag_markdown(judged: Judgement) -> str:
    """The RAG as a coloured badge holding its icon and word, then the rest of its words
    (plain text that wraps in a narrow tile): ':orange-badge[:material/warning: Amber] just
    below goal'. Only our own words go in it, never data."""
    word, _, rest = judged.words.partition(" — ")
    icon = RAG_ICON[judged.colour]
    return f":{judged.colour}-badge[{icon} {word}] {rest}".rstrip()


def tile(facts: TileFacts, *, spark_spec: dict | None = None) -> None:
    """One bordered tile. The title wraps (a metric's own label is cut to one line, so it is
    given to the metric for screen readers and tests, and drawn visibly above it).
    `spark_spec`: the 12-month line's spec (sparkline.sparkline_spec), when the page keeps it."""
    with st.container(border=True):
        st.markdown(f"**{md(title(facts.label, facts.unit))}**", help=facts.help)
        change = facts.change
        st.metric(
            facts.label,
            "n/a" if facts.unavailable else value_text(facts.value, facts.unit),
            delta=change.delta if change else None,
            delta_color=change.colour if change else "off",
            delta_arrow=change.arrow if change else "auto",
            label_visibility="collapsed",
        )
        if facts.spark:
            # A page may show one measure's tile twice (two filters): the key only has to be
            # unique, the line holds no state.
            sparkline.sparkline(facts.spark, key=f"spark_{uuid.uuid4().hex}", spec=spark_spec)
        judged = facts.judgement
        # With a goal: red, amber or green, or "not judged" when too few; no badge without
        # a goal (a count of demand, a percentile): the caption says what there is.
        if judged is not None and facts.goal is not None:
            st.markdown(rag_markdown(judged))
        said = lines(facts)
        if said:
            st.caption("  \n".join(md(line) for line in said))


def tile_simple(
    label: str, value: float | None, unit: str, *, help_text: str | None = None
) -> None:
    """A tile with no goal or comparison (a count on a detail page)."""
    tile(TileFacts(label, value, unit, help=help_text))
