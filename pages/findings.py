"""Findings: the letter you would get today. Each measure judged against its goal, England and
the year before, said as one sentence under the inspection letter's three headings, with the
children behind it and its trend; downloadable for the director's briefing (A4)."""

from __future__ import annotations

import streamlit as st

from metrics.findings_report import ORDER
from metrics.findings_rules import HEADINGS
from ui import findings as fu
from ui.page import setup

ctx = setup(
    "Findings",
    "What an inspector reading these figures would say first: each measure against its goal, "
    "England and a year earlier, under the letter's three headings, most serious first. How "
    "each is decided: docs/findings.md.",
    keep=True,
)
found = ctx.kept(("findings",), lambda: fu.findings(ctx.source, ctx.filters))
fu.counts(found)

for heading in ORDER:
    st.header(HEADINGS[heading])
    items = found.under(heading)
    if not items:
        st.caption("Nothing found for this period.")
    for i, finding in enumerate(items):
        fu.show(ctx, finding, i)

st.header("Not assessed")
if not found.not_assessed:
    st.caption("Every measure was assessed.")
for item in found.not_assessed:
    st.text(f"{item.rule.subject}: not assessed: {item.reason}.")

st.header("For the director's briefing")
fu.briefing_downloads(ctx, found)
