"""What goes into a file someone opens: the one place downloads and exports are made safe.

Names and free text come from case systems anyone at the council can type into. A cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel (and LibreOffice) as
a formula, so `=HYPERLINK("http://...")` in a team name would act when a manager opens the CSV.
Following OWASP's CSV-injection guidance, such a text cell is prefixed with a single quote: it
shows as the text it is. Numbers stay numbers (a negative number is a number, not a formula).
HTML documents escape every value, and a text cell in one is neutralised the same way (Excel
opens HTML tables too).

Every CSV, xlsx, HTML (or, later, PDF) the product offers is built with these functions: the
dashboard's buttons through `ui/downloads.py`, the printable review pack through `html_*` here.
The rule for one text value lives in `frontdoor/safe_text.py` (the command line's writers use it
directly).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from frontdoor import safe_text

FORMULA_PREFIXES = safe_text.FORMULA_STARTS
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9]+")


def cell(value: object) -> object:
    """A value for a spreadsheet cell: text that a spreadsheet would run gets a leading `'`
    (frontdoor/safe_text, shared with the command line's writers); anything else (numbers,
    dates, blanks, plain text) is returned unchanged."""
    if isinstance(value, str):
        return safe_text.neutralise(value)
    return value


def frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of `data` with every text cell (and column name) passed through `cell`; numeric,
    date and boolean columns are kept as they are, typed."""
    out = data.copy()
    out.columns = [cell(c) if isinstance(c, str) else c for c in out.columns]
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        if pd.api.types.is_bool_dtype(column):
            continue
        out[name] = column.map(cell, na_action="ignore")
    return out


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV, every text cell neutralised."""
    return frame(data).to_csv(index=False).encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, every text cell neutralised and stored as text
    (openpyxl would otherwise store a string starting with "=" as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, data in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        safe = frame(data)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False, name=None):
            sheet.append([_xlsx_value(v) for v in row])
        for row in sheet.iter_rows(min_row=1):
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or "Sheet"
    return cleaned[:31]


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return safe_text.cell_text(value)  # characters an .xlsx cannot hold are removed
    if isinstance(value, (int, float, bool, dt.date)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def file_name(stem: str, suffix: str) -> str:
    """A download's file name: letters and digits joined by `_` (ids from the data can hold
    quotes, slashes, dots or markup), then `.suffix`."""
    safe = _UNSAFE_IN_NAME.sub("_", str(stem)).strip("_") or "download"
    return f"{safe[:120]}.{suffix}"


# ------------------------------------------------------------------------------------- HTML


def html_text(value: object, fmt=str) -> str:
    """Any value as escaped HTML text, a text value neutralised as a cell; `fmt` formats
    dates and the like (blank for missing)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return html.escape(str(cell(value)))
    return html.escape(fmt(value))


def html_table(data: pd.DataFrame | None, empty: str, fmt=str) -> str:
    """A frame as an HTML table (headers in words), every value through `html_text`."""
    if data is None or data.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html_text(str(c).replace('_', ' '))}</th>" for c in data.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(v, fmt)}</td>" for v in row) + "</tr>"
        for row in data.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_facts(pairs: Iterable[tuple[str, object]], fmt=str) -> str:
    """Label / value pairs as a two-column HTML table."""
    rows = "".join(
        f"<tr><th>{html_text(k)}</th><td>{html_text(v, fmt)}</td></tr>" for k, v in pairs
    )
    return f"<table class='facts'>{rows}</table>"
