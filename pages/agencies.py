"""Partner agencies: how quickly each agency answers requests for information, and the
requests still outstanding, oldest first."""

from __future__ import annotations

from functools import partial

import streamlit as st

from ui import charts, drill
from ui.drill import Tile
from ui.page import setup

ctx = setup(
    "Partner agencies",
    "Requests for information made in the period: working days to the agency's response. "
    "Requests carry no team or worker, so the team and worker filters do not apply here.",
    keep=True,
)
target = ctx.target("agency_response_wd")

if drill.available(ctx, "agencies"):
    drill.tile_row(
        ctx,
        "agencies",
        [
            Tile("within_target_pct", "Answered in timescale", "%", "agency_response_wd", True),
            Tile("median_wd", "Median response", "working days", "agency_response_wd", False),
            Tile("requests", "Requests made"),
            Tile("outstanding_past_target", "Outstanding past target", higher_is_better=False),
        ],
    )
    by_agency = ctx.breakdown("agencies", "agency")
    chosen: list[str] = []
    if by_agency is not None and not by_agency.empty:
        left, right = st.columns(2)
        with left:
            st.subheader("Median response by agency")
            frame = by_agency.sort_values("median_wd", ascending=True, na_position="first")
            fig = partial(
                charts.bars,
                frame,
                "agency",
                "median_wd",
                "Agency",
                "Median working days to respond",
                target=target,
                horizontal=True,
            )
            chosen = drill.chart(
                fig, "agency_median", frame=frame, name="agency_responses", selectable=True
            )
        with right:
            st.subheader("Answered in timescale by agency")
            frame = by_agency.sort_values("within_target_pct", ascending=False, na_position="first")
            fig = partial(
                charts.bars,
                frame,
                "agency",
                "within_target_pct",
                "Agency",
                "% answered within target",
                horizontal=True,
            )
            chosen = (
                drill.chart(
                    fig, "agency_pct", frame=frame, name="agency_within_target", selectable=True
                )
                or chosen
            )
        chosen = drill.choice(
            chosen, list(by_agency["agency"].astype(str)), "agency_pick", "Or choose an agency"
        )
        drill.children_of(
            drill.all_rows(ctx, "agencies") if chosen else None,
            "agency",
            chosen,
            "agency_requests",
            name="agency_requests",
            what="agency",
            ctx=ctx,
            measure="agencies",
        )
    st.subheader("Answered in timescale, by month")
    drill.trend_chart(ctx, "agencies", "within_target_pct", "% of requests", "agency_trend")

st.header("Outstanding requests")
if drill.available(ctx, "agencies_outstanding"):
    drill.tile_row(
        ctx,
        "agencies_outstanding",
        [
            Tile("count", "Outstanding now", higher_is_better=False),
            Tile("oldest_wd", "Oldest outstanding", "working days", higher_is_better=False),
        ],
    )
    drill.waiting_list(
        ctx,
        "agencies_outstanding",
        "agency_outstanding",
        name="agency_requests_outstanding",
        caption="Requests with no response at the snapshot date, whatever their request "
        "date; oldest first, age in working days. Choose a row to open the child.",
        flag=("past_target", "Past target", "Within target so far", 1),
    )
