"""England's published figures (DfE children in need statistics and the children's social work
workforce release) to read local ones against, from the product's own copy of them.

`metrics/data/england.csv` holds every figure as DfE published it, one row per measure and year
with its source (see docs/england.md). Nothing here is estimated: a figure DfE did not publish
is absent (None), never filled in. The shares within 45 and 15 working days are not published
as percentages, so they are computed from DfE's band counts and say so.

A local figure is read against England's figure for the same collection year (year ending 31
March, or the workforce census on 30 September): the latest year on or before the period's end,
else the earliest there is, always said with its year.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

COMPUTED = "computed from DfE's band counts"


@dataclass(frozen=True)
class Published:
    """One published figure: a row of england.csv."""

    key: str
    as_at: dt.date  # 31 March of the collection year, or the workforce census date
    value: float
    unit: str
    note: str
    source: str


@dataclass(frozen=True)
class Benchmark:
    """A figure to read a local one against, with the year it is for and where it came from."""

    key: str
    value: float
    as_at: dt.date
    source: str
    note: str = ""
    computed: bool = False
    # The timescale the share counts within, in working days (45 for assessments, 15 for
    # ICPCs): a local share against another target is not comparable.
    timescale_wd: int | None = None

    @property
    def year(self) -> str:
        """'2024-25' for a collection year ending 31 March, else the date ('30 Sept 2024')."""
        if (self.as_at.month, self.as_at.day) == (3, 31):
            return f"{self.as_at.year - 1}-{self.as_at.year % 100:02d}"
        return f"{self.as_at.day} {self.as_at:%b} {self.as_at.year}".replace("Sep ", "Sept ")

    @property
    def basis(self) -> str:
        """The year, and 'computed from DfE's band counts' where it was."""
        return f"{self.year}, {COMPUTED}" if self.computed else self.year


def _as_at(year: str) -> dt.date:
    year = year.strip()
    if len(year) == 4 and year.isdigit():
        return dt.date(int(year), 3, 31)
    return dt.date.fromisoformat(year)


