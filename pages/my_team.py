"""My team today (team leads): one worklist of what needs action now for the teams in the
sidebar filter, most urgent first; choose a row to open the child, or download the list.

The rows are the measures' own, kept, counted and ordered in SQL (metrics/worklist_first.py):
this page only draws them. The weeks ahead for CP reviews are in the URL (`?weeks=4`), so a
view can be bookmarked or sent.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import NotPermitted
from metrics import worklist_first as wf
from metrics.words import date_text, days_text
from metrics.worklist import URGENCY, WORK
from ui import data, tables
from ui.page import setup
from ui.text import md

DEFAULT_WEEKS = 4
MAX_WEEKS = 12


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _counts(source: data.Source, filters) -> tuple[dict, dict]:
    return wf.counts(data.engine(source), filters)


def _in_words(source: data.Source, rows: pd.DataFrame) -> pd.DataFrame:
    """Worklist rows (metrics/worklist.py COLUMNS) as the list shows them: when, due, worker
    and team in words."""
    teams = dict(data.facts(source)[2])
    workers = dict(data.workers(source, None))
    return pd.DataFrame(
        {
            "person_id": rows["person_id"],
            "work": rows["work"],
            "urgency": [
                when(n, o) for n, o in zip(rows["overdue_wd"], rows["overdue"], strict=True)
            ],
            "due": rows["due_date"].map(date_text),
            "worker_name": [
                workers.get(w, w) if isinstance(w, str) else "" for w in rows["worker_id"]
            ],
            "team_name": [teams.get(t, t) if isinstance(t, str) else "" for t in rows["team"]],
            "detail": rows["detail"],
            "item": rows["item_id"].fillna(""),
        }
    )


@st.cache_data(ttl=600, max_entries=200, show_spinner=False, hash_funcs=data.HASH)
def _tally(source: data.Source, filters) -> tuple[dict[str, tuple[int, int]], dict, dict, dict]:
    """Per kind of work, (rows, of which overdue); what the viewer's scope leaves out; what
    the extract cannot give; the teams each kind's rows name. Counted in SQL
    (metrics/worklist_first.py): a run never reads the whole worklist."""
    found = wf.today(data.engine(source), filters)
    return found.tally, found.hidden, found.unavailable, found.teams


@st.cache_data(ttl=600, max_entries=200, show_spinner=False, hash_funcs=data.HASH)
def _chosen(source: data.Source, filters, works: tuple[str, ...]) -> pd.DataFrame:
    """Every row of the kinds of work chosen in words, most urgent first, for the download
    only (read when its button is pressed): the screen's rows, not cut (metrics/worklist_first.py
    `first` without a limit)."""
    rows, _ = wf.first(data.engine(source), filters, works, None)
    return _in_words(source, rows)


@st.cache_data(ttl=600, max_entries=200, show_spinner=False, hash_funcs=data.HASH)
def _first(
    source: data.Source, filters, works: tuple[str, ...], limit: int
) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of the kinds of work chosen (most urgent first) in words, and how
    many rows there are in all: cut in SQL (metrics/worklist_first.py), so a run never reads
    the whole list (147,000 rows for every team at 1,000,000 children), which only the
    download reads (`_chosen`), when its button is pressed."""
    rows, total = wf.first(data.engine(source), filters, works, limit)
    return _in_words(source, rows), total


def _many_teams(source: data.Source, teams: dict, works: tuple[str, ...]) -> bool:
    """Whether the rows of the kinds of work chosen name more than one team (by name)."""
    names = dict(data.facts(source)[2])
    named = {names.get(t, t) if isinstance(t, str) else "" for w in works for t in teams.get(w, ())}
    return len(named) > 1


def weeks_from_url() -> int:
    try:
        weeks = int(st.query_params.get("weeks", DEFAULT_WEEKS))
    except ValueError:
        weeks = DEFAULT_WEEKS
    return min(max(weeks, 1), MAX_WEEKS)


def when(overdue_wd: object, overdue: bool) -> str:
    """How urgent a row is, in words."""
    if pd.isna(overdue_wd):
        return "no due date recorded"
    n = int(overdue_wd)
    if n > 0:
        return f"{days_text(n)} overdue"
    if n == 0:
        return "due today, not done" if overdue else "due today"
    return f"due in {days_text(-n)}"


