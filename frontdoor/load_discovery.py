"""Finding a load's input: which SSD table file or sheet, or which reader, each file goes to.

Apart from the load itself (frontdoor.loader) because it is the one place that knows every kind
of input: SSD table files (CSV, Parquet, workbook sheets), the CIN census and Annex A readers, and
readers registered by the caller. A file that is none of them is ignored with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frontdoor.schema import TABLES
from frontdoor.sources import REJECTED, STOP, WARNING, LoadStopped, Problem, SourceTables
from frontdoor.sources.staging import CSV_SUFFIXES, PARQUET_SUFFIXES
from frontdoor.sources.workbook import WORKBOOK_SUFFIXES, Workbook
from frontdoor.sources.workbook_sheets import open_workbook, workbook_sheet_tables

Reader = Callable[[Path], "SourceTables | None"]


def _builtin_reader(path: Path) -> tuple[str, Callable[[], SourceTables]] | None:
    """The CIN census or Annex A reader for `path`, if that reader is installed and claims it."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        try:
            from frontdoor.sources import annex_a
        except ImportError:
            return None
        try:
            claimed = annex_a.is_annex_a(path)
        except Exception:  # noqa: BLE001 - a workbook it cannot open is not Annex A
            claimed = False
        if claimed:
            return "annex_a", lambda: annex_a.read_annex_a(path)
    return None


def _census_module():
    try:
        from frontdoor.sources import cin_census
    except ImportError:
        return None
    return cin_census


@dataclass
class Item:
    """One unit of input: an SSD table file or sheet, or tables handed over by a reader."""

    kind: str  # "csv", "parquet", "sheet" or "reader"
    file: str
    path: Path | None = None
    table: str | None = None
    sheet: str | None = None
    workbook: Workbook | None = None
    tables: SourceTables | None = None
    size: int = 1


class FileDiscovery:
    """The load's discovery steps (a part of `frontdoor.loader._Load`): what they read and fill."""

    source: Path
    readers: list[Reader]
    problems: list[Problem]  # warnings and reader problems not tied to a row
    kinds: set[str]
    unavailable: dict[str, str]
    source_rejects: list[Problem]
    workbooks: list[Workbook]  # opened here, closed when the load ends

    def _warn(self, reason: str, file: str, **kw) -> None:
        self.problems.append(Problem(WARNING, reason, file, **kw))

    def _discover(self) -> list[Item]:
        src = self.source
        if not src.exists():
            raise LoadStopped(
                Problem(STOP, "no such file or folder", str(src)),
                "Expected a folder of table files (ssd_person.csv, ssd_cin_episodes.csv, ...), "
                "an Excel workbook, a CIN census .xml or an Annex A workbook. Check the path.",
            )
        if src.is_dir():
            files = sorted(
                p for p in src.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
            )
        else:
            files = [src]
        items: list[Item] = []
        xml: list[Path] = []
        for p in files:
            suffix, stem, label = p.suffix.lower(), p.stem.strip().lower(), p.name
            size = max(p.stat().st_size, 1)
            if suffix in CSV_SUFFIXES | PARQUET_SUFFIXES and stem in TABLES:
                kind = "csv" if suffix in CSV_SUFFIXES else "parquet"
                items.append(Item(kind, label, path=p, table=stem, size=size))
                continue
            census = _census_module()
            if suffix == ".xml" and census is not None:
                claims = getattr(census, "is_cin_census", None)
                if claims is None or claims(p):
                    xml.append(p)
                    continue
            if self._try_readers(p, items):
                continue
            if suffix in WORKBOOK_SUFFIXES:
                wb = open_workbook(p, label)
                self.workbooks.append(wb)
                sheets, others = workbook_sheet_tables(wb, label)
                if sheets:
                    for table, sheet in sheets.items():
                        items.append(
                            Item(
                                "sheet",
                                label,
                                path=p,
                                table=table,
                                sheet=sheet,
                                workbook=wb,
                                size=size,
                            )
                        )
                    for other in others:
                        self._warn(
                            f"sheet {other!r} is not a table the dashboard reads; ignored", label
                        )
                    continue
                self._warn(
                    "no sheet is named after a table the dashboard reads, and it is not an "
                    "Annex A workbook; ignored",
                    label,
                )
                continue
            self._warn("not a table the dashboard reads; ignored", label)
        if xml:
            census = _census_module()
            self._run_reader(
                ", ".join(p.name for p in xml), lambda: census.read_cin_census(xml), items
            )
        if any(i.kind != "reader" for i in items):
            self.kinds.add("ssd")
        return items

    def _check_one_source_per_table(self, items: list[Item]) -> None:
        """Two SSD files or sheets for one table stop the load: which one is meant is not ours
        to guess (a reader's tables, e.g. the census's ssd_person, add to the SSD files)."""
        seen: dict[str, str] = {}
        for item in items:
            if item.kind == "reader":
                continue
            where = item.file + (f"[{item.sheet}]" if item.sheet else "")
            if item.table in seen:
                raise LoadStopped(
                    Problem(
                        STOP,
                        f"two files hold the table {item.table}: {seen[item.table]} and {where}",
                        where,
                        table=item.table,
                    ),
                    "Expected one file (or sheet) per table. Remove the one that should not be "
                    "read from the folder (or put all the rows in one file), and load again.",
                )
            seen[item.table] = where

    def _try_readers(self, path: Path, items: list[Item]) -> bool:
        builtin = _builtin_reader(path)
        if builtin is not None:
            self._run_reader(path.name, builtin[1], items)
            return True
        for reader in self.readers:
            try:
                tables = reader(path)
            except Exception as e:  # noqa: BLE001
                raise LoadStopped(
                    Problem(STOP, f"cannot read {path.name}: {type(e).__name__}: {e}", path.name),
                    "Check the file opens in the program that wrote it, export it again and "
                    "load again.",
                ) from None
            if tables is not None:
                self._add_source_tables(path.name, tables, items)
                return True
        return False

    def _run_reader(self, label: str, read: Callable[[], SourceTables], items: list[Item]) -> None:
        try:
            tables = read()
        except LoadStopped:
            raise
        except Exception as e:  # noqa: BLE001
            raise LoadStopped(
                Problem(STOP, f"cannot read {label}: {type(e).__name__}: {e}", label),
                "Check the file opens in the program that wrote it, export it again and load "
                "again.",
            ) from None
        self._add_source_tables(label, tables, items)

    def _add_source_tables(self, label: str, tables: SourceTables, items: list[Item]) -> None:
        for p in tables.problems:
            if p.severity == STOP:
                raise LoadStopped(p, "Correct the file and load again.")
        self.kinds |= set(tables.kinds)
        self.unavailable.update(tables.unavailable)
        for p in tables.problems:
            if p.severity == REJECTED:
                self.source_rejects.append(p)
            else:
                self.problems.append(p)
        items.append(Item("reader", label, tables=tables, size=1))
