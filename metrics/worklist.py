"""My team today: one worklist of what needs action now, built from the measures' own rows.

Nothing here defines a measure. Each kind of work is the rows of a measure (through
`Engine.rows`, so the filters and the viewer's scope apply exactly as on the measure's page),
kept by the measure's own flag:

| work | measure | rows kept |
|---|---|---|
| Allocate a worker | unallocated | past_target |
| See the child | not_yet_seen | at_risk (past the target) |
| Complete the assessment | assessments_overdue | every row (past the timescale) |
| Complete the assessment | assessments_due | every row (due within `due_soon_wd`) |
| Record management oversight | oversight | without_oversight |
| Chase the agency's response | agencies_outstanding | past_target |
| Hold the CP review | cp_reviews | next review due on or before the as-of date (not held) |
| Hold the CP review | cp_reviews_due | every row (due within the horizon weeks) |

Urgency: every row has the due date its measure gives, and `overdue_wd` =
wd_between(due date, as-of), the working days past it (negative: due in that many working days).
Rows are ordered by `overdue_wd`, most first: the longest overdue first, then work coming due,
the soonest first; ties by due date, kind of work and child.

An agency request carries no team or worker: it is shown as the work of the child's allocated
worker (the caseload's earliest open allocation of the child, as the oversight measure owns a
case), and the team and worker filters apply to that owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from metrics.catalog import get
from metrics.engine import Engine, concurrently, plain
from metrics.filters import Filters
from metrics.words import date_text, days_text

COLUMNS = [
    "person_id",
    "work",
    "overdue",
    "overdue_wd",
    "due_date",
    "item_id",
    "detail",
    "team",
    "worker_id",
]


@dataclass(frozen=True)
class Kind:
    """One kind of work: the measure whose rows it is, which rows need action now (`keep`), the
    row columns naming the item and its due date, and the row said in words (`detail`)."""

    key: str
    work: str
    overdue: bool  # past its timescale (True) or coming due (False)
    keep: Callable[[dict, dt.date], bool]
    item: str
    due: str
    detail: Callable[[dict], str]
    flag: str | None = None  # the row column `keep` reads, when it is one flag


def _flag(column: str) -> Callable[[dict, dt.date], bool]:
    return lambda row, as_of: row.get(column) is True


def _every(row: dict, as_of: dt.date) -> bool:
    return True


def _review_not_held(row: dict, as_of: dt.date) -> bool:
    return row.get("next_due") is not None and row["next_due"] <= as_of


def _assessment(r: dict) -> str:
    kind = f"{r['assessment_type'].capitalize()} assessment" if r.get("assessment_type") else ""
    return (
        f"{kind or 'Assessment'} started {date_text(r['start_date'])}, open "
        f"{days_text(r['age_wd'])} (timescale {days_text(r['target'])})"
    )


def _review(r: dict) -> str:
    last = r.get("last_review_date")
    held = f"last review {date_text(last)}" if last else "no review held yet"
    return f"CP plan started {date_text(r['start_date'])}; {held}"


def _oversight(r: dict) -> str:
    last, allocated = r.get("last_oversight_date"), r["allocated_date"]
    if last and last >= allocated:
        return f"Last management oversight {date_text(last)}"
    return f"No management oversight since allocation on {date_text(allocated)}"


KINDS: tuple[Kind, ...] = (
    Kind(
        "unallocated",
        "Allocate a worker",
        True,
        _flag("past_target"),
        "referral_id",
        "due_date",
        lambda r: f"Referred {date_text(r['referral_date'])}; no allocated worker after "
        f"{days_text(r['age_wd'])}",
        flag="past_target",
    ),
    Kind(
        "not_yet_seen",
        "See the child",
        True,
        _flag("at_risk"),
        "referral_id",
        "due_date",
        lambda r: f"Referred {date_text(r['referral_date'])}; not seen after "
        f"{days_text(r['age_wd'])}",
        flag="at_risk",
    ),
    Kind(
        "assessments_overdue",
        "Complete the assessment",
        True,
        _every,
        "assessment_id",
        "due_date",
        _assessment,
    ),
    Kind(
        "assessments_due",
        "Complete the assessment",
        False,
        _every,
        "assessment_id",
        "due_date",
        _assessment,
    ),
    Kind(
        "oversight",
        "Record management oversight",
        True,
        _flag("without_oversight"),
        "person_id",
        "oversight_due_date",
        _oversight,
        flag="without_oversight",
    ),
    Kind(
        "agencies_outstanding",
        "Chase the agency's response",
        True,
        _flag("past_target"),
        "request_id",
        "due_date",
        lambda r: f"Asked {r['agency']} on {date_text(r['requested_date'])}; no response "
        f"after {days_text(r['age_wd'])}",
        flag="past_target",
    ),
    Kind("cp_reviews", "Hold the CP review", True, _review_not_held, "cp_plan_id", "next_due", _review),
    Kind("cp_reviews_due", "Hold the CP review", False, _every, "cp_plan_id", "next_due", _review),
)  # fmt: skip
WORK = list(dict.fromkeys(k.work for k in KINDS))  # the kinds of work, in the order above
OWNERS = "caseload"  # whose child an agency request is
URGENCY = (
    "Overdue work first, the most working days past its due date first; then work coming due, "
    "the soonest first."
)


@dataclass
class Worklist:
    """The rows (COLUMNS, most urgent first); per kind of work, how many rows the viewer's scope
    leaves out (None: cannot be told); the work this extract cannot give, with why."""

    rows: pd.DataFrame
    hidden: dict[str, int | None] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)


def worklist(engine: Engine, filters: Filters) -> Worklist:
    """What needs action at the as-of date, under the filters and the viewer's scope."""
    as_of = filters.effective_as_of
    kinds, unavailable, by_owner, owners_known = _plan(engine, filters)
    asked = [k.key for k in kinds] + ([OWNERS] if owners_known else [])
    found = dict(zip(asked, concurrently(lambda k: _rows(engine, k, filters), asked), strict=True))
    owners: dict[str, dict] = {}
    for row in sorted(found.get(OWNERS, []), key=lambda r: (r["allocated_date"], r["worker_id"])):
        owners.setdefault(str(row["person_id"]), row)

    out: list[dict] = []
    shown: dict[str, int] = {}
    overdue_plans: set[str] = set()
    for kind in kinds:
        rows = [r for r in found[kind.key] if kind.keep(r, as_of)]
        if kind.key == "cp_reviews":
            overdue_plans = {str(r["cp_plan_id"]) for r in rows}
        elif kind.key == "cp_reviews_due":  # a review due on the as-of day is overdue already
            rows = [r for r in rows if str(r["cp_plan_id"]) not in overdue_plans]
        elif kind.key == "agencies_outstanding":
            for r in rows:
                owner = owners.get(str(r["person_id"]), {})
                r["team"], r["worker_id"] = owner.get("team"), owner.get("worker_id")
            if by_owner:
                rows = [r for r in rows if str(r["person_id"]) in owners]
        shown[kind.key] = len(rows)
        out += [_row(kind, r) for r in rows]
    frame = _urgency(engine, pd.DataFrame(out, columns=COLUMNS), as_of)
    hidden = _hidden(engine, filters, kinds, shown, by_owner)
    return Worklist(frame, hidden, unavailable)


