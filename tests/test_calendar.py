"""The working-day calendar and its macros, against measures.md and against numpy's busday."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdoor.calendar import FIRST_DAY, LAST_DAY, bank_holidays, create_calendar

D = dt.date


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("cal") / "cal.duckdb"
    c = duckdb.connect(str(path))
    create_calendar(c)
    c.close()
    c = duckdb.connect(str(path), read_only=True)  # the macros live in the file
    yield c
    c.close()


HOLIDAYS = np.array(sorted(bank_holidays()), dtype="datetime64[D]")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 3, 3), D(2025, 3, 3), 0),
        (D(2025, 3, 7), D(2025, 3, 10), 1),
        (D(2025, 3, 8), D(2025, 3, 10), 1),
        (D(2025, 12, 24), D(2026, 1, 2), 4),
        (D(2025, 4, 17), D(2025, 4, 22), 1),
        (D(2023, 5, 5), D(2023, 5, 9), 1),
    ],
)
def test_wd_between_worked_examples(con, a, b, expected):
    assert con.execute("SELECT wd_between(?, ?)", [a, b]).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (D(2025, 12, 24), 4, D(2026, 1, 2)),
        (D(2025, 3, 7), 1, D(2025, 3, 10)),
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
        (D(2025, 4, 17), 1, D(2025, 4, 22)),
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        (D(2025, 3, 8), 1, D(2025, 3, 10)),  # from a Saturday
        (D(2025, 3, 3), 45, D(2025, 5, 8)),  # 45 days over Easter and the May bank holiday
    ],
)
def test_wd_add_examples(con, d, n, expected):
    assert con.execute("SELECT wd_add(?, ?)", [d, n]).fetchone()[0] == expected


@pytest.mark.parametrize(
    "day",
    [D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8), D(2026, 12, 28)],
)
def test_one_offs_and_substitute_days_are_not_working_days(con, day):
    row = con.execute(
        "SELECT is_working_day, bank_holiday FROM calendar WHERE date = ?", [day]
    ).fetchone()
    assert row[0] is False and row[1]
    assert day.isoweekday() <= 5  # they are weekdays: only the holiday makes them non-working


def test_calendar_span_and_weekends(con):
    first, last, n = con.execute("SELECT min(date), max(date), count(*) FROM calendar").fetchone()
    assert (first, last) == (D(2000, 1, 1), D(2035, 12, 31)) == (FIRST_DAY, LAST_DAY)
    assert n == (last - first).days + 1
    assert con.execute(
        "SELECT count(*) FROM calendar WHERE iso_weekday >= 6 AND is_working_day"
    ).fetchone() == (0,)


def test_outside_the_calendar_is_null(con):
    assert con.execute("SELECT wd_between(DATE '1999-12-31', DATE '2000-01-04')").fetchone() == (
        None,
    )


dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY - dt.timedelta(days=400))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(dates, st.integers(0, 400)), min_size=1, max_size=200))
def test_wd_between_matches_numpy(con, pairs):
    rows = [(a, a + dt.timedelta(days=k)) for a, k in pairs]
    con.execute("CREATE OR REPLACE TEMP TABLE _pairs (i INTEGER, a DATE, b DATE)")
    con.executemany(
        "INSERT INTO _pairs VALUES (?, ?, ?)", [(i, a, b) for i, (a, b) in enumerate(rows)]
    )
    got = [r[0] for r in con.execute("SELECT wd_between(a, b) FROM _pairs ORDER BY i").fetchall()]
    a = np.array([r[0] for r in rows], dtype="datetime64[D]") + 1
    b = np.array([r[1] for r in rows], dtype="datetime64[D]") + 1
    assert got == np.busday_count(a, b, holidays=HOLIDAYS).tolist()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(dates, st.integers(0, 250)), min_size=1, max_size=200))
def test_wd_add_matches_numpy(con, pairs):
    # wd_add counts from a working day: roll each drawn date forward to one.
    days = np.busday_offset(
        np.array([p[0] for p in pairs], dtype="datetime64[D]"), 0, roll="forward", holidays=HOLIDAYS
    )
    n = np.array([p[1] for p in pairs])
    con.execute("CREATE OR REPLACE TEMP TABLE _adds (i INTEGER, d DATE, n INTEGER)")
    con.executemany(
        "INSERT INTO _adds VALUES (?, ?, ?)",
        [(i, d.astype(dt.date), int(k)) for i, (d, k) in enumerate(zip(days, n, strict=True))],
    )
    got = [r[0] for r in con.execute("SELECT wd_add(d, n) FROM _adds ORDER BY i").fetchall()]
    expected = np.busday_offset(days, n, holidays=HOLIDAYS)
    assert got == [x.astype(dt.date) for x in expected]


def test_wd_add_from_a_non_working_day_counts_from_the_working_day_before(con):
    # wd_index(Sat) = wd_index(Fri): 1 working day on from a Saturday is the Monday.
    assert con.execute("SELECT wd_add(DATE '2025-03-08', 1)").fetchone()[0] == D(2025, 3, 10)
    assert con.execute("SELECT wd_add(DATE '2025-03-08', 0)").fetchone()[0] == D(2025, 3, 7)


def test_wd_add_is_its_definition_for_every_day(con):
    # measures.md: wd_add(d, n) is the earliest working day e with wd_index(e) = wd_index(d) + n.
    # Checked literally for every calendar day (working or not) and n from -3 to 60, with NULL
    # outside the calendar and for a NULL n.
    differ = con.execute(
        """
        WITH asked AS (
            SELECT c.date AS d, c.wd_index, t.n
            FROM calendar c, range(-3, 61) t(n)
            WHERE c.date BETWEEN DATE '2024-01-01' AND DATE '2026-12-31'
        ), expected AS (
            SELECT a.d, a.n, min(w.date) AS e
            FROM asked a
            LEFT JOIN calendar w ON w.is_working_day AND w.wd_index = a.wd_index + a.n
            GROUP BY ALL
        )
        SELECT count(*) FROM expected WHERE wd_add(d, n) IS DISTINCT FROM e
        """
    ).fetchone()[0]
    assert differ == 0
    assert con.execute("SELECT wd_add(DATE '1999-12-31', 1)").fetchone()[0] is None
    assert con.execute("SELECT wd_add(DATE '2025-03-03', NULL)").fetchone()[0] is None
