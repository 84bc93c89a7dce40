"""The one query of a snapshot measure's monthly trend (Engine.monthly): read as month bits from
the measure's trend file (`metrics/sql/trend/`, Measure.month_bits), or, for a longer period or
a measure without one, its rows query under a grid of months. Apart from the engine because it
is the one place trends are composed; the figures are held to the headlines by
tests/test_monthly.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from metrics.filters import Filters
from metrics.measure import Measure
from metrics.sql_text import rows_sql

if TYPE_CHECKING:
    from metrics.engine import Engine

# The parameters a month of a snapshot trend takes from its row of the grid.
_GRID_PARAM = re.compile(r"\$(date_from|date_to|as_of)\b")


def month_grid(
    engine: Engine, measure: Measure, filters: Filters, months: list[tuple[dt.date, dt.date]]
) -> tuple[str, dict]:
    """A snapshot measure's trend as one query: the measure's own rows query under a
    correlated subquery on a grid of months, each month taking its period (the month) and
    as-of date (its end, or the as-of date in the last month) from its row of the grid
    instead of from the parameters. So each month's aggregates, shares' parts included, are
    its headline exactly (the same `_aggregate_pairs`), and DuckDB plans the months
    together: each table (each fact) is read once, joined to the month ends by the
    measure's own interval tests (allocated_date <= as-of, ...), rather than once per
    month. A month with no rows still has its row (count 0)."""
    sql = _GRID_PARAM.sub(lambda m: f"g.{m.group(1)}", engine._filtered(measure, filters))
    pairs = engine._aggregate_pairs(measure, parts=True)
    fields = ", ".join(f"{name} := {expr}" for name, expr in pairs)
    names = ", ".join(f"s.{name} AS {name}" for name, _ in pairs)
    grid = (
        "SELECT unnest($grid_from) AS date_from, unnest($grid_to) AS date_to, "
        "unnest($grid_to) AS as_of"
    )
    full = (
        f"SELECT month, {names} FROM (SELECT g.date_from AS month, "
        f"(SELECT struct_pack({fields}) FROM ({sql}) r) AS s FROM ({grid}) g) ORDER BY month"
    )
    values = engine.values(filters) | {
        "grid_from": [start for start, _ in months],
        "grid_to": [end for _, end in months],
    }
    return full, values


def month_bits(
    engine: Engine, measure: Measure, filters: Filters, months: list[tuple[dt.date, dt.date]]
) -> tuple[str, dict]:
    """A snapshot trend read from the measure's trend file (Measure.month_bits): one row per
    month k (0 for the first), its aggregates by name, shares' parts included; the file applies
    the filters itself. The file's query is run as it is, with no SELECT around it: `by_month`
    labels and orders its rows. Planning is most of a short trend's cost (DuckDB takes about
    0.03-0.08 ms of CPU for each expression and operator), and a wrapper naming each column, the
    month looked up in a list and an ORDER BY was about 0.6 ms of it, a fifth of a one-fact
    headline."""
    sql = rows_sql(measure.trend_file)
    if engine._narrows(measure, filters):
        sql = engine._one_child(sql)
    values = engine.values(filters) | {
        "grid": [end for _, end in months],
        "grid_k": list(range(len(months))),
    }
    return sql, values


def by_month(
    engine: Engine,
    measure: Measure,
    months: list[tuple[dt.date, dt.date]],
    names: list[str],
    found: list[tuple],
) -> tuple[list[str], list[list]]:
    """A trend file's rows (`month_bits`) as the monthly frame's: in month order, each with its
    month (the first day of the month k names, from `months`, as the grid gives it) and the
    columns in the order of `_aggregate_pairs`, an aggregate not computable here None (NULL, as
    a headline gives it). Only labels and order: every figure is the file's."""
    pairs = engine._aggregate_pairs(measure, parts=True)
    off = engine.unavailable_aggregates(measure) if measure.aggregate_needs else {}
    at = {name: i for i, name in enumerate(names)}
    k = at["k"]
    columns = [None if name in off else at[name] for name, _ in pairs]
    rows = [
        [months[r[k]][0], *(None if i is None else r[i] for i in columns)]
        for r in sorted(found, key=lambda r: r[k])
    ]
    return ["month", *(name for name, _ in pairs)], rows


def month_ranges(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar months overlapping [first, last], clipped to it."""
    out = []
    cur = first.replace(day=1)
    while cur <= last:
        nxt = (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((max(cur, first), min(nxt - dt.timedelta(days=1), last)))
        cur = nxt
    return out
