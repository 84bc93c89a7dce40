"""Child: one child's record in date order (timeline and table), their workers and siblings.

Not in the menu: reached by choosing a row in any table of children, or by a link such as
`/child?person=ID` (the filters in the URL are kept). Every value is shown as plain text.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics import MeasureUnavailable, NotPermitted, words
from metrics import child as ch
from ui import auth, charts, data, tables
from ui.filters import current_params
from ui.nav import CHILD_PAGE
from ui.page import child_not_found, setup
from ui.text import md

MET_STYLE = {
    # value: (legend label, colour, symbol) - said in words and by shape, never colour alone.
    True: ("Within timescale", "#009E73", "circle"),
    False: ("Missed timescale", "#D55E00", "x"),
    None: ("No timescale, or not yet due", "#56B4E9", "diamond-open"),
}


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _profile(source: data.Source, person_id: str, as_of: dt.date) -> dict | None:
    return ch.profile(data.engine(source), person_id, as_of)


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _chronology(
    source: data.Source,
    person_id: str,
    as_of: dt.date,
    scope: str | None,
    scope_teams: tuple[str, ...] | None,
) -> pd.DataFrame:
    return ch.chronology(
        data.engine(source), person_id, as_of, scope=scope, scope_teams=scope_teams
    )


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _workers(source: data.Source, person_id: str, as_of: dt.date) -> pd.DataFrame:
    return ch.workers(data.engine(source), person_id, as_of)


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)
def _siblings(source: data.Source, person_id: str) -> pd.DataFrame:
    return ch.siblings(data.engine(source), person_id)


def met_words(value: object) -> str:
    if value is True:
        return "met"
    if value is False:
        return "missed"
    return ""


def timeline(chron: pd.DataFrame) -> charts.Figure:
    """Events by date (x) and kind (y); met / missed / no timescale by colour and symbol. The
    hover gives the event's lines as plain text (charts.show escapes them; a line break shows)."""
    kinds = [k for k in ch.KINDS if k in set(chron["kind"])]
    fig = charts.figure("Date", "")
    for value, (label, colour, symbol) in MET_STYLE.items():
        part = chron[chron["met"].map(lambda m, v=value: m is v)]
        if part.empty:
            continue
        hover = [
            "\n".join(
                str(x)
                for x in (
                    f"{words.date_text(r.date)}: {r.kind}",
                    r.detail,
                    f"Worker: {r.worker}" if pd.notna(r.worker) and r.worker else "",
                    f"Team: {r.team}" if pd.notna(r.team) and r.team else "",
                    f"Timescale: {r.target} ({met_words(r.met) or 'not judged'})"
                    if pd.notna(r.target) and r.target
                    else "",
                )
                if x
            )
            for r in part.itertuples(index=False)
        ]
        fig.add_scatter(
            x=part["date"],
            y=part["kind"],
            mode="markers",
            name=label,
            marker={"color": colour, "symbol": symbol, "size": 11, "line": {"width": 2}},
            hovertext=hover,
            hoverinfo="text",
            customdata=part[["record_id"]].astype(str).to_numpy(),
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(kinds)))
    fig.update_layout(height=max(260, 28 * len(kinds) + 120), dragmode="zoom")
    return fig


ctx = setup(
    "Child",
    "The child's record in date order up to the snapshot date, each timescale marked met or "
    "missed. Choose a sibling to open their record.",
)
as_of = ctx.filters.effective_as_of
person = (st.query_params.get("person") or "").strip()

if not person:
    st.subheader("Open a child's record")
    with st.form("child_pick"):
        typed = st.text_input("Child id (person id in the extract)", key="child_pick_id")
        if st.form_submit_button("Open"):
            if typed.strip():
                st.query_params["person"] = typed.strip()
                st.rerun()
    st.caption("Or choose a recently referred child:")
    try:
        recent = data.rows(ctx.source, "referrals", ctx.filters, 5000)
    except (MeasureUnavailable, NotPermitted) as exc:
        st.info(f"No list to choose from: {exc}")
    else:
        recent = recent.sort_values("referral_date", ascending=False).head(200)
        cols = [c for c in ("person_id", "referral_date", "referral_id", "team") if c in recent]
        tables.child_table(recent[cols].reset_index(drop=True), "child_recent", name="recent")
    st.stop()

if not ctx.engine.permits(person, ctx.filters):
    auth.record("child_view", person_ids=[person], outcome="refused", once=True)
    child_not_found(person)
    st.stop()

prof = _profile(ctx.source, person, as_of)
if prof is None:
    child_not_found(person)
    st.stop()

