"""The findings as a plain-text letter and as JSON: the `frontdoor findings` command.

Kept apart from `metrics.findings` (which decides the findings) so the words on paper can change
without touching the rules.
"""

from __future__ import annotations

import argparse
import json
import textwrap

from metrics.command import run_on_database
from metrics.engine import Engine
from metrics.filters import Filters
from metrics.findings import Findings, find
from metrics.findings_rules import DEVELOPMENT, HEADINGS, SATISFACTORY, STRENGTH
from metrics.lookups import teams
from metrics.words import date_text

ORDER = (STRENGTH, SATISFACTORY, DEVELOPMENT)
NONE_FOUND = "None found."


def period_words(filters: Filters, team_name: str | None = None) -> str:
    """'1 Apr 2025 to 31 Mar 2026, as at 31 Mar 2026' (and the team when there is one)."""
    text = f"{date_text(filters.date_from)} to {date_text(filters.date_to)}"
    text += f", as at {date_text(filters.effective_as_of)}"
    if filters.team:
        text += f", team {team_name or filters.team}"
    return text


def render_text(findings: Findings, width: int = 96, team_name: str | None = None) -> str:
    """The letter's three headings with one bullet per finding, then what was not assessed."""
    lines = [f"Findings for {period_words(findings.filters, team_name)}", ""]
    wrap = textwrap.TextWrapper(width=width, initial_indent="- ", subsequent_indent="  ")
    for heading in ORDER:
        lines.append(HEADINGS[heading])
        lines.append("")
        under = findings.under(heading)
        if not under:
            lines.append(f"  {NONE_FOUND}")
        for finding in under:
            lines.extend(wrap.wrap(finding.sentence))
        lines.append("")
    lines.append("Not assessed")
    lines.append("")
    if not findings.not_assessed:
        lines.append("  Every measure was assessed.")
    for item in findings.not_assessed:
        lines.extend(wrap.wrap(f"{item.rule.subject}: not assessed: {item.reason}."))
    return "\n".join(lines).rstrip() + "\n"


def run_findings_command(args: argparse.Namespace) -> int:
    """`frontdoor findings`: the letter as text, or as JSON with --json. 2 on bad input."""

    def compute(engine: Engine, filters: Filters) -> tuple[Findings, str | None]:
        team_name = dict(teams(engine)).get(filters.team) if filters.team else None
        return find(engine, filters), team_name

    code, answer = run_on_database(
        "findings",
        args,
        lambda: Filters(args.date_from, args.date_to, args.as_of, getattr(args, "team", None)),
        compute,
    )
    if answer is None:
        return code
    found, team_name = answer
    if getattr(args, "json", False):
        print(json.dumps(found.as_json(), indent=2, default=str))
    else:
        print(render_text(found, team_name=team_name), end="")
    return 0
