"""Three figures computed by the DuckDB measures and by the pandas notebook (`bench.notebook`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench import notebook as bp
from bench.common import timed

# Each side's compute is timed this many times and the fastest kept, the same for DuckDB and
# pandas: a single run mostly times whatever else the machine did in that moment (reading the
# CSVs is timed once: it is not what is compared).
ROUNDS = 3


def fastest(fn: Callable[[], object], rounds: int = ROUNDS) -> tuple[object, float]:
    """The result of `fn` and its fastest wall time over `rounds` runs."""
    runs = [timed(fn) for _ in range(rounds)]
    return runs[0][0], min(seconds for _, seconds in runs)


# -- pandas against DuckDB --------------------------------------------------------------------


@dataclass
class Comparison:
    """One figure computed by the DuckDB measures and by the pandas notebook version."""

    name: str
    duckdb_value: dict
    pandas_value: dict
    duckdb_seconds: float
    pandas_read_seconds: float
    pandas_compute_seconds: float

    @property
    def match(self) -> bool:
        return _same(self.duckdb_value, self.pandas_value)

    @property
    def pandas_seconds(self) -> float:
        return self.pandas_read_seconds + self.pandas_compute_seconds

    @property
    def ratio(self) -> float:
        """pandas time (reading the CSVs and computing) over DuckDB time."""
        return self.pandas_seconds / self.duckdb_seconds if self.duckdb_seconds else math.inf

    @property
    def compute_ratio(self) -> float:
        """pandas compute time alone (CSVs already in memory) over DuckDB time."""
        return self.pandas_compute_seconds / self.duckdb_seconds if self.duckdb_seconds else 0.0


def _same(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _short(value: dict) -> str:
    if len(value) > 4:  # per-worker caseloads: summarise
        counts = list(value.values())
        return (
            f"{len(counts)} workers, {sum(counts)} worker-child pairs, "
            f"mean {sum(counts) / len(counts):.2f}, max {max(counts)}"
        )
    parts = []
    for k, v in value.items():
        parts.append(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}")
    return ", ".join(parts)


def compare_with_pandas(
    extract_dir: Path,
    db_path: Path,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date | None = None,
) -> list[Comparison]:
    """The three figures both ways: (a) assessment duration, (b) re-referrals, (c) caseloads."""
    from metrics import Engine, Filters, get
    from metrics.settings import Settings

    as_of = as_of or date_to
    filters = Filters(date_from, date_to, as_of)
    # Within 45 working days for every assessment, whatever its type (the DfE single-assessment
    # figure the notebook computes), so the 2010 regime's targets are set to 45 here.
    settings = Settings().with_targets(
        initial_assessment_wd=45, initial_assessment_pre2010_wd=45, core_assessment_wd=45
    )
    out: list[Comparison] = []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        engine = Engine(con, settings)

        # (a) assessment duration in working days, bank holidays excluded
        # The notebook's three figures, asked of the measure as the summary asks (`only`): the
        # same SQL for each, without the measure's other aggregates the notebook does not make.
        three = ("completed", "median_wd", "within_target_pct")
        head, d_s = fastest(lambda: engine.headline(get("assessments"), filters, only=three))
        duck = {
            "completed": head["completed"],
            "median_wd": head["median_wd"],
            "within_45_pct": head["within_target_pct"],
        }
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_cin_assessments", bp.ASSESSMENT_COLUMNS)
        )
        pand, comp_s = fastest(
            lambda: bp.assessment_duration(frame, date_from, date_to, bp.holidays_array())
        )
        out.append(Comparison("(a) assessment duration", duck, pand, d_s, read_s, comp_s))

        # (b) re-referrals within 12 months
        head, d_s = fastest(lambda: engine.headline(get("referrals"), filters))
        duck = {"referrals": head["count"], "rereferral_12m_pct": head["rereferral_12m_pct"]}
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_cin_episodes", bp.REFERRAL_COLUMNS)
        )
        pand, comp_s = fastest(lambda: bp.rereferrals(frame, date_from, date_to))
        out.append(Comparison("(b) re-referrals in 12 months", duck, pand, d_s, read_s, comp_s))

        # (c) caseload by child: distinct children per worker at as-of
        rows, d_s = fastest(lambda: engine.rows(get("caseload_workers"), filters))
        duck = {str(w): int(c) for w, c in zip(rows["worker_id"], rows["children"], strict=True)}
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_involvements", bp.INVOLVEMENT_COLUMNS)
        )
        pand, comp_s = fastest(lambda: bp.caseload_by_child(frame, as_of))
        out.append(Comparison("(c) caseload by child", duck, pand, d_s, read_s, comp_s))
    finally:
        con.close()
    return out


def _diff(c: Comparison) -> str:
    a, b = c.duckdb_value, c.pandas_value
    keys = sorted(set(a) | set(b), key=str)
    diffs = [f"{k}: {a.get(k)} vs {b.get(k)}" for k in keys if a.get(k) != b.get(k)]
    return f"{len(diffs)} differ (DuckDB vs pandas), e.g. " + "; ".join(diffs[:10])
