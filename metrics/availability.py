"""Whether a measure can be answered on this database, and if not, why (in words).

Tables the extract did not provide (the load report), facts of another version, settings not
given, columns without values and as-of dates the working-day calendar does not reach: each is
read once per engine (the database is read-only while the app runs), so the checks before every
query cost microseconds. `Engine` (metrics/engine.py) inherits them.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from frontdoor.facts import relation_names
from frontdoor.facts import stale_reason as facts_stale_reason
from metrics.filters import Filters
from metrics.measure import NOTHING_TO_COMPUTE, Measure
from metrics.settings import Settings
from metrics.words import date_text

# An aggregate's need for a setting (Measure.aggregate_needs), and how it is said.
SETTING = "setting:"
SETTING_WORDS = {"population": "the population setting (children aged 0-17)"}
# An aggregate's need for values in a column ("values:table.column": at least one row of the
# extract has one), and how it is said: a source that never records them (Annex A has no contact
# decision dates) makes the aggregate not available, never a 0 or a count of every row.
VALUES = "values:"
VALUES_WORDS = {
    "ssd_contacts.cont_outcome_date": (
        "contact decision dates, and this extract has none (Annex A does not record when a "
        "contact was decided)"
    ),
}
_TABLE_COLUMN = re.compile(r"^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$")


class MeasureUnavailable(Exception):
    """The extract lacks what a measure needs; the message says what (e.g. 'needs ssd_involvements')."""


class Availability:
    """What one DuckDB connection can answer with one set of settings (the engine's checks)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings | None = None):
        self.con = con
        self.settings = settings or Settings()
        self._absent: dict[str, str] | None = None
        self._stale: str | None = None  # why the database's facts cannot be used
        self._has_values: dict[str, bool] = {}
        self._calendar: tuple[dt.date | None, dt.date | None] | None = None

    def _measure_sql(self, measure: Measure) -> str:
        """The measure's rows query (the engine composes it)."""
        raise NotImplementedError

    def absent_tables(self) -> dict[str, str]:
        """Tables the extract did not provide, with why (from the load report)."""
        if self._absent is None:
            cur = self.con.cursor()
            existing = relation_names(cur)  # tables and views (a fact may be a view)
            absent: dict[str, str] = {}
            if "load_report" in existing:
                for (name,) in cur.execute(
                    "SELECT table_name FROM load_report WHERE status = 'absent'"
                ).fetchall():
                    absent[name] = "absent from the extract"
            self._existing = existing
            self._absent = absent
            self._stale = facts_stale_reason(cur)
        return self._absent

    def stale_reason(self) -> str | None:
        """Why the database must be loaded again before any figure can be read, or None."""
        self.absent_tables()
        return self._stale

    def unavailable_reason(self, measure: Measure) -> str | None:
        """None when the measure can be computed, else a reason like 'needs ssd_involvements'."""
        absent = self.absent_tables()
        if self._stale:
            return self._stale
        missing = [t for t in measure.needs if t in absent or t not in self._existing]
        if missing:
            return "needs " + ", ".join(missing)
        return None

    def unavailable_aggregates(self, measure: Measure) -> dict[str, str]:
        """The measure's aggregates that cannot be computed here, with why (a table absent from
        the extract, a setting not given): they are NULL in every shape, never 0."""
        self.absent_tables()
        out: dict[str, str] = {}
        for name, needs in measure.aggregate_needs.items():
            missing = []
            for need in needs:
                if need.startswith(SETTING):
                    setting = need.removeprefix(SETTING)
                    if getattr(self.settings, setting, None) is None:
                        missing.append(SETTING_WORDS.get(setting, f"the setting {setting}"))
                elif need.startswith(VALUES):
                    column = need.removeprefix(VALUES)
                    if not self._column_has_values(column):
                        missing.append(VALUES_WORDS.get(column, f"values in {column}"))
                elif need in self._absent or need not in self._existing:
                    missing.append(need)
            if missing:
                out[name] = "needs " + ", ".join(missing)
        return out

    def figure_reason(self, measure: Measure, aggregate: str, value: object) -> str | None:
        """Why one aggregate's value is not a figure, or None when it is: what it needs and the
        extract or settings lack (`unavailable_aggregates`), else, when it came out NULL, why
        nothing could give it (`Measure.null_reasons`). A tile or summary shows 'n/a' with it."""
        reason = self.unavailable_aggregates(measure).get(aggregate)
        if reason:
            return reason
        if value is None:
            return measure.null_reasons.get(aggregate, NOTHING_TO_COMPUTE)
        return None

    def _column_has_values(self, column: str) -> bool:
        """Whether any row of the extract has a value in `column` ("table.column"), asked once
        per engine (the database is read-only while the app runs)."""
        if column not in self._has_values:
            match = _TABLE_COLUMN.match(column)
            if match is None:
                raise ValueError(f"not a table.column: {column!r}")
            table, name = match.groups()
            has = False
            if table in self._existing and table not in self._absent:
                cur = self.con.cursor()
                try:
                    has = bool(
                        cur.execute(
                            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {name} IS NOT NULL)"
                        ).fetchone()[0]
                    )
                except duckdb.Error:  # the column is not in this database at all
                    has = False
                finally:
                    cur.close()
            self._has_values[column] = has
        return self._has_values[column]

    def _check(self, measure: Measure, filters: Filters | None = None) -> None:
        reason = self.unavailable_reason(measure)
        if reason is None and filters is not None:
            reason = self.outside_calendar(measure, filters)
        if reason:
            raise MeasureUnavailable(f"{measure.title}: {reason}")

    def outside_calendar(self, measure: Measure, filters: Filters) -> str | None:
        """Why working days cannot be counted for this question, or None: the as-of date is
        outside the database's working-day calendar (which covers every date of the extract),
        so a measure counting working days would give NULL days, never a 0 or a share."""
        if "wd_" not in self._measure_sql(measure):
            return None
        if self._calendar is None:
            cur = self.con.cursor()
            try:
                self._calendar = cur.execute("SELECT min(date), max(date) FROM calendar").fetchone()
            except duckdb.Error:
                self._calendar = (None, None)
            finally:
                cur.close()
        first, last = self._calendar
        as_of = filters.effective_as_of
        if first is None or first <= as_of <= last:
            return None
        return (
            f"working days cannot be counted to {date_text(as_of)}: the working-day calendar "
            f"runs from {date_text(first)} to {date_text(last)} (load an extract that reaches "
            "that date, or choose an earlier date)"
        )
