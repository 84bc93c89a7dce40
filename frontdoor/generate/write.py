"""Writing a synthetic extract, part by part: `generate_extract`.

An authority of more than `CHUNK_CHILDREN` children is built in parts of that many children (whole
families, each part its own teams' workers), each part's rows appended to the files before the
next is built, so memory is bounded by a part, not by the extract (England over five years, 4
million children, is about 115 million rows). Ids carry on from part to part, so they are unique
across the extract and every reference resolves within its part. One part is the extract exactly
as it was made before parts existed: same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from frontdoor.generate.extract import Extract
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.schema import TABLES

# Children per part. 1,000,000 keeps every extract up to a million children (the built-in sample,
# the tests' and the bench's sizes) as one part, byte for byte what it was; a part of a million
# children peaks at a few GB while it is built.
CHUNK_CHILDREN = 1_000_000
# Tables whose text holds commas and quotes (the factors' JSON): their text is quoted.
QUOTED_TABLES = {"ssd_assessment_factors"}
# Tables of reference rows every part makes alike: written from the first part only.
ONCE_TABLES = {"ssd_department"}


def _streams(seed: int, part: int) -> tuple[np.random.Generator, np.random.Generator]:
    """The random streams of one part: the first part's are the seed's own (as before parts
    existed); a later part's are seeded by (seed, part) apart from them, and from each other."""
    if part == 0:
        return np.random.default_rng(seed), np.random.default_rng([seed, 13])
    return np.random.default_rng([seed, 1000 + part, 1]), np.random.default_rng(
        [seed, 1000 + part, 13]
    )


def _part_progress(progress: ProgressFn, part: int, parts: int) -> ProgressFn:
    if parts == 1:
        return progress

    def show(fraction: float, message: str) -> None:
        progress((part + fraction) / parts, f"part {part + 1} of {parts}: {message}")

    return show


class _Writer:
    """One file per table, written by the first part and appended to by the others."""

    def __init__(self, out: Path, fmt: str):
        self.out, self.fmt = out, fmt
        self.parquet: dict[str, pq.ParquetWriter] = {}

    def write(self, name: str, table: pa.Table, first: bool) -> None:
        if self.fmt == "parquet":
            if name not in self.parquet:
                path = self.out / f"{name}.parquet"
                self.parquet[name] = pq.ParquetWriter(path, table.schema, compression="zstd")
            self.parquet[name].write_table(table)
            return
        with open(self.out / f"{name}.csv", "wb" if first else "ab") as fh:
            if first:
                fh.write((",".join(table.column_names) + "\n").encode())
            quoted = name in QUOTED_TABLES
            pacsv.write_csv(
                table,
                fh,
                write_options=pacsv.WriteOptions(
                    include_header=False, quoting_style="needed" if quoted else "none"
                ),
            )

    def close(self) -> None:
        for writer in self.parquet.values():
            writer.close()
        self.parquet.clear()


def generate_extract(
    out: Path,
    *,
    seed: int,
    children: int,
    start: dt.date,
    end: dt.date,
    fmt: str = "csv",
    progress: ProgressFn = null_progress,
    weaknesses: bool = True,
    chunk_children: int = CHUNK_CHILDREN,
) -> dict[str, int]:
    """Write a synthetic SSD extract into folder `out`: one `<table>.csv` (or `.parquet`) per table.

    `weaknesses=False` makes a well-run authority instead (see CLEAN). `chunk_children`: children
    built at a time (see the module's docstring). Returns the rows written per table. The same
    arguments give byte-identical files.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', got {fmt!r}")
    if children < 1:
        raise ValueError("children must be at least 1")
    if chunk_children < 1:
        raise ValueError("chunk_children must be at least 1")
    if end <= start:
        raise ValueError("end must be after start")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parts = math.ceil(children / chunk_children)
    counts = {name: 0 for name in TABLES}
    offsets: dict[str, int] = {}
    writer = _Writer(out, fmt)
    try:
        for part in range(parts):
            shown = _part_progress(progress, part, parts)
            rng, rng2 = _streams(seed, part)
            n = min(chunk_children, children - part * chunk_children)
            extract = Extract(rng, n, start, end, weaknesses, rng2, offsets, part)
            tables = extract.build(shown)
            offsets = extract.id_offsets_after()
            del extract  # the part's arrays: only its tables are kept while they are written
            for i, name in enumerate(list(tables)):
                shown(0.6 + 0.4 * i / len(TABLES), f"writing {name}")
                table = tables.pop(name)
                if part == 0 or name not in ONCE_TABLES:
                    writer.write(name, table, first=part == 0)
                    counts[name] += table.num_rows
                del table
    finally:
        writer.close()
    progress(1.0, "extract written")
    return counts
