"""My team today: what each kind of work is, in words, and what is shared by its counts and its
rows (metrics/worklist_first.py keeps, counts and orders them in SQL: the one definition).

Nothing here defines a measure. Each kind of work is the rows of a measure (through
`Engine._scoped`, so the filters and the viewer's scope apply exactly as on the measure's page),
kept by the measure's own flag (the rule in SQL: `worklist_first._kept`):

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
the soonest first; ties by due date, kind of work and child (URGENCY says it in words).

An agency request carries no team or worker: it is shown as the work of the child's allocated
worker (the caseload's earliest open allocation of the child, as the oversight measure owns a
case), and the team and worker filters apply to that owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    """One kind of work: the measure whose rows it is, the row columns naming the item and its
    due date, the row said in words (`detail`), and the flag column that keeps a row when the
    rule is one flag (the other rules are worklist_first._kept's)."""

    key: str
    work: str
    overdue: bool  # past its timescale (True) or coming due (False)
    item: str
    due: str
    detail: Callable[[dict], str]
    flag: str | None = None


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
        "assessment_id",
        "due_date",
        _assessment,
    ),
    Kind(
        "assessments_due",
        "Complete the assessment",
        False,
        "assessment_id",
        "due_date",
        _assessment,
    ),
    Kind(
        "oversight",
        "Record management oversight",
        True,
        "person_id",
        "oversight_due_date",
        _oversight,
        flag="without_oversight",
    ),
    Kind(
        "agencies_outstanding",
        "Chase the agency's response",
        True,
        "request_id",
        "due_date",
        lambda r: f"Asked {r['agency']} on {date_text(r['requested_date'])}; no response "
        f"after {days_text(r['age_wd'])}",
        flag="past_target",
    ),
    Kind("cp_reviews", "Hold the CP review", True, "cp_plan_id", "next_due", _review),
    Kind("cp_reviews_due", "Hold the CP review", False, "cp_plan_id", "next_due", _review),
)  # fmt: skip
WORK = list(dict.fromkeys(k.work for k in KINDS))  # the kinds of work, in the order above
OWNERS = "caseload"  # whose child an agency request is
URGENCY = (
    "Overdue work first, the most working days past its due date first; then work coming due, "
    "the soonest first."
)


def row_in_words(kind: Kind, r: dict) -> dict:
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
