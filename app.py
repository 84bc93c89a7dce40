"""Overview for senior managers: headline tiles against goal and England, monthly trends.

Entry script of the dashboard (`streamlit run app.py`); the other pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from metrics.headlines import RATES
from ui import overview
from ui import overview_drawing as od
from ui.page import setup

ctx = setup(
    "Overview",
    "Headline measures for the period: each against its goal (red, amber or green), England "
    "and the previous period of the same length, with its last 12 months. Choose a figure "
    "under a row of tiles to list the children behind it.",
)
drawn = od.page_drawing(ctx)  # every tile and trend worked out once per data and filters

PER_ROW = 4
ROWS = -(-len(od.AVAILABLE) // PER_ROW)
for start in range(0, len(od.AVAILABLE), PER_ROW):
    row = od.AVAILABLE[start : start + PER_ROW]
    kept = drawn.tiles[start : start + PER_ROW]
    for column, h, tile in zip(st.columns(PER_ROW), row, kept, strict=False):
        with column:
            od.draw_tile(h.label, tile)
    overview.drill_control(row, start // PER_ROW, ROWS)

overview.drill_table(ctx)

st.header("Monthly trends")
st.caption(
    "Click a month on a trend to list the children behind it, under that row of charts. A "
    "hollow point is a month with fewer than 5 children: too few to judge, and left out of "
    "the line."
)
for start in range(0, len(od.TRENDS), 2):
    pair = zip(od.TRENDS[start : start + 2], drawn.trends[start : start + 2], strict=True)
    columns = st.columns(2)
    below = st.container()  # a clicked month's children, full width under this row
    for column, (h, trend) in zip(columns, pair, strict=False):
        with column:
            st.subheader(h.label)
            od.draw_trend(ctx, h, trend, below)

st.header("Per 10,000 children")
if ctx.engine.settings.population is None:
    st.info(
        "Rates per 10,000 children are not available: the authority's population of children "
        "aged 0-17 is not set. Add a line such as population = 52000 (your authority's ONS "
        "estimate) to the settings file (see settings.example.toml) and start the app with "
        "FRONTDOOR_SETTINGS set to that file."
    )
elif ctx.filters.team or ctx.filters.worker or drawn.rates is None:
    st.info("Rates per 10,000 children are for the whole authority: clear the team filter.")
else:
    rate_columns = st.columns(len(RATES))
    for column, (_, _, label), tile in zip(rate_columns, RATES, drawn.rates, strict=True):
        with column:
            od.draw_tile(label, tile)
    st.caption(
        f"Per 10,000 of the authority's {ctx.engine.settings.population:,} children aged 0-17 "
        "(the population setting). England's rates are as DfE published them, each with its "
        "year (not every year's rate is published; none is estimated)."
    )

overview.settings_expander(ctx.engine.settings, drawn.settings)
