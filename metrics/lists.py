"""The first rows of a long list and how many it has, cut in SQL (no Streamlit here).

A page shows a measure's rows kept by its flag columns (`where`), in an order of its columns
(`order`), cut to the first few thousand; it says how many there are in all, and its download
has every row. Read whole and cut in pandas, a list of 150,000 rows at 1,000,000 children was
fetched, converted and cached only to show its first 5,000. Here DuckDB keeps, orders and cuts
the rows, and counts the kept rows in the same query (a window over them; docs/performance.md).

The order is the one pandas gave the whole list: `order`'s columns (nulls last, as
`sort_values`), then the measure's own drill-down order (`Measure.order_by`, the order the rows
had before the stable sort), then every column of the row ascending, nulls last, so rows that
tie on all of those still come out in one order on every run (a page's first rows are the
download's first rows). Column names come only from the measure's rows (`columns`); values,
the limit included, are bound parameters.
"""

from __future__ import annotations

import weakref

import pandas as pd

from metrics.engine import Engine
from metrics.filters import Filters
from metrics.measure import Measure
from metrics.sql_text import bind

# A list's rows kept by the measure's own flag columns: ((column, wanted), ...), a missing flag
# counted as false; and its order: ((column, ascending), ...), () for the measure's own.
Where = tuple[tuple[str, bool], ...]
Order = tuple[tuple[str, bool], ...]

# The kept rows' count, beside each first row (a name no measure's row column has).
_TOTAL = "__list_total"
# The row columns of each measure, per engine (they change only with the database, which
# changes the engine).
_COLUMNS: weakref.WeakKeyDictionary[Engine, dict[str, tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def columns(engine: Engine, measure: Measure, filters: Filters) -> tuple[str, ...]:
    """The measure's row columns, in order: the only names a `where` or `order` may use."""
    known = _COLUMNS.setdefault(engine, {})
    if measure.key not in known:
        sql = f"SELECT * FROM ({engine._scoped(measure, filters)}) LIMIT 0"
        cur = engine.con.cursor()
        try:
            cur.execute(sql, bind(sql, engine.values(filters)))
            known[measure.key] = tuple(d[0] for d in cur.description)
        finally:
            cur.close()
    return known[measure.key]


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _kept(
    engine: Engine, measure: Measure, filters: Filters, where: Where, order: Order
) -> tuple[str, str, dict[str, object]]:
    """The kept rows' SQL (unordered), its ORDER BY, and the values both bind."""
    names = columns(engine, measure, filters)
    for column, _ in (*where, *order):
        if column not in names:
            raise ValueError(f"{measure.title}: no row column {column!r}")
    sql = engine._scoped(measure, filters)
    values = engine.values(filters)
    for i, (column, wanted) in enumerate(where):
        sql += f" AND coalesce(CAST(r.{_quoted(column)} AS BOOLEAN), false) = $where_{i}"
        values[f"where_{i}"] = bool(wanted)
    keys = [f"{_quoted(c)} {'ASC' if up else 'DESC'} NULLS LAST" for c, up in order]
    keys.append(measure.order_by)
    keys += [f"{_quoted(c)} ASC NULLS LAST" for c in names]
    return sql, ", ".join(keys), values


def first_rows(
    engine: Engine,
    measure: Measure,
    filters: Filters,
    where: Where = (),
    order: Order = (),
    limit: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of the measure kept by `where`, in `order` (see the module), and
    how many rows are kept in all; every kept row with `limit` None. Raises as `Engine.rows`
    (MeasureUnavailable, NotPermitted) and ValueError for a column the rows do not have."""
    sql, keys, values = _kept(engine, measure, filters, where, order)
    if limit is None:
        frame = engine.query(f"SELECT * FROM ({sql}) k ORDER BY {keys}", values)
        return frame, len(frame)
    if limit < 1:
        raise ValueError(f"a list's first rows are at least one row, not {limit}")
    # The count as a window over the kept rows, in the query that cuts them: the rows SQL runs
    # once (a second count query ran it again, and cost about as much as the rows query).
    counted = f"SELECT *, count(*) OVER () AS {_TOTAL} FROM ({sql}) k ORDER BY {keys} LIMIT $limit"
    frame = engine.query(counted, values | {"limit": int(limit)})
    total = int(frame[_TOTAL].iloc[0]) if len(frame) else 0
    return frame.drop(columns=_TOTAL), total
