"""Sidebar filters (period, as-of, team, worker) that live in the URL.

The URL is the source of truth: a page reads its filters from the query string, draws the
widgets from it, and writes any change back, so a view can be bookmarked or sent, and the menu
links carry the filters from page to page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from frontdoor.calendar import FIRST_DAY
from metrics import Filters
from metrics.words import date_text
from ui import periods

ALL = ""
MINE = "mine"  # a team lead's own teams, when they lead more than one
ALL_IN_URL = "all"  # "All teams" chosen by someone whose pages open on their own teams
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


def _keep_team() -> None:
    st.session_state["_f_team_kept"] = st.session_state["f_team"]


def default_team(own_teams: tuple[str, ...]) -> str:
    """The team filter a page opens on: a team lead's team (MINE for several), else all."""
    if not own_teams:
        return ALL
    return own_teams[0] if len(own_teams) == 1 else MINE


def date_range(data_start: dt.date | None, data_end: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the filters accept: from the data's first referral or contact (or the start
    of the last 12 months, if earlier; never before the working-day calendar) to its end."""
    first = periods.last_12_months(data_end)[0]
    if data_start is not None:
        first = min(first, data_start)
    return max(first, FIRST_DAY), data_end


def sidebar_filters(
    data_start: dt.date | None,
    data_end: dt.date,
    teams: list[tuple[str, str]],
    workers_of,  # Callable[[str | None], list[tuple[str, str]]]
    own_teams: tuple[str, ...] = (),
) -> tuple[Filters, list[str]]:
    """Draw the filters in the sidebar and return them, with notes on what a link asked for
    that could not be used (a bad date, an unknown team): the URL is kept in step.

    `own_teams`: a team lead's teams. Their pages open on those teams (no `team` in the URL);
    choosing "All teams" widens them to the authority (`team=all` in the URL)."""
    params = current_params()
    default = default_team(own_teams)
    state = st.session_state
    first, last = date_range(data_start, data_end)
    notes: list[str] = []
    always_drawn = ("f_period", "f_as_of", "f_team", "f_worker")
    synced = (params, tuple(own_teams))
    from_url = state.get("_filters_synced") != synced or any(k not in state for k in always_drawn)
    if from_url:
        # The URL changed (first run, a link, a deep link), the viewer's own teams changed, or
        # Streamlit dropped the widgets' state on a page switch: the widgets follow the URL,
        # checked against the data.
        url = periods.read_url(params, first, last)
        notes += url.notes
        state["f_period"] = url.preset
        state["f_fy"] = url.fy
        state["f_q"] = url.q
        # The custom dates' widgets only take dates inside the data.
        state["f_from"] = min(max(url.start, first), last)
        state["f_to"] = max(min(url.end, last), state["f_from"])
        state["f_as_of"] = url.as_of
        team_param = params.get("team")
        state["f_team"] = (
            default if team_param is None else ALL if team_param == ALL_IN_URL else team_param
        )
        state["f_worker"] = params.get("worker", ALL)
        state["_f_team_kept"] = state["f_team"]
    elif "_f_team_kept" in state:
        # A widget on another page is a new widget to Streamlit, which would open on its first
        # option ("All teams"), not on a team lead's own team: say the kept choice again.
        state["f_team"] = state["_f_team_kept"]

    # A date kept from before a new load may lie outside the new data: the date widgets
    # refuse such a value, so bring it in.
    for key in ("f_from", "f_to"):
        if isinstance(state.get(key), dt.date):
            state[key] = min(max(state[key], first), last)
    if isinstance(state.get("f_as_of"), dt.date) and not first <= state["f_as_of"] <= last:
        state["f_as_of"] = None

    side = st.sidebar
    side.subheader("Filters")
    preset = side.selectbox(
        "Period", list(periods.PRESETS), format_func=periods.PRESETS.get, key="f_period"
    )
    new: dict[str, str] = {}
    if preset != "12m":
        new["period"] = preset
    years = periods.years_offered(last)
    if preset == "fy":
        if state.get("f_fy") not in years:
            state["f_fy"] = years[0]
        fy = side.selectbox("Financial year", years, format_func=periods.fy_label, key="f_fy")
        new["fy"] = str(fy)
        start, end = periods.financial_year(fy)
    elif preset == "q":
        options = periods.quarters_offered(last)
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
        start = side.date_input(
            "From", key="f_from", format="DD/MM/YYYY", min_value=first, max_value=last
        )
        end = side.date_input(
            "To", key="f_to", format="DD/MM/YYYY", min_value=first, max_value=last
        )
        if end < start:
            side.warning("The period ends before it starts: showing the start date only.")
            end = start
        new["from"], new["to"] = start.isoformat(), end.isoformat()
    else:
        start, end = periods.last_12_months(last)

    as_of = side.date_input(
        "As at (snapshot date)",
        key="f_as_of",
        format="DD/MM/YYYY",
        min_value=first,
        max_value=last,
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
    team_names = dict(teams)
    known = [t for t, _ in teams]
    team_ids = [ALL] + ([MINE] if len(own_teams) > 1 else [])
    team_ids += [t for t in own_teams if t not in known] + known
    if state.get("f_team") not in team_ids:
        if from_url:  # the same words whether the team is unknown or not the viewer's to see
            opened = "your teams" if own_teams else "all teams"
            notes.append(f"The team in the link was not found: showing {opened}.")
        state["f_team"] = state["_f_team_kept"] = default
    team = side.selectbox(
        "Team",
        team_ids,
        format_func=lambda t: team_label(t, team_names, own_teams),
        key="f_team",
        on_change=_keep_team,
    )
    if team == MINE:
        seen: dict[str, str] = {}
        for own in own_teams:
            seen.update(dict(workers_of(own)))
        worker_list = sorted(seen.items(), key=lambda w: (w[1], w[0]))
    else:
        worker_list = workers_of(team or None)
    worker_ids = [ALL] + [w for w, _ in worker_list]
    worker_names = dict(worker_list)
    if state.get("f_worker") not in worker_ids:
        if from_url:
            notes.append(
                "The worker in the link was not found (in this team): showing all workers."
            )
        state["f_worker"] = ALL
    worker = side.selectbox(
        "Worker",
        worker_ids,
        format_func=lambda w: "All workers" if w == ALL else f"{worker_names.get(w, w)} ({w})",
        key="f_worker",
    )
    if team != default:
        new["team"] = team or ALL_IN_URL
    if worker:
        new["worker"] = worker
    _set_url(new)
    state["_filters_synced"] = (new, tuple(own_teams))
    filters = Filters(
        start,
        end,
        as_of,
        None if team in (ALL, MINE) else team,
        worker or None,
        teams=tuple(own_teams) if team == MINE else None,
    )
    return filters, notes


def team_label(team: str, names: dict[str, str], own_teams: tuple[str, ...] = ()) -> str:
    """A team filter option in words."""
    if team == ALL:
        return "All teams"
    if team == MINE:
        return "My teams (" + ", ".join(names.get(t, t) for t in own_teams) + ")"
    name = names.get(team, team)
    return f"{name} (my team)" if team in own_teams else name


def describe(filters: Filters, team_names: dict[str, str] | None = None) -> str:
    """One line saying what the figures on a page cover: period, snapshot and teams."""
    text = f"{date_text(filters.date_from)} to {date_text(filters.date_to)}"
    if filters.as_of and filters.as_of != filters.date_to:
        text += f", snapshot at {date_text(filters.as_of)}"
    names = team_names or {}
    if filters.teams:
        text += ", teams " + ", ".join(names.get(t, t) for t in filters.teams)
    elif filters.team:
        text += f", team {names.get(filters.team, filters.team)}"
    else:
        text += ", all teams"
    return text
