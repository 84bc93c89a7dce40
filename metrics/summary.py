"""Every headline figure for one period, as one dict: the `frontdoor summary` command and the tiles.

`SUMMARY_FIELDS` is the single table saying where each summary figure comes from: a section and a
figure name, the measure (a key of `metrics.catalog.MEASURES`) and the aggregate of that measure,
and how the value is shown. The pages reuse it for their tiles, so a tile and the summary always
read the same aggregate.

A figure that cannot be computed (the extract lacks a table, the source of the extract cannot
carry it, a setting it needs is not given, the measure is not in the catalog yet, or no row of the
period could give it) is null and listed under "unavailable" with the reason: a missing figure is never shown as zero. When no figure
of a section can be computed, the section is listed by its name ("contacts"); when only some
cannot, each is listed as "section.figure" ("icpc.to_plan_pct").
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import duckdb

from metrics import catalog
from metrics.command import run_on_database
from metrics.engine import Engine, MeasureUnavailable, concurrently
from metrics.filters import Filters

COUNT, PCT, WD, NUM = "count", "pct", "wd", "number"
# The "measure" of a figure that is a setting itself (rates.population).
SETTING = "setting"


@dataclass(frozen=True)
class SummaryField:
    """One summary figure: `section.figure` is `measure`'s aggregate `aggregate`, shown as `kind`."""

    section: str
    figure: str
    measure: str
    aggregate: str
    kind: str  # COUNT (int); PCT (0-100), WD (working days) or NUM (a mean): 1 decimal
    label: str


