"""What a page keeps of a chart or a tile as drawn, so a run draws it without working it out
again: a chart's escaped spec, words and converted table (`Drawn`), a tile's facts and line
(`KeptTile`). Made once per data and filters and kept in the page's drawing (ui/page_drawing;
the Overview's in ui/overview_drawing); drawn by ui/drill.

Apart from ui/drill, which draws them, because they are what is kept: plain values, pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ui import chart_picks, charts, sparkline, tile_facts, tiles
from ui.chart_alt import ChartText
from ui.page import PageContext
from ui.tiles import TileFacts

Note = tuple[str, str]  # ("info" | "caption", text): said instead of a figure or chart


@dataclass
class Drawn:
    """A chart as drawn (charts.drawing): the escaped spec Streamlit is sent, its words, its
    table already converted, and for a trend the frame behind its CSV; or, with no chart,
    what is said instead. Kept in a page's drawing (ui/page_drawing, ui/overview_drawing)."""

    spec: dict | None = None
    said: ChartText | None = None
    table: object = None  # chart_picks.arrow_table
    frame: pd.DataFrame | None = None
    note: Note | None = None


def drawn(fig: charts.Figure) -> Drawn:
    """What `charts.show` draws of `fig`, its table converted once (the frame need not be
    unpickled on each run)."""
    spec, said = charts.drawing(fig)
    table = chart_picks.arrow_table(said.table)
    if table is not None:
        said = replace(said, table=pd.DataFrame())
    return Drawn(spec, said, table)


@dataclass
class KeptTile:
    """One tile as drawn: what it says, and its 12-month line's spec (None: none)."""

    facts: TileFacts
    spark: dict | None = None


def kept_tile(ctx: PageContext, key: str, spec, now: dict, before: dict) -> KeptTile:
    """One tile (`spec`: a ui/drill.Tile) of a measure's aggregate: RAG against its goal, England, neighbours, the
    change on the previous period and its last 12 months (ui/tile_facts), worked out."""
    facts = tile_facts.tile_facts(ctx, key, spec, now, before)
    return KeptTile(facts, sparkline.sparkline_spec(facts.spark) if facts.spark else None)


def draw_tile(tile: KeptTile) -> None:
    tiles.tile(tile.facts, spark_spec=tile.spark)
