"""Loads that are safe to run: one at a time per folder, never over a file that is not ours,
and no leftovers from a load that was killed.

- A load holds an exclusive lock on the database's folder (`flock` on the folder itself, so no
  lock file is left behind); a second load into the same folder is refused, saying why.
- `--db` naming an existing file that is not a frontdoor database (an audit log, a CSV, another
  program's DuckDB file) is refused: the load would replace it.
- The new database is built in `.{name}.loading-{pid}-{thread}` beside the target and moved onto
  it when complete; a load that was killed leaves that file (and its `.wal`, `.tmp` and `.files`)
  behind, and the next load into the folder removes them (it holds the lock, so none is in use).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontdoor.sources import STOP, LoadStopped, Problem

DUCKDB_MAGIC = b"DUCK"  # bytes 8 to 12 of every DuckDB database file


def temp_name(db_path: Path, pid: int, thread: int) -> Path:
    return db_path.parent / f".{db_path.name}.loading-{pid}-{thread}"


@contextmanager
def load_lock(db_path: Path) -> Iterator[None]:
    """Hold the folder of `db_path` for one load, or refuse (LoadStopped) if a load holds it."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock, as before
        yield
        return
    fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LoadStopped(
                Problem(
                    STOP,
                    f"another load into {db_path.parent} is running",
                    str(db_path),
                ),
                "Only one load at a time may write to a folder of databases. Wait for the other "
                "load to finish (the Data page or `frontdoor load` shows its progress), then "
                "load again.",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def check_target(db_path: Path) -> None:
    """Refuse a target that exists and is not a frontdoor database (LoadStopped)."""
    if db_path.exists() and not db_path.is_file():
        raise LoadStopped(
            Problem(STOP, f"{db_path} is a folder, not a database file", str(db_path)),
            "Give --db the path of a database file (e.g. data/front.duckdb).",
        )
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    with db_path.open("rb") as f:
        head = f.read(16)
    advice = (
        "The load would replace it. Give --db a new file name, or the database frontdoor "
        "loaded before."
    )
    if head[8:12] != DUCKDB_MAGIC:
        raise LoadStopped(
            Problem(
                STOP,
                f"{db_path} exists and is not a frontdoor database (not a DuckDB file)",
                str(db_path),
            ),
            advice,
        )
    if not _has_load_meta(db_path):
        raise LoadStopped(
            Problem(
                STOP,
                f"{db_path} is a DuckDB database that frontdoor did not load (it has no "
                "load_meta table)",
                str(db_path),
            ),
            advice,
        )


def _has_load_meta(db_path: Path) -> bool:
    import duckdb

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return True  # open elsewhere in a way we cannot share: it was a database we could use
    try:
        return bool(
            con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'load_meta'"
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def remove_stale(db_path: Path) -> list[str]:
    """Remove what killed loads into `db_path` left behind (call holding the lock)."""
    removed = []
    for p in db_path.parent.glob(f".{db_path.name}.loading-*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink()
            except FileNotFoundError:
                continue
        removed.append(p.name)
    return removed
