"""Everything the Overview draws for one version of the data and one set of filters, worked out
once and kept (`drawing`), so a run of the page draws it without working any of it out again.

Why: one Streamlit process serves every session, and a page's Python holds the interpreter.
Twenty people opening the Overview in the same second queue for it: a warm run made about 96
cached calls (each hashing its arguments and unpickling its answer: every tile's headline,
previous period, 12-month line and data start; every trend's frame, figure and drawn spec) and
rebuilt each figure from its kept spec, about 0.2 s of the interpreter a run. Now a run makes
one cached call for all of it; what is left is Streamlit's own drawing of the elements.

What is kept depends only on the data, the settings and the aggregate filters (no viewer: the
children behind a figure are listed by the page, within the viewer's scope, as before), so
every role shares one drawing, and the start-up warm-up (ui/warm.py) makes the default one.
Nothing here draws: the page does (app.py, with `draw_tile` and `draw_trend`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from frontdoor.access import AGGREGATES_ONLY, Viewer
from metrics import MEASURES, Filters, MeasureUnavailable
from metrics.headlines import HEADLINES, RATES, Headline
from ui import chart_picks, charts, data, drill, overview, sparkline, tables, tile_facts, tiles
from ui.chart_alt import ChartText
from ui.drill import Tile
from ui.page import PageContext
from ui.tiles import TileFacts

# The headlines the Overview shows, in order, and those it draws a monthly trend of.
AVAILABLE: list[Headline] = [h for h in HEADLINES if h.measure in MEASURES]
TRENDS: list[Headline] = [h for h in AVAILABLE if h.unit != "count" or h.measure == "referrals"]

Note = tuple[str, str]  # ("info" | "caption", text): said instead of a figure or chart


@dataclass
class KeptTile:
    """One headline's tile as drawn: what it says, and its 12-month line's spec (None: none)."""

    facts: TileFacts
    spark: dict | None = None


@dataclass
class Trend:
    """One monthly trend as drawn (charts.drawing): the escaped spec Streamlit is sent, its
    words, its table already converted, and the frame behind its CSV; or, with no chart, what
    is said instead."""

    frame: pd.DataFrame | None = None
    spec: dict | None = None
    said: ChartText | None = None
    table: object = None  # chart_picks.arrow_table
    note: Note | None = None


@dataclass
class Drawing:
    """The Overview for one set of filters: a tile per headline (or the reason it has no
    figure), a trend per TRENDS headline, and the rates' tiles (None: the section says why
    there are none instead)."""

    tiles: list[KeptTile | str] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    rates: list[KeptTile | Note] | None = None
    settings: overview.SettingsTables | None = None  # the expander's tables, converted


def unit_title(h: Headline) -> str:
    """A trend's axis title names the figure too: the chart's text alternative reads it."""
    return {"%": f"{h.label} (%)", "working days": f"{h.label} (working days)"}.get(
        h.unit, f"{h.label} (number)"
    )


def trend_target(ctx: PageContext, h: Headline) -> float | None:
    return ctx.target(h.target) if h.unit == "working days" and h.target else None


def _tile(ctx: PageContext, key: str, spec: Tile) -> KeptTile:
    now = data.headline(ctx.source, key, ctx.filters)
    facts = tile_facts.tile_facts(ctx, key, spec, now, drill.previous_headline(ctx, key))
    return KeptTile(facts, sparkline.sparkline_spec(facts.spark) if facts.spark else None)


def _trend(ctx: PageContext, h: Headline) -> Trend:
    try:
        frame, fig, note = drill.trend_figure(
            ctx, h.measure, h.aggregate, unit_title(h), target=trend_target(ctx, h)
        )
    except MeasureUnavailable as exc:
        return Trend(note=("info", f"Not available in this extract: {exc}"))
    if fig is None:
        return Trend(frame=frame, note=note)
    spec, said = charts.drawing(fig)
    table = chart_picks.arrow_table(said.table)
    if table is not None:  # kept once, converted: the frame need not be unpickled each run
        said = replace(said, table=pd.DataFrame())
    return Trend(frame=frame, spec=spec, said=said, table=table)


def _rates(ctx: PageContext) -> list[KeptTile | Note] | None:
    if ctx.engine.settings.population is None or ctx.filters.team or ctx.filters.worker:
        return None
    out: list[KeptTile | Note] = []
    for key, aggregate, label in RATES:
        try:
            out.append(_tile(ctx, key, Tile(aggregate, label)))
        except MeasureUnavailable as exc:
            out.append(("info", f"Not available in this extract: {exc}"))
    return out


@st.cache_data(ttl=data.TTL, max_entries=200, show_spinner=False, hash_funcs=data.HASH)
def drawing(source: data.Source, filters: Filters) -> Drawing:
    """The Overview's tiles, trends and rates for `filters` (aggregate filters: no scope)."""
    ctx = PageContext(source, filters, Viewer("overview", AGGREGATES_ONLY))
    out = Drawing()
    for h in AVAILABLE:
        spec = Tile(h.aggregate, h.label, h.unit, h.target, h.higher_is_better)
        try:
            out.tiles.append(_tile(ctx, h.measure, spec))
        except MeasureUnavailable as exc:
            out.tiles.append(str(exc))
    out.trends = [_trend(ctx, h) for h in TRENDS]
    out.rates = _rates(ctx)
    out.settings = overview.settings_tables(ctx.engine.settings, chart_picks.arrow_table)
    return out


def page_drawing(ctx: PageContext) -> Drawing:
    return drawing(ctx.source, data.aggregate_filters(ctx.filters))


def draw_tile(label: str, tile: KeptTile | Note | str) -> None:
    """A kept tile; "n/a" with the reason for a headline with none (str); for a rate the
    measure cannot give, what it says instead (Note)."""
    if isinstance(tile, str):
        overview.unavailable_tile(label, tile)
    elif isinstance(tile, tuple):
        drill.said_note(tile)
    else:
        tiles.tile(tile.facts, spark_spec=tile.spark)


def draw_trend(ctx: PageContext, h: Headline, trend: Trend, below) -> None:
    """A kept trend as drill.trend_chart draws one: the chart (a clicked month lists its
    children in `below`), its text alternative and its CSV."""
    if trend.spec is None or trend.said is None or trend.frame is None:
        drill.said_note(trend.note)
        return
    key = f"trend_{h.measure}_{h.aggregate}"
    months = charts.show_drawn(trend.spec, trend.said, key, selectable=True, table=trend.table)
    tables.download(trend.frame, f"{h.measure}_{h.aggregate}_monthly", key)
    drill.trend_children(ctx, h.measure, months, key, below)
