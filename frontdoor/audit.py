"""The audit trail: who looked at which child, who downloaded what, who loaded data, who was
refused. Append-only JSON lines in a file of its own, never inside the extract database, so a
new load cannot erase it."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pandas as pd

from frontdoor.private import open_private, private_dir

REPO = Path(__file__).resolve().parents[1]


def audit_path() -> Path:
    """$FRONTDOOR_AUDIT, else data/audit.jsonl beside the sample."""
    return Path(os.environ.get("FRONTDOOR_AUDIT", REPO / "data" / "audit.jsonl"))


def record(
    user: str,
    role: str,
    action: str,
    *,
    person_ids: list[str] | tuple[str, ...] = (),
    filters: dict | None = None,
    detail: str = "",
    outcome: str = "allowed",
    path: Path | None = None,
) -> None:
    """Append one entry. Opened in append mode for every write: entries are never rewritten."""
    target = path or audit_path()
    private_dir(target.parent)
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "user": user,
        "role": role,
        "action": action,
        "outcome": outcome,
        "person_ids": [str(p) for p in person_ids],
        "filters": {k: str(v) for k, v in (filters or {}).items() if v is not None},
        "detail": detail,
    }
    line = json.dumps(entry, sort_keys=True) + "\n"
    fd = open_private(target, os.O_WRONLY | os.O_APPEND)  # 0600: who looked at which child
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def read(
    path: Path | None = None,
    *,
    user: str | None = None,
    action: str | None = None,
    person_id: str | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Entries, newest first, filtered (values bound as parameters)."""
    target = path or audit_path()
    columns = ["at", "user", "role", "action", "outcome", "person_ids", "filters", "detail"]
    if not target.exists() or target.stat().st_size == 0:
        return pd.DataFrame(columns=columns)
    con = duckdb.connect()
    try:
        sql = """
            SELECT "at", "user", role, action, outcome,
                   array_to_string(person_ids, ', ') AS person_ids,
                   CAST(filters AS VARCHAR) AS filters, detail
            FROM read_json($path, format = 'newline_delimited',
                 columns = {"at": 'VARCHAR', "user": 'VARCHAR', role: 'VARCHAR',
                            action: 'VARCHAR', outcome: 'VARCHAR', person_ids: 'VARCHAR[]',
                            filters: 'JSON', detail: 'VARCHAR'})
            WHERE ($user IS NULL OR "user" = $user)
              AND ($action IS NULL OR action = $action)
              AND ($person IS NULL OR list_contains(person_ids, $person))
              AND ($since IS NULL OR CAST("at" AS DATE) >= $since)
            ORDER BY "at" DESC
        """
        params = {
            "path": str(target),
            "user": user,
            "action": action,
            "person": person_id,
            "since": since,
        }
        return con.execute(sql, params).df()
    finally:
        con.close()
