"""A CSV file made ready for DuckDB: its encoding, line endings, delimiter and header.

The header is read here, so the dialect never depends on DuckDB's sniffer guessing from broken
rows; a file DuckDB could not read as it is (UTF-16, Windows-1252, CR-only line endings) gets a
UTF-8 copy, and rows that would make DuckDB lose others are set aside (frontdoor.sources.text).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from frontdoor.sources import WARNING, Problem, text
from frontdoor.sources.staging import unreadable


@dataclass
class PreparedCsv:
    """A text file made ready for DuckDB (see frontdoor.sources.text)."""

    path: Path  # UTF-8: the original, or a repaired copy in the load's working folder
    delimiter: str
    header: list[str]
    problems: list[Problem]
    set_aside: dict[int, str]  # physical line -> why the row was set aside (rejected)
    raw: dict[int, str]  # physical line -> its text
    survey: text.Survey | None = None  # of `path`, before any line repair
    lines_checked: bool = False  # `check_lines` has run (damaged rows set aside)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80]


def prepare_csv(path: Path, file: str, table: str, workdir: Path) -> PreparedCsv:
    """Find the encoding, line endings and delimiter of a text file, and make a UTF-8 copy when
    DuckDB could not read it as it is: a UTF-16 or Windows-1252 file, CR-only line endings. The
    original is never changed. Damaged lines are `check_lines`' job (run only when needed)."""
    expected = "a CSV text file whose first line names the columns"
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError as e:
        raise unreadable(file, table, e.strerror or str(e), expected) from None
    encoding = text.detect_encoding(head)
    if size == 0 or not head.replace(b"\x00", b"").strip():
        raise unreadable(file, table, "the file is empty", expected)
    if encoding.startswith("utf-8") and b"\x00" in head:
        raise unreadable(file, table, "it is not a text file (binary content)", expected)
    problems: list[Problem] = []
    ascii_head = head.replace(b"\x00", b"")
    cr_only = b"\n" not in ascii_head and b"\r" in ascii_head
    read = path
    found = None if encoding.startswith("utf-16") or cr_only else text.survey(path)
    if found is None or not found.utf8:
        workdir.mkdir(parents=True, exist_ok=True)
        read = workdir / f"{_safe(file)}.utf8.csv"
        n_bytes, lines = text.transcode(path, read, encoding, cr_only)
        found = text.survey(read)
        if encoding.startswith("utf-16"):
            order = "little-endian" if encoding.endswith("le") else "big-endian"
            problems.append(
                Problem(
                    WARNING, f"the file is UTF-16 ({order}) text; read as such", file, table=table
                )
            )
        if cr_only:
            problems.append(
                Problem(
                    WARNING,
                    "lines end in a carriage return (CR) alone, as on old Macs; read as line ends",
                    file,
                    table=table,
                )
            )
        if n_bytes:
            where = ", ".join(str(n) for n in lines[:5])
            problems.append(
                Problem(
                    WARNING,
                    f"{n_bytes:,} byte(s) are not UTF-8 (first on line {where}); read as "
                    "Windows-1252 characters (’ é £ ...) - check accented names look right",
                    file,
                    table=table,
                    line=lines[0] if lines else None,
                )
            )
    with read.open("rb") as f:
        decoded = f.read(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
    first_line = decoded.split("\n", 1)[0].rstrip("\r")
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    delim = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        header = next(csv.reader(io.StringIO(first_line), delimiter=delim, quotechar='"'))
    except (csv.Error, StopIteration):
        header = []
    if not any(h.strip() for h in header):
        raise unreadable(file, table, "the first line (the header) is blank", expected)
    return PreparedCsv(read, delim, header, problems, {}, {}, found)


def check_lines(prep: PreparedCsv, file: str, workdir: Path) -> PreparedCsv:
    """Set aside the rows that would make DuckDB lose others: a CR alone inside a row, a quote
    that never closes (frontdoor.sources.text). The file is read line by line in Python only
    when a quick scan finds one of those or a value spanning lines."""
    if prep.lines_checked:
        return prep
    prep.lines_checked = True
    if text.needs_line_check(prep.path):
        workdir.mkdir(parents=True, exist_ok=True)
        repaired = workdir / f"{_safe(file)}.lines.csv"
        set_aside, raw = text.repair_lines(prep.path, repaired, prep.delimiter, len(prep.header))
        if set_aside:
            prep.path, prep.set_aside, prep.raw = repaired, set_aside, raw
        else:
            repaired.unlink()
    return prep
