"""My team today without reading the whole worklist: how many rows each kind of work has, and
the first rows of the kinds chosen, most urgent first, cut in SQL (no Streamlit here).

`metrics/worklist.py` reads every row of eight measures and orders them in Python: 147,579
rows for every team at 1,000,000 children, fetched, made into dicts and words, to show 5,000.
Here the same rows are kept in SQL (each kind's own rule, `_kept`), put in one union of what
orders them (the kind, the child, the item, its due date, team and worker, and the measure's
row), counted per kind, and cut to the first `limit` in the worklist's order: working days
past due (wd_between, most first, none last), due date, kind of work, child, item (as
`worklist._urgency`), then the kind's place in KINDS. Only those rows are made into words, by
`worklist`'s own code, so each row says exactly what the whole worklist says of it (and its
download, which still reads the whole worklist, has them first in the same order; rows equal
on all those keys are in one order here, in the measures' order there). Values are bound
parameters; column names are the measures' own (Kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from metrics import lists
from metrics.catalog import get
from metrics.engine import Engine, plain
from metrics.filters import Filters
from metrics.worklist import (
    COLUMNS,
    KINDS,
    OWNERS,
    WORK,
    Kind,
    _hidden,
    _plan,
    _row,
    _urgency,
)

KIND_INDEX = {k.key: i for i, k in enumerate(KINDS)}


@dataclass
class Today:
    """Per kind of work (rows, of which overdue); per work, the rows the viewer's scope leaves
    out (None: cannot be told); the work the extract cannot give, with why; and per work the
    teams its rows name (to say whether a list spans more than one team)."""

    tally: dict[str, tuple[int, int]]
    hidden: dict[str, int | None]
    unavailable: dict[str, str]
    teams: dict[str, set[str | None]]


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _kept(engine: Engine, kind: Kind, filters: Filters, keys: set[str]) -> str:
    """The rows of `kind`'s measure that need action now (Kind.keep, in SQL), as `k`."""
    sql = engine._scoped(get(kind.key), filters)
    if kind.flag:
        sql += f" AND coalesce(CAST(r.{_q(kind.flag)} AS BOOLEAN), false)"
    elif kind.key == "cp_reviews":  # the next review due on or before as-of, not held
        sql += " AND r.next_due <= $as_of"
    elif kind.key == "cp_reviews_due" and "cp_reviews" in keys:  # due on as-of: overdue
        overdue = engine._scoped(get("cp_reviews"), filters)
        sql += (
            " AND CAST(r.cp_plan_id AS VARCHAR) NOT IN (SELECT CAST(o.cp_plan_id AS VARCHAR) "
            f"FROM ({overdue}) o WHERE o.next_due <= $as_of AND o.cp_plan_id IS NOT NULL)"
        )
    return sql


def _work_sql(
    engine: Engine, filters: Filters, kinds: list[Kind], by_owner: bool, owners_known: bool
) -> str:
    """Every kind's kept rows in one union: its index in KINDS, what orders it, its row."""
    keys = {k.key for k in kinds}
    parts = []
    for i, kind in enumerate(kinds):
        names = lists.columns(engine, get(kind.key), filters)
        owner, join = "k", ""
        if kind.key == "agencies_outstanding":  # the child's allocated worker's (OWNERS)
            owner = "o"
            join = " INNER JOIN" if by_owner else " LEFT JOIN"
            if owners_known:
                scoped = engine._scoped(get(OWNERS), filters)
                join += (
                    " (SELECT CAST(c.person_id AS VARCHAR) AS person_id, c.team, c.worker_id "
                    f"FROM ({scoped}) c QUALIFY row_number() OVER (PARTITION BY "
                    "CAST(c.person_id AS VARCHAR) ORDER BY c.allocated_date, c.worker_id) = 1)"
                )
            else:
                join += " (SELECT NULL AS person_id, NULL AS team, NULL AS worker_id LIMIT 0)"
            join += " o ON o.person_id = CAST(k.person_id AS VARCHAR)"
        team = f"{owner}.team" if owner == "o" or "team" in names else "NULL"
        worker = f"{owner}.worker_id" if owner == "o" or "worker_id" in names else "NULL"
        parts.append(
            f"SELECT {KIND_INDEX[kind.key]} AS kind, {WORK.index(kind.work)} AS work, "
            f"CAST(k.person_id AS VARCHAR) AS person_id, CAST(k.{_q(kind.due)} AS DATE) "
            f"AS due_date, CAST(k.{_q(kind.item)} AS VARCHAR) AS item_id, "
            f"CAST({team} AS VARCHAR) AS team, CAST({worker} AS VARCHAR) AS worker_id, "
            f"k AS row_{i} FROM ({_kept(engine, kind, filters, keys)}) k{join}"
        )
    return "\nUNION ALL BY NAME\n".join(parts)


