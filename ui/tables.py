"""Tables of children or cases: row selection opens the Child page; every table downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import auth
from ui.filters import current_params
from ui.nav import CHILD_PAGE


def date_config(frame: pd.DataFrame) -> dict:
    """Show date columns as UK dates (DuckDB dates arrive in pandas as midnight timestamps)."""
    return {
        col: st.column_config.DateColumn(format="DD/MM/YYYY")
        for col in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[col])
    }


def download(
    frame: pd.DataFrame,
    name: str,
    key: str,
    label: str = "Download CSV",
    id_column: str | None = None,
) -> None:
    """A CSV download of exactly what is shown; a download of children's rows is audited."""
    ids = [str(v) for v in frame[id_column]] if id_column and id_column in frame else []
    st.download_button(
        label,
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_{key}",
        on_click=(
            (lambda: auth.record("download", person_ids=ids, filters=current_params(), detail=name))
            if ids
            else "ignore"
        ),
    )


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
        column_config=date_config(frame),
        width="stretch",
        height=height or "auto",
    )
    download(frame, name, key, id_column=id_column)
    rows = event.selection.rows if event and event.selection else []
    if rows and id_column in frame.columns:
        open_child(frame.iloc[rows[0]][id_column])


def table(frame: pd.DataFrame, key: str, *, name: str) -> None:
    """An aggregate table (teams, workers, bands) with its download."""
    st.dataframe(frame, key=key, hide_index=True, width="stretch", column_config=date_config(frame))
    download(frame, name, key)
