"""What a reader gets back from a drawn chart: its text alternative and the ids they choose.

Apart from drawing it (ui/charts.show) because it is what the chart says and gives: the
sentence and "Show as table" under every chart (ui/chart_alt reads them from the figure), and
the ids (custom_data) of the bars or points selected, or of the table's row chosen from the
keyboard, for the drill-down.
"""

from __future__ import annotations

import html

import streamlit as st
from streamlit import dataframe_util

from ui.chart_alt import ChartText
from ui.text import md


def alternative(
    said: ChartText, key: str, *, selectable: bool = False, table: object = None
) -> list[str]:
    """A chart's text alternative (WCAG 1.1.1), read from the figure (ui/chart_alt.chart_text):
    a summary sentence, and "Show as table" with its numbers in words. With `selectable`, a row
    of the table chosen (arrow keys and Space) returns the id its bar or point carries. Data is
    shown as plain text: the sentence through text.md, the table as a dataframe. `table`:
    `said.table` already converted (`arrow_table`), so a kept drawing is not converted again
    on every run; Streamlit sends the same bytes."""
    st.caption(md(said.summary))
    if table is None and said.table.empty:
        return []
    pick = selectable and any(i is not None for i in said.ids)
    with st.expander(f"Show as table: {md(said.subject)}" if said.subject else "Show as table"):
        event = st.dataframe(
            said.table if table is None else table,
            key=f"{key}_table",
            hide_index=True,
            width="stretch",
            on_select="rerun" if pick else "ignore",
            selection_mode="single-row",
        )
        if pick:
            st.caption("Choose a row to list what is behind it, as a click on the chart does.")
    rows = event.selection.rows if pick and event and event.selection else []
    if rows and rows[0] < len(said.ids) and said.ids[rows[0]] is not None:
        return [str(said.ids[rows[0]])]
    return []


def arrow_table(frame: object) -> object:
    """A table (a frame, or records) as st.dataframe converts it to send it; None for an empty
    frame. st.dataframe sends an Arrow table as it is, the same bytes, so a page that keeps its
    drawing converts once instead of on every run (a fifth of a warm Overview run went on
    converting its text alternatives' and settings' tables)."""
    frame = dataframe_util.convert_anything_to_pandas_df(frame, ensure_copy=False)
    if frame.empty:
        return None
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def selected_ids(event: object) -> list[str]:
    """The ids carried in custom_data of the selected points, as the data has them.

    Point indices restart in each trace, so only custom_data identifies a point; Streamlit
    sends it as a list or as a dict like {"0": "id"}; `show` escaped it for drawing.
    """
    if not event:
        return []
    selection = (
        event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    )
    points = (
        selection.get("points", [])
        if isinstance(selection, dict)
        else getattr(selection, "points", [])
    )
    ids: list[str] = []
    for point in points or []:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(custom, dict):
            custom = [custom[k] for k in sorted(custom, key=lambda k: int(k))]
        if isinstance(custom, (list, tuple)) and custom:
            value = custom[0]
        else:
            value = custom
        if value is not None:
            value = html.unescape(str(value))
            if value not in ids:
                ids.append(value)
    return ids