@cache
def published() -> tuple[Published, ...]:
    """Every row of the product's copy of DfE's figures."""
    text = resources.files("metrics").joinpath("data/england.csv").read_text(encoding="utf-8")
    return tuple(
        Published(
            key=row["measure_key"],
            as_at=_as_at(row["year"]),
            value=float(row["value"]),
            unit=row["unit"],
            note=row["definition_note"],
            source=row["source_url"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def _series(key: str) -> dict[dt.date, Published]:
    return {p.as_at: p for p in published() if p.key == key}


# Shares DfE publishes only as band counts: (numerator terms as (sign, key), denominator keys,
# timescale in working days, how it was computed in words).
_FROM_BANDS: dict[str, tuple[tuple[tuple[int, str], ...], tuple[str, ...], int, str]] = {
    # Assessments within 45 working days: all completed less the bands past 45 (C2).
    "assessments_within_45wd_pct": (
        (
            (1, "assessments"),
            (-1, "assessments_46_50wd"),
            (-1, "assessments_51_60wd"),
            (-1, "assessments_61plus_wd"),
        ),
        ("assessments",),
        45,
        "completed assessments less those of 46-50, 51-60 and 61+ working days, "
        "as a share of all completed",
    ),
    # ICPCs within 15 working days: bands 0-10 and 11-15 over the four bands, which leave out
    # ICPCs dated before their S47 (as our measure does) (C4).
    "icpc_within_15wd_pct": (
        ((1, "icpc_0_10wd"), (1, "icpc_11_15wd")),
        ("icpc_0_10wd", "icpc_11_15wd", "icpc_16_20wd", "icpc_21plus_wd"),
        15,
        "ICPCs held 0-10 and 11-15 working days after the S47 start, as a share of the four "
        "bands (0-10, 11-15, 16-20, 21+)",
    ),
}


COMPUTED_KEYS = tuple(_FROM_BANDS)


def _computed(key: str) -> dict[dt.date, Benchmark]:
    within, whole, timescale, words = _FROM_BANDS[key]
    names = {name for _, name in within} | set(whole)
    series = {name: _series(name) for name in names}
    years = set.intersection(*(set(s) for s in series.values()))
    out: dict[dt.date, Benchmark] = {}
    for year in sorted(years):
        top = sum(sign * series[name][year].value for sign, name in within)
        bottom = sum(series[name][year].value for name in whole)
        if bottom <= 0:
            continue
        out[year] = Benchmark(
            key=key,
            value=round(100 * top / bottom, 1),
            as_at=year,
            source=series[whole[0]][year].source,
            note=f"{COMPUTED}: {words}",
            computed=True,
            timescale_wd=timescale,
        )
    return out


# Which published (or computed) figure each local (measure, aggregate) is read against. Counts
# are listed too (the England table shows them) but a tile does not set a local count against
# England's: only shares, medians, rates and caseloads are comparable.
KEYS: dict[tuple[str, str], str] = {
    ("referrals", "count"): "referrals",
    ("referrals", "rereferral_12m_pct"): "rereferral_12m_pct",
    ("referrals", "nfa_pct"): "nfa_pct",
    ("referrals", "per_10k"): "referrals_per_10k",
    ("assessments", "completed"): "assessments",
    ("assessments", "median_wd"): "assessment_median_wd",
    ("assessments", "within_target_pct"): "assessments_within_45wd_pct",
    ("s47", "count"): "s47",
    ("s47", "per_10k"): "s47_per_10k",
    ("icpc", "count"): "icpc",
    ("icpc", "median_wd"): "icpc_median_wd",
    ("icpc", "within_15wd_pct"): "icpc_within_15wd_pct",
    ("icpc", "per_10k"): "icpc_per_10k",
    ("cp_plans", "open"): "cp_plans_31mar",
    ("cp_plans", "started"): "cp_plans_started",
    ("cp_plans", "ended"): "cp_plans_ended",
    ("cp_plans", "ended_2y_plus_pct"): "cp_ended_2y_plus_pct",
    ("caseload_workers", "children_per_fte_mean"): "caseload_per_fte",
}
# Units whose local and England figures can be set side by side on a tile.
COMPARABLE_UNITS = frozenset({"pct", "per_10k", "wd", "cases_per_fte"})


def figures(key: str) -> dict[dt.date, Benchmark]:
    """Every year's figure for a benchmark key (published or computed from bands)."""
    if key in _FROM_BANDS:
        return _computed(key)
    return {
        p.as_at: Benchmark(key=p.key, value=p.value, as_at=p.as_at, source=p.source, note=p.note)
        for p in published()
        if p.key == key
    }


def unit_of(key: str) -> str | None:
    if key in _FROM_BANDS:
        return "pct"
    units = {p.unit for p in published() if p.key == key}
    return units.pop() if len(units) == 1 else None


def for_period(key: str, period_end: dt.date | None = None) -> Benchmark | None:
    """The figure for the collection year of `period_end`: the latest on or before it, else the
    earliest published; None when DfE publishes none (never a guess)."""
    years = figures(key)
    if not years:
        return None
    if period_end is None:
        return years[max(years)]
    earlier = [y for y in years if y <= period_end]
    return years[max(earlier) if earlier else min(years)]


def benchmark(measure: str, aggregate: str, period_end: dt.date | None = None) -> Benchmark | None:
    """England's figure for a local (measure, aggregate), or None when there is none to
    compare with (not published, or a count, which is not comparable with a local count)."""
    key = KEYS.get((measure, aggregate))
    if key is None or unit_of(key) not in COMPARABLE_UNITS:
        return None
    return for_period(key, period_end)


def yearly_rate_reason(
    aggregate: str, flow: bool, date_from: dt.date, date_to: dt.date
) -> str | None:
    """Why a rate per 10,000 counted over this period cannot be read against England's (or
    neighbours') rate for a year, or None when it can. A flow's rate counts the period's events
    (a quarter holds about a quarter of a year's referrals); a snapshot's (plans open on a day)
    does not depend on the period's length."""
    if not flow or not aggregate.endswith("per_10k"):
        return None
    after = date_to + dt.timedelta(days=1)
    try:
        year_before = after.replace(year=after.year - 1)
    except ValueError:  # 29 February
        year_before = after.replace(year=after.year - 1, day=28)
    if date_from == year_before:
        return None
    return "England's rate counts a year; choose a 12-month period to compare"


def england(measure: str, aggregate: str, period_end: dt.date | None = None) -> float | None:
    """England's comparable figure as a number (the latest year unless a period end is given)."""
    found = benchmark(measure, aggregate, period_end)
    return found.value if found else None


def table() -> list[dict[str, object]]:
    """Every published figure and every computed share, for a page that lists them."""
    rows: list[dict[str, object]] = [
        {
            "figure": p.key,
            "year": Benchmark(p.key, p.value, p.as_at, p.source).year,
            "value": p.value,
            "unit": p.unit,
            "how": p.note,
            "source": p.source,
        }
        for p in published()
    ]
    for key in _FROM_BANDS:
        for b in figures(key).values():
            rows.append(
                {
                    "figure": key,
                    "year": b.year,
                    "value": b.value,
                    "unit": "pct",
                    "how": b.note,
                    "source": b.source,
                }
            )
    return rows