# (section, figure) -> (measure key, aggregate name), how it is shown, its label on tiles.
# fmt: off
SUMMARY_FIELDS: tuple[SummaryField, ...] = tuple(SummaryField(*row) for row in (
    ("contacts",     "count",                        "contacts",              "count",                      COUNT, "Contacts"),
    ("contacts",     "decided_within_target_pct",    "contacts",              "decided_within_target_pct",  PCT,   "Decided within target"),
    ("contacts",     "no_decision_recorded",         "contacts",              "no_decision_recorded",       COUNT, "No decision recorded"),
    ("referrals",    "count",                        "referrals",             "count",                      COUNT, "Referrals"),
    ("referrals",    "rereferral_12m_pct",           "referrals",             "rereferral_12m_pct",         PCT,   "Re-referrals within 12 months"),
    ("referrals",    "nfa_pct",                      "referrals",             "nfa_pct",                    PCT,   "No further action"),
    ("allocation",   "cohort",                       "allocation",            "cohort",                     COUNT, "Referrals in cohort"),
    ("allocation",   "median_wd",                    "allocation",            "median_wd",                  WD,    "Median days to allocate"),
    ("allocation",   "within_target_pct",            "allocation",            "within_target_pct",          PCT,   "Allocated within target"),
    ("allocation",   "unallocated_open",             "unallocated",           "count",                      COUNT, "Open and unallocated"),
    ("assessments",  "completed",                    "assessments",           "completed",                  COUNT, "Assessments completed"),
    ("assessments",  "median_wd",                    "assessments",           "median_wd",                  WD,    "Median duration"),
    ("assessments",  "p25_wd",                       "assessments",           "p25_wd",                     WD,    "Duration P25"),
    ("assessments",  "p75_wd",                       "assessments",           "p75_wd",                     WD,    "Duration P75"),
    ("assessments",  "within_target_pct",            "assessments",           "within_target_pct",          PCT,   "Completed within target"),
    ("assessments",  "from_referral_median_wd",      "assessments",           "from_referral_median_wd",    WD,    "Median from referral"),
    ("assessments",  "open_overdue",                 "assessments_overdue",   "count",                      COUNT, "Open and overdue"),
    ("assessments",  "unqualified_pct",              "assessments",           "unqualified_pct",            PCT,   "Completed by unqualified staff"),
    ("assessments",  "worker_unknown",               "assessments",           "worker_unknown",             COUNT, "Worker unknown"),
    ("seen",         "cohort",                       "seen",                  "cohort",                     COUNT, "Referrals in cohort"),
    ("seen",         "median_wd",                    "seen",                  "median_wd",                  WD,    "Median days to see"),
    ("seen",         "within_target_pct",            "seen",                  "within_target_pct",          PCT,   "Seen within target"),
    ("seen",         "not_yet_seen_open",            "not_yet_seen",          "count",                      COUNT, "Open and not yet seen"),
    ("caseload",     "workers",                      "caseload",              "workers",                    COUNT, "Workers with cases"),
    ("caseload",     "children",                     "caseload",              "children",                   COUNT, "Children allocated"),
    ("caseload",     "families",                     "caseload",              "families",                   COUNT, "Families"),
    ("caseload",     "sibling_groups",               "caseload",              "sibling_groups",             COUNT, "Sibling groups"),
    ("caseload",     "children_per_worker_mean",     "caseload_workers",      "children_per_worker_mean",   NUM,   "Children per worker (mean)"),
    ("caseload",     "children_per_worker_max",      "caseload_workers",      "children_per_worker_max",    COUNT, "Children per worker (max)"),
    ("s47",          "count",                        "s47",                   "count",                      COUNT, "S47 enquiries"),
    ("s47",          "to_icpc_pct",                  "s47_conversion",        "to_icpc_pct",                PCT,   "Leading to an initial conference"),
    ("icpc",         "count",                        "icpc",                  "count",                      COUNT, "Initial CP conferences"),
    ("icpc",         "median_wd",                    "icpc",                  "median_wd",                  WD,    "Median days from S47"),
    ("icpc",         "within_15wd_pct",              "icpc",                  "within_15wd_pct",            PCT,   "Within 15 working days"),
    ("icpc",         "before_s47",                   "icpc",                  "before_s47",                 COUNT, "Dated before their S47"),
    ("icpc",         "to_plan_pct",                  "icpc_conversion",       "to_plan_pct",                PCT,   "Leading to a CP plan"),
    ("cp_reviews",   "cohort",                       "cp_reviews",            "cohort",                     COUNT, "Plans with a review due"),
    ("cp_reviews",   "in_timescale_pct",             "cp_reviews",            "in_timescale_pct",           PCT,   "Reviews in timescale"),
    ("cp_plans",     "open",                         "cp_plans",              "open",                       COUNT, "CP plans open"),
    ("cp_plans",     "started",                      "cp_plans",              "started",                    COUNT, "CP plans started"),
    ("cp_plans",     "ended",                        "cp_plans",              "ended",                      COUNT, "CP plans ended"),
    ("cp_plans",     "repeat",                       "cp_plans",              "repeat",                     COUNT, "Repeat plans"),
    ("cp_plans",     "ended_2y_plus_pct",            "cp_plans",              "ended_2y_plus_pct",          PCT,   "Ended after 2 years or more"),
    ("oversight",    "open_allocated",               "oversight",             "open_allocated",             COUNT, "Open allocated cases"),
    ("oversight",    "without_oversight",            "oversight",             "without_oversight",          COUNT, "Without management oversight"),
    ("oversight",    "drift",                        "oversight",             "drift",                      COUNT, "Drifting"),
    ("oversight",    "recording_within_target_pct",  "recording",             "within_target_pct",          PCT,   "Recorded within target"),
    ("agencies",     "requests",                     "agencies",              "requests",                   COUNT, "Information requests"),
    ("agencies",     "median_wd",                    "agencies",              "median_wd",                  WD,    "Median response"),
    ("agencies",     "within_target_pct",            "agencies",              "within_target_pct",          PCT,   "Responded within target"),
    ("agencies",     "outstanding",                  "agencies_outstanding",  "count",                      COUNT, "Outstanding"),
    ("transfers",    "count",                        "transfers",             "count",                      COUNT, "Transfers after assessment"),
    ("transfers",    "median_wd",                    "transfers",             "median_wd",                  WD,    "Median days to transfer"),
    ("transfers",    "within_target_pct",            "transfers",             "within_target_pct",          PCT,   "Transferred within target"),
    ("transfers",    "waiting",                      "transfers_waiting",     "count",                      COUNT, "Waiting for transfer"),
    ("worker_changes", "children",                   "worker_changes",        "children",                   COUNT, "Children allocated"),
    ("worker_changes", "three_plus_pct",             "worker_changes",        "three_plus_pct",             PCT,   "3 or more workers in 12 months"),
    ("police",       "contacts",                     "police",                "contacts",                   COUNT, "Police notifications"),
    ("police",       "decided_within_target_pct",    "police",                "decided_within_target_pct",  PCT,   "Decided within target"),
    ("domestic_abuse", "referrals",                  "referrals",             "domestic_abuse",             COUNT, "Domestic abuse referrals"),
    ("domestic_abuse", "allocation_within_target_pct", "allocation",          "domestic_abuse_within_target_pct", PCT, "Allocated within target"),
    ("views",        "assessments",                  "views",                 "assessments",                COUNT, "Assessments completed"),
    ("views",        "views_recorded_pct",           "views",                 "views_recorded_pct",         PCT,   "Child's views recorded"),
    ("views",        "seen_alone_pct",               "views",                 "seen_alone_pct",             PCT,   "Child seen alone"),
    ("rates",        "population",                   SETTING,                 "population",                 COUNT, "Children aged 0-17 (setting)"),
    ("rates",        "contacts_per_10k",             "contacts",              "per_10k",                    NUM,   "Contacts per 10,000 children"),
    ("rates",        "referrals_per_10k",            "referrals",             "per_10k",                    NUM,   "Referrals per 10,000 children"),
    ("rates",        "s47_per_10k",                  "s47",                   "per_10k",                    NUM,   "S47 enquiries per 10,000 children"),
    ("rates",        "icpc_per_10k",                 "icpc",                  "per_10k",                    NUM,   "Initial conferences per 10,000 children"),
    ("rates",        "cp_plans_per_10k",             "cp_plans",              "open_per_10k",               NUM,   "CP plans open per 10,000 children"),
))
# fmt: on

SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in SUMMARY_FIELDS))

NOT_IMPLEMENTED = "not implemented"
NOT_BY_TEAM = "not recorded by team or worker"
# Sections that are the whole authority's only (a rate is per 10,000 of the authority's
# children: a team's count over it would mean nothing).
AUTHORITY_ONLY = {"rates": "rates per 10,000 children are for the whole authority only"}
NO_POPULATION = "needs the population setting (children aged 0-17)"


def section_fields(section: str) -> tuple[SummaryField, ...]:
    """The figures of one section, in summary order."""
    return tuple(f for f in SUMMARY_FIELDS if f.section == section)


def shown(value: object, kind: str) -> int | float | None:
    """A raw aggregate as the summary shows it: counts as int, the rest rounded half-up to 0.1."""
    if value is None:
        return None
    if kind == COUNT:
        return int(round(float(value)))
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def declared_unavailable(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Sections the source of the extract cannot carry (CIN census, Annex A), from load_meta.

    The loader stores them under the key 'unavailable' as a JSON object section -> reason.
    """
    cur = con.cursor()
    try:
        try:
            cols = [r[0] for r in cur.execute("DESCRIBE load_meta").fetchall()]
        except duckdb.Error:
            return {}
        if "key" in cols and "value" in cols:
            row = cur.execute("SELECT value FROM load_meta WHERE key = 'unavailable'").fetchone()
        elif "unavailable" in cols:
            row = cur.execute("SELECT unavailable FROM load_meta LIMIT 1").fetchone()
        else:
            return {}
    finally:
        cur.close()
    if row is None or row[0] is None:
        return {}
    data = row[0] if isinstance(row[0], dict) else json.loads(str(row[0]))
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _measure_reason(engine: Engine, key: str, filters: Filters) -> str | None:
    """Why a measure cannot be asked this question, or None when it can."""
    try:
        measure = catalog.get(key)
    except KeyError:
        return NOT_IMPLEMENTED
    reason = engine.unavailable_reason(measure)
    if reason:
        return reason
    if (filters.team or filters.worker) and not measure.by_team:
        return NOT_BY_TEAM
    return None


def headlines(
    engine: Engine,
    keys: list[str],
    filters: Filters,
    only: dict[str, Collection[str]] | None = None,
) -> dict[str, dict | str]:
    """The headline of each measure in `keys`, run concurrently, each query on its own cursor;
    with `only`, just the aggregates it names for a measure (`Engine.headline`).

    A measure the extract cannot answer gives its reason (a string) instead of the figures.
    """
    only = only or {}

    def one(key: str) -> dict | str:
        try:
            return engine.headline(catalog.get(key), filters, only=only.get(key))
        except MeasureUnavailable as exc:
            return str(exc).split(": ", 1)[-1]

    engine.absent_tables()  # read once, before the threads share the engine
    return dict(zip(keys, concurrently(one, keys), strict=True))


def summary_aggregates() -> dict[str, tuple[str, ...]]:
    """The aggregates the summary shows of each measure (in `SUMMARY_FIELDS`)."""
    out: dict[str, tuple[str, ...]] = {}
    for f in SUMMARY_FIELDS:
        if f.measure != SETTING:
            out[f.measure] = (*out.get(f.measure, ()), f.aggregate)
    return out


def _field_reason(
    engine: Engine,
    field_: SummaryField,
    filters: Filters,
    measure_reasons: dict[str, str | None],
    answered: dict[str, dict | str],
) -> str | None:
    """Why one figure cannot be given for `filters`, or None when it can."""
    if field_.section in AUTHORITY_ONLY and (filters.team or filters.worker):
        return AUTHORITY_ONLY[field_.section]
    if field_.measure == SETTING:
        return NO_POPULATION if getattr(engine.settings, field_.aggregate) is None else None
    reason = measure_reasons[field_.measure]
    if reason is None and isinstance(answered[field_.measure], str):
        reason = answered[field_.measure]
    if reason is None:
        reason = engine.unavailable_aggregates(catalog.get(field_.measure)).get(field_.aggregate)
    return reason


def summarise(engine: Engine, filters: Filters) -> dict:
    """Every summary figure for `filters`: {"period": ..., <section>: {...}, "unavailable": {...}}.

    The headlines are independent queries, so they run concurrently (`headlines`); the figures
    do not depend on the order they finish in."""
    out: dict = {
        "period": {
            "from": filters.date_from.isoformat(),
            "to": filters.date_to.isoformat(),
            "as_of": filters.effective_as_of.isoformat(),
        }
    }
    unavailable: dict[str, str] = {}
    declared = declared_unavailable(engine.con)
    measure_reasons: dict[str, str | None] = {}
    for field_ in SUMMARY_FIELDS:
        if field_.measure != SETTING and field_.measure not in measure_reasons:
            measure_reasons[field_.measure] = _measure_reason(engine, field_.measure, filters)
    answered = headlines(
        engine,
        [k for k, r in measure_reasons.items() if r is None],
        filters,
        summary_aggregates(),
    )
    for section in SECTIONS:
        fields = section_fields(section)
        if section in declared:
            unavailable[section] = declared[section]
            out[section] = {f.figure: None for f in fields}
            continue
        reasons = {
            f.figure: _field_reason(engine, f, filters, measure_reasons, answered) for f in fields
        }
        out[section] = {}
        for f in fields:
            if reasons[f.figure]:
                out[section][f.figure] = None
            elif f.measure == SETTING:
                out[section][f.figure] = shown(getattr(engine.settings, f.aggregate), f.kind)
            else:
                value = answered[f.measure].get(f.aggregate)
                out[section][f.figure] = shown(value, f.kind)
                # NULL from the rows (nothing to compute it from): said why, never left bare.
                reasons[f.figure] = engine.figure_reason(catalog.get(f.measure), f.aggregate, value)
        if all(reasons.values()):
            unavailable[section] = "; ".join(dict.fromkeys(r for r in reasons.values() if r))
        else:
            for figure, reason in reasons.items():
                if reason:
                    unavailable[f"{section}.{figure}"] = reason
    out["unavailable"] = unavailable
    return out


# -- the command ------------------------------------------------------------------------------


def _text(value: object, kind: str) -> str:
    if value is None:
        return "-"
    if kind == PCT:
        return f"{value:.1f}%"
    if kind == WD:
        return f"{value:.1f}"
    return f"{value:,}"


def render_table(summary: dict) -> str:
    """The summary as an aligned plain-text table: section, figure, value."""
    rows: list[tuple[str, str, str]] = []
    p = summary["period"]
    rows.append(("period", "from - to", f"{p['from']} - {p['to']}"))
    rows.append(("", "as of", p["as_of"]))
    unavailable = summary.get("unavailable", {})
    for section in SECTIONS:
        for i, f in enumerate(section_fields(section)):
            name = section if i == 0 else ""
            if section in unavailable:
                if i == 0:
                    rows.append((name, "(unavailable)", unavailable[section]))
                continue
            reason = unavailable.get(f"{section}.{f.figure}")
            value = f"n/a: {reason}" if reason else _text(summary[section][f.figure], f.kind)
            rows.append((name, f.label, value))
    w1 = max(len(r[0]) for r in rows + [("section", "", "")])
    w2 = max(len(r[1]) for r in rows + [("", "figure", "")])
    lines = [f"{'section':<{w1}}  {'figure':<{w2}}  value", f"{'-' * w1}  {'-' * w2}  -----"]
    for a, b, c in rows:
        lines.append(f"{a:<{w1}}  {b:<{w2}}  {c}")
    return "\n".join(lines)


def run_summary_command(args: argparse.Namespace) -> int:
    """`frontdoor summary`: print the summary as JSON (--json) or as a table. 2 on bad input."""
    code, summary = run_on_database(
        "summary",
        args,
        lambda: Filters(
            args.date_from,
            args.date_to,
            args.as_of,
            getattr(args, "team", None),
            getattr(args, "worker", None),
        ),
        summarise,
    )
    if summary is None:
        return code
    if getattr(args, "json", False):
        print(json.dumps(summary, indent=2))
    else:
        print(render_table(summary))
    return 0
