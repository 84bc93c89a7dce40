"""Overview for senior managers: headline tiles against goal and England, monthly trends.

Entry script of the dashboard (`streamlit run app.py`); the other pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from metrics import MEASURES, MeasureUnavailable
from metrics.headlines import HEADLINES, RATES
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
            # The axis title names the figure too: the chart's text alternative reads it.
            unit_title = {"%": f"{h.label} (%)", "working days": f"{h.label} (working days)"}.get(
                h.unit, f"{h.label} (number)"
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

st.header("Per 10,000 children")
if ctx.engine.settings.population is None:
    st.info(
        "Rates per 10,000 children are not available: the authority's population of children "
        "aged 0-17 is not set. Add a line such as population = 52000 (your authority's ONS "
        "estimate) to the settings file (see settings.example.toml) and start the app with "
        "FRONTDOOR_SETTINGS set to that file."
    )
elif ctx.filters.team or ctx.filters.worker:
    st.info("Rates per 10,000 children are for the whole authority: clear the team filter.")
else:
    rate_columns = st.columns(len(RATES))
    for column, (key, aggregate, label) in zip(rate_columns, RATES, strict=True):
        with column:
            now = ctx.headline(key)
            if now is not None:
                drill.measure_tile(
                    ctx, key, Tile(aggregate, label), now, drill.previous_headline(ctx, key)
                )
    st.caption(
        f"Per 10,000 of the authority's {ctx.engine.settings.population:,} children aged 0-17 "
        "(the population setting). England's rates are as DfE published them, each with its "
        "year (not every year's rate is published; none is estimated)."
    )

with st.expander("Targets, goals and England's figures in use"):
    settings = ctx.engine.settings
    st.dataframe(
        [{"Timescale": TARGET_LABELS[k], "Working days": v} for k, v in settings.targets.items()],
        hide_index=True,
    )
    st.caption(f"Assessment regime: {settings.regime}")
    overview.goals_table(ctx)
    overview.england_table()
