"""Files the product writes are its owner's alone: 0600 files, 0700 folders.

A database, a temporary load file, an uploaded extract, the audit log or an export holds
children's data or who looked at it; on a shared server nobody else may read it. The rule is
kept at creation, not by a chmod afterwards (a file made world-readable and closed down a moment
later could be read in that moment):

- `private_umask()` is called where the product starts writing (the command line, every page's
  setup, the loader): from then on the process creates nothing readable by others, whoever
  creates it (DuckDB's database, write-ahead log and spill folder included).
- `private_dir` / `write_private` / `open_private` create with the private mode explicitly, for
  the code that makes a file itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Take group and other permissions off everything this process creates from now on.

    Only ever tightens: the umask is process-wide, and a moment where another thread sees a
    looser one must not exist (the first call sets 077, which is at least as tight)."""
    old = os.umask(PRIVATE_UMASK)
    os.umask(old | PRIVATE_UMASK)


def private_dir(path: Path | str) -> Path:
    """Create `path` (and missing parents) as 0700 folders; an existing folder is left as is
    (it may be a shared parent such as /tmp)."""
    path = Path(path)
    private_umask()
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return path


def private_temp_dir(prefix: str) -> Path:
    """A new temporary folder only its owner can open (mkdtemp makes it 0700)."""
    private_umask()
    return Path(tempfile.mkdtemp(prefix=prefix))


def open_private(path: Path | str, flags: int) -> int:
    """os.open with 0600 for a file it creates (umask can only take more away)."""
    private_umask()
    return os.open(path, flags | os.O_CREAT, FILE_MODE)


def write_private(path: Path | str, data: bytes) -> None:
    """Write `data` to a new or replaced 0600 file. An existing file is made 0600 before
    anything is written into it."""
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def save_files(files: Iterable[tuple[str, bytes]], prefix: str) -> Path:
    """Write (name, bytes) pairs, e.g. uploaded extract files, into a new private temporary
    folder under their base names (a name cannot climb out of the folder)."""
    folder = private_temp_dir(prefix)
    for name, data in files:
        write_private(folder / (Path(name).name or "upload"), data)
    return folder


def mode(path: Path | str) -> int:
    """The permission bits of `path` (e.g. 0o600)."""
    return os.stat(path).st_mode & 0o777
