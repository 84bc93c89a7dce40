"""Every download button of the dashboard: the only place `st.download_button` is called.

Whatever a page offers (a table as CSV, a workbook, a printable HTML document) passes through
here, so no page can forget to neutralise formula cells (frontdoor/safe_export.py) or offer a
file name built from hostile ids; a download of children's rows is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from frontdoor import pdf as pdf_maker
from frontdoor import safe_export
from metrics.engine import with_reasons
from ui import auth
from ui.filters import current_params

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pdf": "application/pdf",
}


Ids = Sequence[str] | Callable[[], Sequence[str]]


def _audited(person_ids: Ids, detail: str) -> Callable[[], None] | str:
    """The on_click of a download: an audit entry when it hands over children's rows.
    `person_ids` may be a function giving them (a long list's every child, worked out only
    when the button is pressed, not on every run that offers it)."""
    if callable(person_ids):
        later = person_ids

        def record() -> None:
            ids = [str(p) for p in later()]
            if ids:
                auth.record("download", person_ids=ids, filters=current_params(), detail=detail)

        return record
    if not person_ids:
        return "ignore"
    ids = [str(p) for p in person_ids]
    return lambda: auth.record("download", person_ids=ids, filters=current_params(), detail=detail)


def _button(
    label: str,
    data: bytes | Callable[[], bytes],
    file_name: str,
    mime: str,
    key: str,
    on_click: Callable[[], None] | str,
    primary: bool = False,
    disabled: bool = False,
    help: str | None = None,
) -> None:
    st.download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click=on_click,
        type="primary" if primary else "secondary",
        disabled=disabled,
        help=help,
    )


def csv(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    *,
    label: str = "Download CSV",
    person_ids: Ids = (),
) -> None:
    """A CSV of the rows shown, text cells neutralised; `person_ids` audits it. A figure the
    extract cannot give says so in the file ("n/a — needs ..."), never a blank. `frame` may be
    a function giving the rows: a list longer than the screen shows (ui/tables.py) hands over
    every row, made only when the button is pressed.

    Made when the button is pressed (`_later`), not on every run of the page: a page offers
    one under every chart and table, and most are never asked for; handing Streamlit the bytes
    made it digest them on every run too (a second at 200,000 children for a long list)."""
    _button(
        label,
        _later(frame),
        safe_export.file_name(name, "csv"),
        MIME["csv"],
        key,
        _audited(person_ids, name),
    )


def _later(frame: pd.DataFrame | Callable[[], pd.DataFrame]) -> Callable[[], bytes]:
    """The CSV of `frame` as it is now, made when called (on the button's press, in a thread of
    Streamlit's, outside any page run). The frame is kept as a shallow copy: pandas copies on
    write, so a page changing its frame afterwards does not change the file. A function giving
    the frame is called then (it must not use Streamlit's page commands: they are ignored)."""
    if callable(frame):
        made = frame
        return lambda: safe_export.csv_bytes(with_reasons(made()))
    kept = frame.copy(deep=False)
    return lambda: safe_export.csv_bytes(with_reasons(kept))


def xlsx(
    sheets: Mapping[str, pd.DataFrame],
    name: str,
    key: str,
    *,
    label: str = "Download workbook",
    person_ids: Ids = (),
) -> None:
    """A workbook, one sheet per frame, text cells neutralised and stored as text."""
    data = safe_export.xlsx_bytes({sheet: with_reasons(f) for sheet, f in sheets.items()})
    file_name = safe_export.file_name(name, "xlsx")
    _button(label, data, file_name, MIME["xlsx"], key, _audited(person_ids, name))


def html(
    document: str | Callable[[], str],
    name: str,
    key: str,
    *,
    label: str,
    person_ids: Ids = (),
    detail: str | None = None,
) -> None:
    """A printable HTML document. It must be built with safe_export's html_* functions (every
    value escaped and neutralised): this only hands it over. `document` may be a function
    giving it, called when the button is pressed (a document costly to make)."""
    data = (lambda: document().encode("utf-8")) if callable(document) else document.encode("utf-8")
    file_name = safe_export.file_name(name, "html")
    _button(label, data, file_name, MIME["html"], key, _audited(person_ids, detail or name))


def pdf(
    data: bytes,
    name: str,
    key: str,
    *,
    label: str,
    person_ids: Ids = (),
    detail: str | None = None,
) -> None:
    """A PDF printed from a document built as `html` requires (frontdoor/pdf.py prints it with
    the network shut off): handed over under a safe file name, audited when it names children."""
    file_name = safe_export.file_name(name, "pdf")
    _button(label, data, file_name, MIME["pdf"], key, _audited(person_ids, detail or name))


def printed_pdf(
    document: str,
    name: str,
    key: str,
    *,
    label: str,
    person_ids: Ids = (),
    detail: str | None = None,
) -> str | None:
    """A printable HTML document (built as for `html`) as a PDF, printed by headless Chromium
    (frontdoor/pdf.py) only when the button is pressed, so a page that offers it pays nothing
    until then. Where Chromium is absent the button is shown disabled; returns why, for the
    page to say so (None when the PDF can be made)."""
    why_not = pdf_maker.unavailable()
    _button(
        label,
        (lambda: pdf_maker.html_to_pdf(document)) if why_not is None else b"",
        safe_export.file_name(name, "pdf"),
        MIME["pdf"],
        key,
        _audited(person_ids, detail or name),
        disabled=why_not is not None,
        help=why_not,
    )
    return why_not


def prepared(
    label: str,
    data: bytes,
    file_name: str,
    key: str,
    *,
    mime: str,
    detail: str,
    primary: bool = False,
) -> None:
    """A file a safe writer has already made (a return from frontdoor/returns: its text cells
    through frontdoor/safe_text, its XML escaped by the XML library), handed over as it is
    under a safe file name; every download of it is audited (returns hold children's details)."""
    stem, _, suffix = file_name.rpartition(".")
    safe_name = safe_export.file_name(stem or suffix, suffix if stem else "bin")
    _button(
        label,
        data,
        safe_name,
        mime,
        key,
        lambda: auth.record("download", detail=detail),
        primary,
    )
