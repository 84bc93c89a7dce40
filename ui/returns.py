"""The Data page's returns: Ofsted's Annex A workbook and the DfE CIN census XML, made from the
data in use (frontdoor.returns), with progress, the gaps found, and a download. Making one and
downloading it are both audited; the files hold children's details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from frontdoor.returns import ExportError, ExportResult
from ui import auth, data, downloads
from ui.text import md

LAYOUT_WORDS = {
    "ofsted-2019": "Ofsted's 2019 template (List_1 sheets, title rows)",
    "later": "Later layout (List 1 sheets, headings in row 1)",
}


@dataclass(frozen=True)
class _Made:
    kind: str  # "annex_a" or "cin_census"
    file_name: str
    mime: str
    what: str  # for the audit log and the page
    result: ExportResult


def _progress():
    bar = st.progress(0.0, text="Starting")

    def show(fraction: float, message: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=md(message.capitalize()))

    return show


def _make(kind: str, label: str, build, file_name: str, mime: str, what: str) -> None:
    """Build a return with a status box and progress; keep it in the session for download."""
    engine = data.engine(st.session_state["_returns_source"])
    cur = engine.con.cursor()
    try:
        with st.status(f"Making {label}…", expanded=True) as status:
            result = build(cur, _progress())
            status.update(label=f"{label} made", state="complete", expanded=False)
    except ExportError as exc:
        auth.record("export", detail=f"{what}: {exc}", outcome="failed")
        st.error(f"{label} could not be made: {md(exc)}")
        st.session_state.pop(f"_returns_{kind}", None)
        return
    finally:
        cur.close()
    counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
    auth.record("export", detail=f"{what} (Data page): {counts}; {len(result.gaps):,} gap(s)")
    st.session_state[f"_returns_{kind}"] = _Made(kind, file_name, mime, what, result)


def _show(kind: str, label: str) -> None:
    made: _Made | None = st.session_state.get(f"_returns_{kind}")
    if made is None:
        return
    result = made.result
    st.dataframe(
        pd.DataFrame([{"what": k, "rows": v} for k, v in result.counts.items()]),
        hide_index=True,
        key=f"returns_{kind}_counts",
    )
    for note in result.notes:
        st.text(note)
    if result.gaps:
        st.warning(
            f"{len(result.gaps):,} gap(s): items the return needs that the data does not hold. "
            "Nothing was invented; fix them at source and make the return again."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "child": g.person_id,
                        "record": g.record,
                        "item": g.item,
                        "what was done": g.what,
                    }
                    for g in result.gaps
                ]
            ),
            hide_index=True,
            key=f"returns_{kind}_gaps",
        )
    else:
        st.success("No gaps: every item the return needs was in the data.")
    downloads.prepared(
        f"Download {label}",
        result.content,
        made.file_name,
        f"returns_{kind}_download",
        mime=made.mime,
        detail=made.what,
        primary=True,
    )


def returns_section(source: data.Source, data_end: dt.date) -> None:
    """Two forms (Annex A, CIN census), each making its file and offering it for download."""
    from frontdoor.returns.annex_a import LAYOUTS, build_annex_a
    from frontdoor.returns.cin_census import build_cin_census

    st.session_state["_returns_source"] = source
    st.header("Returns: Annex A and the CIN census")
    st.caption(
        "Made from the data in use, by the same rules as `frontdoor export` (docs/returns.md). "
        "The files hold children's details: making and downloading one is recorded in the "
        "audit log."
    )
    left, right = st.columns(2)
    with left, st.form("returns_annex_a"):
        st.subheader("Ofsted Annex A")
        as_of = st.date_input("Data as at", value=data_end, format="DD/MM/YYYY", key="ra_as_of")
        end = st.date_input(
            "Lists end on (the six months before it)",
            value=data_end,
            format="DD/MM/YYYY",
            key="ra_end",
        )
        layout = st.selectbox(
            "Layout", list(LAYOUTS), format_func=LAYOUT_WORDS.get, key="ra_layout"
        )
        annex = st.form_submit_button("Make the Annex A workbook")
    default_year = data_end.year + (1 if data_end.month > 3 else 0)
    with right, st.form("returns_census"):
        st.subheader("DfE CIN census")
        year = st.number_input(
            "Collection year, by its 31 March (2026 is 2025-26)",
            min_value=2010,
            max_value=2100,
            value=min(default_year, data_end.year + 1),
            step=1,
            key="rc_year",
        )
        la = st.text_input("LA number (three digits, optional)", key="rc_la", max_chars=3)
        census = st.form_submit_button("Make the CIN census")
    if annex:
        what = f"Annex A lists to {end:%d %b %Y}, data as at {as_of:%d %b %Y}"
        _make(
            "annex_a",
            "the Annex A workbook",
            lambda con, progress: build_annex_a(
                con, as_of, end=end, layout=layout, progress=progress
            ),
            f"annex_a_{end:%Y-%m-%d}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            what,
        )
    if census:
        y = int(year)
        _make(
            "cin_census",
            "the CIN census",
            lambda con, progress: build_cin_census(
                con, y, la=la.strip() or None, progress=progress
            ),
            f"cin_census_{y}.xml",
            "application/xml",
            f"CIN census {y - 1}-{str(y)[2:]}",
        )
    with left:
        _show("annex_a", "the Annex A workbook")
    with right:
        _show("cin_census", "the CIN census")
