"""Statistical neighbours' and the region's figures, from a CSV the authority keeps (e.g. copied
from DfE's LA Interactive Tool), to set beside England's on the tiles.

The file (named by `comparators = "FILE"` in the settings TOML, relative to that file):

    la_code,la_name,measure,year,value,group
    839,Bournemouth Christchurch and Poole,rereferral_12m_pct,2024-25,21.3,neighbour
    E12000009,South West,rereferral_12m_pct,2024-25,20.8,region

- `la_code`, `la_name`: the authority (or region); both required.
- `measure`: a key of England's figures (metrics/data/england.csv, e.g. `rereferral_12m_pct`,
  `referrals_per_10k`, `assessment_median_wd`, `caseload_per_fte`) or a share computed from
  DfE's bands (`assessments_within_45wd_pct`, `icpc_within_15wd_pct`).
- `year`: the collection year ending 31 March, as `2025` or `2024-25`; a workforce figure as
  its census date (`2024-09-30`).
- `value`: a number (a share as a percentage: `21.3`, not `0.213`).
- `group` (optional column): `neighbour` (the default when blank) or `region`.

A row that breaks these rules stops the app with the file, line and field named: a comparator
silently dropped would change an average nobody could check.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from metrics import benchmarks

COLUMNS = ("la_code", "la_name", "measure", "year", "value")
GROUPS = ("neighbour", "region")


class ComparatorsError(ValueError):
    """A comparators file that cannot be used, with the file, line and field named."""


@dataclass(frozen=True)
class Comparator:
    la_code: str
    la_name: str
    measure: str
    as_at: dt.date
    value: float
    group: str


@dataclass(frozen=True)
class Summary:
    """What a tile says: the neighbours' mean (how many) or the region's figure, and the year."""

    group: str
    value: float
    count: int
    as_at: dt.date
    name: str  # the region's name; for neighbours, 'neighbours'

    @property
    def year(self) -> str:
        return benchmarks.Benchmark("", self.value, self.as_at, "").year

    @property
    def label(self) -> str:
        if self.group == "region":
            return self.name
        return f"Neighbours (mean of {self.count})"


def known_measures() -> set[str]:
    """The measure keys a comparators file may use: England's figures' keys."""
    return {p.key for p in benchmarks.published()} | set(benchmarks.COMPUTED_KEYS)


def parse_year(text: str) -> dt.date:
    """'2025' or '2024-25' (year ending 31 March 2025), or an ISO date for a census day."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 3, 31)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        start = int(text[:4])
        if (start + 1) % 100 != int(text[5:]):
            raise ValueError(f"{text!r} is not a year like 2024-25 (the two years must follow)")
        return dt.date(start + 1, 3, 31)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a year: write 2025 or 2024-25 (year ending 31 March), or a "
            "date such as 2024-09-30"
        ) from None


class Comparators:
    """Every comparator row, with the summaries a tile asks for."""

    def __init__(self, rows: Iterable[Comparator], path: str = ""):
        self.rows = tuple(rows)
        self.path = path

    def __len__(self) -> int:
        return len(self.rows)

    def summary(self, measure: str, group: str, period_end: dt.date | None) -> Summary | None:
        """The neighbours' mean or the region's figure for the year of `period_end` (the latest
        on or before it, else the earliest); None when the file has none."""
        rows = [r for r in self.rows if r.measure == measure and r.group == group]
        if not rows:
            return None
        years = sorted({r.as_at for r in rows})
        earlier = [y for y in years if period_end is None or y <= period_end]
        year = max(earlier) if earlier else min(years)
        chosen = [r for r in rows if r.as_at == year]
        name = chosen[0].la_name if group == "region" else "neighbours"
        return Summary(group, round(mean(r.value for r in chosen), 1), len(chosen), year, name)


def read_comparators(path: Path | str) -> Comparators:
    """Read and check a comparators CSV; ComparatorsError names the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ComparatorsError(
            f"{path}: comparators file not found; fix the path in the settings file "
            "(comparators = ...) or remove that line"
        ) from None
    except UnicodeDecodeError:
        raise ComparatorsError(f"{path}: not UTF-8 text; save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ComparatorsError(
            f"{path}, line 1: the header lacks {', '.join(missing)}; the columns are "
            f"{','.join(COLUMNS)} and optionally group"
        )
    at = {name: header.index(name) for name in (*COLUMNS, "group") if name in header}
    known = known_measures()
    rows: list[Comparator] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    regions: dict[tuple[str, dt.date], tuple[str, int]] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise ComparatorsError(
                f"{path}, line {line}: {len(record)} fields, the header has {len(header)}"
            )
        cell = {name: record[i].strip() for name, i in at.items()}

        def bad(field: str, why: str, line: int = line) -> ComparatorsError:
            return ComparatorsError(f"{path}, line {line}, field {field}: {why}")

        for name in COLUMNS:
            if not cell[name]:
                raise bad(name, "empty; every row needs la_code, la_name, measure, year, value")
        if cell["measure"] not in known:
            raise bad(
                "measure",
                f"unknown measure {cell['measure']!r}; known: {', '.join(sorted(known))}",
            )
        try:
            as_at = parse_year(cell["year"])
        except ValueError as exc:
            raise bad("year", str(exc)) from None
        try:
            value = float(cell["value"].replace(",", ""))
        except ValueError:
            raise bad("value", f"{cell['value']!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise bad("value", f"{cell['value']!r} is not a number")
        group = (cell.get("group") or "neighbour").lower()
        if group not in GROUPS:
            raise bad("group", f"{cell.get('group')!r}; write neighbour or region (or leave blank)")
        key = (cell["la_code"], cell["measure"], as_at)
        if key in seen:
            raise bad(
                "la_code",
                f"{cell['la_code']} already has {cell['measure']} for {cell['year']} "
                f"(line {seen[key]})",
            )
        seen[key] = line
        if group == "region":
            other = regions.get((cell["measure"], as_at))
            if other and other[0] != cell["la_code"]:
                raise bad(
                    "group",
                    f"a second region for {cell['measure']} {cell['year']} (line {other[1]}); "
                    "give one region",
                )
            regions[(cell["measure"], as_at)] = (cell["la_code"], line)
        rows.append(
            Comparator(cell["la_code"], cell["la_name"], cell["measure"], as_at, value, group)
        )
    return Comparators(rows, str(path))
