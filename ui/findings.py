"""The Findings page's parts: each finding with its figures, the control that opens the children
behind it (the Overview's drill-down, in the URL so the view can be sent), a small chart of its
trend, and the briefing's downloads (HTML and PDF, A4).

Nothing here decides a finding (metrics/findings.py does) or renders data as HTML: sentences and
figures are shown as plain text; the printable document is built from escaped text
(metrics/findings_html.py) and only handed over as a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from frontdoor import pdf
from metrics import MEASURES, Filters, MeasureUnavailable, NotPermitted
from metrics.findings import Finding, Findings, find, months_before
from metrics.findings_html import document, pick_children
from metrics.findings_report import ORDER
from metrics.findings_rules import DEVELOPMENT, HEADINGS
from metrics.findings_words import facts, said
from metrics.measure import DENOMINATOR, NUMERATOR
from ui import auth, charts, data, downloads, drill
from ui.drawn import Drawn, drawn
from ui.filters import current_params
from ui.page import PageContext
from ui.text import md

OVERVIEW = "app.py"


@st.cache_data(
    ttl=data.TTL, max_entries=200, show_spinner="Reading the figures...", hash_funcs=data.HASH
)
def findings(source: data.Source, filters: Filters) -> Findings:
    """The period's findings: aggregates only, so one answer serves every viewer."""
    return find(data.engine(source), replace(filters, scope=None, scope_teams=None))


def children_params(finding: Finding) -> dict[str, str]:
    """The URL of the Overview listing the children behind a finding: the page's filters, the
    measure to drill into, and the team or worker standing out (a group finding)."""
    spec = finding.children or {}
    params = {**current_params(), "drill": spec["measure"]}
    for key in ("team", "worker"):
        if spec.get(key):
            params[key] = str(spec[key])
    return params


def children_control(ctx: PageContext, finding: Finding, key: str) -> None:
    """A button opening the children behind the finding (for a viewer allowed to see them)."""
    spec = finding.children
    if not spec or spec["measure"] not in MEASURES:
        return
    if ctx.filters.scope == "none":
        st.caption("Your role shows figures only, not the children behind them.")
        return
    count = spec.get("count")
    label = "Open the children behind this"
    if count:
        label += f" ({count:,})"
    if st.button(label, key=key):
        st.switch_page(OVERVIEW, query_params=children_params(finding))


def trend_window(filters: Filters) -> Filters:
    """The 12 months to the period's end: what a finding's small trend chart shows."""
    start = months_before(filters.date_to, 12) + dt.timedelta(days=1)
    return replace(filters, date_from=start, as_of=None)


def trend_team(finding: Finding) -> str | None:
    """The team standing out in a finding about teams (its trend is that team's), or None."""
    return (finding.children or {}).get("team") if finding.rule.by == "team" else None


def trend_filters(filters: Filters, finding: Finding) -> Filters:
    """The filters of a finding's small trend: the 12 months to the period's end, for the team
    standing out where there is one (what the start-up warm-up computes too)."""
    window = trend_window(filters)
    team = trend_team(finding)
    return replace(window, team=team) if team else window


def trend(ctx: PageContext, finding: Finding, key: str) -> None:
    """The finding's figure month by month over the 12 months to the period's end, with its
    goal and England's figure (for a team standing out, that team's months); a share on 0-100,
    its small months hollow, as on every trend."""
    rule = finding.rule
    team = trend_team(finding)
    made = ctx.kept(("finding_trend", key), lambda: _trend_drawn(ctx, finding))
    if made.spec is None or made.said is None:
        drill.said_note(made.note)
        return
    if rule.by:
        groups = finding.figures.get("groups") or []
        if team and groups and groups[0].get("name"):
            st.caption(f"Month by month: {md(groups[0]['name'])}")
        else:
            st.caption(f"Month by month: every {rule.group_words[0]} together")
    charts.show_drawn(made.spec, made.said, key, table=made.table)


