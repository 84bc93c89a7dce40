"""The headline figures senior managers watch, in the order the Overview shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Headline:
    measure: str
    aggregate: str
    label: str
    unit: str  # "%", "working days", "count"
    target: str | None = None  # settings target key, for the words "within N working days"
    higher_is_better: bool | None = None
    page: str | None = None  # where the detail lives


HEADLINES: list[Headline] = [
    Headline("referrals", "count", "Referrals", "count", page="pages/front_door.py"),
    Headline(
        "referrals",
        "rereferral_12m_pct",
        "Re-referrals (12 months)",
        "%",
        higher_is_better=False,
        page="pages/front_door.py",
    ),
    Headline(
        "contacts",
        "decided_within_target_pct",
        "Contacts decided in time",
        "%",
        "contact_decision_wd",
        True,
        "pages/front_door.py",
    ),
    Headline(
        "allocation",
        "within_target_pct",
        "Allocated in time",
        "%",
        "allocation_wd",
        True,
        "pages/allocation.py",
    ),
    Headline(
        "assessments",
        "within_target_pct",
        "Assessments in time",
        "%",
        "assessment_wd",
        True,
        "pages/assessments.py",
    ),
    Headline(
        "assessments",
        "median_wd",
        "Assessment median",
        "working days",
        "assessment_wd",
        False,
        "pages/assessments.py",
    ),
    Headline(
        "seen",
        "within_target_pct",
        "Children seen in time",
        "%",
        "seen_wd",
        True,
        "pages/seeing.py",
    ),
    Headline(
        "icpc",
        "within_15wd_pct",
        "ICPCs in time",
        "%",
        "icpc_wd",
        True,
        "pages/child_protection.py",
    ),
    Headline(
        "cp_reviews",
        "in_timescale_pct",
        "CP reviews in time",
        "%",
        None,
        True,
        "pages/child_protection.py",
    ),
    Headline(
        "caseload_workers",
        "children_per_fte_mean",
        "Children per FTE",
        "count",
        None,
        False,
        "pages/caseloads.py",
    ),
    Headline(
        "oversight",
        "without_oversight",
        "No recent oversight",
        "count",
        "oversight_wd",
        False,
        "pages/oversight.py",
    ),
    Headline(
        "agencies",
        "within_target_pct",
        "Agencies replied in time",
        "%",
        "agency_response_wd",
        True,
        "pages/agencies.py",
    ),
]

# The rates per 10,000 children the Overview shows when the population is set: (measure,
# aggregate, label). The summary's "rates" section reads the same aggregates.
RATES: list[tuple[str, str, str]] = [
    ("contacts", "per_10k", "Contacts per 10,000"),
    ("referrals", "per_10k", "Referrals per 10,000"),
    ("s47", "per_10k", "S47 enquiries per 10,000"),
    ("icpc", "per_10k", "Initial conferences per 10,000"),
    ("cp_plans", "open_per_10k", "CP plans open per 10,000"),
]
