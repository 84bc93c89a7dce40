"""The rest of the inspection letter (docs/measures.md "More of the letter"): transfers after
assessment, changes of worker, police notifications, domestic abuse referrals, the child's
views, and S47 and ICPC conversion.

Kept apart from `metrics.catalog` (which adds these to MEASURES) so the lists can grow
independently. Keys and aggregate names are read by the summary command and the pages.
"""

from __future__ import annotations

from metrics.catalog_casework import quantile
from metrics.measure import DECISION_DATES, FLOW, PCT, SNAPSHOT, Measure, pct

MEASURES_LETTER: list[Measure] = [
    Measure(
        key="transfers",
        title="Transfer after assessment",
        section="transfers",
        needs=("ssd_cin_assessments", "ssd_involvements", "ssd_cin_plans"),
        kind=FLOW,
        date_column="transfer_date",
        aggregates={
            "count": "count(*)",
            "median_wd": quantile("days", 0.5),
            "p75_wd": quantile("days", 0.75),
            "within_target_pct": pct("within_target"),
        },
        headline="within_target_pct",
        unit=PCT,
        target="transfer_wd",
        higher_is_better=True,
        description=(
            "Children moved to another team after an assessment that led to a CIN or CP plan, "
            "by the date the receiving team took the case: working days from the assessment's "
            "authorisation. By the team that assessed the child."
        ),
        order_by="transfer_date, assessment_id",
        dimensions=("receiving_team", "plan_kind"),
    ),
    Measure(
        key="transfers_waiting",
        title="Waiting for transfer",
        section="transfers",
        needs=("ssd_cin_assessments", "ssd_involvements", "ssd_cin_plans"),
        kind=SNAPSHOT,
        date_column="auth_date",
        aggregates={
            "count": "count(*)",
            "past_target": "count(*) FILTER (WHERE past_target)",
            "oldest_wd": "max(age_wd)",
        },
        headline="count",
        target="transfer_wd",
        higher_is_better=False,
        description=(
            "Children with an open CIN or CP plan still held only by the team that assessed "
            "them, aged from the assessment's authorisation."
        ),
        order_by="age_wd DESC, auth_date, person_id",
        month_bits=62,  # months as the bits of a BIGINT
    ),
    Measure(
        key="worker_changes",
        title="Changes of worker",
        section="worker_changes",
        needs=("ssd_involvements",),
        kind=SNAPSHOT,
        date_column="allocated_date",
        aggregates={
            "children": "count(*)",
            "three_plus": "count(*) FILTER (WHERE three_plus)",
            "three_plus_pct": pct("three_plus"),
            "mean_workers": "avg(workers_12m)",
        },
        headline="three_plus_pct",
        unit=PCT,
        higher_is_better=False,
        description=(
            "Children allocated at the as-of date, by how many allocated workers they have had "
            "in the 12 months to it; the share with 3 or more."
        ),
        order_by="workers_12m DESC, person_id",
        # The trend file: a running sum of the spans' starts and ends (no bits), kept to the
        # month-bits trends' 62 months; a longer period reads the month grid.
        month_bits=62,
    ),
    Measure(
        key="police",
        title="Police notifications",
        section="police",
        needs=("ssd_contacts",),
        kind=FLOW,
        date_column="contact_date",
        aggregates={
            "contacts": "count(*)",
            "decided_within_target_pct": pct("within_target", "count(within_target)"),
            "no_decision_recorded": "count(*) FILTER (WHERE decision_date IS NULL)",
            "weekend": "count(*) FILTER (WHERE weekend)",
        },
        aggregate_needs={
            "decided_within_target_pct": DECISION_DATES,
            "no_decision_recorded": DECISION_DATES,
        },
        headline="decided_within_target_pct",
        unit=PCT,
        target="contact_decision_wd",
        higher_is_better=True,
        description=(
            "Contacts from the police (source code 6, or a source naming the police) in the "
            "period; share decided within the contact timescale."
        ),
        by_team=False,
        order_by="contact_date, contact_id",
        dimensions=("contact_day",),
    ),
    Measure(
        key="domestic_abuse",
        title="Domestic abuse referrals",
        section="domestic_abuse",
        needs=("ssd_cin_episodes", "ssd_cin_assessments", "ssd_assessment_factors"),
        aggregate_needs={
            "allocation_within_target_pct": ("ssd_involvements",),
            "allocation_median_wd": ("ssd_involvements",),
            "seen_within_target_pct": ("ssd_cin_visits",),
            "seen_median_wd": ("ssd_cin_visits",),
        },
        kind=FLOW,
        date_column="referral_date",
        aggregates={
            "referrals": "count(*)",
            "allocation_within_target_pct": pct(
                "allocation_within_target", "count(allocation_within_target)"
            ),
            "allocation_median_wd": quantile(
                "allocation_days", 0.5, "allocation_status = 'allocated'"
            ),
            "seen_within_target_pct": pct("seen_within_target", "count(seen_within_target)"),
            "seen_median_wd": quantile("seen_days", 0.5, "seen_status = 'seen'"),
        },
        headline="referrals",
        description=(
            "Referrals in the period whose assessment recorded domestic abuse (factors 3A, 3B, "
            "3C), with their allocation and seeing timeliness (the same cohorts as for every "
            "referral)."
        ),
        order_by="referral_date, referral_id",
    ),
    Measure(
        key="views",
        title="The child's views during assessment",
        section="views",
        needs=("ssd_cin_assessments", "ssd_voice_of_child"),
        aggregate_needs={"seen_alone_pct": ("ssd_cin_visits",)},
        kind=FLOW,
        date_column="auth_date",
        aggregates={
            "assessments": "count(*)",
            "views_recorded_pct": pct("views_recorded"),
            "seen_alone_pct": pct("seen_alone"),
        },
        headline="views_recorded_pct",
        unit=PCT,
        higher_is_better=True,
        description=(
            "Assessments completed in the period: share whose child's views are recorded "
            "(a voice of the child record with an answer), and share where the child was seen "
            "alone during the assessment."
        ),
        order_by="auth_date, assessment_id",
    ),
    Measure(
        key="s47_conversion",
        title="S47 enquiries leading to a conference",
        section="s47",
        needs=("ssd_s47_enquiry", "ssd_initial_cp_conference"),
        kind=FLOW,
        date_column="start_date",
        aggregates={"count": "count(*)", "to_icpc_pct": pct("led_to_icpc")},
        headline="to_icpc_pct",
        unit=PCT,
        description=(
            "S47 enquiries started in the period: share that an initial child protection "
            "conference (held by the as-of date) names."
        ),
        order_by="start_date, s47_id",
    ),
    Measure(
        key="icpc_conversion",
        title="Conferences leading to a plan",
        section="icpc",
        needs=("ssd_initial_cp_conference", "ssd_cp_plans"),
        kind=FLOW,
        date_column="icpc_date",
        aggregates={"count": "count(*)", "to_plan_pct": pct("led_to_plan")},
        headline="to_plan_pct",
        unit=PCT,
        description=(
            "Initial conferences in the period (transfer-ins left out): share that a child "
            "protection plan (started by the as-of date) names."
        ),
        order_by="icpc_date, icpc_id",
    ),
]
