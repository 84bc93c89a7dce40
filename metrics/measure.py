"""What a measure is: one SQL file of child-level rows, and the aggregates read off those rows.

Every shape a page needs (headline, monthly trend, breakdown by team or worker, the children
behind the number) is computed from the same rows, so a headline always equals what its
drill-down lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FLOW, SNAPSHOT = "flow", "snapshot"

# Units a measure's headline is shown in.
PCT = "%"
WD = "working days"


class Share(str):
    """The SQL of a 0-100 share that also knows its numerator and denominator, so a trend can
    say "41 of 48" and leave months with too few children unjudged."""

    numerator: str
    denominator: str

    def __new__(cls, condition: str, denominator: str) -> Share:
        numerator = f"count(*) FILTER (WHERE {condition})"
        share = super().__new__(cls, f"100.0 * {numerator} / nullif({denominator}, 0)")
        share.numerator = numerator
        share.denominator = denominator
        return share


# A count per 10,000 of the authority's children aged 0-17 (docs/measures.md "Rates per 10,000
# children"), and its need: not available without the population setting (metrics/settings.py).
PER_10K = "10000.0 * count(*) / $population"
NEEDS_POPULATION = ("setting:population",)
# Contact decision timeliness needs decision dates somewhere in the extract (Annex A has none:
# docs/measures.md "Front door"); without any, the share and "no decision recorded" are not
# available rather than 0% and every contact.
DECISION_DATES = ("values:ssd_contacts.cont_outcome_date",)


# Why a share or median is NULL when no row of the period and filters could give it.
NOTHING_TO_COMPUTE = "nothing to compute it from in this period (with these filters)"


def pct(condition: str, denominator: str = "count(*)") -> str:
    """SQL for a 0-100 share; NULL (not 0) when the denominator is empty."""
    return Share(condition, denominator)


# The columns beside a share that carry its numerator and denominator (Engine.monthly).
NUMERATOR, DENOMINATOR = "{}_numerator", "{}_denominator"


@dataclass(frozen=True)
class Measure:
    """A measure: rows from `metrics/sql/<key>.sql`, aggregates over them.

    `aggregates` maps a name to a SQL aggregate over the rows (e.g. ``median(days)``);
    `headline` names the one shown on a tile. `needs` are the tables without which the measure
    is unavailable (the reason is shown, never a zero).
    """

    key: str
    title: str
    section: str
    needs: tuple[str, ...]
    kind: str
    date_column: str
    aggregates: dict[str, str]
    headline: str
    unit: str = "count"  # "count", "%", "working days"
    target: str | None = None  # a key of Settings.targets
    higher_is_better: bool | None = None
    description: str = ""
    # Whether the rows carry `team` and `worker_id` that the filters apply to.
    by_team: bool = True
    # Whether each row is a child (has person_id) and so falls under the viewer's scope.
    child_level: bool = True
    # Columns to order the drill-down by (oldest / worst first).
    order_by: str = "1"
    percent: frozenset[str] = field(default_factory=frozenset)
    # Further row columns a breakdown may group by (e.g. "agency"), beside team and worker.
    dimensions: tuple[str, ...] = ()
    # Whether a child's row reads other children's records (e.g. the siblings on a caseload):
    # such a measure is never narrowed to one child's records under a person filter (engine).
    reads_other_children: bool = False
    # Aggregates that need more than the measure's rows: a table beyond `needs`, or a setting
    # ("setting:population"). Without it that aggregate alone is not available (NULL with its
    # reason, `Engine.unavailable_aggregates`), never a 0 from an empty table.
    aggregate_needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Why an aggregate is NULL when it comes out NULL on the rows asked (nothing to compute it
    # from): said beside it on tiles and in the summary. Aggregates not named here get
    # NOTHING_TO_COMPUTE.
    null_reasons: dict[str, str] = field(default_factory=dict)
    # A snapshot measure whose monthly trend is read from `metrics/sql/trend/<key>.sql`: each
    # counted span of dates read once as the month ends it covers (Engine.monthly), not the
    # rows query run again at every month end. Its figures are the headline's at each month end
    # (tests/test_monthly.py holds them to it). The number is the most months the file reads
    # (the bits of one integer); a longer trend, and a measure with 0, runs the grid query.
    month_bits: int = 0

    @property
    def sql_file(self) -> str:
        return f"{self.key}.sql"

    @property
    def trend_file(self) -> str:
        return f"trend/{self.key}.sql"
