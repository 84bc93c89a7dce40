"""Overview for senior managers: headline tiles against target and England, monthly trends.

Entry script of the dashboard (`streamlit run app.py`); the other pages live in pages/.
"""

from __future__ import annotations

import streamlit as st

from metrics import MEASURES, MeasureUnavailable
from metrics.benchmarks import ENGLAND_YEAR, england
from metrics.headlines import HEADLINES, RATES
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
        tables.child_table(frame, f"overview_rows_{chosen}", name=f"{chosen}_children")

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
    notes = [
        f"{label.removesuffix(' per 10,000')}: {england(key, aggregate):g} "
        f"({ENGLAND_YEAR.get((key, aggregate), 'year to 31 March 2025')})"
        for key, aggregate, label in RATES
        if england(key, aggregate) is not None
    ]
    st.caption(
        f"Per 10,000 of the authority's {ctx.engine.settings.population:,} children aged 0-17 "
        "(the population setting). England, as published: " + "; ".join(notes) + "."
    )

with st.expander("Targets in use"):
    settings = ctx.engine.settings
    st.dataframe(
        [{"timescale": TARGET_LABELS[k], "target": v} for k, v in settings.targets.items()],
        hide_index=True,
    )
    st.caption(f"Assessment regime: {settings.regime}")