def _trend_drawn(ctx: PageContext, finding: Finding) -> Drawn:
    """A finding's small trend as drawn (drill.drawn), or what is said instead."""
    rule = finding.rule
    try:
        frame = data.monthly(ctx.source, rule.measure, trend_filters(ctx.filters, finding))
    except MeasureUnavailable:
        return Drawn(note=("caption", "No trend to draw for this figure."))
    if frame is None or frame.empty or rule.figure not in frame:
        return Drawn(note=("caption", "No months with data for this figure."))
    figures = finding.figures
    unit = figures["unit"]
    percent = unit == "%"
    title = {"%": "%", "working days": "Working days"}.get(unit, "Number")
    goal, england = figures.get("goal"), figures.get("england")
    fig = charts.trend(
        frame,
        rule.figure,
        title,
        name=rule.subject,
        goal=goal,
        goal_label=None if goal is None else f"Goal {said(goal, unit)}",
        england=england,
        england_label=None if england is None else f"England {said(england, unit)}",
        percent=percent,
        numerator=NUMERATOR.format(rule.figure),
        denominator=DENOMINATOR.format(rule.figure),
    )
    # A small chart, set property by property (update_layout costs 10 ms in Plotly's checks).
    small = fig.layout
    small.height, small.showlegend = 220, False
    small.margin.l, small.margin.r, small.margin.t, small.margin.b = 10, 10, 10, 10
    small.xaxis.dtick = "M3"  # a label every quarter, so none collide
    return drawn(fig)


def counts(found: Findings) -> None:
    """How many findings under each heading, at a glance."""
    for column, heading in zip(st.columns(3), ORDER, strict=True):
        with column:
            st.metric(HEADINGS[heading], len(found.under(heading)))


def show(ctx: PageContext, finding: Finding, index: int) -> None:
    """One finding: its sentence, its figures, the children behind it and its trend."""
    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            st.text(finding.sentence)  # plain text: team and agency names come from the data
            st.text(" · ".join(f"{k}: {v}" for k, v in facts(finding.figures, finding.rule)))
            children_control(ctx, finding, f"children_{index}_{finding.rule.key}")
        with right:
            trend(ctx, finding, f"trend_{index}_{finding.rule.key}")


def children_lists(
    source: data.Source, filters: Filters, found: Findings, *, read: bool = True
) -> tuple[dict[str, pd.DataFrame], list[tuple[str, ...]]]:
    """The children behind each area for development, within the viewer's scope (`filters`
    carries it), and what could not be listed: ("unavailable", reason) or ("refused", measure
    key), for the page to say (`_say`), as PageContext.rows would. With `read` False no list
    is read (`Engine.check_rows`), only what could not be listed: the page says it on every
    run, and the lists are read only when the briefing is downloaded."""
    engine = data.engine(source)
    out: dict[str, pd.DataFrame] = {}
    notes: list[tuple[str, ...]] = []
    for finding in found.under(DEVELOPMENT):
        spec = finding.children
        if not spec or spec["measure"] not in MEASURES:
            continue
        narrow = {k: spec[k] for k in ("team", "worker") if spec.get(k)}
        try:
            if not read:
                engine.check_rows(MEASURES[spec["measure"]], replace(filters, **narrow))
                continue
            rows = data.rows(source, spec["measure"], replace(filters, **narrow), None)
        except MeasureUnavailable as exc:
            notes.append(("unavailable", str(exc)))
            continue
        except NotPermitted as exc:
            notes.append(("refused", spec["measure"], str(exc)))
            continue
        out[finding.rule.key] = pick_children(rows, spec.get("flag"), spec.get("groups"))
    return out, notes


def _say(notes: list[tuple[str, ...]]) -> None:
    """What PageContext.rows says of a list it cannot give (an audit entry for a refusal)."""
    for note in notes:
        if note[0] == "unavailable":
            st.info(f"Not available in this extract: {note[1]}")
        else:
            auth.record("rows_shown", detail=note[1], outcome="refused", once=True)
            st.info(f"Not permitted: {note[2]}.")


