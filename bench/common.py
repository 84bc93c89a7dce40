"""What the bench's modules share: the synthetic authority's dates and seed, which page shows
which measure, and small timing helpers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from frontdoor.progress import ProgressFn

SEED = 2010
# The synthetic extracts end on the last day of a financial year; the timed queries ask about
# that year (as DfE statistics do), with as-of its last day.
END = dt.date(2026, 3, 31)
ROWS_LIMIT = 200
REPO = Path(__file__).resolve().parents[1]  # the checkout: app.py, pages/
# The built-in sample, as the Makefile makes it: 5,000 children, 1 April 2023 to 31 March 2026.
SAMPLE_CHILDREN = 5_000
SAMPLE_START = dt.date(2023, 4, 1)
PAGE_TIMEOUT = 120  # seconds AppTest waits for one run of a page script
BROWSER_TIMEOUT = 180_000  # ms the browser waits for one page to be drawn
# The untimed visit a new server gets before a page is timed in the browser: the Overview for a
# quarter (July to September 2025), so that the app's modules are imported, the database open
# and the first charts built, while no answer a menu page asks for with the default filters
# (the last 12 months, compared with the 12 before) is in the cache.
WARM_UP = "/?period=q&q=2025-2"

# Which page shows which measures (the pages' own queries: tiles, trend, by team, child list).
PAGES: dict[str, tuple[str, ...]] = {
    "front door": ("contacts", "referrals", "police", "domestic_abuse"),
    "allocation": ("allocation", "unallocated", "transfers", "transfers_waiting"),
    "assessments": ("assessments", "assessments_overdue", "views"),
    "seen": ("seen", "not_yet_seen", "seen_closed_unseen"),
    "caseload": ("caseload", "caseload_workers", "worker_changes"),
    "protection": ("s47", "icpc", "cp_reviews", "cp_plans", "s47_conversion", "icpc_conversion"),
    "oversight": ("oversight", "recording"),
    "agencies": ("agencies", "agencies_outstanding"),
}
_SECTION_PAGE = {
    "contacts": "front door",
    "referrals": "front door",
    "s47": "protection",
    "icpc": "protection",
    "cp_reviews": "protection",
    "cp_plans": "protection",
    "recording": "oversight",
}
SHAPES = ("headline", "monthly", "breakdown", "rows")


def page_of(key: str, section: str) -> str:
    """The page a measure belongs to (by key, else by its catalog section)."""
    for page, keys in PAGES.items():
        if key in keys:
            return page
    if section in PAGES:
        return section
    return _SECTION_PAGE.get(section, "other")


def last_full_year(end: dt.date) -> tuple[dt.date, dt.date]:
    """The last financial year (1 April - 31 March) ending on or before `end`."""
    year = end.year if end >= dt.date(end.year, 3, 31) else end.year - 1
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def scaled(progress: ProgressFn, lo: float, hi: float, prefix: str) -> ProgressFn:
    def show(fraction: float, message: str) -> None:
        progress(min(lo + (hi - lo) * fraction, 0.999), f"{prefix}: {message}"[:40])

    return show
