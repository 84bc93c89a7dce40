"""Child protection: S47 to initial conference in working days (distribution against the 15-day
target, trend against England), how many S47s lead to a conference and conferences to a plan,
review timeliness, plan durations in DfE's D7 bands, repeat plans and the reviews due in the
coming weeks. Every table of children opens the Child page."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from metrics import MeasureUnavailable, NotPermitted
from ui import charts, data, drill, tables
from ui.drill import Tile
from ui.filters import current_params
from ui.page import setup

# DfE D7 duration bands of plans ended in the period, in order (cp_plans.sql).
D7_BANDS = ["Under 3 months", "3-6 months", "6-12 months", "1-2 years", "2 years or more"]
DUE_WEEKS = 8

ctx = setup(
    "Child protection",
    "Section 47 enquiries and initial child protection conferences in the period (DfE C4), "
    "reviews of the plans open at the snapshot date, and plans ended in the period (DfE D7).",
    keep=True,
)
icpc_target = ctx.target("icpc_wd")

st.header("S47 enquiries and initial conferences")
if drill.available(ctx, "s47"):
    drill.tile_row(ctx, "s47", [Tile("count", "S47 enquiries started")])
left, right = st.columns(2)
with left:
    if drill.available(ctx, "s47_conversion"):
        drill.tile_row(
            ctx,
            "s47_conversion",
            [Tile("to_icpc_pct", "S47 enquiries leading to a conference", "%")],
        )
with right:
    if drill.available(ctx, "icpc_conversion"):
        drill.tile_row(
            ctx, "icpc_conversion", [Tile("to_plan_pct", "Conferences leading to a CP plan", "%")]
        )
with st.expander("S47 enquiries with no conference, and conferences with no plan"):
    drill.long_list(
        ctx,
        "s47_conversion",
        "cp_s47_no_icpc",
        name="s47_without_conference",
        caption="S47 enquiries started in the period that no initial conference names (by "
        "the snapshot date).",
        where=(("led_to_icpc", False),),
        order_words="earliest started first",
    )
    drill.long_list(
        ctx,
        "icpc_conversion",
        "cp_icpc_no_plan",
        name="conferences_without_plan",
        caption="Initial conferences in the period that no CP plan names (by the snapshot date).",
        where=(("led_to_plan", False),),
        order_words="earliest conference first",
    )
if drill.available(ctx, "icpc"):
    drill.tile_row(
        ctx,
        "icpc",
        [
            Tile("count", "Initial conferences"),
            Tile("within_15wd_pct", "Within 15 working days", "%", "icpc_wd", True),
            Tile("median_wd", "Median S47 to conference", "working days", "icpc_wd", False),
            Tile("before_s47", "Dated before their S47 (data issue)", higher_is_better=False),
        ],
    )
    left, right = st.columns(2)
    chosen_days: list[str] = []
    with left:
        st.subheader("Working days from S47 start to conference")
        spread = drill.grouped(ctx, "icpc", "days")
        if spread is not None:
            spread = spread[spread["days"].notna()].copy()
        if spread is not None and not spread.empty:
            spread["days"] = spread["days"].astype(int)
            spread["within target"] = spread["days"].map(
                lambda d: "within 15" if d <= icpc_target else "over 15"
            )
            fig = partial(
                charts.stacked,
                spread,
                "days",
                "count",
                "within target",
                [("within 15", "Within target"), ("over 15", "Over target")],
                "Working days from S47 start to initial conference",
                "Conferences (number)",
                target=icpc_target,
            )
            chosen_days = drill.chart(
                fig, "cp_icpc_days", frame=spread, name="icpc_days", selectable=True
            )
        elif spread is not None:
            st.caption("No timed conferences in the period.")
    with right:
        st.subheader("Within 15 working days, by month")
        drill.trend_chart(ctx, "icpc", "within_15wd_pct", "% of conferences", "cp_icpc_trend")
    if chosen_days:
        drill.children_of(
            drill.all_rows(ctx, "icpc"),
            "days",
            chosen_days,
            "cp_icpc_children",
            name="icpc_children",
            what="working days",
            ctx=ctx,
            measure="icpc",
        )
    with st.expander("Conferences dated before their S47, or whose S47 is missing"):
        rows = drill.all_rows(ctx, "icpc")
        if rows is not None:
            odd = rows[rows["before_s47"].fillna(False).astype(bool) | ~rows["s47_found"]]
            tables.child_table(
                odd.reset_index(drop=True),
                "cp_icpc_odd",
                name="icpc_data_issues",
                caption="Counted among conferences, left out of the share and the median.",
            )

st.header("Review timeliness")
if drill.available(ctx, "cp_reviews"):
    drill.tile_row(
        ctx,
        "cp_reviews",
        [
            Tile("in_timescale_pct", "Plans with every review in timescale", "%", None, True),
            Tile("cohort", "Open plans with a review due so far"),
        ],
    )
    st.caption(
        f"First review {ctx.target('first_cp_review_months')} months after the plan starts, "
        f"then every {ctx.target('later_cp_review_months')} months after the last."
    )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("In timescale, by month")
        drill.trend_chart(
            ctx, "cp_reviews", "in_timescale_pct", "% of open plans", "cp_rev_trend", below=below
        )
    with right:
        st.subheader("Plans out of timescale")
        drill.long_list(
            ctx,
            "cp_reviews",
            "cp_rev_late",
            name="cp_reviews_out_of_timescale",
            caption="A review held late, or the next one overdue. Choose a row to open the child.",
            where=(("in_timescale", False),),
            order_words="late the longest first",
        )

st.header("Plans")
if drill.available(ctx, "cp_plans"):
    drill.tile_row(
        ctx,
        "cp_plans",
        [
            Tile("open", "Open at the snapshot date"),
            Tile("started", "Started in the period"),
            Tile("ended", "Ended in the period"),
            Tile("repeat", "Repeat plans started", higher_is_better=False),
            Tile("ended_2y_plus_pct", "Ended after 2 years or more", "%", None, False),
        ],
    )
    left, right = st.columns(2)
    chosen_bands: list[str] = []
    with left:
        st.subheader("Duration of plans ended in the period (DfE D7)")
        bands = drill.grouped(ctx, "cp_plans", "duration_band")
        if bands is not None:
            counts = dict(zip(bands["duration_band"], bands["ended"], strict=True))
            frame = pd.DataFrame(
                {"band": D7_BANDS, "ended": [int(counts.get(b, 0) or 0) for b in D7_BANDS]}
            )
            total = frame["ended"].sum()
            frame["share_pct"] = (100 * frame["ended"] / total).round(1) if total else None
            fig = partial(
                charts.bars,
                frame,
                "band",
                "ended",
                "Plan duration",
                "Plans ended (number)",
                ids="band",
            )
            chosen_bands = drill.chart(
                fig, "cp_bands", frame=frame, name="cp_plan_durations", selectable=True
            )
    with right:
        chosen_bands = drill.choice(chosen_bands, D7_BANDS, "cp_band_pick", "Or choose a band")
        st.caption(
            "England: 4.4% of plans ending in the year to 31 March 2025 had lasted 2 years or "
            "more. Select a bar (or choose a band) to list the children."
        )
    if chosen_bands:
        drill.children_of(
            drill.all_rows(ctx, "cp_plans"), "duration_band", chosen_bands, "cp_band_children",
            name="cp_plans_in_band", what="band", ctx=ctx, measure="cp_plans",
        )  # fmt: skip
    st.subheader("Repeat plans")
    st.caption("Plans started in the period for a child who had a plan before.")
    drill.long_list(
        ctx,
        "cp_plans",
        "cp_repeat",
        name="cp_repeat_plans",
        where=(("is_repeat", True),),
        order_words="earliest started first",
    )

st.header(f"Reviews due in the next {DUE_WEEKS} weeks")
if drill.available(ctx, "cp_reviews_due"):
    try:
        due = data.rows(
            ctx.source, "cp_reviews_due", replace(ctx.filters, horizon_weeks=DUE_WEEKS), None
        )
    except (MeasureUnavailable, NotPermitted) as exc:
        st.info(f"Not available: {exc}")
    else:
        st.metric("Reviews due", len(due))
        tables.child_table(
            due.reset_index(drop=True),
            "cp_due",
            name="cp_reviews_due",
            caption="Soonest first. Choose a row to open the child.",
        )
    st.page_link(
        "pages/conference.py",
        label="Prepare for these conferences (Conference preparation)",
        query_params=current_params(),
    )

# Annex A gives only the latest review of each plan: shown when the extract has it.
if data.unavailable_reason(ctx.source, "last_cp_review") is None:
    st.header("Time since the last CP review (Annex A)")
    latest = ctx.headline("last_cp_review")
    if latest is not None:
        st.metric("Open plans with the next review past due", latest["overdue"])
        drill.long_list(
            ctx,
            "last_cp_review",
            "last_cp_review_rows",
            name="last_cp_review",
            caption="Open plans, next review due first. Choose a row to open the child.",
            order_words="next review due first",
        )