def briefing_downloads(ctx: PageContext, found: Findings) -> None:
    """The findings as a document for the director's briefing: child-level (marked
    OFFICIAL-SENSITIVE) for a viewer allowed to see children, aggregate figures otherwise.
    Made when a download is pressed, not on every run of the page: its children's lists are
    every row of each area's measure (at 1,000,000 children, a third of a cold page's time)."""
    sensitive = ctx.filters.scope != "none"
    _say(children_lists(ctx.source, ctx.filters, found, read=False)[1] if sensitive else [])
    if sensitive:
        st.caption(
            "The download lists the children behind each area for development (those your role "
            "may see): it is marked OFFICIAL-SENSITIVE. Keep and share it as such."
        )
    else:
        st.caption("Your role downloads aggregate figures only: no child is named.")
    source, filters, made = ctx.source, ctx.filters, dt.date.today()

    def text() -> str:
        return _briefing(source, filters, made)[0]

    def named() -> list[str]:
        # the children it names, listed in its audit entry when a download is pressed
        return _briefing(source, filters, made)[1]

    downloads_html(text, named)
    downloads_pdf(text, named, repr((source, filters, made)))


@st.cache_data(ttl=600, max_entries=100, show_spinner=False, hash_funcs=data.HASH)
def _briefing(
    source: data.Source, filters: Filters, made: dt.date
) -> tuple[str, list[str], list[tuple[str, ...]]]:
    """The briefing's HTML, the children it names and what could not be listed, made once per
    data, filters and viewer's scope (`filters` carries it) and day: the children's lists are
    every row of each area's measure (at 200,000 children, reading and picking them cost more
    than the rest of a run of the page), and the document is built from them."""
    found = findings(source, filters)
    meta, _, teams = data.facts(source)
    team_name = dict(teams).get(filters.team) if filters.team else None
    children, notes = (
        children_lists(source, filters, found) if filters.scope != "none" else (None, [])
    )
    text = document(
        found,
        children=children,
        team_name=team_name,
        synthetic=meta.get("synthetic") == "true",
        made=made,
    )
    person_ids = sorted(
        {str(p) for rows in (children or {}).values() for p in _column(rows, "person_id")}
    )
    return text, person_ids, notes


def _column(rows: pd.DataFrame, name: str) -> list:
    """A column's values as Python objects (`tolist`: one conversion, not one per value)."""
    return rows[name].tolist() if name in rows else []


def downloads_html(text: Callable[[], str], person_ids: downloads.Ids) -> None:
    """The document as HTML (prints on A4 from any browser), through the one download
    chokepoint (ui/downloads)."""
    downloads.html(
        text,
        "findings",
        "dl_findings_html",
        label="Download to print (HTML, A4)",
        person_ids=person_ids,
        detail="findings briefing",
    )


def downloads_pdf(text: Callable[[], str], person_ids: downloads.Ids, version: str) -> None:
    """The document printed to PDF by headless Chromium on the server (frontdoor/pdf.py), made
    when asked for (it takes a few seconds) and kept for this document only (`version`: the
    data, filters and day it is made from); where Chromium is absent the page says so, and the
    HTML above prints on A4 from any browser."""
    if pdf.unavailable():
        st.info(
            "A PDF cannot be made here: Chromium is not installed on the server. Download the "
            "HTML above and print it to PDF from your browser (it is laid out for A4), or ask "
            "the operator to install Chromium (apt-get install chromium)."
        )
        return
    token = hashlib.sha256(version.encode("utf-8")).hexdigest()
    made = st.session_state.get("_findings_pdf")
    if made is None or made[0] != token:
        if st.button("Make the PDF (A4)", key="make_findings_pdf"):
            with st.spinner("Printing the findings to PDF..."):
                try:
                    st.session_state["_findings_pdf"] = (token, pdf.html_to_pdf(text()))
                except pdf.PdfUnavailable as exc:
                    st.error(str(exc))
                    return
            st.rerun()
        return
    downloads.pdf(
        made[1],
        "findings",
        "dl_findings_pdf",
        label="Download PDF (A4)",
        person_ids=person_ids,
        detail="findings PDF",
    )
