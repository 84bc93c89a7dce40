"""The findings as a plain-text letter and as JSON: the `frontdoor findings` command.

Kept apart from `metrics.findings` (which decides the findings) so the words on paper can change
without touching the rules.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

import duckdb

from metrics.engine import Engine
from metrics.filters import Filters
from metrics.findings import Findings, find
from metrics.findings_rules import DEVELOPMENT, HEADINGS, SATISFACTORY, STRENGTH
from metrics.lookups import teams
from metrics.settings import load_settings
from metrics.summary import _warn_unknown_team
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


def _fail(message: str) -> int:
    print(f"frontdoor findings: {message}", file=sys.stderr)
    return 2


def run_findings_command(args: argparse.Namespace) -> int:
    """`frontdoor findings`: the letter as text, or as JSON with --json. 2 on bad input."""
    db = Path(args.db)
    if not db.is_file():
        return _fail(f"no database file at {db} (load an extract first: frontdoor load)")
    try:
        filters = Filters(args.date_from, args.date_to, args.as_of, getattr(args, "team", None))
    except ValueError as exc:
        return _fail(str(exc))
    try:
        settings = load_settings(getattr(args, "settings", None))
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read settings: {exc}")
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return _fail(f"cannot open {db} as a DuckDB database: {exc}")
    try:
        _warn_unknown_team(con, filters.team)
        engine = Engine(con, settings)
        found = find(engine, filters)
        team_name = dict(teams(engine)).get(filters.team) if filters.team else None
    except duckdb.CatalogException as exc:
        return _fail(f"{db} is not a loaded extract (load it with frontdoor load): {exc}")
    finally:
        con.close()
    if getattr(args, "json", False):
        print(json.dumps(found.as_json(), indent=2, default=str))
    else:
        print(render_text(found, team_name=team_name), end="")
    return 0
