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

from dataclasses import dataclass, field

import streamlit as st

from frontdoor.access import AGGREGATES_ONLY, Viewer
from metrics import MEASURES, Filters, MeasureUnavailable
from metrics.headlines import HEADLINES, RATES, Headline
from ui import chart_picks, data, drawn, drill, overview
from ui.drawn import Drawn, KeptTile, Note, kept_tile
from ui.drill import Tile
from ui.page import PageContext

# The headlines the Overview shows, in order, and those it draws a monthly trend of.
AVAILABLE: list[Headline] = [h for h in HEADLINES if h.measure in MEASURES]
TRENDS: list[Headline] = [h for h in AVAILABLE if h.unit != "count" or h.measure == "referrals"]


@dataclass
class Drawing:
    """The Overview for one set of filters: a tile per headline (or the reason it has no
    figure), a trend per TRENDS headline, and the rates' tiles (None: the section says why
    there are none instead)."""

    tiles: list[KeptTile | str] = field(default_factory=list)
    trends: list[Drawn] = field(default_factory=list)
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
    return kept_tile(ctx, key, spec, now, drill.previous_headline(ctx, key))


def _trend(ctx: PageContext, h: Headline) -> Drawn:
    return drill.trend_drawn(
        ctx, h.measure, h.aggregate, unit_title(h), target=trend_target(ctx, h)
    )


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
        drawn.draw_tile(tile)


def draw_trend(ctx: PageContext, h: Headline, trend: Drawn, below) -> None:
    """A kept trend as drill.trend_chart draws one: the chart (a clicked month lists its
    children in `below`), its text alternative and its CSV."""
    key = f"trend_{h.measure}_{h.aggregate}"
    drill.draw_trend(ctx, h.measure, trend, key, f"{h.measure}_{h.aggregate}_monthly", below)
