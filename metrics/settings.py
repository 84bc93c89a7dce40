"""Targets and the assessment regime: settings, read from a TOML file, defaults from measures.md.

Targets differ between authorities (allocation and seeing the child have no national standard),
so they are settings, and every page says which were used.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from metrics.comparators import Comparators, read_comparators
from metrics.goals import DEFAULT_GOALS, Goal, Margins, read_goals, read_margins

DEFAULT_TARGETS: dict[str, int] = {
    "contact_decision_wd": 1,
    "allocation_wd": 5,
    "seen_wd": 5,
    "assessment_wd": 45,
    "initial_assessment_wd": 10,
    "initial_assessment_pre2010_wd": 7,
    "core_assessment_wd": 35,
    "icpc_wd": 15,
    "first_cp_review_months": 3,
    "later_cp_review_months": 6,
    "oversight_wd": 20,
    "drift_wd": 20,
    "recording_wd": 5,
    "agency_response_wd": 5,
    "visit_gap_wd": 10,
    "due_soon_wd": 5,
    "transfer_wd": 10,
}

TARGET_LABELS: dict[str, str] = {
    "contact_decision_wd": "Contact decision (working days)",
    "allocation_wd": "Allocation after referral (working days)",
    "seen_wd": "Child seen after referral (working days)",
    "assessment_wd": "Single assessment (working days)",
    "initial_assessment_wd": "Initial assessment, 2010 regime (working days)",
    "initial_assessment_pre2010_wd": "Initial assessment before WT 2010 (working days)",
    "core_assessment_wd": "Core assessment, 2010 regime (working days)",
    "icpc_wd": "S47 start to initial CP conference (working days)",
    "first_cp_review_months": "First CP review (months after plan start)",
    "later_cp_review_months": "Later CP reviews (months after the last)",
    "oversight_wd": "Management oversight on an allocated case (working days)",
    "drift_wd": "Drift: no activity on an allocated case (working days)",
    "recording_wd": "Case recording after the event (working days)",
    "agency_response_wd": "Agency response to an information request (working days)",
    "visit_gap_wd": "Local standard: longest gap between visits (working days)",
    "due_soon_wd": "My team today: assessments due within (working days)",
    "transfer_wd": "Transfer to the receiving team after assessment (working days)",
}

REGIMES = ("2023", "2010")


@dataclass(frozen=True)
class Settings:
    """Targets (in working days or months) and the assessment regime in force."""

    targets: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    regime: str = "2023"
    # The authority's children aged 0-17 (ONS mid-year estimate): rates per 10,000 children.
    # Not set: the rates are not available (never guessed).
    population: int | None = None
    # Performance goals per (measure, aggregate), with the RAG amber margin (metrics/goals.py).
    goals: dict[tuple[str, str], Goal] = field(default_factory=lambda: dict(DEFAULT_GOALS))
    # How far from England (and neighbours) a figure is still "in line".
    margins: Margins = field(default_factory=Margins)
    # Statistical neighbours' and the region's figures, when a comparators file is set.
    comparators: Comparators | None = None

    def target(self, name: str) -> int:
        return self.targets[name]

    def goal(self, measure: str, aggregate: str) -> Goal | None:
        return self.goals.get((measure, aggregate))

    def with_targets(self, **changes: int) -> Settings:
        return replace(self, targets={**self.targets, **changes})


def load_settings(path: Path | str | None) -> Settings:
    """Read `[targets]`, `regime`, `population`, `[goals.*]`, `[england]` and `comparators`
    from a TOML file; anything not given keeps its default (no population: no rates; a
    comparators file is read and checked here).

    Unknown target names are an error, so a typo does not silently leave a default in force.
    """
    if path is None:
        return Settings()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    targets = dict(DEFAULT_TARGETS)
    for name, value in data.get("targets", {}).items():
        if name not in DEFAULT_TARGETS:
            known = ", ".join(sorted(DEFAULT_TARGETS))
            raise ValueError(f"{path}: unknown target {name!r}; known targets: {known}")
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{path}: target {name!r} must be a whole number >= 0, got {value!r}")
        targets[name] = value
    regime = str(data.get("regime", "2023"))
    if regime not in REGIMES:
        raise ValueError(f"{path}: regime must be one of {', '.join(REGIMES)}, got {regime!r}")
    population = data.get("population")
    if population is not None and (
        not isinstance(population, int) or isinstance(population, bool) or population <= 0
    ):
        raise ValueError(
            f"{path}: population must be a whole number of children above 0, got {population!r}"
        )
    goals = read_goals(data.get("goals", {}), path)
    margins = read_margins(data.get("england", {}), path)
    comparators = None
    if data.get("comparators"):
        named = Path(str(data["comparators"]))
        comparators = read_comparators(named if named.is_absolute() else Path(path).parent / named)
    return Settings(
        targets=targets,
        regime=regime,
        population=population,
        goals=goals,
        margins=margins,
        comparators=comparators,
    )
