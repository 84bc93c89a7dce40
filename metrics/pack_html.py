"""The review pack as one printable, self-contained HTML document: every value escaped."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from metrics.child_record import _fmt


def _text(value: object) -> str:
    """Any value as escaped text for HTML."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return html.escape(_fmt(value))
    return html.escape(str(value))


def _table(frame: pd.DataFrame | None, empty: str) -> str:
    if frame is None or frame.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, object]]) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{_text(v)}</td></tr>" for k, v in pairs)
    return f"<table class='facts'>{rows}</table>"


_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #111; margin: 2em; }
h1 { font-size: 18pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.4em;
border-bottom: 1px solid #999; } table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } table.facts th { width: 14em; } p.empty { color: #555; }
.notice { border: 2px solid #D55E00; padding: 0.4em 0.8em; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def review_pack_html(pack: dict) -> str:
    """The pack as one printable, self-contained HTML document (no scripts, no external files).
    Every data value passes through html.escape."""
    prof = pack.get("profile") or {}
    as_of = pack.get("as_of")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Review pack {_text(pack.get('person_id'))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Child protection review pack: child {_text(pack.get('person_id'))}</h1>",
        f"<p>As at {_text(as_of)}. Produced from the case extract; check against the case "
        "record before the conference. OFFICIAL-SENSITIVE.</p>",
        "<h2>Child</h2>",
        _facts(
            [
                ("Person id", prof.get("person_id")),
                ("Sex", prof.get("sex")),
                ("Ethnicity", prof.get("ethnicity")),
                ("Date of birth", prof.get("dob")),
                ("Age", prof.get("age")),
                ("Family id", prof.get("family_id")),
                ("Allocated worker", prof.get("allocated_worker")),
                ("Team", prof.get("allocated_team")),
                ("Allocated since", prof.get("allocated_since")),
                ("Open CP plan", prof.get("open_cp_plan_id")),
                ("Plan category", prof.get("open_cp_plan_category")),
            ]
        ),
        "<h2>Open actions</h2>",
    ]
    actions = pack.get("actions") or []
    if actions:
        parts.append(
            "<ul class='notice'>"
            + "".join(f"<li>{_text(a.get('text'))}</li>" for a in actions)
            + "</ul>"
        )
    else:
        parts.append("<p class='empty'>None found in this extract.</p>")
    nxt = pack.get("next_review")
    parts.append("<h2>Next review</h2>")
    if nxt:
        parts.append(
            _facts(
                [
                    ("Plan", nxt.get("plan_id")),
                    ("Review number", nxt.get("review")),
                    ("Due", nxt.get("due_date")),
                    ("Overdue", nxt.get("overdue")),
                ]
            )
        )
    else:
        parts.append("<p class='empty'>No open CP plan.</p>")
    parts += [
        "<h2>Child protection plans</h2>",
        _table(pack.get("plans"), "No CP plans."),
        "<h2>Review history</h2>",
        _table(pack.get("reviews"), "No reviews."),
    ]
    summary = pack.get("visit_summary") or {}
    parts += [
        "<h2>Visits</h2>",
        _facts(
            [
                ("Visits since", summary.get("from")),
                ("Visits", summary.get("visits")),
                ("Child seen", summary.get("seen")),
                ("Seen alone", summary.get("seen_alone")),
                ("Last seen", summary.get("last_seen")),
                ("Longest gap between seen visits (wd)", summary.get("longest_gap_wd")),
                ("Gaps over the local standard", summary.get("gaps_over_standard")),
                ("Local standard (wd)", summary.get("standard_wd")),
            ]
        ),
        _table(pack.get("visits"), "No visits recorded."),
        "<h2>Timeliness</h2>",
        _table(pack.get("timeliness"), "No timescales to judge."),
        "<h2>Siblings</h2>",
        _table(pack.get("siblings"), "No siblings recorded."),
        "<h2>Workers</h2>",
        _table(pack.get("workers"), "No workers recorded."),
        "</body></html>",
    ]
    return "\n".join(parts)
