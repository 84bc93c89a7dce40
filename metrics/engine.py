"""Runs measures against a loaded extract: builds the SQL, binds the values, fetches small frames.

SQL is composed only from files in `metrics/sql/`; every value (dates, team, worker, targets)
is a bound parameter. Each query runs on its own cursor, so one shared connection serves many
Streamlit sessions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import duckdb

from metrics import trend_queries
from metrics.availability import Availability, MeasureUnavailable
from metrics.filters import Filters
from metrics.measure import DENOMINATOR, FLOW, NUMERATOR, Measure, Share
from metrics.sql_text import ONE_CHILD, bind, one_child_cte, rows_sql, sql_text
from metrics.trend_queries import month_ranges
from metrics.words import missing

if TYPE_CHECKING:
    import pandas as pd

# Values `plain` returns as they are (exactly these types; a datetime is not among them).
_PLAIN = (str, int, bool, dt.date, Decimal)
_COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
# A frame's attrs key naming its aggregate columns that cannot be computed, with why.
UNAVAILABLE = "unavailable"
# Queries run at once by `concurrently`: DuckDB releases the GIL, so each core keeps one busy.
WORKERS = max(2, min(8, os.cpu_count() or 2))


_T = TypeVar("_T")
_R = TypeVar("_R")


def concurrently(fn: Callable[[_T], _R], items: Iterable[_T]) -> list[_R]:
    """fn(item) for every item, a few at a time on threads; the results in the items' order.

    For independent queries of one Engine (each runs on its own cursor). An exception from any
    call is raised here, as a plain loop would raise it."""
    items = list(items)
    if len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(items))) as pool:
        return list(pool.map(fn, items))


class NotPermitted(Exception):
    """The viewer's role does not allow child-level rows (or this child)."""


