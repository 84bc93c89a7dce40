"""Casework measures: allocation, assessments and seeing the child (docs/measures.md).

Kept apart from `metrics.catalog` (which adds these to MEASURES) so the two lists can grow
independently. Keys and aggregate names are read by the summary command and the pages.
"""

from __future__ import annotations

from metrics.measure import FLOW, PCT, SNAPSHOT, Measure, pct


def quantile(column: str, q: float, where: str | None = None) -> str:
    """SQL for a linearly interpolated percentile (pandas' default) of `column`."""
    sql = f"quantile_cont({column}, {q})"
    return f"{sql} FILTER (WHERE {where})" if where else sql


ALLOCATED = "status = 'allocated'"
SEEN = "status = 'seen'"

MEASURES_CASEWORK: list[Measure] = [
    Measure(
        key="allocation",
        title="Allocation after referral",
        section="allocation",
        needs=("ssd_cin_episodes", "ssd_involvements"),
        kind=FLOW,
        date_column="referral_date",
        aggregates={
            "cohort": "count(*)",
            "median_wd": quantile("days", 0.5, ALLOCATED),
            "p25_wd": quantile("days", 0.25, ALLOCATED),
            "p75_wd": quantile("days", 0.75, ALLOCATED),
            "within_target_pct": pct("within_target"),
            # The same share for the referrals whose assessment recorded domestic abuse (the
            # summary's; the domestic_abuse measure gives it from the same rows).
            "domestic_abuse_within_target_pct": pct(
                "within_target AND domestic_abuse", "count(*) FILTER (WHERE domestic_abuse)"
            ),
        },
        aggregate_needs={
            "domestic_abuse_within_target_pct": ("ssd_cin_assessments", "ssd_assessment_factors")
        },
        headline="within_target_pct",
        unit=PCT,
        target="allocation_wd",
        higher_is_better=True,
        description=(
            "Referrals in the period (not NFA): working days to the first allocated worker. "
            "Share within target counts referrals still unallocated past the target as late."
        ),
        order_by="referral_date, referral_id",
        percent=frozenset({"within_target_pct"}),
    ),
    Measure(
        key="unallocated",
        title="Unallocated referrals",
        section="allocation",
        needs=("ssd_cin_episodes", "ssd_involvements"),
        kind=SNAPSHOT,
        date_column="referral_date",
        aggregates={
            "count": "count(*)",
            "past_target": "count(*) FILTER (WHERE past_target)",
            "oldest_wd": "max(age_wd)",
        },
        headline="count",
        target="allocation_wd",
        higher_is_better=False,
        description="Open referrals (not NFA) with no allocated worker at the as-of date.",
        order_by="age_wd DESC, referral_date, referral_id",
        month_bits=62,  # read at month ends (common/month_ends.sql), as long as the others
    ),
    Measure(
        key="assessments",
        title="Completed assessments",
        section="assessments",
        needs=("ssd_cin_episodes", "ssd_cin_assessments"),
        kind=FLOW,
        date_column="auth_date",
        aggregates={
            "completed": "count(*)",
            "median_wd": quantile("days", 0.5),
            "p25_wd": quantile("days", 0.25),
            "p75_wd": quantile("days", 0.75),
            "within_target_pct": pct("within_target"),
            "from_referral_median_wd": quantile("from_referral_days", 0.5),
            # A share of completed assessments (measures.md), but only when some assessment's
            # worker is found in ssd_professionals: with none known it says nothing (NULL with
            # its reason), never 0% unqualified.
            # (A share with its parts, "41 of 480", for the tiles and findings: its denominator
            # is NULL, so the share too, when no worker is known.)
            "unqualified_pct": pct(
                "NOT qualified",
                "CASE WHEN count(*) FILTER (WHERE worker_known) > 0 THEN count(*) END",
            ),
            "worker_unknown": "count(*) FILTER (WHERE NOT worker_known)",
            "seen_during_pct": pct("child_seen"),
        },
        aggregate_needs={
            "unqualified_pct": ("ssd_professionals",),
            "worker_unknown": ("ssd_professionals",),
        },
        null_reasons={
            "unqualified_pct": (
                "no assessment completed in this period has a worker found in "
                "ssd_professionals, so whether they were qualified is unknown"
            ),
        },
        headline="within_target_pct",
        unit=PCT,
        target="assessment_wd",
        higher_is_better=True,
        description=(
            "Assessments authorised in the period (DfE C2): working days from start to "
            "authorisation; share within 45 working days (2010 regime: initial/core targets)."
        ),
        order_by="auth_date, assessment_id",
        percent=frozenset({"within_target_pct", "unqualified_pct", "seen_during_pct"}),
    ),
    Measure(
        key="assessments_overdue",
        title="Open assessments past their timescale",
        section="assessments",
        needs=("ssd_cin_assessments",),
        kind=SNAPSHOT,
        date_column="start_date",
        aggregates={"count": "count(*)", "oldest_wd": "max(age_wd)"},
        headline="count",
        target="assessment_wd",
        higher_is_better=False,
        description="Assessments started and not authorised at the as-of date, past the target.",
        order_by="age_wd DESC, start_date, assessment_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="assessments_due",
        title="Open assessments coming due",
        section="assessments",
        needs=("ssd_cin_assessments",),
        kind=SNAPSHOT,
        date_column="start_date",
        aggregates={"count": "count(*)"},
        headline="count",
        target="due_soon_wd",
        description=(
            "Assessments open at the as-of date, not yet past their timescale, due within the "
            "next 5 working days (the due_soon_wd setting)."
        ),
        order_by="due_in_wd, start_date, assessment_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="siblings",
        title="Siblings assessed in their own right",
        section="assessments",
        needs=("ssd_cin_episodes", "ssd_cin_assessments", "ssd_family"),
        kind=FLOW,
        date_column="referral_date",
        aggregates={
            "children": "count(*)",
            "not_assessed": "count(*) FILTER (WHERE NOT assessed)",
            "not_assessed_pct": pct("NOT assessed"),
        },
        headline="not_assessed_pct",
        unit=PCT,
        higher_is_better=False,
        description=(
            "Children referred (not NFA) in the period on the same day as a brother or sister, "
            "in a group where at least one child was assessed: the share with no assessment of "
            "their own."
        ),
        order_by="assessed, referral_date, family_id, referral_id",
        percent=frozenset({"not_assessed_pct"}),
        reads_other_children=True,  # a child's row depends on their siblings' referrals
    ),
    Measure(
        key="seen",
        title="Child seen after referral",
        section="seen",
        needs=("ssd_cin_episodes", "ssd_cin_visits"),
        kind=FLOW,
        date_column="referral_date",
        aggregates={
            "cohort": "count(*)",
            "median_wd": quantile("days", 0.5, SEEN),
            "p25_wd": quantile("days", 0.25, SEEN),
            "p75_wd": quantile("days", 0.75, SEEN),
            "within_target_pct": pct("within_target"),
        },
        headline="within_target_pct",
        unit=PCT,
        target="seen_wd",
        higher_is_better=True,
        description=(
            "Referrals in the period (not NFA): working days to the first visit where the child "
            "was seen. Share within target counts children still unseen past the target as late."
        ),
        order_by="referral_date, referral_id",
        percent=frozenset({"within_target_pct"}),
    ),
    Measure(
        key="not_yet_seen",
        title="Children not yet seen",
        section="seen",
        needs=("ssd_cin_episodes", "ssd_cin_visits"),
        kind=SNAPSHOT,
        date_column="referral_date",
        aggregates={
            "count": "count(*)",
            "at_risk": "count(*) FILTER (WHERE at_risk)",
        },
        headline="at_risk",
        target="seen_wd",
        higher_is_better=False,
        description=(
            "Open referrals (not NFA) where the child has not been seen since the referral; "
            "over the target = at potential risk."
        ),
        order_by="age_wd DESC, referral_date, referral_id",
        month_bits=62,  # read at month ends (common/month_ends.sql), as long as the others
    ),
    Measure(
        key="seen_closed_unseen",
        title="Referrals closed without the child being seen",
        section="seen",
        needs=("ssd_cin_episodes", "ssd_cin_visits"),
        kind=FLOW,
        date_column="referral_date",
        aggregates={"count": "count(*)"},
        headline="count",
        higher_is_better=False,
        description=(
            "Referrals in the period (not NFA) closed with no seen visit recorded: a data issue, "
            "left out of the time-to-see figures."
        ),
        order_by="referral_date, referral_id",
    ),
]
