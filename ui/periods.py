"""Period presets (last 12 months, financial year, quarter, custom) as plain functions,
so the URL form of a period (`?period=fy&fy=2025`) can be tested without Streamlit."""

from __future__ import annotations

import datetime as dt

PRESETS = {
    "12m": "Last 12 months",
    "fy": "Financial year",
    "q": "Quarter",
    "custom": "Custom",
}


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic as DuckDB does it: 31 Jan + 1 month = 28/29 Feb."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def financial_year_of(d: dt.date) -> int:
    """The financial year (April to March) containing d, named by its starting year."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def quarter(start_year: int, number: int) -> tuple[dt.date, dt.date]:
    """Quarter 1-4 of a financial year (Q1 = April to June)."""
    first = add_months(dt.date(start_year, 4, 1), 3 * (number - 1))
    return first, add_months(first, 3) - dt.timedelta(days=1)


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def quarter_label(start_year: int, number: int) -> str:
    first, last = quarter(start_year, number)
    return f"{fy_label(start_year)} Q{number} ({first:%b}-{last:%b %Y})"


def last_12_months(end: dt.date) -> tuple[dt.date, dt.date]:
    return add_months(end, -12) + dt.timedelta(days=1), end


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def resolve(params: dict[str, str], data_end: dt.date) -> tuple[str, dt.date, dt.date]:
    """(preset, from, to) named by URL parameters; anything unreadable falls back to the
    last 12 months to the end of the data."""
    preset = params.get("period", "12m")
    if preset == "fy":
        try:
            return preset, *financial_year(int(params.get("fy", "")))
        except ValueError:
            return preset, *financial_year(financial_year_of(data_end))
    if preset == "q":
        try:
            year, number = params.get("q", "").split("-")
            if 1 <= int(number) <= 4:
                return preset, *quarter(int(year), int(number))
        except ValueError:
            pass
        return preset, *quarter(financial_year_of(data_end), 1)
    if preset == "custom":
        start, end = parse_date(params.get("from")), parse_date(params.get("to"))
        if start and end and start <= end:
            return preset, start, end
    return "12m", *last_12_months(data_end)


def month_window(month: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The calendar month named by `month` (a date in it, ISO) clipped to [start, end]; None
    when they do not overlap. A clicked point of a monthly trend names its month this way."""
    first = dt.date.fromisoformat(month[:10]).replace(day=1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    first, last = max(first, start), min(last, end)
    return (first, last) if first <= last else None
