"""Allocation: working days from referral to an allocated worker (distribution, trend, by
team), the open referrals still waiting for a worker, oldest first, and the transfer of cases
to the receiving team after assessment (by assessing team, and the children still waiting)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from ui import charts, drill
from ui.drill import Tile
from ui.page import setup

ctx = setup(
    "Allocation",
    "Working days from referral to the first allocated worker, for referrals in the period "
    "that are not NFA. Referrals still unallocated past the target count as late.",
    keep=True,
)
target = ctx.target("allocation_wd")

if drill.available(ctx, "allocation"):
    drill.tile_row(
        ctx,
        "allocation",
        [
            Tile("within_target_pct", "Allocated in timescale", "%", "allocation_wd", True),
            Tile("median_wd", "Median delay", "working days", "allocation_wd", False),
            Tile("p25_wd", "Quarter allocated within", "working days"),
            Tile("p75_wd", "Three quarters allocated within", "working days"),
            Tile("cohort", "Referrals counted"),
        ],
    )

    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Delay to allocation")
        spread = drill.grouped(ctx, "allocation", "status", "days")
        if spread is not None and not spread.empty:
            fig = partial(
                charts.stacked,
                spread,
                "days",
                "cohort",
                "status",
                [("allocated", "Allocated"), ("waiting", "Still waiting (age so far)")],
                "Working days from referral to allocation",
                "Referrals",
                target=target,
            )
            chosen_days = drill.chart(
                fig, "alloc_days", frame=spread, name="allocation_delay", selectable=True
            )
        else:
            chosen_days = []
    with right:
        st.subheader("Allocated in timescale, by month")
        drill.trend_chart(
            ctx, "allocation", "within_target_pct", "% of referrals", "alloc_pct", below=below
        )
        st.subheader("Median delay, by month")
        drill.trend_chart(
            ctx,
            "allocation",
            "median_wd",
            "Working days",
            "alloc_median",
            target=target,
            extra=[("p75_wd", "75th percentile")],
            below=below,
        )
    if chosen_days:
        rows = drill.all_rows(ctx, "allocation")
        drill.children_of(
            rows,
            "days",
            chosen_days,
            "alloc_days_children",
            name="allocation_delay_children",
            what="delay (working days)",
            ctx=ctx,
            measure="allocation",
        )

    st.subheader("By team")
    teams = ctx.breakdown("allocation", "team")
    if teams is not None and not teams.empty:
        teams = teams.sort_values("within_target_pct", na_position="first")
        teams["team_name"] = teams["team_name"].fillna("No team recorded")
        teams["team"] = teams["team"].fillna("")
        left, right = st.columns(2)
        with left:
            fig = partial(
                charts.bars,
                teams,
                "team_name",
                "within_target_pct",
                "Team",
                "% allocated in timescale",
                ids="team",
                horizontal=True,
            )
            chosen = drill.chart(
                fig, "alloc_teams", frame=teams, name="allocation_by_team", selectable=True
            )
        with right:
            names = dict(zip(teams["team"], teams["team_name"], strict=True))
            chosen = drill.choice(
                chosen,
                [t for t in teams["team"] if t],
                "alloc_team_pick",
                "Or choose a team",
                format_func=lambda t: names.get(t, t),
            )
            if chosen:
                # The chosen teams at once (within the sidebar's own teams, when it has them).
                within = ctx.filters.teams
                picked = tuple(t for t in chosen if within is None or t in within)
                st.text("Referrals of " + ", ".join(names.get(t, t) for t in chosen))
                drill.long_list(
                    ctx,
                    "allocation",
                    "alloc_team_children",
                    name="allocation_team_children",
                    order_words="earliest referred first",
                    caption="Choose a row to open the child.",
                    hidden=("", True),
                    team=None,
                    teams=picked,
                )
            else:
                st.caption("Select a team's bar or choose a team to list its referrals.")

st.header("Waiting for allocation now")
if drill.available(ctx, "unallocated"):
    drill.tile_row(
        ctx,
        "unallocated",
        [
            Tile("count", "Open referrals unallocated", higher_is_better=False),
            Tile("past_target", "Past target", target="allocation_wd", higher_is_better=False),
            Tile("oldest_wd", "Oldest waiting", "working days", higher_is_better=False),
        ],
    )
    drill.waiting_list(
        ctx,
        "unallocated",
        "alloc_unallocated",
        name="unallocated_referrals",
        caption="Open referrals (not NFA) with no allocated worker, oldest first; age in "
        "working days at the snapshot date. Choose a row to open the child.",
        flag=("past_target", "Past target", "Within target so far", 3),
    )

st.header("Transfer after assessment")
if drill.available(ctx, "transfers"):
    transfer_target = ctx.target("transfer_wd")
    drill.tile_row(
        ctx,
        "transfers",
        [
            Tile("within_target_pct", "Transferred within timescale", "%", "transfer_wd", True),
            Tile("median_wd", "Median days to transfer", "working days", "transfer_wd", False),
            Tile("count", "Transfers"),
        ],
    )
    st.caption(
        "Children who moved to another team after an assessment that led to a CIN or CP plan: "
        "working days from the assessment's authorisation to the receiving team's allocation. "
        "By the team that assessed the child."
    )
    by_team = ctx.breakdown("transfers", "team")
    if by_team is not None and not by_team.empty:
        by_team = by_team.sort_values("within_target_pct", na_position="first")
        by_team["team_name"] = by_team["team_name"].fillna("No team recorded")
        left, right = st.columns(2)
        with left:
            fig = partial(
                charts.bars,
                by_team,
                "team_name",
                "within_target_pct",
                "Team that assessed",
                "% transferred within timescale",
                ids="team",
                horizontal=True,
            )
            chosen = drill.chart(
                fig, "transfer_teams", frame=by_team, name="transfers_by_team", selectable=True
            )
        with right:
            names = dict(zip(by_team["team"], by_team["team_name"], strict=True))
            chosen = drill.choice(
                chosen,
                [t for t in by_team["team"] if isinstance(t, str)],
                "transfer_team_pick",
                "Or choose a team",
                format_func=lambda t: names.get(t, t),
            )
            st.caption(f"Target: within {transfer_target} working days of the authorisation.")
        for team in chosen:
            st.text(f"Transfers after assessment by {names.get(team, team)}")
            drill.long_list(
                ctx,
                "transfers",
                f"transfer_children_{team}",
                name=f"transfers_{team}",
                order_words="earliest transferred first",
                caption="By the date of the transfer; choose a row to open the child.",
                team=team,
            )

if drill.available(ctx, "transfers_waiting"):
    st.subheader("Waiting for transfer now")
    drill.tile_row(
        ctx,
        "transfers_waiting",
        [
            Tile("count", "Waiting for transfer", higher_is_better=False),
            Tile("past_target", "Past target", target="transfer_wd", higher_is_better=False),
            Tile("oldest_wd", "Longest wait", "working days", higher_is_better=False),
        ],
    )
    drill.waiting_list(
        ctx,
        "transfers_waiting",
        "transfer_waiting",
        name="waiting_for_transfer",
        caption="Children with an open CIN or CP plan still held only by the team that assessed "
        "them, longest first; age in working days since the assessment was authorised. Choose "
        "a row to open the child.",
        flag=("past_target", "Past target", "Within target so far", 3),
    )
