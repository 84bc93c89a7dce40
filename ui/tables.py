"""Tables of children or cases: row selection opens the Child page; every table downloads."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics.words import CODED, code_help, date_text, decode_all, label, missing
from ui import auth, chart_picks, data, downloads, page_drawing
from ui.data import fingerprint
from ui.filters import current_params
from ui.nav import CHILD_PAGE


def _is_date(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if series.dtype != object:
        return False
    first = series.dropna()
    return not first.empty and isinstance(first.iloc[0], dt.date)


# An id column shown by its name instead, when the frame carries the name (see with_names).
NAMED = {"team": "team_name", "worker_id": "worker_name", "worker": "worker_name"}


def with_names(
    frame: pd.DataFrame, names: tuple[dict[str, str], dict[str, str]] | None = None
) -> pd.DataFrame:
    """The frame with team and worker names beside their ids (teams and workers are said by
    name; the id stays for downloads and for the code behind a selection). `names`: the
    (teams, workers) lookups, when they were read already (a download made outside a run)."""
    teams, workers = names or data.names()
    out = frame
    for column, name, lookup in (
        ("team", "team_name", teams),
        ("worker_id", "worker_name", workers),
    ):
        if column in out.columns and name not in out.columns and lookup:
            out = out.copy() if out is frame else out
            values = [lookup.get(v, v) if isinstance(v, str) else v for v in out[column]]
            out.insert(out.columns.get_loc(column) + 1, name, values)
    return out


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """What a table shows: codes in words (metrics.words.CODED); no "None" for a missing value. A date column with
    gaps is shown as text ("3 Feb 2026", blank where missing); a number or text column with
    gaps, blank there. Columns without gaps keep their type (and sort as numbers and dates)."""
    out = frame.copy()
    for col, kind in CODED.items():
        if col in out.columns and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v, k=kind: decode_all(k, v))
    for col in out.columns:
        series = out[col]
        if not series.isna().any():
            continue
        if _is_date(series):
            out[col] = [date_text(v) for v in series]
        else:
            out[col] = [_cell(v) for v in series]
    return out


def _cell(value: object) -> str:
    """One value of a column with gaps, as text."""
    if missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = float(value)
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


def column_config(
    frame: pd.DataFrame,
    labels: dict[str, str | None] | None = None,
    widths: dict[str, str | int] | None = None,
    codes: pd.DataFrame | None = None,
) -> dict:
    """Every column labelled in words; dates as "3 Feb 2026"; shares to one decimal with %; an
    id column hidden where its name is beside it; a column labelled None is hidden; `widths`
    ("small", "medium", "large" or pixels) where the content's own width would cut a column short.
    A column of codes shown in words has the codes in its help (from `codes`, the frame before
    `readable`, when given)."""
    labels = labels or {}
    widths = widths or {}
    config = {}
    for col in frame.columns:
        if (col in labels and labels[col] is None) or (
            col in NAMED and NAMED[col] in frame.columns and col not in labels
        ):
            config[col] = None
            continue
        name = labels.get(col) or label(col)
        width = widths.get(col)
        helps = None
        if col in CODED and not pd.api.types.is_numeric_dtype(frame[col]):
            found = codes[col].dropna().unique() if codes is not None and col in codes else ()
            helps = code_help(CODED[col], found)
        if _is_date(frame[col]):
            config[col] = st.column_config.DateColumn(
                name, format="D MMM YYYY", width=width, help=helps
            )
        elif str(col).endswith("_pct") and pd.api.types.is_numeric_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(name, format="%.1f%%", width=width)
        elif pd.api.types.is_float_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(
                name, format=_number_format(frame[col]), width=width
            )
        else:
            config[col] = st.column_config.Column(name, width=width, help=helps)
    return config


def _number_format(series: pd.Series) -> str:
    """Whole numbers as whole numbers, anything else to one decimal (86.0681 -> 86.1)."""
    present = series.dropna()
    return "%d" if ((present - present.round()).abs() < 1e-9).all() else "%.1f"


# -- lists longer than the screen shows ---------------------------------------------------------

LIST_ROWS_ENV = "FRONTDOOR_LIST_ROWS"
LIST_ROWS = 5000


def list_rows() -> int:
    """How many rows a list shows on screen: $FRONTDOOR_LIST_ROWS, else 5,000 (as many as a
    drill-down reads). A longer list shows its first rows, says how many there are, and its
    download has them all: a browser table of 150,000 rows is unreadable, and converting and
    sending it took most of a run at 1,000,000 children."""
    try:
        return max(int(os.environ.get(LIST_ROWS_ENV, LIST_ROWS)), 1)
    except ValueError:
        return LIST_ROWS


@dataclass(frozen=True)
class Longer:
    """A list of which only the first rows may be shown: how many rows it has in all, its
    order in words ("most urgent first"), and a function giving every row (for the download,
    called only when its button is pressed, and the rows it gives are the download's even
    when every row is shown)."""

    total: int
    order: str
    every: Callable[[], pd.DataFrame]


def capped(
    frame: pd.DataFrame, order: str, limit: int | None = None
) -> tuple[pd.DataFrame, Longer | None]:
    """The rows a table shows of `frame` (its first `limit`, default `list_rows()`), and the
    whole list when that leaves rows out (None when it does not)."""
    limit = list_rows() if limit is None else limit
    if len(frame) <= limit:
        return frame, None
    whole = frame.copy(deep=False)  # pandas copies on write: the page cannot change it
    return frame.head(limit), Longer(len(frame), order, lambda: whole)


def longer_note(shown: int, longer: Longer) -> str:
    """What a capped list says above itself: how many rows there are, that only the first are
    shown, in which order, and that the download has every row."""
    return (
        f"{longer.total:,} rows: only the first {shown:,}, {longer.order}, are shown here. "
        f"The CSV download has all {longer.total:,}."
    )


def _every_named(longer: Longer) -> Callable[[], pd.DataFrame]:
    """Every row of a capped list with team and worker names beside their ids, as the rows
    shown have them (the names read now, in the page run; the rows when the file is made)."""
    names = data.names()
    return lambda: with_names(longer.every(), names)


def download_every(longer: Longer, name: str, key: str) -> None:
    """The download of every row of a capped aggregate table (no children's ids in it)."""
    downloads.csv(_every_named(longer), name, f"dl_{key}")


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


SCOPE_WHY = {
    "teams": "those children are not allocated to, referred to or assessed by your teams",
    "cp": "those children have no child protection plan or initial conference",
}


def hidden_note(hidden: int, total: int) -> str:
    """Why a list is shorter than its figure: how many rows the viewer's role leaves out."""
    why = SCOPE_WHY.get(auth.viewer().scope or "", "your role does not show them")
    return (
        f"{hidden:,} of {total:,} are not shown here: {why}, so your role does not open "
        "their records."
    )


# Streamlit wraps a text cell only in rows taller than 4rem (64px): this height gives a long
# cell (a worklist's detail, a conference's timeliness) up to three lines instead of cutting it.
WRAP_ROW_HEIGHT = 66


def wrapped_height(rows: int, most: int = 700) -> int:
    """The height of a table of wrapped rows showing them all, up to `most` pixels."""
    return min(WRAP_ROW_HEIGHT * rows + 38, most)


def open_child(person_id: str) -> None:
    """Go to the Child page for one person, keeping the filters in the URL."""
    st.switch_page(CHILD_PAGE, query_params={**current_params(), "person": str(person_id)})


@dataclass
class Shown:
    """What a table shows of its rows, made once per rows (`shown`): the rows with names beside
    ids (for the download and the row chosen), what st.dataframe is handed (converted for it
    when kept: ui/chart_picks.arrow_table), the ids as text, and the columns' settings."""

    frame: pd.DataFrame
    shown: object
    ids: list[str] | None
    config: dict


def shown(
    frame: pd.DataFrame,
    id_column: str | None,
    labels: dict[str, str | None] | None = None,
    widths: dict[str, str | int] | None = None,
    *,
    convert: bool = False,
    codes: bool = True,
) -> Shown:
    """What a table shows of `frame` (`prepared`, `column_config`, with the codes of coded
    columns in their help unless `codes` is False); `convert`: the rows shown converted as
    st.dataframe converts them, once, for a page that keeps them."""
    named, readable_, ids = prepared(frame, id_column)
    config = column_config(readable_, labels, widths, codes=named if codes else None)
    handed = chart_picks.arrow_table(readable_) if convert and not readable_.empty else readable_
    return Shown(named, handed, ids, config)


def kept_shown(
    kept: tuple | None,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    id_column: str | None = None,
    labels: dict[str, str | None] | None = None,
    widths: dict[str, str | int] | None = None,
    *,
    codes: bool = True,
) -> Shown:
    """`shown`, kept under `kept` in the drawing of a page that keeps one (ui/page_drawing):
    `kept` names the rows (they are decided by it, the data and the filters), so their names,
    words, dates and conversion for the browser are made once. None: made on every run.
    `frame` may be a function giving the rows, called only when they are made."""
    drawing = page_drawing.current() if kept is not None else None

    def make() -> Shown:
        rows = frame() if callable(frame) else frame
        return shown(rows, id_column, labels, widths, convert=drawing is not None, codes=codes)

    return page_drawing.part(drawing, ("table", *(kept or ())), make)


def child_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
    *,
    name: str,
    id_column: str = "person_id",
    caption: str | None = None,
    height: int | None = None,
    labels: dict[str, str | None] | None = None,
    hidden: int = 0,
    widths: dict[str, str | int] | None = None,
    wrap: bool = False,
    order: str = "in the list's order",
    longer: Longer | None = None,
    kept: tuple | None = None,
) -> None:
    """The children behind a number. Selecting a row opens that child's chronology. `hidden`:
    how many rows of the list the viewer's scope leaves out (said, with why, never silently).
    `wrap`: long text wraps in taller rows (WRAP_ROW_HEIGHT) instead of being cut.

    A list longer than `list_rows()` shows its first rows (`order` says which, in words) and
    says so; its download has every row. A page that keeps the whole list apart (so a run
    never reads it) passes the first rows as `frame` and the whole list as `longer`.

    `kept`: the key naming these rows in the page's drawing (ui/page_drawing; the rows are
    decided by it, the data and the filters), so what the table shows of them is made once:
    their names, words and dates, and their conversion for the browser. With `kept` and
    `longer`, `frame` may be a function giving the rows (never none), called only when the
    drawing lacks them: a list's codes put in words cost a third of a run at 1,000,000
    children."""
    if isinstance(frame, pd.DataFrame) and frame.empty:
        if hidden:
            st.info(hidden_note(hidden, hidden))
        else:
            st.info("No children or cases match these filters.")
        return
    if longer is None:
        frame, longer = capped(frame, order)
    made = kept_shown(kept, frame, id_column, labels, widths)
    frame, ids = made.frame, made.ids
    if caption:
        st.caption(caption)
    if longer is not None and longer.total > len(frame):
        st.caption(longer_note(len(frame), longer))
    if hidden:
        st.caption(hidden_note(hidden, hidden + (longer.total if longer else len(frame))))
    if ids is not None:
        auth.record("rows_shown", person_ids=ids, filters=current_params(), detail=name, once=True)
    event = st.dataframe(
        made.shown,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        placeholder="",  # a missing value is blank, never "None"
        column_config=made.config,
        width="stretch",
        height=height or "auto",
        row_height=WRAP_ROW_HEIGHT if wrap else None,
    )
    if longer is None:
        downloads.csv(frame, name, f"dl_{key}", person_ids=ids or [])
    else:
        every = _every_named(longer)
        downloads.csv(
            every,
            name,
            f"dl_{key}",
            person_ids=(lambda: [str(v) for v in every()[id_column]])
            if id_column in frame.columns
            else [],
        )
    rows = event.selection.rows if event and event.selection else []
    if rows and id_column in frame.columns:
        open_child(frame.iloc[rows[0]][id_column])


