"""Data and loading (analysts): what the last load read, loaded and rejected, the data issues it
found, the measures this extract cannot give and why, the returns (Annex A, CIN census) made
from it, and loading another extract.

Everything here is shown as text or in tables, never as HTML. A load builds a new database
beside the one in use and swaps it in only when complete; the caches are then cleared so every
page reads the new data.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from frontdoor.private import save_files
from metrics import MEASURES, words
from ui import auth, data, tables
from ui.page import setup
from ui.returns import returns_section
from ui.text import md

LIMIT = 5000
UPLOAD_TYPES = ["csv", "tsv", "txt", "parquet", "xlsx", "xlsm", "xls", "xlsb", "xml"]


@st.cache_data(ttl=600, max_entries=20, show_spinner=False)
def _query(source: data.Source, sql: str, params: tuple[tuple[str, object], ...] = ()):
    """A fixed query of this page (the SQL text is a constant below) with bound values."""
    return data.engine(source).query(sql, dict(params))


def _tables_in(source: data.Source) -> set[str]:
    frame = _query(source, "SELECT table_name FROM duckdb_tables()")
    return set(frame["table_name"])


REPORT_SQL = """
    SELECT table_name, file, status, rows_read, rows_loaded, rows_rejected, warnings
    FROM load_report ORDER BY table_name NULLS LAST, file NULLS LAST
