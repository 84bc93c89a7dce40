"""Period presets and the month behind a clicked trend point, as URL values become dates."""

from __future__ import annotations

import datetime as dt

from ui import periods

D = dt.date


def test_presets_from_the_url():
    end = D(2026, 3, 31)
    assert periods.resolve({}, end) == ("12m", D(2025, 4, 1), D(2026, 3, 31))
    assert periods.resolve({"period": "fy", "fy": "2024"}, end) == (
        "fy",
        D(2024, 4, 1),
        D(2025, 3, 31),
    )
    # Q3 of 2025-26 is October to December 2025.
    assert periods.resolve({"period": "q", "q": "2025-3"}, end) == (
        "q",
        D(2025, 10, 1),
        D(2025, 12, 31),
    )
    assert periods.resolve({"period": "custom", "from": "2025-01-01", "to": "2025-02-15"}, end) == (
        "custom",
        D(2025, 1, 1),
        D(2025, 2, 15),
    )


def test_unreadable_url_values_fall_back_to_the_last_12_months():
    end = D(2026, 3, 31)
    last_12 = (D(2025, 4, 1), D(2026, 3, 31))
    assert (
        periods.resolve({"period": "custom", "from": "31/02/2025", "to": "x"}, end)[1:] == last_12
    )
    assert (
        periods.resolve({"period": "custom", "from": "2025-03-01", "to": "2025-01-01"}, end)[1:]
        == last_12
    )
    assert periods.resolve({"period": "nonsense"}, end)[1:] == last_12
    # An unreadable quarter or year keeps the preset with the data's own year.
    assert periods.resolve({"period": "q", "q": "2025-9"}, end) == (
        "q",
        D(2025, 4, 1),
        D(2025, 6, 30),
    )
    assert periods.resolve({"period": "fy", "fy": "abc"}, end) == (
        "fy",
        D(2025, 4, 1),
        D(2026, 3, 31),
    )


def test_last_12_months_from_a_month_end_and_a_leap_day():
    assert periods.last_12_months(D(2024, 2, 29)) == (D(2023, 3, 1), D(2024, 2, 29))
    assert periods.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert periods.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_a_clicked_month_is_clipped_to_the_period():
    start, end = D(2025, 4, 15), D(2026, 3, 31)
    assert periods.month_window("2025-06-01", start, end) == (D(2025, 6, 1), D(2025, 6, 30))
    # The first month of a period starting mid-month begins on the period's start.
    assert periods.month_window("2025-04-01T00:00:00", start, end) == (
        D(2025, 4, 15),
        D(2025, 4, 30),
    )
    assert periods.month_window("2024-12-01", start, end) is None
