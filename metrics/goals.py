"""Performance goals and how a figure is judged: red, amber or green against its goal; better,
worse or in line with England; and its change on the previous period, all in words.

A *target* is a statutory or local timescale (45 working days for an assessment: settings
`[targets]`). A *goal* is how good the share or median over many children should be (90% of
assessments within that timescale): settings `[goals]`. The RAG rule, stated once here and in
docs/measure-decisions.md:

- **Green**: at or better than the goal.
- **Amber**: worse than the goal by no more than its amber margin (default 5 percentage points
  for a share, 5 working days for a median, as set for each count).
- **Red**: worse than that.
- The figure is judged as shown (to one decimal), so a tile never says "below goal" beside the
  goal's own value; a share of fewer than 5 children is not judged ("too few to judge").

Against England (and neighbours): "better" or "worse" only past a margin (2 percentage points
for shares; 5% of England's figure for days, rates and caseloads), otherwise "in line with
England".
"""

from __future__ import annotations

from dataclasses import dataclass

# The fewest children (a share's denominator) a month or a tile is judged on.
FEWEST = 5
GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Goal:
    """How good a figure should be, and how far worse still counts as amber (in its unit)."""

    value: float
    amber: float


# Local defaults, not national standards (no national goal exists for these shares): a %
# goal is the share of children whose work met its timescale; a days goal the median. Counts
# of demand (referrals, contacts) have no goal: more is neither better nor worse.
DEFAULT_GOALS: dict[tuple[str, str], Goal] = {
    ("contacts", "decided_within_target_pct"): Goal(90, 5),
    ("referrals", "rereferral_12m_pct"): Goal(20, 5),
    ("allocation", "within_target_pct"): Goal(90, 5),
    ("seen", "within_target_pct"): Goal(90, 5),
    ("assessments", "within_target_pct"): Goal(90, 5),
    ("assessments", "median_wd"): Goal(35, 5),
    ("icpc", "within_15wd_pct"): Goal(90, 5),
    ("cp_reviews", "in_timescale_pct"): Goal(95, 5),
    ("cp_review_chain", "held_on_time_pct"): Goal(95, 5),
    ("caseload_workers", "children_per_fte_mean"): Goal(18, 2),
    ("oversight", "without_oversight"): Goal(0, 10),
    ("recording", "within_target_pct"): Goal(90, 5),
    ("agencies", "within_target_pct"): Goal(90, 5),
    ("unallocated", "past_target"): Goal(0, 5),
    ("not_yet_seen", "at_risk"): Goal(0, 5),
    ("assessments_overdue", "count"): Goal(0, 10),
    ("transfers", "within_target_pct"): Goal(90, 5),
    ("transfers_waiting", "past_target"): Goal(0, 5),
    ("worker_changes", "three_plus_pct"): Goal(10, 5),
    ("views", "views_recorded_pct"): Goal(90, 5),
    ("police", "decided_within_target_pct"): Goal(90, 5),
    ("domestic_abuse", "allocation_within_target_pct"): Goal(90, 5),
    ("domestic_abuse", "seen_within_target_pct"): Goal(90, 5),
    # Judged by the findings (docs/findings.md): any assessment by an unqualified worker is red
    # (Working Together expects a registered social worker); siblings left without an
    # assessment of their own; allocated cases without recent management oversight.
    ("assessments", "unqualified_pct"): Goal(0, 0),
    ("siblings", "not_assessed_pct"): Goal(0, 5),
    ("oversight", "without_oversight_pct"): Goal(5, 5),
}
# The amber margin a goal set in the settings without one gets, by unit.
DEFAULT_AMBER = {"%": 5.0, "working days": 5.0}

# England (and neighbours): past these, a figure is better or worse; within, in line.
ENGLAND_MARGIN_PP = 2.0  # percentage points, for shares
ENGLAND_MARGIN_PCT = 5.0  # per cent of England's figure, for days, rates and caseloads