auth.record("child_view", person_ids=[person], filters=current_params(), once=True)
# A link to this same page with another child (a sibling) reruns it without updating the
# browser's address: say it again, so the URL always names the child on screen.
st.query_params["person"] = person
st.subheader(f"Child {md(person)}")
if not prof["in_person_table"]:
    st.warning("This id is not in ssd_person: it appears only in other tables (a data issue).")
facts = {
    "Child": prof["person_id"],
    "Sex": words.decode("sex", prof["sex"]) or "",
    "Date of birth": words.date_text(prof["dob"]),
    "Age": "" if prof["age"] is None else str(prof["age"]),
    "Family": prof["family_id"] or "",
    "Allocated worker": prof["allocated_worker"] or "No allocated worker",
    "Team": prof["allocated_team"] or "",
    "Open CP plan": prof["open_cp_plan_id"] or "No open plan",
    "Plan category": words.decode("cp_category", prof["open_cp_plan_category"]) or "",
    "Referrals": str(prof["referrals"]),
}
st.dataframe(pd.DataFrame([facts]), hide_index=True, width="stretch", key="child_facts")
st.page_link(
    "pages/conference.py",
    label="Review pack for this child (Conference preparation)",
    query_params={**current_params(), "person": person},
)

st.header("Chronology")
chron = _chronology(ctx.source, person, as_of, ctx.filters.scope, ctx.filters.scope_teams)
if chron.empty:
    st.info("No events recorded for this child up to the snapshot date.")
else:
    present = [k for k in ch.KINDS if k in set(chron["kind"])]
    shown_kinds = st.multiselect("Kinds of event", present, default=present, key="child_kinds")
    shown = chron[chron["kind"].isin(shown_kinds)]
    judged = shown[shown["met"].map(lambda m: m is not None)]
    missed = int(shown["met"].map(lambda m: m is False).sum())
    c1, c2, c3 = st.columns(3)
    c1.metric("Events", len(shown))
    c2.metric("Timescales judged", len(judged))
    c3.metric("Timescales missed", missed)
    if not shown.empty:
        charts.show(timeline(shown), "child_timeline")
    table = shown.assign(met=shown["met"].map(met_words))
    readable = tables.readable(table)
    # At 1440 pixels wide every column shows whole: long text wraps; the timescale's name and
    # the record id (said by the target, and kept in the CSV) are left out of the screen.
    st.dataframe(
        readable,
        key="child_chronology",
        hide_index=True,
        width="stretch",
        height=tables.wrapped_height(len(readable), 660),
        row_height=tables.WRAP_ROW_HEIGHT,
        column_config=tables.column_config(
            readable,
            {
                "kind": "Event",
                "target": "Timescale",
                "met": "Met",
                "timescale": None,
                "record_id": None,
            },
            {
                "date": 95,
                "kind": 110,
                "detail": 250,
                "worker": 110,
                "team": 100,
                "target": 160,
                "days": 90,
                "met": 60,
            },
        ),
    )
    tables.download(
        table.assign(person_id=person)[["person_id", *table.columns]],
        f"chronology_{person}",
        "child_chronology",
        id_column="person_id",
    )

# Full width, one under the other: a worker's nine columns do not fit half the page.
st.header("Workers")
found = _workers(ctx.source, person, as_of)
if found.empty:
    st.info("No workers recorded for this child.")
else:
    # Flags in words, as the review pack says them (not ticked boxes).
    for flag in ("current", "qualified", "agency"):
        if flag in found.columns:
            found[flag] = found[flag].map(words.yes_no)
    tables.table(
        found,
        "child_workers",
        name="workers",
        # One "Worker" column: worker_name (the professionals table's name, else the id); the id
        # beside it is hidden by tables.column_config, and kept in the CSV.
        labels={"qualified": "Qualified", "agency": "Agency worker"},
    )
st.header("Siblings")
sibs = _siblings(ctx.source, person)
if sibs.empty:
    st.info("No siblings recorded (same family id) in this extract.")
else:
    # A sibling outside the viewer's scope is named by id only: no details about them.
    sibs = sibs.drop(columns=["in_person_table"], errors="ignore")
    hidden = [not ctx.engine.permits(str(s), ctx.filters) for s in sibs["person_id"]]
    if any(hidden):
        mask = pd.Series(hidden, index=sibs.index)
        sibs = sibs.astype(object)
        for col in sibs.columns:
            if col not in ("person_id", "family_id"):
                sibs.loc[mask, col] = None
        st.caption("Siblings outside your role's scope are shown by id only.")
    sibs["sex"] = sibs["sex"].map(lambda v: words.decode("sex", v))
    shown = tables.readable(sibs)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="child_siblings",
        column_config=tables.column_config(shown),
    )
    params = current_params()
    for sib in sibs["person_id"]:
        st.page_link(
            CHILD_PAGE,
            label=f"Open sibling {md(sib)}",
            query_params={**params, "person": str(sib)},
        )
