"""Overview for senior managers: headline tiles against target and England, monthly trends.

Entry script of the dashboard (`streamlit run app.py`); the other pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from metrics import MEASURES, MeasureUnavailable
from metrics.headlines import HEADLINES
from metrics.settings import TARGET_LABELS
from ui import data, drill, tables
from ui.drill import Tile
from ui.page import setup

ctx = setup(
    "Overview",
    "Headline measures for the period, against target and England, with the change on the "
    "previous period of the same length. Choose a figure to see the children behind it.",
)
available = [h for h in HEADLINES if h.measure in MEASURES]

columns = st.columns(4)
for i, h in enumerate(available):
    with columns[i % 4]:
        try:
            now = data.headline(ctx.source, h.measure, ctx.filters)
        except MeasureUnavailable as exc:
            with st.container(border=True):
                st.metric(h.label, "n/a")
                st.caption(f"Not available: {exc}")
            continue
        spec = Tile(h.aggregate, h.label, h.unit, h.target, h.higher_is_better)
        drill.measure_tile(ctx, h.measure, spec, now, drill.previous_headline(ctx, h.measure))
        if st.button("Children behind this", key=f"drill_{i}", width="stretch"):
            st.query_params["drill"] = h.measure

chosen = st.query_params.get("drill")
if chosen in MEASURES:
    st.subheader(f"Behind the figure: {MEASURES[chosen].title}")
    frame = ctx.rows(chosen)
    if frame is not None:
        tables.child_table(
            frame,
            f"overview_rows_{chosen}",
            name=f"{chosen}_children",
            hidden=ctx.hidden(chosen, len(frame)),
        )

st.header("Monthly trends")
trend_columns = st.columns(2)
shown = [h for h in available if h.unit != "count" or h.measure == "referrals"]
for i, h in enumerate(shown):
    with trend_columns[i % 2]:
        st.subheader(h.label)
        target = ctx.target(h.target) if h.unit == "working days" and h.target else None
        unit_title = {"%": "% of children", "working days": "Working days"}.get(h.unit, "Number")
        drill.trend_chart(
            ctx,
            h.measure,
            h.aggregate,
            unit_title,
            f"trend_{h.measure}_{h.aggregate}",
            target=target,
        )
st.caption("Click a month on a trend to list the children behind it.")

with st.expander("Targets in use"):
    settings = ctx.engine.settings
    st.dataframe(
        [{"timescale": TARGET_LABELS[k], "target": v} for k, v in settings.targets.items()],
        hide_index=True,
    )
    st.caption(f"Assessment regime: {settings.regime}")
