"""Oversight and recording: open allocated cases without management oversight and cases
drifting with no activity (lists, oldest first), and how long case recording lags the event,
by team and by worker."""

from __future__ import annotations

from functools import partial

import streamlit as st

from ui import charts, drill, tables
from ui.drill import Tile
from ui.page import setup

# What each list is about first; the row's other facts are on the Child page.
OVERSIGHT_COLUMNS = [
    "person_id", "days_since_oversight", "last_oversight_date", "allocated_date", "worker_id",
    "team",
]  # fmt: skip
DRIFT_COLUMNS = [
    "person_id", "days_since_activity", "last_activity_date", "last_visit_date",
    "last_note_date", "allocated_date", "worker_id", "team",
]  # fmt: skip

ctx = setup(
    "Oversight and recording",
    "Open allocated cases at the snapshot date: the last management oversight and the last "
    "activity (visit or note) on each; and the working days between an event and its case note.",
    keep=True,
)

st.header("Management oversight and drift")
if drill.available(ctx, "oversight"):
    oversight_target = ctx.target("oversight_wd")
    drift_target = ctx.target("drift_wd")
    drill.tile_row(
        ctx,
        "oversight",
        [
            Tile("open_allocated", "Open allocated cases"),
            Tile(
                "without_oversight",
                "Without management oversight",
                target="oversight_wd",
                higher_is_better=False,
            ),
            Tile(
                "drift", "Drifting: no recent activity", target="drift_wd", higher_is_better=False
            ),
        ],
    )
    left, right = st.columns(2)
    with left:
        st.subheader("Without management oversight")
        drill.long_list(
            ctx,
            "oversight",
            "over_without",
            name="cases_without_oversight",
            where=(("without_oversight", True),),
            order=(("days_since_oversight", False),),
            order_words="longest without oversight first",
            columns=OVERSIGHT_COLUMNS,
            hidden=("without_oversight", True),
            caption=f"No management oversight note for more than {oversight_target} working "
            "days (never overseen: counted from allocation); longest first. Choose a row to "
            "open the child.",
        )
    with right:
        st.subheader("Drift")
        drill.long_list(
            ctx,
            "oversight",
            "over_drift",
            name="cases_drifting",
            where=(("drift", True),),
            order=(("days_since_activity", False),),
            order_words="longest without activity first",
            columns=DRIFT_COLUMNS,
            hidden=("drift", True),
            caption=f"No visit or note for more than {drift_target} working days; longest "
            "first. Choose a row to open the child.",
        )
    teams = ctx.breakdown("oversight", "team")
    if teams is not None and not teams.empty:
        st.subheader("By team")
        teams["team_name"] = teams["team_name"].fillna("No team recorded")
        teams = teams.sort_values("without_oversight")
        fig = partial(
            charts.bars,
            teams,
            "team_name",
            "without_oversight",
            "Team",
            "Cases without oversight (number)",
            ids="team",
            horizontal=True,
        )
        drill.chart(fig, "over_teams", frame=teams, name="oversight_by_team")

st.header("Case recording")
if drill.available(ctx, "recording"):
    recording_target = ctx.target("recording_wd")
    drill.tile_row(
        ctx,
        "recording",
        [
            Tile("within_target_pct", "Recorded in timescale", "%", "recording_wd", True),
            Tile("median_lag_wd", "Median recording lag", "working days", "recording_wd", False),
            Tile("notes", "Case notes"),
        ],
    )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Recording lag by team")
        teams = ctx.breakdown("recording", "team")
        if teams is not None and not teams.empty:
            teams["team_name"] = teams["team_name"].fillna("No team recorded")
            teams = teams.sort_values("median_lag_wd", na_position="first")
            fig = partial(
                charts.bars,
                teams,
                "team_name",
                "median_lag_wd",
                "Team",
                "Median working days from event to note",
                ids="team",
                target=recording_target,
                horizontal=True,
            )
            drill.chart(fig, "rec_teams", frame=teams, name="recording_by_team")
    with right:
        st.subheader("Recorded in timescale, by month")
        drill.trend_chart(
            ctx, "recording", "within_target_pct", "% of case notes", "rec_pct", below=below
        )
    st.subheader("Recording lag by worker")
    workers = ctx.breakdown("recording", "worker")
    if workers is not None and not workers.empty:
        workers = workers.sort_values("median_lag_wd", ascending=False, na_position="last")
        st.caption("Longest median lag first. Choose a worker to list their late notes.")
        worker = drill.picked_row(
            workers.reset_index(drop=True), "rec_workers", "worker", name="recording_by_worker"
        )
        notes = drill.rows_for(ctx, "recording", worker=worker) if worker else None
        if notes is not None:
            st.text(f"Late notes of worker {worker}")
            late = notes[~notes["within_target"].fillna(True).astype(bool)]
            late = late.sort_values(["lag_wd", "age_wd"], ascending=False, na_position="first")
            tables.child_table(
                late,
                "rec_worker_late",
                name=f"late_notes_{worker}",
                hidden=ctx.hidden(
                    "recording", len(late), column="within_target", values=[False], worker=worker
                ),
                caption=f"Notes recorded more than {recording_target} working days "
                "after the event, or still not recorded past that. Choose a row to open the child.",
            )
