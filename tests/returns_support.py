"""A small synthetic authority, generated and loaded once per test session, and its returns:
the fixtures of the returns tests (they need nothing beside the repository)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from frontdoor.generate import generate_extract
from frontdoor.loader import load_extract

START, END = dt.date(2023, 4, 1), dt.date(2026, 3, 31)
SEED, CHILDREN = 7, 300
CENSUS_YEARS = (2024, 2025, 2026)  # the three collection years the extract covers

_made: dict[str, Path] = {}


def source_db(root: Path) -> Path:
    """300 generated children over three years (to 31 March 2026), loaded as `make run` does."""
    if "db" not in _made:
        generate_extract(root / "extract", seed=SEED, children=CHILDREN, start=START, end=END)
        db = root / "source.duckdb"
        report = load_extract(root / "extract", db, synthetic=True, extract_date=END)
        assert report.ok, report.render()
        _made["db"] = db
    return _made["db"]
