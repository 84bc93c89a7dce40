"""Tables of children or cases: row selection opens the Child page; every table downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui import auth, downloads
from ui.filters import current_params
from ui.nav import CHILD_PAGE

# Column names the measures' rows carry, said in words (anything else: see `label`).
LABELS = {
    "person_id": "Child",
    "family_id": "Family",
    "referral_id": "Referral",
    "assessment_id": "Assessment",
    "cp_plan_id": "CP plan",
    "icpc_id": "Conference",
    "request_id": "Request",
    "note_id": "Case note",
    "contact_id": "Contact",
    "worker_id": "Worker",
    "worker_name": "Worker",
    "team": "Team",
    "team_name": "Team",
    "age_wd": "Age (working days)",
    "days": "Working days",
    "lag_wd": "Lag (working days)",
    "decision_wd": "Decision (working days)",
    "days_late_wd": "Late by (working days)",
    "days_since_oversight": "Since oversight (working days)",
    "days_since_activity": "Since activity (working days)",
    "days_until_due": "Days until due",
    "past_target": "Past target",
    "at_risk": "At potential risk",
    "nfa": "No further action",
    "fte": "FTE",
    "children_per_fte": "Children per FTE",
    "family_children": "Family's children on this caseload",
    "icpc_date": "Conference date",
    "outcome_cp": "Outcome: CP plan",
    "receiving_team": "Receiving team",
    "receiving_worker_id": "Receiving worker",
    "transfer_date": "Transferred",
    "plan_kind": "Plan",
    "workers_12m": "Workers in 12 months",
    "three_plus": "3 or more workers",
    "views_recorded": "Child's views recorded",
    "first_seen_alone_date": "First seen alone",
    "led_to_icpc": "Led to a conference",
    "led_to_plan": "Led to a CP plan",
    "decided_before_contact": "Decided before the contact (data issue)",
    "linked_before_referral": "Allocated before the referral (data issue)",
    "s47_id": "S47 enquiry",
}


def label(column: str) -> str:
    """A column name in words: LABELS, else "referral_date" -> "Referral date", "_wd" ->
    "(working days)", "_pct" -> "(%)"."""
    if column in LABELS:
        return LABELS[column]
    text = str(column)
    unit = ""
    for suffix, words in (("_wd", " (working days)"), ("_pct", " (%)")):
        if text.endswith(suffix):
            text, unit = text[: -len(suffix)], words
    text = text.replace("_", " ").strip()
    return (text[:1].upper() + text[1:] + unit) if text else str(column)


def _is_date(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if series.dtype != object:
        return False
    first = series.dropna()
    return not first.empty and isinstance(first.iloc[0], dt.date)


def column_config(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> dict:
    """Every column labelled in words; dates as "3 Feb 2026"; shares to one decimal with %."""
    labels = labels or {}
    config = {}
    for col in frame.columns:
        name = labels.get(col) or label(col)
        if _is_date(frame[col]):
            config[col] = st.column_config.DateColumn(name, format="D MMM YYYY")
        elif str(col).endswith("_pct") and pd.api.types.is_numeric_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(name, format="%.1f%%")
        else:
            config[col] = st.column_config.Column(name)
    return config


def download(
    frame: pd.DataFrame,
    name: str,
    key: str,
    label: str = "Download CSV",
    id_column: str | None = None,
) -> None:
    """A CSV download of exactly what is shown (ui/downloads); a download of children's rows
    is audited."""
    ids = [str(v) for v in frame[id_column]] if id_column and id_column in frame else []
    downloads.csv(frame, name, f"dl_{key}", label=label, person_ids=ids)


def open_child(person_id: str) -> None:
    """Go to the Child page for one person, keeping the filters in the URL."""
    st.switch_page(CHILD_PAGE, query_params={**current_params(), "person": str(person_id)})


def child_table(
    frame: pd.DataFrame,
    key: str,
    *,
    name: str,
    id_column: str = "person_id",
    caption: str | None = None,
    height: int | None = None,
    labels: dict[str, str] | None = None,
) -> None:
    """The children behind a number. Selecting a row opens that child's chronology."""
    if frame.empty:
        st.info("No children or cases match these filters.")
        return
    if caption:
        st.caption(caption)
    if id_column in frame.columns:
        ids = [str(v) for v in frame[id_column]]
        auth.record("rows_shown", person_ids=ids, filters=current_params(), detail=name, once=True)
    event = st.dataframe(
        frame,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config=column_config(frame, labels),
        width="stretch",
        height=height or "auto",
    )
    download(frame, name, key, id_column=id_column)
    rows = event.selection.rows if event and event.selection else []
    if rows and id_column in frame.columns:
        open_child(frame.iloc[rows[0]][id_column])


def table(
    frame: pd.DataFrame, key: str, *, name: str, labels: dict[str, str] | None = None
) -> None:
    """An aggregate table (teams, workers, bands) with its download."""
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        column_config=column_config(frame, labels),
    )
    download(frame, name, key)
