"""Annex A cells as the extract's values: headers matched to fields, dates, flags, sex,
ethnicity and "code: description" cells read, and the raw frames the loader types.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

import pandas as pd

from frontdoor.schema import TABLES
from frontdoor.sources import (
    FILE_COLUMN,
    LINE_COLUMN,
    raw_frame,
)
from frontdoor.sources.annex_a_layout import (
    _CODE_DESC,
    _ISO_DATE,
    _PREFIX,
    _UK_DATE,
    EXTRA_COLUMNS,
    FLAG_EMPTY,
    OWN_COLUMNS,
    SEX,
    _norm,
)


def _match_field(header: object, spec) -> str | None:
    h = _norm(header)
    if not h:
        return None
    for f, (_, aliases) in spec.items():
        if h in aliases:
            return f
    best, best_score = None, 0.0
    for f, (_, aliases) in spec.items():
        for a in aliases:
            score = difflib.SequenceMatcher(None, h, a).ratio()
            if score > best_score:
                best, best_score = f, score
    if best_score >= 0.88:
        return best
    # A known wording inside a longer header ("Allocated Team (current)"), longest first.
    contained = [
        (len(a), f)
        for f, (_, aliases) in spec.items()
        for a in aliases
        if len(a) >= 8 and re.search(rf"\b{re.escape(a)}\b", h)
    ]
    if contained:
        return max(contained)[1]
    return None


def _cell(row, i):
    if i is None or i >= len(row):
        return None
    return row[i]


def _clean(s: str) -> str | None:
    s = " ".join(s.replace("\xa0", " ").split())
    return s or None


def _to_text(v, kind: str) -> str | None:
    """A cell as text: dates ISO, whole numbers without '.0', codes without 'a) '."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if kind != "text" or v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, int | float):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    s = _clean(str(v))
    if s is None:
        return None
    if kind == "date":
        return _date_text(s)
    if kind in ("code", "flag"):
        s = _PREFIX.sub("", s) or s
    return s


def _date_text(s: str) -> str:
    """UK or ISO date text as ISO when it is a real date; otherwise as written (the loader
    rejects it with its line)."""
    m = _UK_DATE.match(s)
    if m:
        d, mth, y = (int(x) for x in m.groups())
    else:
        m = _ISO_DATE.match(s)
        if not m:
            return s
        y, mth, d = (int(x) for x in m.groups())
    try:
        return dt.date(y, mth, d).isoformat()
    except ValueError:
        return s


def _iso_or_none(s: str | None) -> str | None:
    if s and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s
    return None


def _flag(s: str | None) -> str | None:
    if s is None:
        return None
    if s.strip().lower() in FLAG_EMPTY:
        return None
    return s


def _sex(s: str | None) -> str | None:
    if s is None:
        return None
    return SEX.get(s.strip().lower())


def _ethnicity(s: str | None) -> str | None:
    if s is None:
        return None
    m = re.match(r"^([A-Z]{4})\b", s)
    return m.group(1) if m else s


def _code_desc(s: str | None) -> tuple[str | None, str | None]:
    """'6: Police' -> ('6', 'Police'); 'N1 - Abuse or neglect' -> ('N1', 'Abuse or neglect')."""
    if s is None:
        return None, None
    m = _CODE_DESC.match(s)
    if m:
        return m.group(1), m.group(2).strip()
    if re.fullmatch(r"[0-9][A-Z]?|[A-Z]{1,3}[0-9]{0,2}[A-Z]?", s):
        return s, None
    return s, s


def _columns(table: str) -> list[str]:
    if table in OWN_COLUMNS:
        base = list(OWN_COLUMNS[table])
    else:
        base = list(TABLES[table].columns) + EXTRA_COLUMNS.get(table, [])
    return [*base, FILE_COLUMN, LINE_COLUMN]


def _frame(table: str, rows: Iterable[dict]) -> pd.DataFrame:
    return raw_frame(_columns(table), rows)
