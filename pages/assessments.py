"""Assessments: duration in DfE's bands (choose a band to see its children), percentiles and
the within-45 trend against England, by team and worker, Working Together's from-referral clock
beside DfE's, open overdue assessments, who authorised them (unqualified staff), and whether
the child's views were recorded and the child seen alone."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from metrics.benchmarks import england
from ui import charts, drill, tables
from ui.drill import Tile
from ui.page import setup

# DfE's duration bands (working days, start to authorisation) and their upper edges.
BANDS = ["0", "1-10", "11-20", "21-30", "31-40", "41-45", "46-50", "51-60", "61+"]
EDGES = [0, 10, 20, 30, 40, 45, 50, 60]

ctx = setup(
    "Assessments",
    "Assessments authorised in the period (DfE C2). Duration = working days from the start of "
    "the assessment to its authorisation; Working Together's clock from the referral is shown "
    "beside it, never instead of it.",
    keep=True,
)
target = ctx.target("assessment_wd")
if ctx.engine.settings.regime == "2010":
    st.caption(
        f"2010 regime: initial assessments are timed against {ctx.target('initial_assessment_wd')}"
        f" and core assessments against {ctx.target('core_assessment_wd')} working days."
    )

if drill.available(ctx, "assessments"):
    drill.tile_row(
        ctx,
        "assessments",
        [
            Tile("completed", "Assessments completed"),
            Tile("within_target_pct", "Within timescale", "%", "assessment_wd", True),
            Tile("median_wd", "Median duration", "working days", "assessment_wd", False),
            Tile("p25_wd", "25th percentile", "working days"),
            Tile("p75_wd", "75th percentile", "working days"),
        ],
    )

    st.subheader("Duration in DfE's bands")
    bands = drill.grouped(ctx, "assessments", "band_order", "band")
    chosen: list[str] = []
    if bands is not None:
        counts = dict(zip(bands["band"], bands["completed"], strict=True))
        frame = pd.DataFrame({"band": BANDS, "completed": [int(counts.get(b, 0)) for b in BANDS]})
        total = frame["completed"].sum()
        frame["share_pct"] = (100 * frame["completed"] / total).round(1) if total else None
        left, right = st.columns([3, 2])
        with left:

            def bands_figure() -> charts.Figure:
                fig = charts.bars(
                    frame,
                    "band",
                    "completed",
                    "Duration band (working days from start to authorisation)",
                    "Assessments (number)",
                    ids="band",
                )
                if target in EDGES:
                    charts.vline(fig, EDGES.index(target) + 0.5, f"Target {target}")
                return fig

            chosen = drill.chart(
                bands_figure, "assess_bands", frame=frame, name="assessment_bands", selectable=True
            )
        with right:
            chosen = drill.choice(chosen, BANDS, "assess_band_pick", "Or choose a band")
            st.caption(
                "Select a bar (or choose a band) to list the children whose assessment took "
                "that long; choose a row to open the child."
            )
    if chosen:
        drill.children_of(
            drill.all_rows(ctx, "assessments"),
            "band",
            chosen,
            "assess_band_children",
            name="assessments_in_band",
            what="band",
            ctx=ctx,
            measure="assessments",
        )

    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Within timescale, by month")
        drill.trend_chart(
            ctx,
            "assessments",
            "within_target_pct",
            "% of assessments",
            "assess_within",
            below=below,
        )
    with right:
        st.subheader("Median, 25th and 75th percentile, by month")
        drill.trend_chart(
            ctx,
            "assessments",
            "median_wd",
            "Working days",
            "assess_percentiles",
            target=target,
            extra=[("p25_wd", "25th percentile"), ("p75_wd", "75th percentile")],
            below=below,
        )

    st.subheader("Working Together's clock: from referral to authorisation")
    now = ctx.headline("assessments") or {}
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.metric(
            "Median, start to authorisation (DfE)",
            drill.days_text(now.get("median_wd")),
        )
        st.metric(
            "Median, referral to authorisation (Working Together)",
            drill.days_text(now.get("from_referral_median_wd")),
        )
        st.caption(
            "The DfE figure is the one England is measured on; the clock from the referral "
            "also counts the time before the assessment started."
        )
    with right:
        drill.trend_chart(
            ctx,
            "assessments",
            "median_wd",
            "Working days (median)",
            "assess_clocks",
            extra=[("from_referral_median_wd", "From referral (Working Together)")],
            below=below,
        )

    st.subheader("By team")
    teams = ctx.breakdown("assessments", "team")
    if teams is not None and not teams.empty:
        teams["team_name"] = teams["team_name"].fillna("No team recorded")
        teams = teams.sort_values("within_target_pct", na_position="first")
        left, right = st.columns(2)
        with left:

            def teams_figure() -> charts.Figure:
                fig = charts.bars(
                    teams,
                    "team_name",
                    "within_target_pct",
                    "Team",
                    "% within timescale",
                    ids="team",
                    horizontal=True,
                )
                within_england = england("assessments", "within_target_pct")
                if within_england is not None:
                    charts.vline(
                        fig, within_england, f"England {within_england:g}", charts.ENGLAND_STYLE
                    )
                return fig

            drill.chart(teams_figure, "assess_teams", frame=teams, name="assessments_by_team")
        with right:
            tables.table(teams.sort_values("within_target_pct"), "assess_teams_table", name="teams")

    st.subheader("By worker")
    workers = ctx.breakdown("assessments", "worker")
    if workers is not None and not workers.empty:
        workers = workers.sort_values("median_wd", ascending=False, na_position="last")
        st.caption("Slowest first. Choose a worker to list their assessments.")
        worker = drill.picked_row(
            workers.reset_index(drop=True), "assess_workers", "worker", name="assessments_by_worker"
        )
        mine = drill.rows_for(ctx, "assessments", worker=worker) if worker else None
        if mine is not None:
            st.text(f"Assessments authorised with worker {worker}")
            tables.child_table(
                mine,
                "assess_worker_children",
                name=f"assessments_worker_{worker}",
                caption="Choose a row to open the child.",
            )

    st.subheader("Authorised by unqualified staff")
    drill.tile_row(
        ctx,
        "assessments",
        [
            Tile("unqualified_pct", "Authorised by unqualified staff", "%", None, False),
            Tile("worker_unknown", "Worker unknown", higher_is_better=False),
            Tile("seen_during_pct", "Child seen during assessment", "%", None, True),
        ],
    )
    st.caption(
        "Unqualified: the worker has no social work registration number. A worker id not "
        "found among the professionals is counted apart, as worker unknown, never as qualified."
    )
    left, right = st.columns(2)
    with left:
        st.caption("By unqualified staff")
        drill.long_list(
            ctx,
            "assessments",
            "assess_unqualified",
            name="assessments_unqualified",
            where=(("worker_known", True), ("qualified", False)),
            order_words="earliest authorised first",
        )
    with right:
        st.caption("Worker unknown")
        drill.long_list(
            ctx,
            "assessments",
            "assess_unknown",
            name="assessments_worker_unknown",
            where=(("worker_known", False),),
            order_words="earliest authorised first",
        )

st.header("The child's views")
if drill.available(ctx, "views"):
    drill.tile_row(
        ctx,
        "views",
        [
            Tile("views_recorded_pct", "Child's views recorded", "%", None, True),
            Tile("seen_alone_pct", "Child seen alone during assessment", "%", None, True),
            Tile("assessments", "Assessments completed"),
        ],
    )
    st.caption(
        "Views recorded: the child has a voice of the child record with at least one answer. "
        "Seen alone: a visit between the assessment's start and its authorisation where the "
        "child was seen alone."
    )
    by_team = ctx.breakdown("views", "team")
    if by_team is not None and not by_team.empty:
        by_team["team_name"] = by_team["team_name"].fillna("No team recorded")
        by_team = by_team.sort_values("views_recorded_pct", na_position="first")
        left, right = st.columns(2)
        with left:
            fig = partial(
                charts.bars,
                by_team,
                "team_name",
                "views_recorded_pct",
                "Team",
                "% with the child's views recorded",
                ids="team",
                horizontal=True,
            )
            drill.chart(fig, "views_teams", frame=by_team, name="views_by_team")
        with right:
            drill.long_list(
                ctx,
                "views",
                "views_missing",
                name="assessments_without_views",
                caption="Assessments completed with no record of the child's views. Choose "
                "a row to open the child.",
                where=(("views_recorded", False),),
                order_words="earliest authorised first",
            )

st.header("Open and overdue")
if drill.available(ctx, "assessments_overdue"):
    drill.tile_row(
        ctx,
        "assessments_overdue",
        [
            Tile("count", "Open past timescale", higher_is_better=False),
            Tile("oldest_wd", "Oldest open", "working days", higher_is_better=False),
        ],
    )
    drill.long_list(
        ctx,
        "assessments_overdue",
        "assess_overdue",
        name="assessments_overdue",
        caption="Started and not authorised at the snapshot date, past their timescale; "
        "oldest first, with the date each was due. Choose a row to open the child.",
        order=(("age_wd", False),),
        order_words="oldest first",
    )