@dataclass(frozen=True)
class Judgement:
    """A RAG level (None: not judged) and the words said with it."""

    level: str | None
    words: str

    @property
    def colour(self) -> str:
        """The badge colour (st.badge): the words carry the meaning, the colour repeats it."""
        return {GREEN: "green", AMBER: "orange", RED: "red"}.get(self.level or "", "gray")


def shown(value: float, unit: str) -> float:
    """The value as a tile shows it: to one decimal (a whole count is unchanged)."""
    return round(value, 1)


def rag(
    value: float | None,
    goal: Goal | None,
    higher_is_better: bool | None,
    unit: str,
    *,
    denominator: int | None = None,
) -> Judgement:
    """Red, amber or green against the goal, in words (see the module docstring)."""
    if goal is None or higher_is_better is None:
        return Judgement(None, "No goal set")
    if value is None:
        return Judgement(None, "Not judged — no figure")
    if denominator is not None and denominator < FEWEST:
        return Judgement(None, f"Not judged — too few to judge ({denominator} in all)")
    v = shown(value, unit)
    gap = v - goal.value if higher_is_better else goal.value - v  # >= 0: at or better
    gap = round(gap, 6)
    if higher_is_better:
        words = ("at or above goal", "just below goal", "below goal")
    else:
        words = ("at or under goal", "just over goal", "over goal")
    if gap >= 0:
        return Judgement(GREEN, f"Green — {words[0]}")
    if -gap <= goal.amber:
        return Judgement(AMBER, f"Amber — {words[1]}")
    return Judgement(RED, f"Red — {words[2]}")


def goal_text(goal: Goal | None, unit: str, higher_is_better: bool | None) -> str | None:
    """'Goal: 90% or more' style words."""
    if goal is None or higher_is_better is None:
        return None
    if goal.value == 0 and not higher_is_better:
        return "Goal: 0"
    number = _number(goal.value, unit)
    more = "or more" if higher_is_better else "or fewer" if unit == "count" else "or less"
    return f"Goal: {number} {more}"


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%".replace(".0%", "%")
    if unit == "working days":
        text = f"{value:.1f}".removesuffix(".0")
        return f"{text} working day" + ("" if text == "1" else "s")
    return f"{value:,.1f}".removesuffix(".0")


def versus(
    value: float | None,
    other: float | None,
    unit: str,
    higher_is_better: bool | None,
    *,
    name: str = "England",
    margin_pp: float = ENGLAND_MARGIN_PP,
    margin_pct: float = ENGLAND_MARGIN_PCT,
) -> str | None:
    """'Better than England', 'worse than England' past the margin, else 'in line with
    England'; None when either figure is missing."""
    if value is None or other is None:
        return None
    diff = shown(value, unit) - other
    if unit == "%":
        inside = abs(diff) <= margin_pp + 1e-9
        margin = f"within {margin_pp:g} percentage points"
    else:
        inside = abs(diff) <= abs(other) * margin_pct / 100 + 1e-9
        margin = f"within {margin_pct:g}%"
    if inside:
        return f"In line with {name} ({margin})"
    if higher_is_better is None:
        return f"{'Above' if diff > 0 else 'Below'} {name}"
    better = diff > 0 if higher_is_better else diff < 0
    return f"{'Better' if better else 'Worse'} than {name}"


@dataclass(frozen=True)
class Change:
    """The change on the previous period as st.metric shows it (None: no delta drawn), with
    its colour rule and arrow, and words for the caption."""

    delta: str | None
    colour: str  # st.metric delta_color: "normal", "inverse", "off"
    arrow: str  # st.metric delta_arrow: "auto", "off"
    words: str


