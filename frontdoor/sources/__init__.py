"""Readers that turn each kind of input file into raw text tables for the loader.

Every reader hands the loader the same thing, `SourceTables`: tables named as in
`frontdoor.schema`, every value still text, each row carrying the file and line it came from.
Typing, validation and the load report are the loader's job, done once for every source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a frame is made: what reads only the names here starts faster
    import pandas as pd

# Columns every raw frame carries besides the table's own: where each row came from.
FILE_COLUMN = "_file"
LINE_COLUMN = "_line"

STOP, REJECTED, WARNING = "stop", "rejected", "warning"
# A value read as something other than its text (a flag Y -> yes, a time of day dropped, a coded
# value's prefix stripped): listed in data_issues with this severity, not counted as a warning.
RECODED = "recoded"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the source allows."""

    # STOP (the load cannot go on), REJECTED (row kept aside), WARNING (loaded), RECODED (loaded,
    # read as something other than its text)
    severity: str
    reason: str
    file: str
    table: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None
    record_id: str | None = None


class LoadStopped(Exception):
    """The load cannot go on: `problem` names the file and column, `advice` what to do next."""

    def __init__(self, problem: Problem, advice: str):
        super().__init__(problem.reason)
        self.problem = problem
        self.advice = advice


@dataclass
class SourceTables:
    """Raw tables read from one or more files, plus what went wrong reading them."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Measure sections this source cannot feed, with the reason shown to users.
    unavailable: dict[str, str] = field(default_factory=dict)
    kinds: set[str] = field(default_factory=set)  # e.g. {"ssd"}, {"cin_census"}, {"annex_a"}


def raw_frame(columns: list[str], rows: Iterable[dict]) -> pd.DataFrame:
    """Rows (dicts of column -> text) as a raw frame: every column text, `_line` an integer,
    columns in the given order (a column missing from a row is None)."""
    import pandas as pd

    rows = list(rows)
    data = {}
    for c in columns:
        if c == LINE_COLUMN:
            data[c] = pd.Series([int(r.get(c) or 0) for r in rows], dtype="int64")
        else:
            data[c] = pd.Series([r.get(c) for r in rows], dtype=object)
    return pd.DataFrame(data, columns=columns)