def today(engine: Engine, filters: Filters) -> Today:
    """The tiles' counts (per kind of work, rows and overdue), what the scope leaves out and
    the teams named, under the filters and the viewer's scope (raises NotPermitted as
    `worklist`). One statement, its rows one per kind."""
    kinds, unavailable, by_owner, owners_known = _plan(engine, filters)
    rows = kinds
    counts: dict[str, int] = {}
    teams: dict[str, set[str | None]] = {}
    if rows:
        sql = (
            f"SELECT kind, count(*) AS n, list(DISTINCT team) AS teams, "
            f"count(*) FILTER (WHERE team IS NULL) AS no_team "
            f"FROM ({_work_sql(engine, filters, kinds, by_owner, owners_known)}) GROUP BY kind"
        )
        found = engine.records(sql, engine.values(filters))
        by_index = {int(r["kind"]): r for r in found}
        for kind in rows:
            got = by_index.get(KIND_INDEX[kind.key])
            counts[kind.key] = int(got["n"]) if got else 0
            named = set(got["teams"] or []) if got else set()
            if got and got["no_team"]:
                named.add(None)
            teams.setdefault(kind.work, set()).update(named)
    tally = {}
    for work in WORK:
        mine = [k for k in rows if k.work == work]
        tally[work] = (
            sum(counts[k.key] for k in mine),
            sum(counts[k.key] for k in mine if k.overdue),
        )
    hidden = _hidden(engine, filters, rows, counts, by_owner)
    return Today(tally, hidden, unavailable, teams)


def first(
    engine: Engine, filters: Filters, works: tuple[str, ...], limit: int
) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of the kinds of work `works` (COLUMNS, most urgent first, as
    `worklist` gives them), and how many rows those kinds have in all."""
    if limit < 1:
        raise ValueError(f"a list's first rows are at least one row, not {limit}")
    kinds, _, by_owner, owners_known = _plan(engine, filters)
    chosen = [k for k in kinds if k.work in works]
    if not chosen:
        return pd.DataFrame(columns=COLUMNS), 0
    wanted = ", ".join(str(KIND_INDEX[k.key]) for k in chosen)
    sql = (
        f"SELECT *, count(*) OVER () AS __total FROM (SELECT *, wd_between(due_date, $as_of) "
        f"AS overdue_wd FROM ({_work_sql(engine, filters, kinds, by_owner, owners_known)}) WHERE kind IN "
        f"({wanted})) ORDER BY overdue_wd DESC NULLS LAST, due_date NULLS LAST, work, "
        "person_id NULLS LAST, item_id NULLS LAST, kind LIMIT $limit"
    )
    found = engine.records(sql, engine.values(filters) | {"limit": int(limit)})
    total = int(found[0]["__total"]) if found else 0
    by_index = {KIND_INDEX[k.key]: (i, k) for i, k in enumerate(kinds)}
    out = []
    for r in found:
        i, kind = by_index[int(r["kind"])]
        row = {k: _plain(v) for k, v in (r[f"row_{i}"] or {}).items()}
        row["team"], row["worker_id"] = r["team"], r["worker_id"]
        out.append(_row(kind, row))
    frame = _urgency(engine, pd.DataFrame(out, columns=COLUMNS), filters.effective_as_of)
    return frame, total


def _plain(value: object) -> object:
    """A value of a measure's row as `worklist` reads it (through a frame: decimals as floats)."""
    return float(value) if isinstance(value, Decimal) else plain(value)