"""
META_SQL = "SELECT key, value FROM load_meta ORDER BY key"
COUNTS_SQL = {
    "rejected_rows": "SELECT table_name, count(*) AS n FROM rejected_rows GROUP BY ALL ORDER BY 1",
    "data_issues": "SELECT table_name, count(*) AS n FROM data_issues GROUP BY ALL ORDER BY 1",
}
ROWS_SQL = {
    "rejected_rows": """
        SELECT table_name, file, line, column_name, value, reason, raw FROM rejected_rows
        WHERE $table IS NULL OR table_name = $table
        ORDER BY table_name, file, line LIMIT $limit
    """,
    "data_issues": """
        SELECT table_name, file, line, record_id, person_id, column_name, value, issue, severity
        FROM data_issues
        WHERE $table IS NULL OR table_name = $table
        ORDER BY table_name, file, line LIMIT $limit
    """,
}


def problem_list(source: data.Source, name: str, title: str, empty: str) -> None:
    """A report table (rejected rows or data issues) with a filter by extract table."""
    st.subheader(title)
    if name not in _tables_in(source):
        st.info(f"This database has no {name} table (it was not built by the loader).")
        return
    counts = _query(source, COUNTS_SQL[name])
    total = int(counts["n"].sum()) if not counts.empty else 0
    if total == 0:
        st.success(empty)
        return
    names = [str(t) for t in counts["table_name"] if t is not None]
    per = dict(zip(counts["table_name"], counts["n"], strict=True))
    chosen = st.selectbox(
        "Table",
        [None, *names],
        format_func=lambda t: f"All tables ({total:,})" if t is None else f"{t} ({per[t]:,})",
        key=f"data_{name}_table",
    )
    frame = _query(source, ROWS_SQL[name], (("table", chosen), ("limit", LIMIT)))
    shown = total if chosen is None else int(per[chosen])
    if shown > LIMIT:
        st.caption(f"The first {LIMIT:,} of {shown:,} are shown; the download has the same.")
    tables.table(frame, f"data_{name}", name=name)


# What the loader records about a load (frontdoor/loader.py, load_meta), said in words.
META_WORDS = {
    "source": "Loaded from",
    "loaded_at": "Loaded",
    "extract_date": "Extract date",
    "synthetic": "Synthetic data",
    "source_kinds": "Kinds of file",
    "unavailable": "Not available",
    "tables": "Tables loaded",
    "extra_tables": "Other tables",
    "frontdoor_version": "frontdoor version",
}


def meta_in_words(meta: pd.DataFrame) -> pd.DataFrame:
    """The load's facts as a person reads them: names in words, a date as "3 Feb 2026", the
    time of the load in UK time, lists as lists."""
    rows = []
    for key, value in zip(meta["key"], meta["value"], strict=True):
        text = "" if value is None else str(value)
        if key == "loaded_at":
            text = words.when_text(text)
        elif key == "extract_date":
            try:
                text = words.date_text(dt.date.fromisoformat(text))
            except ValueError:
                pass
        elif key == "synthetic":
            text = words.yes_no(text == "true")
        elif text.startswith(("[", "{")):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                text = ", ".join(str(v) for v in parsed) or "nothing"
            elif isinstance(parsed, dict):
                text = "; ".join(f"{k}: {v}" for k, v in parsed.items()) or "nothing"
        rows.append({"What": META_WORDS.get(key, str(key)), "Value": text})
    return pd.DataFrame(rows, columns=["What", "Value"])


def unavailable(source: data.Source) -> pd.DataFrame:
    """Every measure with the reason it cannot be given from this extract (None = available)."""
    rows = []
    for key, measure in MEASURES.items():
        reason = data.unavailable_reason(source, key)
        rows.append(
            {
                "measure": measure.title,
                "key": key,
                "section": measure.section,
                "available": "no" if reason else "yes",
                "why not": reason or "",
            }
        )
    return pd.DataFrame(rows)


ctx = setup(
    "Data and loading",
    "The extract in use: the load report, rows rejected, data issues, the measures it cannot "
    "give, and loading another extract.",
    filters_on=False,
    analyst_only=True,
    reads_figures=False,  # where an analyst loads the extract again
)
source = ctx.source
have = _tables_in(source)

st.text(f"Database: {source.path}")
meta = _query(source, META_SQL) if "load_meta" in have else pd.DataFrame()
if not meta.empty:
    with st.expander("About this load", expanded=False):
        tables.table(meta_in_words(meta), "data_meta", name="load_meta")

st.header("Load report")
if "load_report" in have:
    report = _query(source, REPORT_SQL)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Rows read", f"{int(report['rows_read'].sum()):,}")
    c2.metric("Rows loaded", f"{int(report['rows_loaded'].sum()):,}")
    c3.metric("Rows rejected", f"{int(report['rows_rejected'].sum()):,}")
    c4.metric("Warnings", f"{int(report['warnings'].sum()):,}")
    tables.table(report, "data_report", name="load_report")
else:
    st.info("This database has no load report (it was not built by the loader).")

problem_list(source, "rejected_rows", "Rejected rows", "No rows were rejected.")
problem_list(source, "data_issues", "Data issues", "No data issues were found.")

st.header("Measures not available in this extract")
measures = unavailable(source)
missing = measures[measures["available"] == "no"]
if missing.empty:
    st.success("Every measure can be given from this extract.")
else:
    st.caption(f"{len(missing)} of {len(measures)} measures cannot be given, and why:")
tables.table(measures.sort_values(["available", "section"]), "data_measures", name="measures")
if not meta.empty:
    raw = dict(meta.itertuples(index=False, name=None)).get("unavailable")
    try:
        by_source = json.loads(raw) if raw else {}
    except ValueError:
        by_source = {}
    if by_source:
        st.subheader("What the source format cannot carry")
        tables.table(
            pd.DataFrame([{"section": k, "why not": str(v)} for k, v in sorted(by_source.items())]),
            "data_unavailable_meta",
            name="unavailable_by_source",
        )

returns_section(source, ctx.filters.date_to)

st.header("Load another extract")
st.caption(
    "An SSD extract (one CSV or Parquet file per table, or one .xlsx workbook with a sheet per "
    "table), a CIN census XML or an Annex A workbook. The data in use stays until the new load "
    "completes; if the load stops, nothing changes."
)
with st.form("data_load"):
    uploads = st.file_uploader(
        "Files of the extract", type=UPLOAD_TYPES, accept_multiple_files=True, key="data_files"
    )
    folder = st.text_input(
        "Or a folder (or file) on the server", key="data_folder", placeholder="/path/to/extract"
    )
    extract_date = st.date_input(
        "Extract taken on", value=dt.date.today(), key="data_extract_date", format="DD/MM/YYYY"
    )
    go = st.form_submit_button("Load", type="primary")

if go:
    target = data.db_path()
    temp: Path | None = None
    if uploads:
        temp = save_files(((f.name, f.getvalue()) for f in uploads), "frontdoor-upload-")
        src = temp
        what = f"{len(uploads)} uploaded file(s)"
    elif folder.strip():
        src = Path(folder.strip()).expanduser()
        what = str(src)
    else:
        src = None
        what = ""
    if src is None:
        st.warning("Choose files to upload or give a folder first.")
    elif not src.exists():
        st.error("That folder or file does not exist on the server:")
        st.code(str(src), language=None)
    else:
        from frontdoor.loader import load_extract

        try:
            with st.status("Loading the extract…", expanded=True) as status:
                bar = st.progress(0.0, text="Starting")

                def progress(fraction: float, message: str) -> None:
                    bar.progress(min(max(float(fraction), 0.0), 1.0), text=md(message))

                result = load_extract(src, target, extract_date=extract_date, progress=progress)
                if result.ok:
                    status.update(label="Loaded", state="complete", expanded=True)
                else:
                    status.update(label="The load stopped", state="error", expanded=True)
        finally:
            if temp is not None:
                shutil.rmtree(temp, ignore_errors=True)
        auth.record(
            "load",
            detail=f"{what} -> {target}",
            outcome="allowed" if result.ok else "failed",
        )
        if result.ok:
            st.cache_data.clear()
            st.success(
                f"Loaded {result.rows_loaded:,} rows; {result.rejected:,} rejected, "
                f"{result.warnings:,} warnings. Every page now shows the new data."
            )
        else:
            st.error("The load stopped: the data loaded before is still in use.")
        st.code(result.render(), language=None)
        if result.ok:
            st.button("Show the new load report", key="data_refresh")
