"""Overview for senior managers: headline tiles against goal and England, monthly trends.

Entry script of the dashboard (`streamlit run app.py`); the other pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from metrics import MEASURES, MeasureUnavailable
from metrics.headlines import HEADLINES
from metrics.settings import TARGET_LABELS
from ui import data, drill, overview
from ui.drill import Tile
from ui.page import setup

ctx = setup(
    "Overview",
    "Headline measures for the period: each against its goal (red, amber or green), England "
    "and the previous period of the same length, with its last 12 months. Choose a figure "
    "under a row of tiles to list the children behind it.",
)
available = [h for h in HEADLINES if h.measure in MEASURES]

PER_ROW = 4
ROWS = -(-len(available) // PER_ROW)
for start in range(0, len(available), PER_ROW):
    row = available[start : start + PER_ROW]
    for column, h in zip(st.columns(PER_ROW), row, strict=False):
        with column:
            try:
                now = data.headline(ctx.source, h.measure, ctx.filters)
            except MeasureUnavailable as exc:
                overview.unavailable_tile(h.label, str(exc))
                continue
            spec = Tile(h.aggregate, h.label, h.unit, h.target, h.higher_is_better)
            drill.measure_tile(ctx, h.measure, spec, now, drill.previous_headline(ctx, h.measure))
    overview.drill_control(row, start // PER_ROW, ROWS)

overview.drill_table(ctx)

st.header("Monthly trends")
st.caption(
    "Click a month on a trend to list the children behind it, under that row of charts. A "
    "hollow point is a month with fewer than 5 children: too few to judge, and left out of "
    "the line."
)
shown = [h for h in available if h.unit != "count" or h.measure == "referrals"]
for start in range(0, len(shown), 2):
    pair = shown[start : start + 2]
    columns = st.columns(2)
    below = st.container()  # a clicked month's children, full width under this row
    for column, h in zip(columns, pair, strict=False):
        with column:
            st.subheader(h.label)
            target = ctx.target(h.target) if h.unit == "working days" and h.target else None
            unit_title = {"%": f"{h.label} (%)", "working days": "Working days"}.get(
                h.unit, "Number"
            )
            drill.trend_chart(
                ctx,
                h.measure,
                h.aggregate,
                unit_title,
                f"trend_{h.measure}_{h.aggregate}",
                target=target,
                below=below,
            )

with st.expander("Targets, goals and England's figures in use"):
    settings = ctx.engine.settings
    st.dataframe(
        [{"timescale": TARGET_LABELS[k], "target": v} for k, v in settings.targets.items()],
        hide_index=True,
    )
    st.caption(f"Assessment regime: {settings.regime}")
    overview.goals_table(ctx)
    overview.england_table()