def change(
    value: float | None,
    previous: float | None,
    unit: str,
    higher_is_better: bool | None,
    *,
    earlier_data: bool = True,
) -> Change:
    """The change on the previous period: none drawn without earlier data; 'no change' in
    grey with no arrow when the shown figures are equal."""
    if not earlier_data:
        return Change(None, "off", "off", "No earlier data")
    if value is None:
        return Change(None, "off", "off", "")
    if previous is None:
        return Change(None, "off", "off", "Previous period: no figure")
    step = shown(value, unit) - shown(previous, unit)
    step = round(step, 1)
    before = f"previous period {_said(previous, unit)}"
    if step == 0:
        return Change("No change", "off", "off", f"No change ({before})")
    if unit == "%":
        delta = f"{step:+.1f} pp"
    elif float(step).is_integer():
        delta = f"{step:+,.0f}"
    else:
        delta = f"{step:+,.1f}"
    colour = "off" if higher_is_better is None else ("normal" if higher_is_better else "inverse")
    return Change(delta, colour, "auto", before[0].upper() + before[1:])


def _said(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "working days":
        text = f"{value:.1f}".removesuffix(".0")
        return f"{text} working day" + ("" if text == "1" else "s")
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def unit_of(aggregate: str) -> str:
    """An aggregate's unit from its name, as the catalogs name them (`..._pct`, `..._wd`)."""
    if aggregate.endswith("_pct"):
        return "%"
    if aggregate.endswith("_wd"):
        return "working days"
    return "count"


@dataclass(frozen=True)
class Margins:
    """How far from England (or neighbours) a figure may be and still be 'in line'."""

    pp: float = ENGLAND_MARGIN_PP
    pct: float = ENGLAND_MARGIN_PCT


def read_goals(table: object, path: object) -> dict[tuple[str, str], Goal]:
    """The defaults with the settings file's `[goals.<measure>]` tables applied.

    `aggregate = 90` sets a goal (its amber margin: 5 for shares and days, 0 for counts);
    `aggregate = { goal = 30, amber = 5 }` sets both; `aggregate = false` removes a default goal.
    A measure or aggregate that does not exist is an error naming it, so a typo does not leave
    a default in force unnoticed.
    """
    from metrics.catalog import MEASURES  # the catalog does not import settings: no cycle

    goals = dict(DEFAULT_GOALS)
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [goals] must hold tables such as [goals.assessments]")
    for measure, entries in table.items():
        if measure not in MEASURES:
            raise ValueError(
                f"{path}: [goals.{measure}]: unknown measure; known: {', '.join(sorted(MEASURES))}"
            )
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: goals.{measure} must be a table such as [goals.{measure}]")
        for aggregate, given in entries.items():
            where = f"{path}: goals.{measure}.{aggregate}"
            if aggregate not in MEASURES[measure].aggregates:
                known = ", ".join(MEASURES[measure].aggregates)
                raise ValueError(f"{where}: unknown figure; {measure} has {known}")
            if given is False:
                goals.pop((measure, aggregate), None)
                continue
            if isinstance(given, dict):
                unknown = set(given) - {"goal", "amber"}
                if unknown or "goal" not in given:
                    raise ValueError(f"{where}: write {{ goal = N, amber = M }} (amber optional)")
                value, amber = given["goal"], given.get("amber")
            else:
                value, amber = given, None
            if amber is None:
                amber = DEFAULT_AMBER.get(unit_of(aggregate), 0.0)
            for name, number in (("goal", value), ("amber", amber)):
                if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
                    raise ValueError(f"{where}: {name} must be a number >= 0, got {number!r}")
            if unit_of(aggregate) == "%" and value > 100:
                raise ValueError(f"{where}: a share's goal is a percentage up to 100")
            goals[(measure, aggregate)] = Goal(float(value), float(amber))
    return goals


def read_margins(table: object, path: object) -> Margins:
    """`[england] margin_pp = 2, margin_pct = 5` (both optional)."""
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [england] must be a table")
    unknown = set(table) - {"margin_pp", "margin_pct"}
    if unknown:
        raise ValueError(f"{path}: [england] knows margin_pp and margin_pct, not {sorted(unknown)}")
    values = {}
    for name in ("margin_pp", "margin_pct"):
        number = table.get(name, getattr(Margins(), name.removeprefix("margin_")))
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ValueError(f"{path}: england.{name} must be a number >= 0, got {number!r}")
        values[name.removeprefix("margin_")] = float(number)
    return Margins(**values)
