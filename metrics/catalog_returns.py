"""Measures for what only the statutory returns carry: Annex A's "date child last seen" and
latest CP review. They are unavailable (with the reason) on extracts without those lists."""

from __future__ import annotations

from metrics.measure import PCT, SNAPSHOT, Measure, pct

MEASURES_RETURNS: list[Measure] = [
    Measure(
        key="last_seen",
        title="Time since the child was last seen",
        section="seen",
        needs=("annex_a_last_seen",),
        kind=SNAPSHOT,
        date_column="last_seen_date",
        aggregates={
            "children": "count(*)",
            "seen_0_6_weeks": "count(*) FILTER (WHERE band_order = 1)",
            "seen_6_12_weeks": "count(*) FILTER (WHERE band_order = 2)",
            "seen_12_18_weeks": "count(*) FILTER (WHERE band_order = 3)",
            "seen_18_plus_weeks": "count(*) FILTER (WHERE band_order = 4)",
            "over_6_weeks_pct": pct("band_order > 1"),
        },
        headline="over_6_weeks_pct",
        unit=PCT,
        higher_is_better=False,
        description="Annex A: weeks since each child was last seen, at the as-of date.",
        by_team=False,
        order_by="last_seen_date, person_id",
        dimensions=("band",),
    ),
    Measure(
        key="last_cp_review",
        title="Time since the last CP review",
        section="cp_reviews",
        needs=("annex_a_last_cp_review", "ssd_cp_plans"),
        kind=SNAPSHOT,
        date_column="start_date",
        aggregates={
            "open_plans": "count(*)",
            "overdue": "count(*) FILTER (WHERE overdue)",
            "overdue_pct": pct("overdue"),
        },
        headline="overdue_pct",
        unit=PCT,
        higher_is_better=False,
        description=(
            "Annex A: CP plans open at the as-of date whose next review (3 months after the "
            "start, then 6 months after the last review) is past due."
        ),
        order_by="next_due, person_id",
    ),
]
