"""A synthetic extract with hostile text in every free-text and name field, and hostile ids.

The generator's small authority is rewritten, table by table, before the real loader loads it:
- every identifier (person, family, referral, team, worker, plan, ... ids) keeps joining (one
  id maps to one hostile id everywhere) but starts with a formula character and carries markup;
- every name and free-text field (team and department names, worker names and job titles,
  agencies, referral and contact sources, plan categories, ethnicity, sex, close reasons, need
  codes) starts with a formula character (`=`, `+`, `-`, `@`, tab, carriage return) and
  carries HTML, Markdown links and images, LaTeX and SQL.
Columns whose values the measures compare with fixed words (role, note type, assessment type)
keep theirs, so every page still has figures, charts and tables to draw.
"""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from frontdoor.generate import generate_extract
from frontdoor.schema import ID, TABLES, TEXT

PAYLOAD = (
    ' <a href="https://evil.test/">link</a> <b>bold</b> <img src=x onerror=alert(1)>'
    " <script>alert(1)</script> [md](javascript:alert(1)) ![img](http://evil.test/i.png)"
    " **strong** $x^2$ '; DROP TABLE ssd_person;--"
)
ID_PAYLOAD = "<b>[i](javascript:alert(1))</b>"
TEXT_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ID_PREFIXES = ("=", "+", "-", "@")  # ids are stripped of blanks at the edges by the pages
# Text the measures compare with fixed words: left as generated.
KEPT = {"invo_professional_role_id", "note_type", "cina_assessment_type"}
# Text that only has to be non-blank (a registration number means "qualified").
START = dt.date(2024, 4, 1)
END = dt.date(2026, 3, 31)


def _pick(options: tuple[str, ...], value: str) -> str:
    return options[zlib.crc32(value.encode("utf-8")) % len(options)]


def hostile_id(value: str) -> str:
    """One id, always the same hostile id (so the tables still join)."""
    return f"{_pick(ID_PREFIXES, value)}{value}{ID_PAYLOAD}"


def hostile_text(value: str) -> str:
    return f"{_pick(TEXT_PREFIXES, value)}{value}{PAYLOAD}"


def _rewrite(column: pa.ChunkedArray, kind: str) -> pa.Array:
    change = hostile_id if kind == ID else hostile_text
    values = column.to_pylist()
    return pa.array([None if v is None else change(str(v)) for v in values], pa.string())


def write_hostile_extract(out: Path, *, children: int = 220, seed: int = 7) -> Path:
    """Generate a small authority into `out` (Parquet: text may hold commas, quotes, tabs and
    line breaks) and rewrite its ids and texts as described above."""
    generate_extract(out, seed=seed, children=children, start=START, end=END, fmt="parquet")
    for name, spec in TABLES.items():
        path = out / f"{name}.parquet"
        if not path.exists():
            continue
        table = pq.read_table(path)
        for i, column in enumerate(table.column_names):
            kind = spec.columns.get(column)
            if kind not in (ID, TEXT) or column in KEPT:
                continue
            table = table.set_column(i, column, _rewrite(table.column(column), kind))
        pq.write_table(table, path)
    return out
