"""Front door: contacts and where they come from, decisions within a working day, police
notifications by the day they came in, domestic abuse referrals, referrals, re-referrals and
referrals with no further action (against England)."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from metrics import words
from metrics.benchmarks import england
from ui import charts, drill, tables
from ui.drill import Tile
from ui.page import setup


def factors_in_words(rows: pd.DataFrame) -> pd.DataFrame:
    """The assessment factors in words, not DfE codes."""
    if "factors" not in rows:
        return rows
    return rows.assign(factors=rows["factors"].map(lambda v: words.decode_all("factor", v)))


ctx = setup(
    "Front door",
    "Contacts and their sources, how quickly a decision is made, and the referrals that "
    "follow. The team and worker filters apply to referrals (the first allocated worker's "
    "team); contacts are counted for the whole authority.",
    keep=True,
)
decision_target = ctx.target("contact_decision_wd")

st.header("Contacts")
if drill.available(ctx, "contacts"):
    drill.tile_row(
        ctx,
        "contacts",
        [
            Tile("count", "Contacts"),
            Tile(
                "decided_within_target_pct",
                "Decided within timescale",
                "%",
                "contact_decision_wd",
                True,
            ),
            Tile("no_decision_recorded", "No decision recorded", higher_is_better=False),
        ],
    )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Contacts by source")
        by_source = drill.grouped(ctx, "contacts", "source")
        if by_source is not None and not by_source.empty:
            by_source = by_source.sort_values("count", ascending=True)

            def contacts_figure() -> charts.Figure:
                fig = charts.bars(
                    by_source, "source", "count", "Source", "Contacts (number)", horizontal=True
                )
                fig.update_layout(height=max(340, 28 * len(by_source)))
                return fig

            drill.chart(contacts_figure, "fd_sources", frame=by_source, name="contacts_by_source")
            st.caption(
                "The table below gives each source's share decided within "
                f"{words.days_text(decision_target)}."
            )
            tables.table(
                by_source.sort_values("count", ascending=False),
                "fd_sources_table",
                name="contacts_by_source_decisions",
            )
    with right:
        st.subheader("Working days to a decision")
        by_days = drill.grouped(ctx, "contacts", "decision_wd")
        if by_days is not None and not by_days.empty:

            def days_figure() -> charts.Figure:
                decided = by_days.dropna(subset=["decision_wd"])
                fig = charts.bars(
                    decided,
                    "decision_wd",
                    "count",
                    "Working days from contact to decision",
                    "Contacts",
                )
                fig.update_xaxes(type="linear")
                charts.vline(fig, decision_target + 0.5, f"Target {decision_target}")
                return fig

            drill.chart(
                days_figure, "fd_decision_days", frame=by_days, name="contact_decision_days"
            )
        st.subheader("Decided within timescale, by month")
        drill.trend_chart(
            ctx,
            "contacts",
            "decided_within_target_pct",
            "% of decided contacts",
            "fd_decided",
            below=below,
        )

st.header("Police notifications")
if drill.available(ctx, "police"):
    drill.tile_row(
        ctx,
        "police",
        [
            Tile("contacts", "Police notifications"),
            Tile(
                "decided_within_target_pct",
                "Decided within timescale",
                "%",
                "contact_decision_wd",
                True,
            ),
            Tile("weekend", "Made at the weekend"),
            Tile("no_decision_recorded", "No decision recorded", higher_is_better=False),
        ],
    )
    st.caption(
        "Contacts from the police (source code 6, or a source naming the police), such as "
        "notifications of domestic abuse incidents. Counted for the whole authority."
    )
    by_day = drill.grouped(ctx, "police", "day_order", "contact_day")
    chosen_days: list[str] = []
    if by_day is not None and not by_day.empty:
        left, right = st.columns([3, 2])
        with left:
            st.subheader("Decided within timescale, by the day they came in")
            fig = partial(
                charts.bars,
                by_day,
                "contact_day",
                "decided_within_target_pct",
                "Day of the week the notification was made",
                "% decided within timescale",
                ids="contact_day",
            )
            chosen_days = drill.chart(
                fig, "fd_police_days", frame=by_day, name="police_by_day", selectable=True
            )
        with right:
            chosen_days = drill.choice(
                chosen_days, list(by_day["contact_day"]), "fd_police_day_pick", "Or choose a day"
            )
        if chosen_days:
            drill.children_of(
                drill.all_rows(ctx, "police"),
                "contact_day",
                chosen_days,
                "fd_police_children",
                name="police_notifications",
                what="day",
            )
        else:
            st.caption("Select a day's bar or choose a day to list its notifications.")

st.header("Domestic abuse referrals")
if drill.available(ctx, "domestic_abuse"):
    drill.tile_row(
        ctx,
        "domestic_abuse",
        [
            Tile("referrals", "Referrals with domestic abuse"),
            Tile(
                "allocation_within_target_pct",
                "Allocated within timescale",
                "%",
                "allocation_wd",
                True,
            ),
            Tile("seen_within_target_pct", "Child seen within timescale", "%", "seen_wd", True),
        ],
    )
    drill.long_list(
        ctx,
        "domestic_abuse",
        "fd_domestic_abuse",
        name="domestic_abuse_referrals",
        caption="Referrals in the period whose assessment recorded domestic abuse (factors "
        "3A, 3B or 3C), with how quickly each was allocated and the child seen. Choose a "
        "row to open the child.",
        shape=factors_in_words,
        order_words="earliest referred first",
    )

st.header("Referrals")
if drill.available(ctx, "referrals"):
    drill.tile_row(
        ctx,
        "referrals",
        [
            Tile("count", "Referrals"),
            Tile("rereferral_12m_pct", "Re-referrals within 12 months", "%", None, False),
            Tile("nfa_pct", "No further action", "%", None, False),
        ],
    )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("Referrals by month")
        drill.trend_chart(
            ctx, "referrals", "count", "Referrals (number)", "fd_referrals", below=below
        )
    with right:
        st.subheader("Re-referrals within 12 months, by month")
        drill.trend_chart(
            ctx,
            "referrals",
            "rereferral_12m_pct",
            "% of referrals",
            "fd_rereferrals",
            below=below,
        )
    left, right = st.columns(2)
    below = st.container()  # a clicked month's children, full width
    with left:
        st.subheader("No further action, by month")
        drill.trend_chart(ctx, "referrals", "nfa_pct", "% of referrals", "fd_nfa", below=below)
    with right:
        st.subheader("Referrals by source")
        by_source = drill.grouped(ctx, "referrals", "source_code")
        if by_source is not None and not by_source.empty:
            by_source["source_code"] = by_source["source_code"].fillna("Not recorded")
            # Each source in words (the DfE code in the hover and in the CSV).
            by_source.insert(
                0, "source", [words.decode("referral_source", c) for c in by_source["source_code"]]
            )
            table = by_source.sort_values("count", ascending=True)

            def referrals_figure() -> charts.Figure:
                fig = charts.bars(
                    table,
                    "source",
                    "count",
                    "Referral source",
                    "Referrals (number)",
                    ids="source_code",
                    horizontal=True,
                )
                fig.update_traces(
                    hovertemplate="%{y}: %{x} (DfE code %{customdata[0]})<extra></extra>"
                )
                fig.update_layout(height=max(340, 28 * len(table)))
                return fig

            drill.chart(referrals_figure, "fd_ref_sources", frame=table, name="referrals_by_source")
    st.caption(
        f"England: re-referrals {england('referrals', 'rereferral_12m_pct')}%, no further "
        f"action {england('referrals', 'nfa_pct')}% (DfE children in need statistics, year to "
        "31 March 2025)."
    )
    st.subheader("Re-referrals in the period")
    drill.long_list(
        ctx,
        "referrals",
        "fd_rereferral_children",
        name="rereferrals",
        caption="Referrals of a child referred in the 12 months before. Choose a row to "
        "open the child.",
        where=(("rereferral", True),),
        order_words="earliest referred first",
    )
