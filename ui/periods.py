"""Period presets (last 12 months, financial year, quarter, custom) as plain functions,
so the URL form of a period (`?period=fy&fy=2025`) can be tested without Streamlit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    """A YYYY-MM-DD date, or None for anything else."""
    if not text or not _ISO_DATE.fullmatch(text):
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


YEARS_OFFERED = 6  # financial years the Period filter offers, counting back from the data's end


def years_offered(data_end: dt.date) -> list[int]:
    last = financial_year_of(data_end)
    return list(range(last, last - YEARS_OFFERED, -1))


def quarters_offered(data_end: dt.date) -> list[str]:
    """Quarters as the URL names them ("2025-3"), newest first."""
    return [f"{y}-{n}" for y in years_offered(data_end) for n in (4, 3, 2, 1)]


def quarter_of(d: dt.date) -> str:
    """The financial quarter containing d, as the URL names it."""
    return f"{financial_year_of(d)}-{(d.month - 4) % 12 // 3 + 1}"


def day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


@dataclass(frozen=True)
class UrlPeriod:
    """The period, year, quarter and as-at date a link names, checked against the data."""

    preset: str
    start: dt.date
    end: dt.date
    fy: int
    q: str
    as_of: dt.date | None
    notes: tuple[str, ...] = ()  # what was not usable, and what is shown instead


def read_url(params: dict[str, str], first: dt.date, last: dt.date) -> UrlPeriod:
    """The filters' dates named by URL parameters, within the data's range [first, last].

    Nothing a link holds can break a page: a value that is not a date, a year or quarter not
    offered, or a date outside the data is replaced (clamped to the range where that keeps the
    meaning), and a note says what is shown instead. A note never repeats the link's text."""
    notes: list[str] = []
    years = years_offered(last)
    fy, q = years[0], quarter_of(last)
    # `from` and `to` alone (a hand-made link) mean a custom period.
    preset = params.get("period") or ("custom" if {"from", "to"} & set(params) else "12m")
    start, end = last_12_months(last)
    if preset not in PRESETS:
        notes.append(
            "The period in the link is not one of the choices: showing the last 12 months."
        )
        preset = "12m"
    if preset == "fy":
        raw = params.get("fy", "")
        if re.fullmatch("[0-9]{4}", raw) and int(raw) in years:
            fy = int(raw)
        else:
            notes.append(
                f"The financial year in the link is not one the filter offers: showing {fy_label(fy)}."
            )
        start, end = financial_year(fy)
    elif preset == "q":
        raw = params.get("q", "")
        if raw in quarters_offered(last):
            q = raw
        else:
            notes.append(
                "The quarter in the link is not one the filter offers: showing "
                f"{quarter_label(*map(int, q.split('-')))}."
            )
        start, end = quarter(*map(int, q.split("-")))
    elif preset == "custom":
        start, end, said = _custom(params, first, last)
        if said:
            notes.append(said)
        if start is None or end is None:
            preset, (start, end) = "12m", last_12_months(last)
    raw = params.get("as_of")
    as_of = parse_date(raw)
    if raw and as_of is None:
        notes.append(
            "The as-at date in the link is not a date (the form is YYYY-MM-DD): "
            "using the end of the period."
        )
    elif as_of is not None and as_of > last:
        notes.append(f"The data ends on {day(last)}: the as-at date in the link is now that day.")
        as_of = last
    elif as_of is not None and as_of < first:
        notes.append(
            f"The data starts on {day(first)}: the as-at date in the link is before it; "
            "using the end of the period."
        )
        as_of = None
    return UrlPeriod(preset, start, end, fy, q, as_of, tuple(notes))


def _custom(
    params: dict[str, str], first: dt.date, last: dt.date
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """A custom period from `from` and `to`: (start, end, note); None dates when unusable."""
    start, end = parse_date(params.get("from")), parse_date(params.get("to"))
    if start is None or end is None:
        return (
            None,
            None,
            (
                "A date of the period in the link is missing or not a date (the form is "
                "YYYY-MM-DD): showing the last 12 months."
            ),
        )
    if start > end:
        return (
            None,
            None,
            "The period in the link ends before it starts: showing the last 12 months.",
        )
    if start > last or end < first:
        return (
            None,
            None,
            (
                f"The period in the link is outside the data ({day(first)} to {day(last)}): "
                "showing the last 12 months."
            ),
        )
    if start < first or end > last:
        start, end = max(start, first), min(end, last)
        return (
            start,
            end,
            (
                f"The data covers {day(first)} to {day(last)}: the period in the link is cut to "
                f"{day(start)} to {day(end)}."
            ),
        )
    return start, end, None


def month_window(month: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The calendar month named by `month` (a date in it, ISO) clipped to [start, end]; None
    when they do not overlap. A clicked point of a monthly trend names its month this way."""
    first = dt.date.fromisoformat(month[:10]).replace(day=1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    first, last = max(first, start), min(last, end)
    return (first, last) if first <= last else None
