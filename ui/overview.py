"""The Overview's building blocks: one "children behind" control per row of tiles (not a button
on every tile), the children's table full width below the tiles, and the tables of goals and
England's published figures in use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics import MEASURES, Settings
from metrics.benchmarks import table as england_figures
from metrics.goals import goal_text, unit_of
from metrics.headlines import HEADLINES, Headline
from metrics.settings import TARGET_LABELS
from ui import drill, tables
from ui.page import PageContext
from ui.text import md

DRILL = "drill"  # the URL parameter naming the measure whose children are listed
ROW_KEY = "drill_row_{}"


def unavailable_tile(label: str, reason: str) -> None:
    """A tile with no figure: "n/a" and the reason (never a 0)."""
    with st.container(border=True):
        st.markdown(f"**{md(label)}**")
        st.metric(label, "n/a", label_visibility="collapsed")
        st.caption(f"Not available: {md(reason)}")


def _index(h: Headline) -> int:
    return HEADLINES.index(h)


def _chosen(row: int, rows: int) -> None:
    """A row's choice names the measure in the URL and clears the other rows' choices."""
    picked = st.session_state.get(ROW_KEY.format(row))
    for other in range(rows):
        if other != row:
            st.session_state[ROW_KEY.format(other)] = None
    if picked is None:
        st.query_params.pop(DRILL, None)
    else:
        st.query_params[DRILL] = HEADLINES[picked].measure


def drill_control(row: Sequence[Headline], number: int, rows: int) -> None:
    """Under row `number` of `rows` rows of tiles, one control listing the children behind
    any tile in the row."""
    key = ROW_KEY.format(number)
    options = [_index(h) for h in row if h.measure in MEASURES]
    if key not in st.session_state:  # first run: the URL's choice, on the row that holds it
        wanted = st.query_params.get(DRILL)
        found = [i for i in options if HEADLINES[i].measure == wanted]
        st.session_state[key] = found[0] if found else None
    st.pills(
        "Children behind",
        options,
        key=key,
        format_func=lambda i: HEADLINES[i].label,
        on_change=_chosen,
        args=(number, rows),
        help="Choose a figure to list the children behind it, below the tiles.",
    )


def drill_table(ctx: PageContext) -> None:
    """The children behind the chosen figure, full width below the tiles."""
    chosen = st.query_params.get(DRILL)
    if chosen not in MEASURES:
        return
    st.subheader(f"Children behind: {MEASURES[chosen].title}")
    # A long list (157,141 referrals at a million children) shows its first rows and says so;
    # its download has every row (drill.long_list).
    drill.long_list(
        ctx, chosen, f"overview_rows_{chosen}", name=f"{chosen}_children", hidden=("", True)
    )


@dataclass
class SettingsTables:
    """The tables of the settings in use, as st.dataframe is handed them (frames, records, or
    the same converted once: ui/overview_drawing keeps them converted)."""

    targets: object
    goals: object
    england: object


def settings_tables(settings: Settings, convert=lambda table: table) -> SettingsTables:
    """The targets, goals and England's figures in use (see `settings_expander`)."""
    targets = [
        {"Timescale": TARGET_LABELS[k], "Working days": v} for k, v in settings.targets.items()
    ]
    return SettingsTables(
        convert(targets), convert(goals_frame(settings)), convert(pd.DataFrame(england_figures()))
    )


def settings_expander(settings: Settings, kept: SettingsTables | None = None) -> None:
    """The targets, the assessment regime, the goals (with the RAG rule) and England's figures
    in use, in an expander; `kept`: the tables already made (settings_tables)."""
    tables_ = kept or settings_tables(settings)
    with st.expander("Targets, goals and England's figures in use"):
        st.dataframe(tables_.targets, hide_index=True)
        st.caption(f"Assessment regime: {settings.regime}")
        goals_table(settings, tables_.goals)
        england_table(tables_.england)


def goals_frame(settings: Settings) -> pd.DataFrame:
    """The goals in use (settings, with defaults), one row per figure."""
    directions = {(h.measure, h.aggregate): h for h in HEADLINES}
    listed = []
    for (measure, aggregate), goal in settings.goals.items():
        if measure not in MEASURES:
            continue
        h = directions.get((measure, aggregate))
        better = h.higher_is_better if h else MEASURES[measure].higher_is_better
        unit = h.unit if h else unit_of(aggregate)
        listed.append(
            {
                "measure": MEASURES[measure].title,
                "figure": h.label if h else tables.label(aggregate),
                "goal": goal_text(goal, unit, better),
                "amber margin": goal.amber,
            }
        )
    return pd.DataFrame(listed, columns=["measure", "figure", "goal", "amber margin"])


def goals_table(settings: Settings, table: object) -> None:
    """The goals in use and the RAG rule."""
    st.dataframe(
        table,
        hide_index=True,
        placeholder="",
        column_config={
            "measure": "Measure",
            "figure": "Figure",
            "goal": "Goal",
            "amber margin": st.column_config.NumberColumn("Amber margin", format="%g"),
        },
    )
    st.caption(
        "Green: at or better than the goal. Amber: worse than the goal by no more than the amber "
        "margin. Red: further from it. A share of fewer than 5 children is not judged. Against "
        f"England and neighbours, 'better' or 'worse' only past {settings.margins.pp:g} "
        f"percentage points for shares and {settings.margins.pct:g}% for days, rates and "
        "caseloads; otherwise 'in line'."
    )


def england_table(table: object) -> None:
    """Every figure DfE publishes that the dashboard holds, with its year and source."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "figure": "Figure (DfE key)",
            "year": "Year",
            "value": st.column_config.NumberColumn("England", format="%.1f"),
            "unit": "Unit",
            "how": "What it counts",
            "source": st.column_config.LinkColumn("Source"),
        },
    )
    st.caption(
        "England's figures as DfE published them (children in need statistics; social work "
        "workforce). Shares within 45 and 15 working days are computed from DfE's band counts."
    )
