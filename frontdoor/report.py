"""The load report: what a load read, loaded and rejected, and every problem it found.

The full lists live in the loaded database (`rejected_rows`, `data_issues`, `load_report`); the
report carries the counts, the first problems of each kind and, when the load stopped, why and what
to do next. `render()` shows ids and the faulty values only, never whole records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from frontdoor.sources import RECODED, REJECTED, STOP, WARNING, Problem

LOADED, ABSENT, NOT_LOADED = "loaded", "absent", "not loaded"

# Control characters (a terminal obeys ESC sequences) and the marks that reorder text on screen.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control and bidirectional characters written as escapes (ESC as \\x1b), so
    a value from a file cannot move the cursor, clear the screen or reverse what follows."""
    return _CONTROLS.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


@dataclass
class TableReport:
    """Counts for one table of the extract (summed over the files that fed it)."""

    table: str
    status: str = LOADED  # LOADED, ABSENT (no file in the extract) or NOT_LOADED (load stopped)
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    warnings: int = 0


@dataclass
class LoadReport:
    """Outcome of `frontdoor.loader.load_extract`."""

    ok: bool
    source: str
    db_path: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    # STOP problems, then the first rejected rows and warnings (all of them are in the database).
    problems: list[Problem] = field(default_factory=list)
    stop: str | None = None  # why the load stopped and what to do next; None when it completed
    rejected: int = 0  # rows rejected, over all tables
    warnings: int = 0  # data issues and reader warnings, over all tables
    recoded: int = 0  # data issues saying how values were read (flags, times dropped, ...)
    seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        return sum(t.rows_read for t in self.tables.values())

    @property
    def rows_loaded(self) -> int:
        return sum(t.rows_loaded for t in self.tables.values())

    def render(self, limit: int = 20) -> str:
        """A plain-text report: per-table counts, the first `limit` problems, what to do next."""
        out: list[str] = []
        if self.ok:
            out.append(f"Loaded {self.source} into {self.db_path} in {self.seconds:.1f}s.")
        else:
            out.append(f"LOAD STOPPED: {self.source} was not loaded.")
            if self.stop:
                out.append("")
                out.extend(self.stop.splitlines())
        if self.tables:
            out.append("")
            width = max(len(n) for n in self.tables) + 2
            # Each count column as wide as its widest count (England's case notes run to eight
            # digits and more), with two spaces between columns, so numbers never run together.
            counts = [
                (t.rows_read, t.rows_loaded, t.rows_rejected, t.warnings)
                for t in self.tables.values()
                if t.status != ABSENT
            ] + [(self.rows_read, self.rows_loaded, self.rejected, self.warnings)]
            heads = ("read", "loaded", "rejected", "warnings")
            cols = [
                max(len(h), *(len(f"{row[i]:,}") for row in counts)) + 2
                for i, h in enumerate(heads)
            ]

            def line(name: str, values: tuple) -> str:
                cells = "".join(f"{v:>{w}}" for v, w in zip(values, cols, strict=True))
                return f"{name:<{width}}{cells}"

            out.append(line("table", heads))
            for t in self.tables.values():
                if t.status == ABSENT:
                    out.append(f"{t.table:<{width}}{'absent from the extract':>{sum(cols)}}")
                    continue
                flag = "" if t.status == LOADED else f"  ({t.status})"
                values = (t.rows_read, t.rows_loaded, t.rows_rejected, t.warnings)
                out.append(line(t.table, tuple(f"{v:,}" for v in values)) + flag)
            totals = (self.rows_read, self.rows_loaded, self.rejected, self.warnings)
            out.append(line("total", tuple(f"{v:,}" for v in totals)))
        shown = [p for p in self.problems if p.severity != STOP][:limit]
        if shown:
            total = len([p for p in self.problems if p.severity != STOP])
            total = max(total, self.rejected + self.warnings + self.recoded)
            out.append("")
            out.append(
                f"Problems (first {len(shown)} of {total:,}; all of them are in the tables "
                "rejected_rows and data_issues of the database):"
            )
            for p in shown:
                out.append("  " + format_problem(p))
        if self.ok:  # a stopped load's message already says what to do next
            out.append("")
            out.extend(self._next_steps())
        return "\n".join(printable(line) for line in out)

    def _next_steps(self) -> list[str]:
        steps = []
        if self.rejected:
            steps.append(
                f"{self.rejected:,} rows were rejected and are not counted by any measure: see "
                "table rejected_rows in the database (file, line, column, value, reason), "
                "correct them in the case management system or the extract, and load again."
            )
        if self.warnings:
            steps.append(
                f"{self.warnings:,} warnings about rows that were loaded but look wrong: see table "
                "data_issues; the measures they would distort leave them out and say so."
            )
        if self.recoded:
            steps.append(
                f"{self.recoded:,} notes on values read as something other than their text "
                "(flags read as yes/no, times of day dropped, dates read as day/month/year): see "
                "data_issues (severity recoded) to check they were read as meant."
            )
        absent = [t.table for t in self.tables.values() if t.status == ABSENT]
        if absent:
            steps.append(
                "Tables absent from the extract (their measures show as not available): "
                + ", ".join(absent)
                + "."
            )
        if not steps:
            steps.append("No problems found.")
        return ["Next: " + steps[0], *("      " + s for s in steps[1:])]


def format_problem(p: Problem) -> str:
    """One line: `file:line  table.column = 'value'  reason` (only the parts that are known)."""
    where = p.file or "?"
    if p.line is not None:
        where += f":{p.line}"
    parts = [where]
    if p.table or p.column:
        parts.append(".".join(x for x in (p.table, p.column) if x))
    if p.value is not None:
        value = p.value if len(p.value) <= 60 else p.value[:57] + "..."
        parts.append(f"value '{printable(value)}'")
    label = {REJECTED: "rejected", WARNING: "warning", STOP: "STOP", RECODED: "recoded"}.get(
        p.severity, p.severity
    )
    return printable("  ".join(parts) + f"  [{label}] {p.reason}")
