"""England figures (DfE children in need statistics, year to 31 March 2025) to read local ones
against. Keyed by (measure, aggregate) so tiles and trend lines find them without guessing."""

from __future__ import annotations

ENGLAND: dict[tuple[str, str], float] = {
    ("referrals", "rereferral_12m_pct"): 22.6,
    ("referrals", "nfa_pct"): 6.5,
    ("assessments", "median_wd"): 33,
    ("assessments", "p25_wd"): 17,
    ("assessments", "p75_wd"): 43,
    ("assessments", "within_target_pct"): 85.7,
    ("icpc", "within_15wd_pct"): 81.4,
    ("icpc", "median_wd"): 14,
    ("cp_plans", "ended_2y_plus_pct"): 4.4,
    ("caseload_workers", "children_per_fte_mean"): 15.4,
}

ENGLAND_COUNTS: dict[str, int] = {
    "referrals": 632_830,
    "assessments": 648_830,
    "s47": 230_590,
    "cp_plans_open_31_march": 49_420,
}


def england(measure: str, aggregate: str) -> float | None:
    return ENGLAND.get((measure, aggregate))
