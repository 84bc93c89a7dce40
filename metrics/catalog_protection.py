"""Caseload, child protection, oversight and partner agency measures (docs/measures.md).

Kept apart from `metrics.catalog` (which adds these to MEASURES) so the lists can grow
independently. Keys and aggregate names are read by the summary command and the pages.
"""

from __future__ import annotations

from metrics.measure import FLOW, NEEDS_POPULATION, PCT, PER_10K, SNAPSHOT, Measure, pct

# Families with two or more distinct children among the rows of the group being aggregated
# (authority, team or worker): a grouping-safe count, so a breakdown by worker gives each
# worker's own sibling groups and a breakdown by team counts a child once per team.
SIBLING_GROUPS = (
    "coalesce(len(list_filter(map_values(list_aggregate(list_transform("
    "list(DISTINCT {'f': family_id, 'p': person_id}) FILTER (WHERE family_id IS NOT NULL), "
    "lambda x: x.f), 'histogram')), lambda n: n >= 2)), 0)"
)

MEASURES_PROTECTION: list[Measure] = [
    Measure(
        key="caseload",
        title="Caseloads",
        section="caseload",
        needs=("ssd_involvements",),
        kind=SNAPSHOT,
        date_column="allocated_date",
        aggregates={
            "workers": "count(DISTINCT worker_id)",
            "children": "count(DISTINCT person_id)",
            "families": "count(DISTINCT family_id)",
            "sibling_groups": SIBLING_GROUPS,
        },
        headline="children",
        description=(
            "Children with an open allocation at the as-of date, counted once per team; "
            "families (a child with no family row is a family of one) and sibling groups "
            "(families with two or more allocated children)."
        ),
        order_by="team NULLS LAST, worker_id NULLS LAST, family_id, person_id",
        reads_other_children=True,  # family_children counts the family's other children
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="caseload_workers",
        title="Caseload per worker",
        section="caseload",
        needs=("ssd_involvements",),
        kind=SNAPSHOT,
        date_column="oldest_allocation_date",
        aggregates={
            "workers": "count(*)",
            "children_per_worker_mean": "avg(children)",
            "children_per_worker_max": "max(children)",
            "children_per_fte_mean": "avg(children_per_fte)",
        },
        headline="children_per_worker_mean",
        higher_is_better=False,
        description=(
            "Per worker with open allocations at the as-of date: children, families, sibling "
            "groups and children per FTE (not shown where the FTE is blank). England: 15.4 cases "
            "per FTE case-holder (30 Sept 2024)."
        ),
        child_level=False,  # one row per worker: no child in it
        order_by="children DESC, worker_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="s47",
        title="S47 enquiries",
        section="s47",
        needs=("ssd_s47_enquiry",),
        kind=FLOW,
        date_column="start_date",
        aggregates={"count": "count(*)", "per_10k": PER_10K},
        aggregate_needs={"per_10k": NEEDS_POPULATION},
        headline="count",
        description="Section 47 enquiries started in the period (DfE).",
        order_by="start_date, s47_id",
    ),
    Measure(
        key="icpc",
        title="Initial child protection conferences",
        section="icpc",
        needs=("ssd_initial_cp_conference", "ssd_s47_enquiry"),
        kind=FLOW,
        date_column="icpc_date",
        aggregates={
            "count": "count(*)",
            "median_wd": "median(days)",
            "within_15wd_pct": pct("within_target", "count(days)"),
            "before_s47": "count(*) FILTER (WHERE before_s47)",
            "per_10k": PER_10K,
        },
        aggregate_needs={"per_10k": NEEDS_POPULATION},
        headline="within_15wd_pct",
        unit=PCT,
        target="icpc_wd",
        higher_is_better=True,
        description=(
            "ICPCs in the period, transfer-ins left out (DfE C4); share held within 15 working "
            "days of the S47 start. An ICPC dated before its S47 is counted but left out of the "
            "share and the median."
        ),
        order_by="icpc_date, icpc_id",
    ),
    Measure(
        key="cp_reviews",
        title="CP reviews in timescale",
        section="cp_reviews",
        needs=("ssd_cp_plans", "ssd_cp_reviews"),
        kind=SNAPSHOT,
        date_column="next_due",
        aggregates={"cohort": "count(*)", "in_timescale_pct": pct("in_timescale")},
        headline="in_timescale_pct",
        unit=PCT,
        target="later_cp_review_months",
        higher_is_better=True,
        description=(
            "Plans open at the as-of date whose first review was due: share with every review "
            "held by its due date (first at 3 months, then every 6 months after the last)."
        ),
        order_by="in_timescale, first_late_due_date NULLS LAST, cp_plan_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="cp_review_chain",
        title="CP reviews held on time",
        section="cp_reviews",
        needs=("ssd_cp_plans", "ssd_cp_reviews"),
        kind=FLOW,
        date_column="held_date",
        aggregates={
            "held": "count(held_date)",
            "held_on_time_pct": pct("status = 'held on time'", "count(held_date)"),
            "held_late": "count(*) FILTER (WHERE status = 'held late')",
            "overdue": "count(*) FILTER (WHERE status = 'overdue')",
        },
        headline="held_on_time_pct",
        unit=PCT,
        target="later_cp_review_months",
        higher_is_better=True,
        description=(
            "CP reviews held in the period, each on time or late against its due date (first at "
            "3 months, then 6 months after the last), and each open plan's next review."
        ),
        order_by="cp_plan_id, review_number",
        percent=frozenset({"held_on_time_pct"}),
    ),
    Measure(
        key="cp_reviews_due",
        title="CP reviews coming up",
        section="cp_reviews",
        needs=("ssd_cp_plans", "ssd_cp_reviews"),
        kind=SNAPSHOT,
        date_column="next_due",
        aggregates={"count": "count(*)"},
        headline="count",
        description="Open plans whose next review is due within the coming weeks.",
        order_by="next_due, cp_plan_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="cp_plans",
        title="Child protection plans",
        section="cp_plans",
        needs=("ssd_cp_plans",),
        kind=SNAPSHOT,
        date_column="start_date",
        aggregates={
            # One row per plan and event (open / started / ended), each with the team of
            # that event's day: a plan counts under the team that held it then.
            "open": "count(*) FILTER (WHERE event = 'open')",
            "started": "count(*) FILTER (WHERE event = 'started')",
            "ended": "count(*) FILTER (WHERE event = 'ended')",
            "repeat": "count(*) FILTER (WHERE is_repeat)",
            "ended_2y_plus_pct": pct(
                "duration_band = '2 years or more'",
                "count(*) FILTER (WHERE event = 'ended')",
            ),
            "open_per_10k": "10000.0 * count(*) FILTER (WHERE event = 'open') / $population",
        },
        aggregate_needs={"open_per_10k": NEEDS_POPULATION},
        headline="open",
        description=(
            "Plans open at the as-of date, started and ended in the period; repeat plans; "
            "duration of ended plans (DfE D7). By team: the team of the child's allocated "
            "worker when the plan started, on its last day (ended) or at the as-of date (open)."
        ),
        order_by="start_date, cp_plan_id, event",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="oversight",
        title="Management oversight and drift",
        section="oversight",
        needs=("ssd_involvements", "case_notes"),
        kind=SNAPSHOT,
        date_column="allocated_date",
        aggregates={
            "open_allocated": "count(*)",
            "without_oversight": "count(*) FILTER (WHERE without_oversight)",
            "without_oversight_pct": pct("without_oversight"),
            "drift": "count(*) FILTER (WHERE drift)",
        },
        headline="without_oversight",
        target="oversight_wd",
        higher_is_better=False,
        description=(
            "Open allocated cases at the as-of date with no management oversight note for more "
            "than 20 working days, and with no activity (visit or note) for more than 20."
        ),
        order_by="days_since_oversight DESC, person_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="recording",
        title="Case recording",
        section="oversight",
        needs=("case_notes",),
        kind=FLOW,
        date_column="event_date",
        aggregates={
            "notes": "count(*)",
            "median_lag_wd": "median(lag_wd)",
            "within_target_pct": pct("within_target", "count(within_target)"),
        },
        headline="within_target_pct",
        unit=PCT,
        target="recording_wd",
        higher_is_better=True,
        description=(
            "Case notes about events in the period: share recorded within 5 working days of the "
            "event (notes still unrecorded past the target count as late)."
        ),
        order_by="event_date, note_id",
    ),
    Measure(
        key="agencies",
        title="Partner agency responses",
        section="agencies",
        needs=("info_requests",),
        kind=FLOW,
        date_column="requested_date",
        aggregates={
            "requests": "count(*)",
            "median_wd": "median(days)",
            "within_target_pct": pct("within_target", "count(within_target)"),
            "outstanding_past_target": "count(*) FILTER (WHERE outstanding AND NOT within_target)",
        },
        headline="within_target_pct",
        unit=PCT,
        target="agency_response_wd",
        higher_is_better=True,
        description=(
            "Information requests made in the period: median working days to respond and share "
            "within target (requests still outstanding past the target count as late)."
        ),
        by_team=False,
        dimensions=("agency",),
        order_by="requested_date, request_id",
    ),
    Measure(
        key="agencies_outstanding",
        title="Agency requests outstanding",
        section="agencies",
        needs=("info_requests",),
        kind=SNAPSHOT,
        date_column="requested_date",
        aggregates={
            "count": "count(*)",
            "past_target": "count(*) FILTER (WHERE past_target)",
            "oldest_wd": "max(age_wd)",
        },
        headline="count",
        unit="count",
        description="Information requests with no response at the as-of date, oldest first.",
        by_team=False,
        dimensions=("agency",),
        order_by="age_wd DESC, request_id",
        month_bits=62,  # read at month ends (common/month_ends.sql), as long as the others
    ),
]
