"""Seeing children: working days from referral to the child being seen (distribution, trend,
within target), and the children not yet seen, oldest first, those past target marked as at
potential risk."""

from __future__ import annotations

from functools import partial

import streamlit as st

from metrics import MEASURES
from ui import charts, data, drill
from ui.drill import Tile
from ui.page import setup

ctx = setup(
    "Seeing children",
    "Working days from referral to the first visit where the child was seen, for referrals in "
    "the period that are not NFA. Children still unseen past the target count as late.",
    keep=True,
)
target = ctx.target("seen_wd")
AT_RISK = "At potential risk: not seen, past target"

st.header("Not yet seen")
if drill.available(ctx, "not_yet_seen"):
    drill.tile_row(
        ctx,
        "not_yet_seen",
        [
            Tile("at_risk", "Not seen, past target", target="seen_wd", higher_is_better=False),
            Tile("count", "Open referrals, child not yet seen", higher_is_better=False),
        ],
    )
    drill.waiting_list(
        ctx,
        "not_yet_seen",
        "seen_not_yet",
        name="children_not_yet_seen",
        caption="Open referrals (not NFA) where the child has not been seen since the "
        "referral, oldest first; age in working days at the snapshot date. Choose a row to "
        "open the child.",
        flag=("at_risk", AT_RISK, "Not seen yet, within target so far", 0),
        label="risk",
    )

st.header("Time to see the child")
if drill.available(ctx, "seen"):
    drill.tile_row(
        ctx,
        "seen",
        [
            Tile("within_target_pct", "Seen in timescale", "%", "seen_wd", True),
            Tile("median_wd", "Median time to see", "working days", "seen_wd", False),
            Tile("p25_wd", "25th percentile", "working days"),
            Tile("p75_wd", "75th percentile", "working days"),
            Tile("cohort", "Referrals counted"),
        ],
    )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Distribution")
        spread = drill.grouped(ctx, "seen", "status", "days")
        chosen: list[str] = []
        if spread is not None and not spread.empty:
            fig = partial(
                charts.stacked,
                spread,
                "days",
                "cohort",
                "status",
                [("seen", "Seen"), ("waiting", "Not seen yet (age so far)")],
                "Working days from referral to the child being seen",
                "Referrals",
                target=target,
            )
            chosen = drill.chart(
                fig, "seen_days", frame=spread, name="time_to_see", selectable=True
            )
    with right:
        st.subheader("Seen in timescale, by month")
        drill.trend_chart(
            ctx, "seen", "within_target_pct", "% of referrals", "seen_pct", below=below
        )
        st.subheader("Median time to see, by month")
        drill.trend_chart(
            ctx,
            "seen",
            "median_wd",
            "Working days",
            "seen_median",
            target=target,
            extra=[("p75_wd", "75th percentile")],
            below=below,
        )
    if chosen:
        drill.children_of(
            drill.all_rows(ctx, "seen"),
            "days",
            chosen,
            "seen_days_children",
            name="time_to_see_children",
            what="working days",
            ctx=ctx,
            measure="seen",
        )

    st.subheader("By team")
    teams = ctx.breakdown("seen", "team")
    if teams is not None and not teams.empty:
        teams["team_name"] = teams["team_name"].fillna("No team recorded")
        teams = teams.sort_values("within_target_pct", na_position="first")
        fig = partial(
            charts.bars,
            teams,
            "team_name",
            "within_target_pct",
            "Team",
            "% seen in timescale",
            ids="team",
            horizontal=True,
        )
        drill.chart(fig, "seen_teams", frame=teams, name="seen_by_team")

if "seen_closed_unseen" in MEASURES:
    with st.expander("Data issue: referrals closed without the child being seen"):
        drill.long_list(
            ctx,
            "seen_closed_unseen",
            "seen_closed_unseen",
            name="closed_without_seen_visit",
            order_words="earliest referred first",
            caption="Left out of the time-to-see figures: no seen visit is recorded before "
            "the referral closed. Choose a row to open the child.",
        )

# Annex A carries only the date each child was last seen: shown when the extract has it.
if data.unavailable_reason(ctx.source, "last_seen") is None:
    st.header("Time since the child was last seen (Annex A)")
    seen_bands = drill.grouped(ctx, "last_seen", "band", "band_order")
    if seen_bands is not None and not seen_bands.empty:
        seen_bands = seen_bands.sort_values("band_order")
        fig = partial(
            charts.bars,
            seen_bands,
            "band",
            "children",
            "Weeks since last seen",
            "Children",
            ids="band",
        )
        picked = drill.chart(
            fig, "last_seen_bands", frame=seen_bands, name="last_seen_bands", selectable=True
        )
        drill.children_of(
            drill.all_rows(ctx, "last_seen") if picked else None,  # read only when chosen
            "band",
            picked,
            "last_seen_children",
            name="last_seen_children",
            what="a band",
            ctx=ctx,
            measure="last_seen",
        )