ctx = setup(
    "My team today",
    "What needs action at the snapshot date, for the teams chosen in the sidebar: referrals "
    "unallocated past target, children not seen in timescale, assessments overdue or coming "
    "due, cases without management oversight, agency requests outstanding past target, and CP "
    "reviews overdue or coming up. Choose a row to open the child.",
)
as_of = ctx.filters.effective_as_of
st.caption(
    f"An assessment counts as coming due within {days_text(ctx.target('due_soon_wd'))} of its "
    "due date (a local setting)."
)

state = st.session_state
url_weeks = weeks_from_url()
if state.get("_team_weeks_synced") != url_weeks:
    state["team_weeks"] = url_weeks
weeks = st.slider("CP reviews coming up within (weeks)", 1, MAX_WEEKS, key="team_weeks")
state["_team_weeks_synced"] = weeks
if weeks != DEFAULT_WEEKS:
    if st.query_params.get("weeks") != str(weeks):
        st.query_params["weeks"] = str(weeks)
elif "weeks" in st.query_params:
    del st.query_params["weeks"]

asked = replace(ctx.filters, horizon_weeks=weeks)
try:
    found = _tally(ctx.source, asked)
except NotPermitted as exc:
    # Aggregate figures only: how much there is to do, not which children.
    totals, unavailable = _counts(ctx.source, asked)
    columns = st.columns(3) * ((len(WORK) + 2) // 3)
    for column, work in zip(columns, WORK, strict=False):
        with column, st.container(border=True):
            total = totals.get(work)
            st.metric(work, "n/a" if total is None else f"{total:,}", help=unavailable.get(work))
    st.info(f"Not permitted: {exc}.")
    st.stop()

tally, found_hidden, found_unavailable, found_teams = found
for work, reason in found_unavailable.items():
    st.info(f"Not available in this extract: {work}: {reason}.")

# One figure per kind of work: how many rows, and how many of them are overdue.
tiles = st.columns(3) * ((len(WORK) + 2) // 3)  # two rows of three: whole titles
for column, work in zip(tiles, WORK, strict=False):
    with column, st.container(border=True):
        if work in found_unavailable:
            st.metric(work, "n/a", help=found_unavailable[work])
            continue
        total, late = tally[work]
        st.metric(work, f"{total:,}")
        parts = [f"{late:,} overdue"] if late else []
        if late < total:
            parts.append(f"{total - late:,} coming due")
        st.caption(", ".join(parts) or "Nothing outstanding")

works = [w for w in WORK if w not in found_unavailable]
shown_works = st.multiselect("Kinds of work", works, default=works, key="team_works")
chosen = tuple(w for w in works if w in shown_works)
listing, listed = _first(ctx.source, asked, chosen, tables.list_rows())
teams_many = _many_teams(ctx.source, found_teams, chosen)
longer = None
if listed > len(listing):
    longer = tables.Longer(listed, "most urgent first", lambda: _chosen(ctx.source, asked, chosen))

st.subheader(f"{listed:,} things to do, most urgent first")
st.caption(URGENCY)
hidden = [found_hidden.get(w) for w in shown_works if w in found_hidden]
known = sum(h for h in hidden if h)
if any(h is None for h in hidden):
    st.caption(
        "Agency requests are recorded without a team: each is listed under the child's "
        "allocated worker and team. A request about a child your role cannot see cannot be "
        "placed in a team, so it is neither listed nor counted here."
    )

if listing.empty and not known:
    st.success("Nothing needs action for these teams at the snapshot date.")
    st.stop()
tables.child_table(
    listing,
    "team_worklist",
    name=f"my_team_today_{as_of:%Y%m%d}",
    caption=f"As at {md(date_text(as_of))}. Choose a row to open the child.",
    labels={
        "person_id": "Child",
        "work": "What needs doing",
        "urgency": "When",
        "due": "Due",
        "detail": "Detail",
        # One team: it is named above the list (the filters' line), so not in every row.
        "team_name": "Team" if teams_many else None,
        "worker_name": "Worker",
        "item": "Record",
    },
    hidden=known,
    height=tables.wrapped_height(len(listing), 720),
    longer=longer,
    # Narrow what is short (it wraps to a second line where it must), so the detail (what
    # exactly, since when) has the rest and is read whole, wrapped, at 1440 pixels wide.
    widths={
        "person_id": 80,
        "work": 145,
        "urgency": 120,
        "due": 95,
        "worker_name": 115,
        "team_name": 130,
        "detail": 280,
        "item": 100,
    },
    wrap=True,
)