def prepared(
    frame: pd.DataFrame, id_column: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str] | None]:
    """The frame with names beside ids (`with_names`), what a table shows of it (`readable`),
    and its ids as text (None without `id_column`): made once per frame and data (a digest
    stands for them), not on every run. A long list's words and dates (11,000 rows at 200,000
    children) took a tenth of a second or more of every run."""
    return _prepared(fingerprint(data.current_source(), frame, id_column), frame, id_column)


@st.cache_data(ttl=600, max_entries=500, show_spinner=False)
def _prepared(
    digest: str, _frame: pd.DataFrame, id_column: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str] | None]:
    named = with_names(_frame)
    ids = [str(v) for v in named[id_column]] if id_column and id_column in named else None
    return named, readable(named), ids


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    name: str,
    labels: dict[str, str | None] | None = None,
    widths: dict[str, str | int] | None = None,
    wrap: bool = False,
    order: str = "in the list's order",
    longer: Longer | None = None,
) -> None:
    """An aggregate table (teams, workers, bands) with its download; `wrap`, `order` and
    `longer` as child_table. On a page that keeps its drawing, what it shows is kept by its
    `key`: an aggregate table's rows are decided by the data and the filters."""
    if longer is None:
        frame, longer = capped(frame, order)
    if longer is not None and longer.total > len(frame):
        st.caption(longer_note(len(frame), longer))
    made = kept_shown((key,), frame, None, labels, widths)
    frame = made.frame
    st.dataframe(
        made.shown,
        key=key,
        hide_index=True,
        placeholder="",  # a missing value is blank, never "None"
        width="stretch",
        height=wrapped_height(len(frame)) if wrap else "auto",
        row_height=WRAP_ROW_HEIGHT if wrap else None,
        column_config=made.config,
    )
    if longer is None:
        download(frame, name, key)
    else:
        download_every(longer, name, key)
