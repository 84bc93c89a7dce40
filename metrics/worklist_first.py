"""My team today in SQL, the one definition of what needs action now: how many rows each kind
of work has, how many of them the viewer's scope leaves out, and the rows of the kinds chosen,
most urgent first, the first `limit` for the screen or every one for the download (no
Streamlit here).

Each kind's rows are kept in SQL by its own rule (`_kept`), put in one union of what orders
them (the kind, the child, the item, its due date, team and worker, and the measure's row),
counted per kind, and ordered: working days past due (wd_between, most first, none last), due
date, kind of work, child, item, then the kind's place in KINDS. Only the rows read are made
into words (metrics/worklist.py `row_in_words`), so the screen's first rows are the download's
first rows, word for word. Values are bound parameters; column names are the measures' own (Kind).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from metrics import lists
from metrics.catalog import get
from metrics.engine import Engine, plain
from metrics.filters import Filters
from metrics.worklist import COLUMNS, KINDS, OWNERS, WORK, Kind, row_in_words

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


def _plan(engine: Engine, filters: Filters) -> tuple[list[Kind], dict[str, str], bool, bool]:
    """The kinds of work this extract can give, why not for the others, whether the filters
    name a team or worker (an agency request's owner must then be known), and whether its
    owners can be read (OWNERS): without them, under such a filter, there is no such work."""
    kinds, unavailable = _available(engine)
    by_owner = _by_owner(filters)
    owners_known = False
    if any(k.key == "agencies_outstanding" for k in kinds):
        if engine.unavailable_reason(get(OWNERS)) is None:
            owners_known = True
        elif by_owner:
            kinds = [k for k in kinds if k.key != "agencies_outstanding"]
            unavailable["Chase the agency's response"] = (
                "requests carry no team, and without allocations in the extract they cannot be "
                "given to a team or worker"
            )
    return kinds, unavailable, by_owner, owners_known


def _by_owner(filters: Filters) -> bool:
    """Whether the filters name a team or worker, which an agency request has only through its
    owner (OWNERS)."""
    return filters.team is not None or filters.worker is not None or filters.teams is not None


def _available(engine: Engine) -> tuple[list[Kind], dict[str, str]]:
    """The kinds of work this extract can give, and why not for the others."""
    unavailable: dict[str, str] = {}
    kinds = []
    for kind in KINDS:
        reason = engine.unavailable_reason(get(kind.key))
        if reason:
            unavailable.setdefault(kind.work, f"{get(kind.key).title}: {reason}")
        else:
            kinds.append(kind)
    return kinds, unavailable


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _kept(engine: Engine, kind: Kind, filters: Filters, keys: set[str]) -> str:
    """The rows of `kind`'s measure that need action now, as `k`: the kind's rule, the one
    definition (its flag; for CP reviews the next review's date; else every row)."""
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


def _tallied(
    engine: Engine, filters: Filters, kinds: list[Kind], by_owner: bool, owners_known: bool
) -> dict[str, dict[str, object]]:
    """Per kind's key: its rows (`n`), the teams they name (`teams`) and how many name none
    (`no_team`). One statement, its rows one per kind; a kind without rows is left out."""
    if not kinds:
        return {}
    sql = (
        "SELECT kind, count(*) AS n, list(DISTINCT team) AS teams, "
        "count(*) FILTER (WHERE team IS NULL) AS no_team "
        f"FROM ({_work_sql(engine, filters, kinds, by_owner, owners_known)}) GROUP BY kind"
    )
    found = {int(r["kind"]): r for r in engine.records(sql, engine.values(filters))}
    return {k.key: found[KIND_INDEX[k.key]] for k in kinds if KIND_INDEX[k.key] in found}


def today(engine: Engine, filters: Filters) -> Today:
    """The tiles' counts (per kind of work, rows and overdue), what the scope leaves out and
    the teams named, under the filters and the viewer's scope (raises NotPermitted for a
    viewer of aggregates only: `counts` is theirs)."""
    kinds, unavailable, by_owner, owners_known = _plan(engine, filters)
    found = _tallied(engine, filters, kinds, by_owner, owners_known)
    counts: dict[str, int] = {}
    teams: dict[str, set[str | None]] = {}
    for kind in kinds:
        got = found.get(kind.key)
        counts[kind.key] = int(got["n"]) if got else 0
        named = set(got["teams"] or []) if got else set()
        if got and got["no_team"]:
            named.add(None)
        teams.setdefault(kind.work, set()).update(named)
    tally = {}
    for work in WORK:
        mine = [k for k in kinds if k.work == work]
        tally[work] = (
            sum(counts[k.key] for k in mine),
            sum(counts[k.key] for k in mine if k.overdue),
        )
    hidden = _hidden(engine, filters, kinds, counts, by_owner)
    return Today(tally, hidden, unavailable, teams)


def counts(engine: Engine, filters: Filters) -> tuple[dict[str, int | None], dict[str, str]]:
    """For a viewer who sees aggregate figures only: how many rows of each kind of work need
    action (None: cannot be told), and the work this extract cannot give, with why."""
    kinds, unavailable = _available(engine)
    return _totals(engine, filters, kinds, _by_owner(filters)), unavailable


def _totals(
    engine: Engine, filters: Filters, kinds: list[Kind], by_owner: bool
) -> dict[str, int | None]:
    """Per kind of work, how many rows need action whatever the viewer's scope (counts, which
    every role may see): the same rows as `today`'s without the scope. None where that cannot
    be told: under a team or worker filter an agency request's owner is known only for
    children the viewer may see."""
    untold = [k for k in kinds if k.key == "agencies_outstanding" and by_owner]
    told = [k for k in kinds if k not in untold]
    anyone = replace(filters, scope=None, scope_teams=None)
    # An owner never changes a count told here (a request is counted with or without one), so
    # the owners are not read.
    found = _tallied(engine, anyone, told, by_owner, False)
    out: dict[str, int | None] = {}
    for kind in kinds:
        if kind in untold:
            out[kind.work] = None
        elif out.get(kind.work, 0) is not None:
            got = found.get(kind.key)
            out[kind.work] = out.get(kind.work, 0) + (int(got["n"]) if got else 0)
    return out


def _hidden(
    engine: Engine,
    filters: Filters,
    kinds: list[Kind],
    shown: dict[str, int],
    by_owner: bool,
) -> dict[str, int | None]:
    """Per kind of work, rows the viewer's scope leaves out: the rows that need action,
    counted whatever the scope, less those shown (None: cannot be told, see _totals)."""
    if filters.scope is None:
        return {}
    listed: dict[str, int] = {}
    for kind in kinds:
        listed[kind.work] = listed.get(kind.work, 0) + shown.get(kind.key, 0)
    return {
        work: None if total is None else max(total - listed.get(work, 0), 0)
        for work, total in _totals(engine, filters, kinds, by_owner).items()
    }


def first(
    engine: Engine, filters: Filters, works: tuple[str, ...], limit: int | None
) -> tuple[pd.DataFrame, int]:
    """The rows of the kinds of work `works` (COLUMNS, most urgent first): the first `limit`
    (the screen's), or every row (None: the download's), and how many rows those kinds have
    in all."""
    if limit is not None and limit < 1:
        raise ValueError(f"a list's first rows are at least one row, not {limit}")
    kinds, _, by_owner, owners_known = _plan(engine, filters)
    chosen = [k for k in kinds if k.work in works]
    if not chosen:
        return _frame([]), 0
    wanted = ", ".join(str(KIND_INDEX[k.key]) for k in chosen)
    total = "" if limit is None else ", count(*) OVER () AS __total"
    sql = (
        f"SELECT *{total} FROM (SELECT *, wd_between(due_date, $as_of) AS overdue_wd "
        f"FROM ({_work_sql(engine, filters, kinds, by_owner, owners_known)}) WHERE kind IN "
        f"({wanted})) ORDER BY overdue_wd DESC NULLS LAST, due_date NULLS LAST, work, "
        "person_id NULLS LAST, item_id NULLS LAST, kind"
    )
    values = engine.values(filters)
    if limit is not None:
        sql += " LIMIT $limit"
        values["limit"] = int(limit)
    found = engine.records(sql, values)
    by_index = {KIND_INDEX[k.key]: (i, k) for i, k in enumerate(kinds)}
    out = []
    for r in found:
        i, kind = by_index[int(r["kind"])]
        row = {k: _plain(v) for k, v in (r[f"row_{i}"] or {}).items()}
        row["team"], row["worker_id"] = r["team"], r["worker_id"]
        out.append(row_in_words(kind, row) | {"overdue_wd": r["overdue_wd"]})
    if limit is None:
        return _frame(out), len(out)
    return _frame(out), int(found[0]["__total"]) if found else 0


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Worklist rows as a frame of COLUMNS (working days past due as integers, none as NA)."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["overdue_wd"] = frame["overdue_wd"].astype("Int64")
    return frame


def _plain(value: object) -> object:
    """A value of a measure's row as a frame of its rows gives it (decimals as floats), so a
    row's words are those the measure's own list shows."""
    return float(value) if isinstance(value, Decimal) else plain(value)
