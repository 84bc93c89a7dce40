"""Caseloads, counted by child: per worker, children beside families and sibling groups, per
FTE, the spread across workers against England's average; choose a worker to see their
children; how many workers each child has had in a year. The sidebar team filter narrows to one
team."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from metrics.benchmarks import england
from ui import charts, data, drill, tables
from ui.drill import Tile
from ui.page import setup
from ui.text import md

ctx = setup(
    "Caseloads",
    "Open allocations at the snapshot date, counted by child: each sibling counts, so a "
    "caseload of families shows the work it holds. Use the sidebar team filter for one team.",
    keep=True,
)
ENGLAND_FTE = england("caseload_workers", "children_per_fte_mean")


def worker_children(worker: str, name: str | None) -> None:
    """The children on one worker's caseload, siblings together (row -> Child page), saying how
    many the viewer's scope leaves out."""
    mine = drill.rows_for(ctx, "caseload", worker=worker)
    if mine is None:
        return
    st.subheader(f"Children of {md(name or worker)}")
    tables.child_table(
        mine.sort_values(["family_id", "person_id"]),
        f"case_children_{worker}",
        name=f"caseload_{worker}",
        caption="Siblings share a family; the last column counts the family's children on "
        "this caseload. Choose a row to open the child.",
        # One worker's list: who and where are in the heading; the worker's facts in the table
        # of workers. Hidden here, kept in the download.
        labels={
            "family_children": "Family's children on this caseload",
            **dict.fromkeys(
                ["worker_id", "worker_name", "team", "team_name", "qualified", "agency", "fte"]
            ),
        },
        hidden=ctx.hidden("caseload", len(mine), worker=worker),
    )


if drill.available(ctx, "caseload"):
    drill.tile_row(
        ctx,
        "caseload",
        [
            Tile("children", "Children allocated"),
            Tile("families", "Families"),
            Tile("sibling_groups", "Sibling groups (2+ children)"),
            Tile("workers", "Workers holding cases"),
        ],
    )

# A worker chosen in the sidebar: their children at once, before anything else.
if ctx.filters.worker and drill.available(ctx, "caseload"):
    names = dict(data.workers(ctx.source, None))
    worker_children(ctx.filters.worker, names.get(ctx.filters.worker))

st.header("Per worker")
if drill.available(ctx, "caseload_workers"):
    drill.tile_row(
        ctx,
        "caseload_workers",
        [
            Tile("children_per_fte_mean", "Children per FTE (mean)", higher_is_better=False),
            Tile("children_per_worker_mean", "Children per worker (mean)"),
            Tile("children_per_worker_max", "Largest caseload (children)"),
        ],
    )
    workers = drill.all_rows(ctx, "caseload_workers")
    chosen: list[str] = []
    if workers is not None and not workers.empty:
        workers = workers.sort_values(["children", "worker_name"], ascending=[False, True])
        workers = workers.reset_index(drop=True)
        label = (
            workers["worker_name"].fillna(workers["worker_id"])
            + " ("
            + workers["worker_id"].astype(str)
            + ")"
        )
        left, right = st.columns([3, 2])
        with left:
            st.subheader("Children beside families")
            fig = partial(
                charts.grouped_bars,
                label,
                [
                    (workers["children"], "Children"),
                    (workers["families"], "Families"),
                    (workers["sibling_groups"], "Sibling groups"),
                ],
                workers["worker_id"].astype(str),
                "Worker",
                "Number on caseload",
            )
            chosen = drill.chart(
                fig, "case_workers_bars", frame=workers, name="caseload_by_worker", selectable=True
            )
        with right:
            st.subheader("Children per FTE across workers")
            fte = workers.dropna(subset=["children_per_fte"])
            fig = partial(
                charts.spread,
                fte["children_per_fte"],
                label[fte.index],
                fte["worker_id"].astype(str),
                "Children per FTE",
                name="Workers",
                unit="children per FTE",
                england=ENGLAND_FTE,
            )
            chosen = (
                drill.chart(
                    fig,
                    "case_fte_box",
                    frame=fte[
                        ["worker_id", "worker_name", "team", "children", "fte", "children_per_fte"]
                    ],
                    name="children_per_fte",
                    selectable=True,
                )
                or chosen
            )
            blank = len(workers) - len(fte)
            if blank:
                st.caption(f"{blank} worker(s) with no FTE recorded are not shown here.")

        st.subheader("Workers")
        st.caption(
            "Largest caseloads first. Choose a worker (here or on a chart) to list their children."
        )
        picked = drill.picked_row(workers, "case_workers_table", "worker_id", name="caseloads")
        if not chosen and picked:
            chosen = [picked]
        for worker in chosen:
            if worker == ctx.filters.worker:
                continue  # listed at the top already
            name = workers.loc[workers["worker_id"].astype(str) == worker, "worker_name"]
            worker_children(worker, name.iloc[0] if len(name) and pd.notna(name.iloc[0]) else None)

st.header("By team")
if drill.available(ctx, "caseload"):
    teams = ctx.breakdown("caseload", "team")
    if teams is not None and not teams.empty:
        teams["team_name"] = teams["team_name"].fillna("No team recorded")
        tables.table(teams, "case_teams", name="caseload_by_team")
        st.caption("A team's totals count each child once, however many of its workers hold them.")

st.header("Changes of worker")
if drill.available(ctx, "worker_changes"):
    drill.tile_row(
        ctx,
        "worker_changes",
        [
            Tile("three_plus_pct", "3 or more workers in 12 months", "%", None, False),
            Tile("three_plus", "Children with 3 or more", higher_is_better=False),
            Tile("mean_workers", "Workers per child (mean)", higher_is_better=False),
            Tile("children", "Children allocated"),
        ],
    )
    spread = drill.grouped(ctx, "worker_changes", "workers_12m")
    if spread is not None and not spread.empty:
        left, right = st.columns([3, 2])
        with left:
            st.subheader("Children by the number of workers they had")
            fig = partial(
                charts.bars,
                spread,
                "workers_12m",
                "children",
                "Allocated workers in the 12 months to the snapshot date",
                "Children",
                ids="workers_12m",
            )
            picked = drill.chart(
                fig, "worker_changes_bars", frame=spread, name="worker_changes", selectable=True
            )
        with right:
            picked = drill.choice(
                picked,
                [str(n) for n in spread["workers_12m"]],
                "worker_changes_pick",
                "Or choose a number of workers",
            )
            st.caption(
                "Each allocated case worker whose allocation ran at any time in the 12 months "
                "to the snapshot date counts once."
            )
        if picked:
            drill.children_of(
                drill.all_rows(ctx, "worker_changes"),
                "workers_12m",
                picked,
                "worker_changes_children",
                name="worker_changes_children",
                what="number of workers",
            )
