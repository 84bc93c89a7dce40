"""The audit trail: who looked at which child, who downloaded what, who loaded data, who was
refused. Append-only JSON lines in a file of its own, never inside the extract database, so a
new load cannot erase it."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from frontdoor.private import open_private, private_dir

if TYPE_CHECKING:  # the frames are read by the pages; recording a load or an export needs none
    import pandas as pd

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


COLUMNS = ["at", "user", "role", "action", "outcome", "person_ids", "filters", "detail"]


@dataclass
class _Parsed:
    """The entries of one log file read so far: the file (device and inode), how many bytes
    of it were read (whole lines only), and the entries, newest first."""

    file: tuple[int, int]
    read: int
    frame: pd.DataFrame


_PARSED: dict[str, _Parsed] = {}
_PARSED_LOCK = threading.Lock()


def entries(path: Path | None = None) -> pd.DataFrame:
    """Every entry, newest first: the order they were written in, the last first (COLUMNS,
    children and filters as text; then `children`, how many children the entry names, and
    `children_first`, for a screen: how many, its first CHILDREN_FIRST, then how many more).

    The log is append-only, so it is read whole once and afterwards only what was appended
    since: read whole on every run, a log of 13 MB took 0.4 s of every run of the Audit log
    page (and any log grows for as long as the service runs). A file replaced or cut short
    (rotated, restored) is read whole again. The frame is shared: do not change it."""
    target = path or audit_path()
    key = str(target)
    try:
        stat = target.stat()
    except FileNotFoundError:
        with _PARSED_LOCK:
            _PARSED.pop(key, None)
        return _frame([])
    file = (stat.st_dev, stat.st_ino)
    with _PARSED_LOCK:
        known = _PARSED.get(key)
        if known is None or known.file != file or stat.st_size < known.read:
            known = _Parsed(file, 0, _frame([]))
        if stat.st_size > known.read:
            with open(target, "rb") as handle:
                handle.seek(known.read)
                added = handle.read(stat.st_size - known.read)
            whole = added[: added.rfind(b"\n") + 1]  # a line still being written waits
            if whole:
                added_lines = [json.loads(line) for line in whole.splitlines() if line.strip()]
                new = _frame(added_lines[::-1])  # the last written first
                import pandas as pd  # imported by _frame already

                frame = (
                    new if known.frame.empty else pd.concat([new, known.frame], ignore_index=True)
                )
                known = _Parsed(file, known.read + len(whole), frame)
        _PARSED[key] = known
        return known.frame


CHILDREN_FIRST = 20  # an entry's children named on a screen; the rest counted


def _first(ids: list) -> str:
    if len(ids) <= CHILDREN_FIRST:
        return ", ".join(ids)
    # The count first: a narrow column still says how many.
    first = ", ".join(ids[:CHILDREN_FIRST])
    return f"{len(ids):,} children: {first} and {len(ids) - CHILDREN_FIRST:,} more"


def _frame(records: list[dict]) -> pd.DataFrame:
    """Entries as the Audit log page shows them: children and filters as text."""
    import pandas as pd  # here: recording an entry (a load from the command line) needs none

    return pd.DataFrame(
        {
            "at": [r.get("at") for r in records],
            "user": [r.get("user") for r in records],
            "role": [r.get("role") for r in records],
            "action": [r.get("action") for r in records],
            "outcome": [r.get("outcome") for r in records],
            "person_ids": [", ".join(r.get("person_ids") or ()) for r in records],
            "filters": [
                json.dumps(r.get("filters") or {}, separators=(",", ":"), ensure_ascii=False)
                for r in records
            ],
            "detail": [r.get("detail") for r in records],
            "children": [len(r.get("person_ids") or ()) for r in records],
            "children_first": [_first(r.get("person_ids") or []) for r in records],
        },
        columns=[*COLUMNS, "children", "children_first"],
    )


def read(
    path: Path | None = None,
    *,
    user: str | None = None,
    action: str | None = None,
    person_id: str | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Entries, newest first, filtered (as `entries`: read once, then only what is added)."""
    frame = entries(path)
    if user is None and action is None and person_id is None and since is None:
        return frame
    import pandas as pd

    keep = pd.Series(True, index=frame.index)
    if user is not None:
        keep &= frame["user"] == user
    if action is not None:
        keep &= frame["action"] == action
    if person_id is not None:
        # One of the children: the id whole between the list's separators, never a part of one.
        listed = ", " + frame["person_ids"].astype(str) + ", "
        keep &= listed.str.contains(f", {person_id}, ", regex=False)
    if since is not None:
        keep &= frame["at"].str[:10] >= since.isoformat()  # written in UTC, ISO 8601
    return frame[keep].reset_index(drop=True)
