"""The text alternative of a chart (WCAG 2.2 AA, 1.1.1): the numbers a figure draws, as a table
of words and figures, and a one-sentence summary for screen readers.

Read from the figure itself, so every chart drawn by `ui/charts.show` gets its alternative
without the page doing anything: one row per category (month, band, team, working days), one
column per series (legend entry), the reference lines (target, England) said in a sentence.
Each row keeps the id its points carry (custom_data), so choosing a row of the table does what
clicking the bar or point does: the chart's drill-down, from the keyboard.

No Streamlit (and no plotly import) here: plain functions of a Plotly figure.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.words import date_text

if TYPE_CHECKING:  # only ui/charts and the modules it draws with import plotly
    from ui.charts import Figure

# A categorical y (events by kind, on the Child page) or a box of points: one row per point.
_POINTWISE = ("box",)


@dataclass
class ChartText:
    """A chart in words: `table` (strings, headers in words), `ids` (the id each row's points
    carry, None where none), `summary` (one sentence) and `subject` (what is drawn against
    what, to name the table)."""

    table: pd.DataFrame
    ids: list[str | None] = field(default_factory=list)
    summary: str = ""
    subject: str = ""


def _title(fig: Figure, axis: str) -> str:
    title = getattr(getattr(fig.layout, axis, None), "title", None)
    return str(title.text) if title is not None and title.text else ""


def _is_share(title: str) -> bool:
    return "%" in title


def _number(value: object, share: bool) -> str:
    """A value as the chart means it: a share to one decimal with %, a count as a whole number,
    anything else to one decimal ("" when there is none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, int | float):
        return str(value)
    if share:
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _category(value: object, monthly: bool) -> str:
    """A category (x of a column, y of a bar) in words: a month as "Apr 2025", a date as
    "3 Feb 2026", a whole number without ".0"."""
    if isinstance(value, str):
        try:
            stamp = pd.Timestamp(value) if len(value) >= 10 and value[4] == "-" else None
        except ValueError:
            stamp = None
        if stamp is not None:
            return f"{stamp:%b %Y}" if monthly else date_text(stamp)
        return value
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return f"{value:%b %Y}" if monthly else date_text(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def _sortable(value: object) -> object:
    """A category as something to sort by: a number, a date, or the text itself."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return pd.Timestamp(value) if len(value) >= 10 and value[4] == "-" else value
        except ValueError:
            return value
    return value


def _values(trace, name: str) -> list:
    """A trace's values as plain Python (numpy dates as Timestamps, numbers as floats)."""
    values = getattr(trace, name, None)
    if values is None:
        return []
    out = []
    for value in values:
        if isinstance(value, np.datetime64):
            value = pd.Timestamp(value)
        elif isinstance(value, np.generic):
            value = value.item()
        out.append(value)
    return out


def _ids(trace, n: int) -> list[str | None]:
    custom = getattr(trace, "customdata", None)
    if custom is None:
        return [None] * n
    out: list[str | None] = []
    for item in list(custom)[:n]:
        if isinstance(item, list | tuple) or hasattr(item, "__len__") and not isinstance(item, str):
            item = list(item)[0] if len(item) else None
        out.append(None if item is None else str(item))
    return out + [None] * (n - len(out))


def _reference_lines(fig: Figure) -> list[str]:
    """The labelled lines (target, England) as the chart writes them."""
    texts = [str(a.text) for a in fig.layout.annotations or () if a.text]
    return list(dict.fromkeys(texts))


def chart_text(fig: Figure) -> ChartText:
    """The figure's numbers as a table in words, with each row's id and a summary sentence."""
    x_title, y_title = _title(fig, "xaxis"), _title(fig, "yaxis")
    traces = [t for t in fig.data if t.type in ("bar", "scatter", "box", "histogram")]
    monthly = x_title.lower() == "month"
    if any(t.type in _POINTWISE for t in traces):
        return _pointwise(fig, traces, x_title)
    if any(
        t.type == "scatter" and _values(t, "y") and isinstance(_values(t, "y")[0], str)
        for t in traces
    ):
        return _events(fig, traces, x_title)
    horizontal = any(getattr(t, "orientation", None) == "h" for t in traces)
    cat_axis, val_axis = ("y", "x") if horizontal else ("x", "y")
    cat_title = (y_title if horizontal else x_title) or "Category"
    val_title = (x_title if horizontal else y_title) or "Value"
    share = _is_share(val_title)
    rows: dict[str, dict[str, str]] = {}
    ids: dict[str, str | None] = {}
    raw: dict[str, dict[str, float]] = {}
    order: dict[str, object] = {}  # each row's category as drawn, for sorting
    series_names: list[str] = []
    for trace in traces:
        if trace.type == "histogram":
            continue
        name = str(trace.name) if trace.name and len(traces) > 1 else val_title
        if name in series_names:
            name = f"{name} ({len(series_names) + 1})"
        series_names.append(name)
        cats = _values(trace, cat_axis)
        vals = _values(trace, val_axis)
        for cat, val, point_id in zip(cats, vals, _ids(trace, len(cats)), strict=False):
            key = _category(cat, monthly)
            rows.setdefault(key, {})[name] = _number(val, share)
            order.setdefault(key, _sortable(cat))
            if isinstance(val, int | float) and not math.isnan(val):
                raw.setdefault(name, {})[key] = float(val)
            if ids.get(key) is None:
                ids[key] = point_id
    keys = list(rows)
    scale = None  # categories in an order of their own: "time" (dates, months) or "number"
    if order and len(order) == len(keys):
        if all(isinstance(v, pd.Timestamp | dt.date) for v in order.values()):
            scale = "time"
        elif all(isinstance(v, int | float) for v in order.values()):
            scale = "number"
    if scale:
        keys.sort(key=lambda k: order[k])  # numbers and dates in their order, whatever the trace
        raw = {s: {k: v[k] for k in keys if k in v} for s, v in raw.items()}
    table = pd.DataFrame(
        [{cat_title: k, **{s: rows[k].get(s, "") for s in series_names}} for k in keys],
        columns=[cat_title, *series_names],
    )
    summary = _summary(val_title, cat_title, series_names, raw, share, _reference_lines(fig), scale)
    subject = f"{val_title} by {cat_title.lower()}"
    return ChartText(table, [ids[k] for k in keys], summary, subject)


def _summary(
    val_title: str,
    cat_title: str,
    series: list[str],
    raw: dict[str, dict[str, float]],
    share: bool,
    lines: list[str],
    scale: str | None = "time",
) -> str:
    """One sentence: what is drawn against what, over which categories (a range when they have
    an order, else how many), the first series' latest (over time), highest and lowest values,
    and the reference lines."""
    if not raw:
        return f"Chart of {val_title} by {cat_title.lower()}: no values to show."
    first = series[0]
    points = raw.get(first) or next(iter(raw.values()))
    cats = list(points)
    text = f"Chart of {val_title} by {cat_title.lower()}"
    if scale:
        text += f", {cats[0]} to {cats[-1]}"
    else:
        text += f" ({len(cats)} shown)"
    if len(series) > 1:
        text += f" ({', '.join(series)})"
    high = max(points, key=points.get)
    low = min(points, key=points.get)
    text += f": {first + ' ' if len(series) > 1 else ''}"
    if scale == "time":
        text += f"latest {_number(points[cats[-1]], share)} ({cats[-1]}), "
    text += (
        f"highest {_number(points[high], share)} ({high}), "
        f"lowest {_number(points[low], share)} ({low})."
    )
    if lines:
        text += " Lines: " + ", ".join(lines) + "."
    return text


def _pointwise(fig: Figure, traces, x_title: str) -> ChartText:
    """A box of points (e.g. children per FTE across workers): one row per point, named by its
    label."""
    value_title = x_title or "Value"
    rows, ids, values = [], [], []
    for trace in traces:
        vals = _values(trace, "x") or _values(trace, "y")
        labels = _values(trace, "text") or [""] * len(vals)
        for label, val, point_id in zip(labels, vals, _ids(trace, len(vals)), strict=False):
            rows.append({"Name": str(label), value_title: _number(val, _is_share(value_title))})
            ids.append(point_id)
            if isinstance(val, int | float):
                values.append(float(val))
    table = pd.DataFrame(rows, columns=["Name", value_title])
    if values:
        ordered = sorted(values)
        middle = ordered[len(ordered) // 2]
        summary = (
            f"Chart of {value_title} for {len(values)}: lowest {_number(ordered[0], False)}, "
            f"middle {_number(middle, False)}, highest {_number(ordered[-1], False)}."
        )
    else:
        summary = f"Chart of {value_title}: no values to show."
    lines = _reference_lines(fig)
    if lines:
        summary += " Lines: " + ", ".join(lines) + "."
    return ChartText(table, ids, summary, value_title)


def _when(pair: tuple[dict, object]) -> tuple:
    when = pair[0]["_when"]
    return (str(type(when)), when)


def _events(fig: Figure, traces, x_title: str) -> ChartText:
    """Points by date and kind (the Child page's timeline): one row per point, the series (e.g.
    met or missed) said in words."""
    rows, ids = [], []
    for trace in traces:
        xs, ys = _values(trace, "x"), _values(trace, "y")
        for x, y, point_id in zip(xs, ys, _ids(trace, len(xs)), strict=False):
            rows.append(
                {
                    x_title or "Date": _category(x, False),
                    "Event": str(y),
                    "Status": trace.name,
                    "_when": _sortable(x),
                }
            )
            ids.append(point_id)
    rows, ids = (
        (list(z) for z in zip(*sorted(zip(rows, ids, strict=True), key=_when), strict=True))
        if rows
        else ([], [])
    )
    table = pd.DataFrame(rows, columns=[x_title or "Date", "Event", "Status"])  # drops _when
    summary = f"Timeline of {len(rows)} events" + (
        f", {rows[0][x_title or 'Date']} to {rows[-1][x_title or 'Date']}." if rows else "."
    )
    return ChartText(table, ids, summary, "events by date")