def _plan(engine: Engine, filters: Filters) -> tuple[list[Kind], dict[str, str], bool, bool]:
    """The kinds of work this extract can give, why not for the others, whether the filters
    name a team or worker (an agency request's owner must then be known), and whether its
    owners can be read (OWNERS): without them, under such a filter, there is no such work."""
    kinds, unavailable = _available(engine)
    by_owner = filters.team is not None or filters.worker is not None or filters.teams is not None
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


def _row(kind: Kind, r: dict) -> dict:
    """A worklist row (COLUMNS but overdue_wd) from a row of `kind`'s measure."""
    return {
        "person_id": str(r["person_id"]),
        "work": kind.work,
        "overdue": kind.overdue,
        "due_date": r[kind.due],
        "item_id": None if r.get(kind.item) is None else str(r[kind.item]),
        "detail": kind.detail(r),
        "team": r.get("team"),
        "worker_id": r.get("worker_id"),
    }


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


def _rows(engine: Engine, key: str, filters: Filters) -> list[dict]:
    frame = engine.rows(get(key), filters)
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _urgency(engine: Engine, frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """overdue_wd = wd_between(due date, as-of) for every row (one query over the distinct due
    dates, with the calendar's macro), then the rows in urgency order."""
    dates = sorted({d for d in frame["due_date"] if d is not None})
    if dates:
        sql = (
            "SELECT d AS due_date, wd_between(d, $as_of) AS wd "
            "FROM (SELECT unnest(CAST($dates AS DATE[])) AS d)"
        )
        wd = engine.query(sql, {"dates": dates, "as_of": as_of})
        days = {plain(d): int(n) for d, n in wd.itertuples(index=False, name=None)}
        frame["overdue_wd"] = [days.get(d) for d in frame["due_date"]]
    frame["overdue_wd"] = frame["overdue_wd"].astype("Int64")
    order = {w: i for i, w in enumerate(WORK)}
    frame = frame.assign(_work=frame["work"].map(order)).sort_values(
        ["overdue_wd", "due_date", "_work", "person_id", "item_id"],
        ascending=[False, True, True, True, True],
        na_position="last",
        kind="stable",
    )
    return frame.drop(columns="_work").reset_index(drop=True)


def _totals(
    engine: Engine, filters: Filters, kinds: list[Kind], by_owner: bool
) -> dict[str, int | None]:
    """Per kind of work, how many of the measures' rows need action, whatever the viewer's
    scope (counts, which every role may see). None where that cannot be told: under a team or
    worker filter an agency request's owner is known only for children the viewer may see."""
    as_of = filters.effective_as_of
    keys = {k.key for k in kinds}
    out: dict[str, int | None] = {}
    for kind in kinds:
        if kind.key == "agencies_outstanding" and by_owner:
            out[kind.work] = None
            continue
        counts = engine.count(get(kind.key), filters, (kind.flag or kind.due,))
        if kind.flag:
            keep = counts[kind.flag].map(lambda v: v is True)
        elif kind.key == "cp_reviews":  # the next review due on or before as-of, not held
            keep = counts[kind.due].map(lambda d: plain(d) is not None and plain(d) <= as_of)
        elif kind.key == "cp_reviews_due" and "cp_reviews" in keys:
            keep = counts[kind.due].map(lambda d: plain(d) > as_of)  # as-of day: overdue
        else:
            keep = counts["n"] >= 0
        if not (kind.work in out and out[kind.work] is None):
            out[kind.work] = out.get(kind.work, 0) + int(counts.loc[keep, "n"].sum())
    return out


def _hidden(
    engine: Engine, filters: Filters, kinds: list[Kind], shown: dict[str, int], by_owner: bool
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


def counts(engine: Engine, filters: Filters) -> tuple[dict[str, int | None], dict[str, str]]:
    """For a viewer who sees aggregate figures only: how many rows of each kind of work need
    action (None: cannot be told), and the work this extract cannot give, with why."""
    kinds, unavailable = _available(engine)
    by_owner = filters.team is not None or filters.worker is not None or filters.teams is not None
    return _totals(engine, filters, kinds, by_owner), unavailable