class Engine(Availability):
    """Answers measures on one DuckDB connection with one set of targets (whether it can is
    `Availability`'s: metrics/availability.py)."""

    def _measure_sql(self, measure: Measure) -> str:
        return rows_sql(measure.sql_file)

    # -- parameters ---------------------------------------------------------------------------
    def values(self, filters: Filters) -> dict[str, object]:
        vals: dict[str, object] = {
            "date_from": filters.date_from,
            "date_to": filters.date_to,
            "as_of": filters.effective_as_of,
            "team": filters.team,
            "worker": filters.worker,
            "teams": list(filters.teams) if filters.teams is not None else None,
            "scope_teams": list(filters.scope_teams) if filters.scope_teams is not None else None,
            "regime": self.settings.regime,
            "horizon_weeks": filters.horizon_weeks,
            "scope": filters.scope,
            "person": filters.person,
            "population": self.settings.population,
        }
        for name, value in self.settings.targets.items():
            vals[f"t_{name}"] = value
        return vals

    def _one_child(self, sql: str) -> str:
        """The measure's query reading the person-keyed tables narrowed to one child ($person)."""
        self.absent_tables()
        if not all(t in self._existing for t in ONE_CHILD):
            return sql
        narrowed = ",\n".join(one_child_cte(table) for table in ONE_CHILD)
        return f"WITH {narrowed}\nSELECT * FROM ({sql}) one_child"

    @staticmethod
    def _narrows(measure: Measure, filters: Filters | None) -> bool:
        """Whether the measure is read from one child's narrowed tables (see ONE_CHILD)."""
        if filters is None or filters.person is None:
            return False
        return measure.child_level and not measure.reads_other_children

    def _filtered(
        self, measure: Measure, filters: Filters | None = None, *, narrowed: bool = True
    ) -> str:
        """The measure's rows with the team, worker and person filters (read from the child's
        narrowed tables when `filters` names a person, unless the caller narrows them itself)."""
        sql = rows_sql(measure.sql_file)
        if narrowed and self._narrows(measure, filters):
            sql = self._one_child(sql)
        where = []
        if measure.by_team:
            where.append(
                "($team IS NULL OR fr.team = $team) AND ($worker IS NULL OR fr.worker_id = $worker)"
                " AND ($teams IS NULL OR list_contains($teams, fr.team))"
            )
        if measure.child_level:
            where.append("($person IS NULL OR fr.person_id = $person)")
        if not where:
            return sql
        return f"SELECT * FROM ({sql}) fr WHERE " + " AND ".join(where)

    def query(self, sql: str, values: dict[str, object]) -> pd.DataFrame:
        """Run composed SQL with bound values on a fresh cursor and fetch it all."""
        cur = self.con.cursor()
        try:
            return cur.execute(sql, bind(sql, values)).df()
        finally:
            cur.close()

    def _fetch(self, sql: str, values: dict[str, object]) -> tuple[list[str], list[tuple]]:
        """Run composed SQL with bound values on a fresh cursor: its column names and rows
        (DuckDB's own values: no frame, so no float casts of decimals nor timestamps of dates)."""
        cur = self.con.cursor()
        try:
            found = cur.execute(sql, bind(sql, values)).fetchall()
            return [d[0] for d in cur.description], found
        finally:
            cur.close()

    def records(self, sql: str, values: dict[str, object]) -> list[dict[str, object]]:
        """As `_fetch`, each row a dict by column name."""
        names, found = self._fetch(sql, values)
        return [dict(zip(names, r, strict=True)) for r in found]

    # -- the four shapes ----------------------------------------------------------------------
    def rows(
        self, measure: Measure, filters: Filters, limit: int | None = None, offset: int = 0
    ) -> pd.DataFrame:
        """The children (or cases) behind the number, in the measure's drill-down order."""
        sql = self._rows_query(measure, filters)
        vals = self.values(filters)
        if limit is not None:
            sql += " LIMIT $limit OFFSET $offset"
            vals |= {"limit": limit, "offset": offset}
        return self.query(sql, vals)

    def _rows_query(self, measure: Measure, filters: Filters, *, narrowed: bool = True) -> str:
        return self._scoped(measure, filters, narrowed=narrowed) + f" ORDER BY {measure.order_by}"

    def check_rows(self, measure: Measure, filters: Filters) -> None:
        """Raise as `rows` would (MeasureUnavailable, NotPermitted) without reading any row:
        what a page says of a list it will only make when asked for."""
        self._scoped(measure, filters)

    def _scoped(self, measure: Measure, filters: Filters, *, narrowed: bool = True) -> str:
        """The rows the viewer may see, unordered, as `r` (metrics/lists.py adds to its WHERE)."""
        self._check(measure, filters)
        sql = f"SELECT * FROM ({self._filtered(measure, filters, narrowed=narrowed)}) r WHERE true"
        if filters.scope == "none" and measure.child_level:
            raise NotPermitted(
                "your role shows aggregate figures only, not the children behind them"
            )
        if filters.scope is not None and measure.child_level:
            sql += f" AND r.person_id IN ({sql_text('common/scope_people.sql')})"
        return sql

    def rows_each(self, measures: Iterable[Measure], filters: Filters) -> dict[str, list[dict]]:
        """The rows of several measures (as `rows`, each row a dict), in one statement: with a
        person filter the child's narrowed tables are read once for all of them, not once per
        measure. A measure the extract cannot give is left out (`rows` would raise
        MeasureUnavailable); NotPermitted is raised as `rows` raises it."""
        shared, alone = [], []
        for m in measures:
            if self.unavailable_reason(m) is None and self.outside_calendar(m, filters) is None:
                (shared if self._narrows(m, filters) else alone).append(m)
        out = {m.key: self.rows(m, filters).to_dict("records") for m in alone}
        if shared:
            lists = ",\n".join(
                f"(SELECT list(r) FROM ({self._rows_query(m, filters, narrowed=False)}) r)"
                for m in shared
            )
            sql = self._one_child(f"SELECT {lists}")
            cur = self.con.cursor()
            try:
                row = cur.execute(sql, bind(sql, self.values(filters))).fetchone()
            finally:
                cur.close()
            for m, listed in zip(shared, row, strict=True):
                out[m.key] = list(listed or [])
        return out

    def count(self, measure: Measure, filters: Filters, by: Sequence[str] = ()) -> pd.DataFrame:
        """How many rows the measure has under the filters, whatever the viewer's scope (a
        count, which every role may see), as column `n`; with `by`, per value of those row
        columns. A list the scope narrows says from this how many of its rows it leaves out."""
        self._check(measure)
        for column in by:
            if not _COLUMN.match(column):
                raise ValueError(f"not a column name: {column!r}")
        keys = "".join(f"r.{c} AS {c}, " for c in by)
        sql = f"SELECT {keys}count(*) AS n FROM ({self._filtered(measure, filters)}) r"
        if by:
            sql += " GROUP BY ALL"
        return self.query(sql, self.values(filters))

    def _aggregate_pairs(
        self, measure: Measure, parts: bool = False, only: Collection[str] | None = None
    ) -> list[tuple[str, str]]:
        """The measure's aggregates as (name, SQL) pairs; one that cannot be computed here is
        NULL. With `parts`, each share's numerator and denominator beside it
        (`<share>_numerator`, `<share>_denominator`; NULL too where the share cannot be
        computed). With `only`, just those aggregates (each is the same SQL either way, so its
        value is too). A headline and a month of a snapshot trend both read them, so they
        agree."""
        off = self.unavailable_aggregates(measure) if measure.aggregate_needs else {}
        chosen = {
            name: expr for name, expr in measure.aggregates.items() if only is None or name in only
        }
        if only is not None and (unknown := set(only) - chosen.keys()):
            raise KeyError(f"{measure.title}: no aggregate {', '.join(sorted(unknown))}")
        listed = [
            (name, "CAST(NULL AS DOUBLE)" if name in off else str(expr))
            for name, expr in chosen.items()
        ]
        if parts:
            for name, expr in chosen.items():
                if isinstance(expr, Share):
                    num, den = (
                        ("CAST(NULL AS BIGINT)",) * 2
                        if name in off
                        else (expr.numerator, expr.denominator)
                    )
                    listed.append((NUMERATOR.format(name), num))
                    listed.append((DENOMINATOR.format(name), den))
        return listed

    def _aggregate_list(
        self, measure: Measure, parts: bool = False, only: Collection[str] | None = None
    ) -> str:
        """The measure's aggregates as a SELECT list (see `_aggregate_pairs`)."""
        return ", ".join(
            f"{expr} AS {name}" for name, expr in self._aggregate_pairs(measure, parts, only)
        )

    def headline(
        self,
        measure: Measure,
        filters: Filters,
        *,
        parts: bool = False,
        only: Collection[str] | None = None,
    ) -> dict[str, object]:
        """Every aggregate of the measure over its rows, as plain Python values (with `parts`,
        each share's numerator and denominator too). With `only`, just those aggregates: the
        summary asks for the few it shows, so DuckDB neither computes the others (a median
        holds every value) nor the row columns only they read."""
        self._check(measure, filters)
        sql = (
            f"SELECT {self._aggregate_list(measure, parts, only)} "
            f"FROM ({self._filtered(measure, filters)}) r"
        )
        (row,) = self.records(sql, self.values(filters))
        return {k: plain(v) for k, v in row.items()}

    def breakdown(self, measure: Measure, filters: Filters, by: str = "team") -> pd.DataFrame:
        """The aggregates per team or per worker (names joined where the extract has them), or
        per another row column the measure lists in `dimensions` (e.g. by="agency")."""
        self._check(measure, filters)
        if by in measure.dimensions:
            column = by
        elif by not in ("team", "worker"):
            raise ValueError(f"{measure.title}: no breakdown by {by!r}")
        elif not measure.by_team:
            raise MeasureUnavailable(f"{measure.title}: not recorded by team or worker")
        else:
            column = {"team": "team", "worker": "worker_id"}[by]
        frame = self._grouped(measure, filters, {by: column})
        return self._with_names(frame, by)

    def grouped(self, measure: Measure, filters: Filters, columns: Sequence[str]) -> pd.DataFrame:
        """The aggregates per value of any of the measure's row columns (e.g. a band, a source,
        a delay in days): what a distribution chart draws, computed in SQL."""
        self._check(measure, filters)
        for column in columns:
            if not _COLUMN.match(column):
                raise ValueError(f"not a column name: {column!r}")
        return self._grouped(measure, filters, {c: c for c in columns})

    def _grouped(self, measure: Measure, filters: Filters, columns: dict[str, str]) -> pd.DataFrame:
        """Aggregates grouped by row columns ({output name: row column}), in column order."""
        select = ", ".join(f"r.{column} AS {name}" for name, column in columns.items())
        order = ", ".join(str(i + 1) for i in range(len(columns)))
        sql = (
            f"SELECT {select}, {self._aggregate_list(measure)} "
            f"FROM ({self._filtered(measure, filters)}) r GROUP BY ALL ORDER BY {order} NULLS LAST"
        )
        return self._noting(measure, self.query(sql, self.values(filters)))

    def _noting(self, measure: Measure, frame: pd.DataFrame) -> pd.DataFrame:
        """Mark the frame's aggregate columns that cannot be computed here (all NULL) with
        why, in `frame.attrs[UNAVAILABLE]`, for `with_reasons` (a download says it in words)."""
        reasons = self.unavailable_aggregates(measure)
        if reasons:
            frame.attrs[UNAVAILABLE] = {k: v for k, v in reasons.items() if k in frame.columns}
        return frame

    def _with_names(self, frame: pd.DataFrame, by: str) -> pd.DataFrame:
        if frame.empty:
            import pandas as pd  # a frame exists, so pandas is loaded: this is a look-up

            frame.insert(1, f"{by}_name", pd.Series(dtype="object"))
            return frame
        if by not in ("team", "worker"):  # a measure's own dimension: the value is its name
            frame.insert(1, f"{by}_name", list(frame[by]))
            return frame
        if by == "team":
            sql = "SELECT dept_team_id AS key, dept_team_name AS name FROM ssd_department"
        else:
            sql = (
                "SELECT prof_professional_id AS key, prof_professional_name AS name "
                "FROM ssd_professionals"
            )
        try:
            names = dict(self.query(sql, {}).itertuples(index=False, name=None))
        except duckdb.CatalogException:
            names = {}
        frame.insert(1, f"{by}_name", [names.get(k) or k for k in frame[by]])
        return frame

    def monthly(self, measure: Measure, filters: Filters) -> pd.DataFrame:
        """The aggregates month by month (each share with its numerator and denominator): flow
        measures by their defining date; snapshot measures taken at each month end (or the
        as-of date in the last month), all months in one query: the measure's trend file read
        as month bits where it has one (Measure.month_bits), else its rows query
        under a grid of months (metrics/trend_queries.py)."""
        self._check(measure, filters)
        if measure.kind == FLOW:
            sql = (
                f"SELECT CAST(date_trunc('month', r.{measure.date_column}) AS DATE) AS month, "
                f"{self._aggregate_list(measure, parts=True)} "
                f"FROM ({self._filtered(measure, filters)}) r "
                f"WHERE r.{measure.date_column} IS NOT NULL GROUP BY ALL ORDER BY 1"
            )
            return self._noting(measure, self.query(sql, self.values(filters)))
        months = month_ranges(filters.date_from, filters.date_to)
        # Each month is its own question (as a per-month headline would be): one whose as-of
        # date the working-day calendar does not reach is not available, with why.
        for start, end in months:
            self._check(measure, replace(filters, date_from=start, date_to=end, as_of=end))
        if len(months) <= measure.month_bits:
            sql, values = trend_queries.month_bits(self, measure, filters, months)
            names, found = trend_queries.by_month(self, measure, months, *self._fetch(sql, values))
        else:
            sql, values = trend_queries.month_grid(self, measure, filters, months)
            names, found = self._fetch(sql, values)
        import pandas as pd

        # Plain values, as a headline gives them (a month with no rows: count 0, others None).
        return self._noting(
            measure, pd.DataFrame([[plain(v) for v in r] for r in found], columns=names)
        )

    def permits(self, person_id: str, filters: Filters) -> bool:
        """Whether the viewer behind `filters` may see this child at child level."""
        if filters.scope is None:
            return True
        if filters.scope == "none":
            return False
        sql = f"SELECT count(*) > 0 FROM ({sql_text('common/scope_people.sql')}) s WHERE s.person_id = $person"
        cur = self.con.cursor()
        try:
            vals = self.values(filters) | {"person": person_id}
            return bool(cur.execute(sql, bind(sql, vals)).fetchone()[0])
        finally:
            cur.close()


def with_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a measure's frame (monthly, breakdown, grouped) whose aggregate columns that
    cannot be computed say so: "n/a — <reason>" in every cell, never a blank or a 0 (for
    downloads; charts read the frame itself)."""
    reasons = frame.attrs.get(UNAVAILABLE) or {}
    if not reasons:
        return frame
    out = frame.copy()
    for column, reason in reasons.items():
        if column in out.columns:
            out[column] = f"n/a — {reason}"
    return out


def plain(value: object) -> object:
    """pandas/numpy scalars to plain Python (JSON-friendly): NaN/NA/NaT to None, timestamps
    (how pandas carries DuckDB dates) to dates. Python's own values (what a headline fetches)
    need no pandas, nor does `missing` for them, so a command that shows no frame (`frontdoor
    summary`) starts without importing it (about half its start-up)."""
    if value is None or type(value) in _PLAIN:  # exact types: pandas' NaT is a datetime
        return value
    if missing(value):
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp included
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value
