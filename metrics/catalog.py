"""Every measure the dashboard shows, in one list: title, tables needed, aggregates, target.

The SQL of each lives in `metrics/sql/<key>.sql`; definitions follow docs/measures.md.
"""

from __future__ import annotations

from metrics.measure import (  # noqa: F401 (WD for other measures)
    DECISION_DATES,
    FLOW,
    NEEDS_POPULATION,
    PCT,
    PER_10K,
    WD,
    Measure,
    pct,
)

MEASURES: dict[str, Measure] = {
    m.key: m
    for m in [
        Measure(
            key="contacts",
            title="Contacts",
            section="contacts",
            needs=("ssd_contacts",),
            kind=FLOW,
            date_column="contact_date",
            aggregates={
                "count": "count(*)",
                # Denominator: contacts decided by as-of, less those decided before they were
                # made (within_target NULL: a data issue, left out of the share).
                "decided_within_target_pct": pct("within_target", "count(within_target)"),
                "no_decision_recorded": "count(*) FILTER (WHERE decision_date IS NULL)",
                "per_10k": PER_10K,
            },
            aggregate_needs={
                "per_10k": NEEDS_POPULATION,
                "decided_within_target_pct": DECISION_DATES,
                "no_decision_recorded": DECISION_DATES,
            },
            headline="decided_within_target_pct",
            unit=PCT,
            target="contact_decision_wd",
            higher_is_better=True,
            description="Contacts dated in the period; share decided within 1 working day.",
            by_team=False,
            order_by="contact_date, contact_id",
        ),
        Measure(
            key="referrals",
            title="Referrals",
            section="referrals",
            needs=("ssd_cin_episodes",),
            kind=FLOW,
            date_column="referral_date",
            aggregates={
                "count": "count(*)",
                "rereferral_12m_pct": pct("rereferral"),
                "nfa_pct": pct("nfa"),
                "per_10k": PER_10K,
                # Referrals whose assessment recorded domestic abuse (the summary's count; the
                # domestic_abuse measure lists them).
                "domestic_abuse": "count(*) FILTER (WHERE domestic_abuse)",
            },
            aggregate_needs={
                "per_10k": NEEDS_POPULATION,
                "domestic_abuse": ("ssd_cin_assessments", "ssd_assessment_factors"),
            },
            headline="count",
            description="Referrals dated in the period (DfE C1); re-referrals within 12 months.",
            order_by="referral_date, referral_id",
        ),
    ]
}


def get(key: str) -> Measure:
    """The measure named `key` (KeyError lists the known keys)."""
    try:
        return MEASURES[key]
    except KeyError:
        raise KeyError(f"unknown measure {key!r}; known: {', '.join(MEASURES)}") from None


from metrics.catalog_casework import MEASURES_CASEWORK  # noqa: E402 (needs the list above)

MEASURES.update({m.key: m for m in MEASURES_CASEWORK})

from metrics.catalog_protection import MEASURES_PROTECTION  # noqa: E402 (needs the list above)

MEASURES.update({m.key: m for m in MEASURES_PROTECTION})

from metrics.catalog_returns import MEASURES_RETURNS  # noqa: E402 (needs the list above)

MEASURES.update({m.key: m for m in MEASURES_RETURNS})

from metrics.catalog_letter import MEASURES_LETTER  # noqa: E402 (needs the list above)

MEASURES.update({m.key: m for m in MEASURES_LETTER})
