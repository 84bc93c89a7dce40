"""The review pack as one printable, self-contained HTML document: every value escaped, A4 when
printed (the page's PDF is Chromium's print of this document, frontdoor/pdf.py)."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from frontdoor import safe_export
from metrics.child_record import _fmt
from metrics.words import date_text, days_text, decode, label


def _shown(value: object) -> str:
    """A value that is not text as the pack shows it (dates in the pack's style)."""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return _fmt(value)
    return str(value)


def _text(value: object) -> str:
    """Any value as escaped HTML text, formula prefixes neutralised (frontdoor/safe_export)."""
    return safe_export.html_text(value, _shown)


def _cell(value: object) -> str:
    """One table cell; a date kept on one line."""
    if isinstance(value, dt.date | pd.Timestamp):
        return f"<td class='date'>{_text(value)}</td>"
    return f"<td>{_text(value)}</td>"


def _table(frame: pd.DataFrame | None, empty: str) -> str:
    if frame is None or frame.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    head = "".join(f"<th>{_text(label(str(c)))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, object]]) -> str:
    rows = "".join(f"<tr><th>{_text(k)}</th><td>{_text(v)}</td></tr>" for k, v in pairs)
    return f"<table class='facts'>{rows}</table>"


_STYLE = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; margin: 2em;
  line-height: 1.3; }
h1 { font-size: 17pt; margin: 0 0 0.2em; } h2 { font-size: 12.5pt; margin: 1.3em 0 0.4em;
  border-bottom: 1px solid #999; } h3 { font-size: 11pt; margin: 0.9em 0 0.3em; }
table { border-collapse: collapse; margin: 0.3em 0 0.6em; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #eee; } td.date { white-space: nowrap; } table.facts th { width: 16em; } p.empty, p.note { color: #444; }
.notice { border: 2px solid #D55E00; padding: 0.4em 0.8em 0.4em 2em; }
.marking { font-weight: bold; letter-spacing: 0.05em; }
@media print {
  body { margin: 0; font-size: 9.5pt; }
  thead { display: table-header-group; }
  tr, th, td, li { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table.facts { break-inside: avoid; }
}
"""


def _section(title: str, body: str) -> str:
    return f"<h2>{html.escape(title)}</h2>{body}"


def _note(text: str) -> str:
    return f"<p class='note'>{html.escape(text)}</p>"


def review_pack_html(pack: dict) -> str:
    """The pack as one printable, self-contained HTML document (no scripts, no external files),
    A4 when printed. Every data value is escaped, and text neutralised as a spreadsheet cell
    (frontdoor/safe_export)."""
    prof = pack.get("profile") or {}
    as_of = pack.get("as_of")
    person = _text(pack.get("person_id"))
    nxt = pack.get("next_review")
    since = pack.get("since") or {}
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Review pack {person}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<p class='marking'>OFFICIAL-SENSITIVE</p>",
        f"<h1>Child protection review pack: child {person}</h1>",
        f"<p>As at {_text(as_of)}. Produced from the case extract; check it against the case "
        "record before the conference.</p>",
        _section(
            "Child",
            _facts(
                [
                    ("Child", prof.get("person_id")),
                    ("Sex", decode("sex", prof.get("sex"))),
                    ("Ethnicity", decode("ethnicity", prof.get("ethnicity"))),
                    ("Date of birth", prof.get("dob")),
                    ("Age", prof.get("age")),
                    ("Family", prof.get("family_id")),
                    ("Allocated worker", prof.get("allocated_worker")),
                    ("Team", prof.get("allocated_team")),
                    ("Allocated since", prof.get("allocated_since")),
                    ("Open CP plan", prof.get("open_cp_plan_id")),
                    ("Category", decode("cp_category", prof.get("open_cp_plan_category"))),
                    (
                        "Next review",
                        f"Review {nxt['review']} of plan {nxt['plan_id']}, due "
                        f"{date_text(nxt['due_date'])}" + (" (overdue)" if nxt["overdue"] else "")
                        if nxt
                        else "No open CP plan",
                    ),
                ]
            ),
        ),
    ]
    actions = pack.get("actions") or []
    parts.append(
        _section(
            "Open actions",
            "<ul class='notice'>"
            + "".join(f"<li>{_text(a.get('text'))}</li>" for a in actions)
            + "</ul>"
            if actions
            else "<p class='empty'>None found in this extract.</p>",
        )
    )
    parts.append(
        _section(
            "Section 47 enquiries",
            _table(pack.get("enquiries"), "No section 47 enquiry recorded."),
        )
    )
    parts.append(
        _section(
            "Conferences: decisions and categories",
            _table(pack.get("conferences"), "No conference recorded.")
            + _note(
                "The extract records a plan's first and latest category, not the category "
                "decided at each review: a review shows the plan's latest."
            ),
        )
    )
    since_text = since.get("what") or "the start of the record"
    visits = pack.get("visits_since")
    summary = pack.get("since_summary") or {}
    parts.append(
        _section(
            f"Since {since_text}",
            "<h3>Visits</h3>"
            + _facts(
                [
                    ("Visits", summary.get("visits")),
                    ("Child seen", summary.get("seen")),
                    ("Seen alone", summary.get("seen_alone")),
                ]
            )
            + _table(visits, "No visits recorded since then.")
            + "<h3>Requests to partner agencies and their responses</h3>"
            + _table(pack.get("agency_since"), "No request made, answered or outstanding since."),
        )
    )
    views = pack.get("views") or {}
    answers = views.get("answers")
    if not views.get("table"):
        said = _note("Not recorded in this extract (it has no table of the child's views).")
    elif answers is None or answers.empty:
        said = _note("No views recorded for this child in this extract.")
    else:
        said = _table(answers, "")
    parts.append(_section("The child's views", said))
    summary = pack.get("visit_summary") or {}
    parts += [
        _section("Child protection plans", _table(pack.get("plans"), "No CP plans.")),
        _section("Reviews: due and held", _table(pack.get("reviews"), "No reviews.")),
        _section(
            "Visits during the current plan",
            _facts(
                [
                    ("Visits since", summary.get("from")),
                    ("Visits", summary.get("visits")),
                    ("Child seen", summary.get("seen")),
                    ("Seen alone", summary.get("seen_alone")),
                    ("Last seen", summary.get("last_seen")),
                    ("Longest gap between seen visits", days_text(summary.get("longest_gap_wd"))),
                    ("Gaps over the local standard", summary.get("gaps_over_standard")),
                    ("Local standard", days_text(summary.get("standard_wd"))),
                ]
            )
            + _table(pack.get("visits"), "No visits recorded."),
        ),
        _section("Timeliness", _table(pack.get("timeliness"), "No timescales to judge.")),
        _section("Siblings", _table(pack.get("siblings"), "No siblings recorded.")),
        _section("Workers", _table(pack.get("workers"), "No workers recorded.")),
        "<p class='marking'>OFFICIAL-SENSITIVE</p>",
        "</body></html>",
    ]
    return "\n".join(parts)
