"""The findings as one printable, self-contained HTML document for the director's briefing: A4
when printed (the page's PDF is Chromium's print of it), every value escaped.

With the children behind each finding (a viewer allowed to see children) it is marked
OFFICIAL-SENSITIVE at the top and foot of every page; without, it holds aggregate figures only.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from frontdoor.safe_export import html_text
from metrics.findings import Finding, Findings
from metrics.findings_report import ORDER, period_words
from metrics.findings_rules import HEADINGS
from metrics.findings_words import facts
from metrics.words import date_text

SENSITIVE = "OFFICIAL-SENSITIVE"
CHILDREN_SHOWN = 25  # rows of children per finding in the printout (the rest are counted)
COLUMNS_SHOWN = 7

_STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; margin: 2em;
  line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 0.2em; }
h2 { font-size: 13pt; margin: 1.4em 0 0.4em; border-bottom: 1px solid #999; }
p.lead { margin: 0.2em 0 0.8em; }
ul.findings { padding-left: 1.2em; } ul.findings > li { margin: 0 0 0.9em; }
p.facts { color: #333; font-size: 9pt; margin: 0.2em 0; }
table { border-collapse: collapse; margin: 0.3em 0 0.3em; width: 100%; font-size: 8.5pt; }
th, td { border: 1px solid #bbb; padding: 1px 4px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; }
p.more, p.empty, p.note { color: #444; font-size: 9pt; }
.marking { font-weight: bold; letter-spacing: 0.06em; text-align: center; margin: 0 0 0.8em; }
.marking.foot { margin: 1.5em 0 0; }
@media print {
  body { margin: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .marking.top { position: fixed; top: -11mm; left: 0; right: 0; }
  .marking.foot { position: fixed; bottom: -12mm; left: 0; right: 0; margin: 0; }
}
"""


def _date(value: object) -> str:
    if isinstance(value, pd.Timestamp | dt.date):
        return date_text(value)
    return str(value)


def _e(value: object) -> str:
    """Any value as escaped text, as every download of the app (frontdoor/safe_export: text a
    spreadsheet would read as a formula behind a quote), dates in the one date style."""
    return html_text(value, _date)


def _label(column: str) -> str:
    """A row column in words: "referral_date" -> "Referral date", "age_wd" -> "Age (working
    days)", "person_id" -> "Child"."""
    if column == "person_id":
        return "Child"
    unit = " (working days)" if column.endswith("_wd") else ""
    text = column.removesuffix("_wd").removesuffix("_id").replace("_", " ").strip()
    return text[:1].upper() + text[1:] + unit


def pick_children(rows: pd.DataFrame, flag: str | None, groups: dict | None = None) -> pd.DataFrame:
    """The rows a finding is about: those whose flag column (the measure's own) is true, or
    false for "!flag" (every row without a flag); for a group standing out, its rows only
    (`groups`: {"column": row column, "ids": [...]})."""
    if groups and groups.get("column") in rows:
        rows = rows[rows[groups["column"]].astype(str).isin([str(i) for i in groups["ids"]])]
    if not flag:
        return rows
    name = flag.lstrip("!")
    if name not in rows:
        return rows
    wanted = not flag.startswith("!")
    values = rows[name]
    if values.dtype == bool:  # the measures' flags: no missing value, compared at once
        return rows[values == wanted]
    return rows[values.map(lambda v: v is not None and not pd.isna(v) and bool(v) == wanted)]


def _children_table(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "<p class='empty'>No child listed.</p>"
    columns = [c for c in rows.columns if rows[c].dtype != bool][:COLUMNS_SHOWN]
    shown = rows[columns].head(CHILDREN_SHOWN)
    head = "".join(f"<th>{html.escape(_label(str(c)))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    more = ""
    if len(rows) > CHILDREN_SHOWN:
        more = (
            f"<p class='more'>and {len(rows) - CHILDREN_SHOWN:,} more: the full list is on the "
            "dashboard.</p>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _finding(finding: Finding, children: dict[str, pd.DataFrame] | None) -> str:
    line = " · ".join(f"{k}: {v}" for k, v in facts(finding.figures, finding.rule))
    out = f"<li><p>{_e(finding.sentence)}</p><p class='facts'>{_e(line)}</p>"
    if children is not None and finding.rule.key in children:
        out += _children_table(children[finding.rule.key])
    return out + "</li>"


def document(
    findings: Findings,
    *,
    children: dict[str, pd.DataFrame] | None = None,
    team_name: str | None = None,
    synthetic: bool = False,
    made: dt.date | None = None,
) -> str:
    """The findings as HTML. `children` (rule key -> the children behind it) makes it child-level
    and marks it OFFICIAL-SENSITIVE; without it the document holds aggregate figures only."""
    sensitive = children is not None
    marking = f"<p class='marking top'>{SENSITIVE}</p>" if sensitive else ""
    foot = f"<p class='marking foot'>{SENSITIVE}</p>" if sensitive else ""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Findings {_e(period_words(findings.filters, team_name))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        marking,
        "<h1>Findings: contact, referral and assessment</h1>",
        f"<p class='lead'>{_e(period_words(findings.filters, team_name))}. Made on "
        f"{_e(made or dt.date.today())} by frontdoor from the loaded figures.</p>",
    ]
    if synthetic:
        parts.append(
            "<p class='note'>Synthetic data: the built-in made-up authority, not real children.</p>"
        )
    parts.append(
        "<p>From the figures for the period, the following features of the service were "
        "identified:</p>"
    )
    for heading in ORDER:
        parts.append(f"<h2>{_e(HEADINGS[heading])}</h2>")
        under = findings.under(heading)
        if not under:
            parts.append("<p class='empty'>None found.</p>")
            continue
        parts.append("<ul class='findings'>")
        parts.extend(_finding(f, children) for f in under)
        parts.append("</ul>")
    parts.append("<h2>Not assessed</h2>")
    if findings.not_assessed:
        parts.append("<ul>")
        parts.extend(
            f"<li>{_e(n.rule.subject)}: {_e(n.reason)}.</li>" for n in findings.not_assessed
        )
        parts.append("</ul>")
    else:
        parts.append("<p class='empty'>Every measure was assessed.</p>")
    if sensitive:
        parts.append(
            "<p class='note'>This document names children: keep it as OFFICIAL-SENSITIVE "
            "information and share it only with those who need it.</p>"
        )
    else:
        parts.append("<p class='note'>Aggregate figures only: no child is named.</p>")
    parts.append("<p class='note'>How each finding is decided: docs/findings.md in frontdoor.</p>")
    parts.append(foot)
    parts.append("</body></html>")
    return "".join(parts)
