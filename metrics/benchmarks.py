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
    # Rates per 10,000 children aged 0-17, as published (england.csv): only these years are
    # published on a comparable base; see ENGLAND_YEAR. None for contacts (not collected) or CP
    # plans (not published as a rate there).
    ("referrals", "per_10k"): 518.3,
    ("s47", "per_10k"): 191.6,
    ("icpc", "per_10k"): 63.2,
}

# Figures from another year than 2024-25, with the year they are for (the page says so).
ENGLAND_YEAR: dict[tuple[str, str], str] = {
    ("referrals", "per_10k"): "year to 31 March 2024",
    ("s47", "per_10k"): "year to 31 March 2023",
    ("icpc", "per_10k"): "year to 31 March 2023",
}

ENGLAND_COUNTS: dict[str, int] = {
    "referrals": 632_830,
    "assessments": 648_830,
    "s47": 230_590,
    "cp_plans_open_31_march": 49_420,
}


def england(measure: str, aggregate: str) -> float | None:
    return ENGLAND.get((measure, aggregate))
