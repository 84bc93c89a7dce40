"""What the read-only commands (`frontdoor summary`, `frontdoor findings`) share: checking the
database file, the filters and the settings, opening the database read-only and saying in plain
words what went wrong (exit 2), so each command only computes and prints its answer."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from metrics.engine import Engine
from metrics.filters import Filters
from metrics.settings import load_settings

T = TypeVar("T")


def fail(command: str, message: str) -> int:
    """Say what went wrong on stderr; the exit code for bad input."""
    print(f"frontdoor {command}: {message}", file=sys.stderr)
    return 2


def warn_unknown_team(con: duckdb.DuckDBPyConnection, team: str | None, command: str) -> None:
    """A team the extract does not name gives empty figures: say so (on stderr)."""
    if team is None:
        return
    try:
        known = [r[0] for r in con.execute("SELECT dept_team_id FROM ssd_department").fetchall()]
    except duckdb.Error:
        return
    if known and team not in known:
        print(
            f"frontdoor {command}: warning: team {team!r} is not in ssd_department "
            f"(known: {', '.join(sorted(k for k in known if k))})",
            file=sys.stderr,
        )


def run_on_database(
    command: str,
    args: argparse.Namespace,
    make_filters: Callable[[], Filters],
    compute: Callable[[Engine, Filters], T],
) -> tuple[int, T | None]:
    """`compute` over the database `args.db` read-only, with the filters and `args.settings`;
    (0, its answer), or (2, None) after saying what was wrong."""
    db = Path(args.db)
    if not db.is_file():
        return fail(
            command, f"no database file at {db} (load an extract first: frontdoor load)"
        ), None
    try:
        filters = make_filters()
    except ValueError as exc:
        return fail(command, str(exc)), None
    try:
        settings = load_settings(getattr(args, "settings", None))
    except (OSError, ValueError) as exc:
        return fail(command, f"cannot read settings: {exc}"), None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return fail(command, f"cannot open {db} as a DuckDB database: {exc}"), None
    try:
        warn_unknown_team(con, filters.team, command)
        return 0, compute(Engine(con, settings), filters)
    except duckdb.CatalogException as exc:
        return fail(
            command, f"{db} is not a loaded extract (load it with frontdoor load): {exc}"
        ), None
    finally:
        con.close()
