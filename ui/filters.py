"""Sidebar filters (period, as-of, team, worker) that live in the URL.

The URL is the source of truth: a page reads its filters from the query string, draws the
widgets from it, and writes any change back, so a view can be bookmarked or sent, and the menu
links carry the filters from page to page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import Filters
from ui import periods

ALL = ""
FILTER_KEYS = ("period", "fy", "q", "from", "to", "as_of", "team", "worker")


def current_params() -> dict[str, str]:
    """The filter parameters in the URL right now (only the filter keys)."""
    return {k: st.query_params[k] for k in FILTER_KEYS if k in st.query_params}


def _set_url(params: dict[str, str]) -> None:
    for key in FILTER_KEYS:
        if key in params:
            if st.query_params.get(key) != params[key]:
                st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]


def sidebar_filters(
    data_end: dt.date,
    teams: list[tuple[str, str]],
    workers_of,  # Callable[[str | None], list[tuple[str, str]]]
) -> Filters:
    """Draw the filters in the sidebar and return them; the URL is kept in step."""
    params = current_params()
    state = st.session_state
    always_drawn = ("f_period", "f_as_of", "f_team", "f_worker")
    if state.get("_filters_synced") != params or any(k not in state for k in always_drawn):
        # The URL changed (first run, a link, a deep link), or Streamlit dropped the widgets'
        # state on a page switch: the widgets follow the URL.
        preset, start, end = periods.resolve(params, data_end)
        state["f_period"] = preset
        fy = params.get("fy", "")
        state["f_fy"] = int(fy) if fy.isdigit() else periods.financial_year_of(data_end)
        state["f_q"] = params.get("q", f"{periods.financial_year_of(data_end)}-1")
        state["f_from"], state["f_to"] = start, end
        state["f_as_of"] = periods.parse_date(params.get("as_of"))
        state["f_team"] = params.get("team", ALL)
        state["f_worker"] = params.get("worker", ALL)

    side = st.sidebar
    side.subheader("Filters")
    preset = side.selectbox(
        "Period", list(periods.PRESETS), format_func=periods.PRESETS.get, key="f_period"
    )
    new: dict[str, str] = {}
    if preset != "12m":
        new["period"] = preset
    last_fy = periods.financial_year_of(data_end)
    years = list(range(last_fy, last_fy - 6, -1))
    if preset == "fy":
        if state.get("f_fy") not in years:
            state["f_fy"] = last_fy
        fy = side.selectbox("Financial year", years, format_func=periods.fy_label, key="f_fy")
        new["fy"] = str(fy)
        start, end = periods.financial_year(fy)
    elif preset == "q":
        options = [f"{y}-{n}" for y in years for n in (4, 3, 2, 1)]
        if state.get("f_q") not in options:
            state["f_q"] = options[0]
        q = side.selectbox(
            "Quarter",
            options,
            format_func=lambda v: periods.quarter_label(*map(int, v.split("-"))),
            key="f_q",
        )
        new["q"] = q
        start, end = periods.quarter(*map(int, q.split("-")))
    elif preset == "custom":
        start = side.date_input("From", key="f_from", format="DD/MM/YYYY")
        end = side.date_input("To", key="f_to", format="DD/MM/YYYY")
        if end < start:
            side.warning("The period ends before it starts: showing the start date only.")
            end = start
        new["from"], new["to"] = start.isoformat(), end.isoformat()
    else:
        start, end = periods.last_12_months(data_end)

    as_of = side.date_input(
        "As at (snapshot date)",
        key="f_as_of",
        format="DD/MM/YYYY",
        help="Open cases, caseloads and overdue work are counted on this date. "
        "Blank: the end of the period.",
    )
    if as_of is not None and as_of < end:
        side.warning(
            f"The as-at date cannot be before the period ends ({end:%d/%m/%Y}); using {end:%d/%m/%Y}."
        )
        as_of = None
    if as_of is not None:
        new["as_of"] = as_of.isoformat()

    # "" stands for "all": a None option would show as an empty selection.
    team_ids = [ALL] + [t for t, _ in teams]
    team_names = dict(teams)
    if state.get("f_team") not in team_ids:
        state["f_team"] = ALL
    team = side.selectbox(
        "Team",
        team_ids,
        format_func=lambda t: "All teams" if t == ALL else team_names.get(t, t),
        key="f_team",
    )
    worker_list = workers_of(team or None)
    worker_ids = [ALL] + [w for w, _ in worker_list]
    worker_names = dict(worker_list)
    if state.get("f_worker") not in worker_ids:
        state["f_worker"] = ALL
    worker = side.selectbox(
        "Worker",
        worker_ids,
        format_func=lambda w: "All workers" if w == ALL else f"{worker_names.get(w, w)} ({w})",
        key="f_worker",
    )
    if team:
        new["team"] = team
    if worker:
        new["worker"] = worker
    _set_url(new)
    state["_filters_synced"] = new
    return Filters(start, end, as_of, team or None, worker or None)


def describe(filters: Filters) -> str:
    """One line saying what the figures on a page cover."""
    text = f"{filters.date_from:%d %b %Y} to {filters.date_to:%d %b %Y}"
    if filters.as_of and filters.as_of != filters.date_to:
        text += f", snapshot at {filters.as_of:%d %b %Y}"
    return text
