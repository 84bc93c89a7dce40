"""The working-day calendar, stored in the database so any DuckDB client can use it.

Timescales in children's social care are counted in working days: Monday to Friday, less England
and Wales bank holidays (substitute days and one-offs included). The calendar is a table, and
`wd_between` / `wd_add` are macros kept in the same database file, so an analyst who opens the file
with the DuckDB CLI gets the same day counts as the dashboard.

The calendar runs from 1 Jan 2000 to 31 Dec 2035 at least, and the loader widens it to cover every
date in the extract (`data_span`), plus a year after the last for due dates. The loader reads no
date before 1900 or after 2100 (frontdoor/validate.py), so every loaded date is in it. Bank holidays
come from the `holidays` package: the ones announced so far (one-offs such as a coronation or a
jubilee, and moved days) and, for later years, England's rules (New Year's Day, Good Friday,
Easter Monday, the early May, spring and summer bank holidays, Christmas Day and Boxing Day, with
substitute days when they fall at a weekend). A one-off bank holiday not yet announced when the
package was released cannot be known: such a day counts as a working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import duckdb
import holidays

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2035, 12, 31)
# Due dates (wd_add) run past the last event: the calendar covers a year after the data's last date.
DUE_MARGIN = dt.timedelta(days=366)


def bank_holidays(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dict[dt.date, str]:
    """England and Wales bank holidays, from the `holidays` package (one-offs and substitutes included)."""
    eng = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
    return {d: name for d, name in sorted(eng.items()) if first <= d <= last}


def span(data_first: dt.date | None, data_last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The calendar's first and last day: 2000-2035, widened to the data's dates (and a year
    after the last, for due dates)."""
    first = min(FIRST_DAY, data_first) if data_first else FIRST_DAY
    last = max(LAST_DAY, data_last + DUE_MARGIN) if data_last else LAST_DAY
    return first, last


def data_span(
    con: duckdb.DuckDBPyConnection, exclude: Collection[str] = ()
) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest value of every DATE column of the database's tables, but the
    calendar's and those of the tables named in `exclude` (the loader's facts, some of them
    built before the calendar, from the loaded tables)."""
    columns = [
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND data_type = 'DATE' AND table_name <> 'calendar' "
            "AND NOT internal"
        ).fetchall()
        if t not in exclude
    ]
    if not columns:
        return None, None
    # Identifiers from the catalog, quoted: the names are the loader's own tables and columns.
    parts = [f'SELECT min("{c}") AS lo, max("{c}") AS hi FROM "{t}"' for t, c in columns]
    return con.execute(f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(parts)})").fetchone()


def create_calendar(
    con: duckdb.DuckDBPyConnection, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY
) -> None:
    """Create the `calendar` table (first to last) and the working-day macros in the database
    behind `con`."""
    hols = bank_holidays(first, last)
    con.execute("CREATE OR REPLACE TEMP TABLE _bank_holidays (date DATE, name VARCHAR)")
    con.executemany("INSERT INTO _bank_holidays VALUES (?, ?)", list(hols.items()))
    con.execute(
        """
        CREATE OR REPLACE TABLE calendar AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS date
            FROM range(CAST(? AS DATE), CAST(? AS DATE) + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
        ), flagged AS (
            SELECT days.date,
                   isodow(days.date) AS iso_weekday,
                   h.name AS bank_holiday,
                   isodow(days.date) <= 5 AND h.name IS NULL AS is_working_day
            FROM days LEFT JOIN _bank_holidays h USING (date)
        )
        SELECT date, iso_weekday, bank_holiday, is_working_day,
               CAST(sum(CAST(is_working_day AS INTEGER)) OVER (ORDER BY date) AS INTEGER)
                   AS wd_index
        FROM flagged
        ORDER BY date
        """,
        [first, last],
    )
    con.execute("DROP TABLE _bank_holidays")
    # Working days are looked up, not computed, so every client agrees with the table above.
    # A date outside the calendar gives NULL rather than a wrong count.
    con.execute(
        "CREATE OR REPLACE MACRO wd_index(d) AS "
        "(SELECT c.wd_index FROM calendar c WHERE c.date = CAST(d AS DATE))"
    )
    con.execute("CREATE OR REPLACE MACRO wd_between(a, b) AS wd_index(b) - wd_index(a)")
    # wd_add(d, n): the working day whose index is wd_index(d) + n (each working day has its own
    # index, so there is at most one). Written as a self-join on the calendar rather than through
    # wd_index(d), so that DuckDB answers it with a hash join on the date, not by comparing every
    # date with every working day (the same values, several times faster on a large extract).
    con.execute(
        "CREATE OR REPLACE MACRO wd_add(d, n) AS "
        "(SELECT w.date FROM calendar s JOIN calendar w ON w.wd_index = s.wd_index + n "
        " WHERE s.date = CAST(d AS DATE) AND w.is_working_day)"
    )
