"""The statutory returns written from the loaded data: the DfE CIN census XML
(`frontdoor.returns.cin_census`) and Ofsted's Annex A workbook (`frontdoor.returns.annex_a`).

They are the inverse of the readers in `frontdoor.sources`: what the readers map into the SSD
tables, the writers map back out, so a return written here loads back into frontdoor. Both read
the database through bound-parameter SQL only, report every item the return needs but the data
lacks (a `Gap`) instead of inventing it, and write their file private to its owner (0600),
never over an existing file unless asked.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from frontdoor.private import private_dir


class ExportError(Exception):
    """The return cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Gap:
    """Something the return needs that the data does not hold, and what was done about it."""

    person_id: str | None
    record: str  # e.g. "referral 2025-06-01", "child", "CP plan 2025-07-01"
    item: str  # the return's element or column, e.g. "ReferralNFA", "Primary Need Code"
    what: str  # what was done, in words


@dataclass
class ExportResult:
    """A written (or built) return: what it holds and what it could not carry."""

    kind: str  # "cin_census" or "annex_a"
    path: Path | None
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    content: bytes = b""

    def render(self, max_gaps: int = 200) -> str:
        """A plain-text report: counts, notes and the gaps (the first `max_gaps`)."""
        lines = [f"{self.kind}: written to {self.path}" if self.path else f"{self.kind}: built"]
        lines += [f"  {name}: {n:,}" for name, n in self.counts.items()]
        lines += [f"  note: {n}" for n in self.notes]
        if self.gaps:
            lines.append(f"{len(self.gaps):,} gap(s) in the data (nothing was invented):")
            for g in self.gaps[:max_gaps]:
                who = f"child {g.person_id}, " if g.person_id else ""
                lines.append(f"  {who}{g.record}: {g.item}: {g.what}")
            if len(self.gaps) > max_gaps:
                lines.append(f"  ... and {len(self.gaps) - max_gaps:,} more")
        else:
            lines.append("No gaps: every item the return needs was in the data.")
        return "\n".join(lines)


def write_private(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path`, readable by its owner only (0600), atomically.

    Refuses when `path` exists unless `force`; the file is written beside it first and moved
    into place, so an interrupted export never leaves half a return."""
    path = Path(path)
    if path.exists() and not force:
        raise ExportError(f"{path} already exists: choose another file name, or pass --force")
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name")
    private_dir(path.parent)  # a new folder is the owner's only (0700)
    tmp = path.parent / f".{path.name}.writing-{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)


def open_db(db: Path) -> duckdb.DuckDBPyConnection:
    """The database read-only (the returns never change it)."""
    db = Path(db)
    if not db.is_file():
        raise ExportError(f"no database at {db}: load an extract first (frontdoor load)")
    return duckdb.connect(str(db), read_only=True)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The columns of `table` in the database (empty when the table is not there): readers
    add columns of their own (e.g. `cppl_number_of_previous_cpp` from the census), which the
    writers use when present."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = $t", {"t": table}
    ).fetchall()
    return {r[0] for r in rows}


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every table in the database."""
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def present_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables the extract provided: in the database and not marked absent in the load report."""
    existing = table_names(con)
    if "load_report" in existing:
        absent = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM load_report WHERE status = 'absent'"
            ).fetchall()
        }
        existing -= absent
    return existing


def iso(value: object) -> str | None:
    """A date (or datetime) as YYYY-MM-DD; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


FLAG_TRUE = {"y", "yes", "true", "1", "t", "a) yes"}
FLAG_FALSE = {"n", "no", "false", "0", "f", "b) no"}


def flag(value: object) -> bool | None:
    """A loaded flag (BOOLEAN, or text in a reader's extra column) as True/False/None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
        return False
    return None
