"""Read Excel workbooks (.xlsx, .xlsm, .xls, .xlsb) quickly and within bounds.

Cells are read by python-calamine (Rust), by the extent of the cells that hold values: a
workbook's declared dimensions (`<dimension ref="A1:XFD1048576">`, row spans, styled empty cells)
never drive time or memory. calamine keeps a sheet as a dense grid from A1 to its last value, so
for .xlsx/.xlsm a streaming scan of the sheet's XML first finds where the values really are: a
stray value far outside the data (XFD1048576 on a sheet of a few thousand cells) would ask for
gigabytes, and stops the load naming that cell instead. The same scan finds what calamine does not
say: formulas without a saved value and Excel error cells (`#N/A`), both read as empty and listed.
An .xlsb sheet's records are scanned the same way, and an .xls workbook's for its error cells.

What a value is: text (as written), a float for any number (45000.0), a bool, and a
`datetime.date`/`datetime` (or `time`/`timedelta`) when the cell is *formatted* as a date or time:
a number in a cell not formatted as a date stays a float, so a reader can tell the two apart.
Empty cells are None.

Rules, the same for every reader:
- hidden sheets are read like visible ones (hidden is not deleted), and listed as `hidden`;
- a merged range's value belongs to its top-left cell; the other cells of the range are empty, and
  the ranges are listed (`merged`) so a reader can report them;
- .xls/.xlsb: formulas are read by their saved value (those formats always save one); their
  records are read apart (frontdoor.sources.workbook_binary) for what calamine does not say: an
  .xlsb sheet's extent, checked as an .xlsx one's before calamine reads it, and the error cells
  of both (listed, read as empty). An .xls sheet is at most 65,536 rows by 256 columns, so its
  extent is bounded by the format.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from frontdoor.sources.workbook_binary import scan_xlsb_sheet, xls_errors, xlsb_sheet_parts

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb"}
XML_SUFFIXES = {".xlsx", ".xlsm"}

# A sheet whose grid (rows x columns up to its last value) is bigger than this, and more than
# SPARSE_FACTOR times the cells that hold something, is refused: its extent comes from stray
# cells, not data. (calamine holds about 32 bytes per grid cell.)
MIN_GRID = 2_000_000
SPARSE_FACTOR = 4

Value = str | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class WorkbookError(Exception):
    """The workbook cannot be read: `reason` says why in plain words, `advice` what to do."""

    def __init__(self, reason: str, advice: str, cell: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.advice = advice
        self.cell = cell


@dataclass
class SheetInfo:
    name: str
    hidden: bool = False  # hidden or very hidden in Excel


@dataclass
class SheetScan:
    """What the XML scan of one .xlsx sheet found (1-based rows and columns)."""

    max_row: int = 0
    max_col: int = 0
    far_row_cell: str | None = None  # a cell on the last row that holds something
    far_col_cell: str | None = None  # a cell in the last column that holds something
    cells: int = 0  # cells that hold something (a value or a formula)
    missing_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Sheet:
    """One sheet's values, row by row, with what a reader must report about it."""

    name: str
    hidden: bool
    rows: list[tuple[int, list[Value]]]  # (sheet row number, values from column A)
    # (row, column) 1-based -> the formula text ("=B2+1") of a formula with no saved value
    missing_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # (row, column) 1-based -> the Excel error shown in the cell ("#N/A"), read as empty
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # "A5:B5" ranges


def cell_name(row: int, col: int) -> str:
    """(5, 2) -> 'B5'."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


class Workbook:
    """An open workbook. Use as a context manager; `sheets` lists every sheet in order."""

    def __init__(self, path: Path, label: str | None = None):
        import python_calamine as pc

        self.path = Path(path)
        self.label = label or self.path.name
        self.suffix = self.path.suffix.lower()
        try:
            self._wb = pc.CalamineWorkbook.from_path(str(self.path))
            meta = self._wb.sheets_metadata
        except Exception as e:  # noqa: BLE001 - calamine raises several kinds for a bad file
            raise WorkbookError(
                f"it cannot be opened as an Excel workbook ({type(e).__name__}: {e})",
                "Check it opens in Excel, save it again (File > Save As > Excel Workbook) and "
                "load again.",
            ) from None
        self.sheets = [
            SheetInfo(m.name, hidden=m.visible != pc.SheetVisibleEnum.Visible)
            for m in meta
            if m.typ == pc.SheetTypeEnum.WorkSheet
        ]
        self._parts: dict[str, str] | None = None
        self._xlsb_parts: dict[str, str] | None = None
        self._xls_errors: dict[str, dict[tuple[int, int], str]] | None = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            pass

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def first_rows(self, name: str, n: int) -> list[list[Value]]:
        """The first `n` rows of a sheet (for finding titles and headers), bounded like `read`."""
        return [values for _, values in self.read(name).rows[:n]]

    def read(self, name: str) -> Sheet:
        """Every row of a sheet; stops (WorkbookError) on a sheet whose extent is not its data."""
        cached = getattr(self, "_cache", {})
        if name in cached:
            return cached[name]
        info = next((s for s in self.sheets if s.name == name), SheetInfo(name))
        scan = self._scan(name)
        if scan is not None:
            _check_extent(scan, name)
        try:
            ws = self._wb.get_sheet_by_name(name)
            start = ws.start
            merged = ws.merged_cell_ranges or []
            offset = start[1] if start else 0
            rows: list[tuple[int, list[Value]]] = []
            for i, values in enumerate(ws.iter_rows(), start=1):
                cleaned = [None if v == "" else v for v in values]
                while cleaned and cleaned[-1] is None:
                    cleaned.pop()
                if not cleaned:
                    continue
                if offset:
                    cleaned = [None] * offset + cleaned
                rows.append((i, cleaned))
        except Exception as e:  # noqa: BLE001
            raise WorkbookError(
                f"sheet {name!r} cannot be read ({type(e).__name__}: {e})",
                "Check the workbook opens in Excel, save it again and load again.",
            ) from None
        sheet = Sheet(
            name,
            info.hidden,
            rows,
            missing_formulas=scan.missing_formulas if scan else {},
            errors=scan.errors if scan else {},
            merged=[
                f"{cell_name(a + 1, b + 1)}:{cell_name(c + 1, d + 1)}" for (a, b), (c, d) in merged
            ],
        )
        self._cache = {**cached, name: sheet}
        return sheet

    # -- the XML scan (.xlsx, .xlsm)

    def _sheet_parts(self) -> dict[str, str]:
        """{sheet name: zip member of its XML}, from workbook.xml and its relationships."""
        if self._parts is not None:
            return self._parts
        parts: dict[str, str] = {}
        try:
            with zipfile.ZipFile(self.path) as z:
                book = z.read("xl/workbook.xml").decode("utf-8", "replace")
                rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        except (KeyError, zipfile.BadZipFile, OSError):
            self._parts = parts
            return parts
        targets = {}
        for m in re.finditer(r"<Relationship\b[^>]*>", rels):
            tag = m.group(0)
            rid = re.search(r'\bId="([^"]*)"', tag)
            target = re.search(r'\bTarget="([^"]*)"', tag)
            if rid and target:
                t = target.group(1)
                t = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
                targets[rid.group(1)] = t
        for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
            tag = m.group(0)
            nm = re.search(r'\bname="([^"]*)"', tag)
            rid = re.search(r'\b\w+:id="([^"]*)"', tag)
            if nm and rid and rid.group(1) in targets:
                parts[_xml_unescape(nm.group(1))] = targets[rid.group(1)]
        self._parts = parts
        return parts

    def _scan(self, name: str) -> SheetScan | None:
        if self.suffix == ".xlsb":
            return self._scan_xlsb(name)
        if self.suffix == ".xls":
            if self._xls_errors is None:
                self._xls_errors = xls_errors(self.path)
            return SheetScan(errors=dict(self._xls_errors.get(name, {})))
        if self.suffix not in XML_SUFFIXES:
            return None
        part = self._sheet_parts().get(name)
        if part is None:
            return None
        try:
            with zipfile.ZipFile(self.path) as z, z.open(part) as f:
                return scan_sheet_xml(f)
        except (KeyError, zipfile.BadZipFile, OSError):
            return None

    def _scan_xlsb(self, name: str) -> SheetScan | None:
        if self._xlsb_parts is None:
            self._xlsb_parts = xlsb_sheet_parts(self.path)
        part = self._xlsb_parts.get(name)
        if part is None:
            return None
        try:
            with zipfile.ZipFile(self.path) as z, z.open(part) as f:
                return scan_xlsb_sheet(f, SheetScan())
        except (KeyError, zipfile.BadZipFile, OSError):
            return None


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


# A cell that holds something: not self-closing. Its reference, when written (it may be omitted,
# and then the cell is the next one of its row: bounded by the row's own content).
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"[^>]*?(/?)>')
# A formula cell whose value is missing or empty (t="str" with an empty value is a formula that
# returned "", which is a value).
_FORMULA = re.compile(
    rb'<c\b([^>]*?)\br="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>\s*'
    rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_ERROR = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="e"[^>]*>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"\s*<v>([^<]*)</v>"
)
_ERROR_FIRST = re.compile(
    rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"\s*<v>([^<]*)</v>"
)


def scan_sheet_xml(f, chunk: int = 1 << 24) -> SheetScan:
    """Stream a sheet's XML: where its values are, formulas without values, error cells."""
    scan = SheetScan()
    rest = b""
    while True:
        block = f.read(chunk)
        data = rest + block
        if block:
            cut = data.rfind(b"</row>")
            if cut < 0:
                rest = data
                continue
            cut += len(b"</row>")
            data, rest = data[:cut], data[cut:]
        _scan_block(data, scan)
        if not block:
            break
    return scan


def _scan_block(data: bytes, scan: SheetScan) -> None:
    for m in _ROW.finditer(data):
        if not m.group(2):
            row = int(m.group(1))
            if row > scan.max_row:
                scan.max_row = row
    for m in _CELL.finditer(data):
        if m.group(3):
            continue  # <c r="XFD1" s="3"/>: styled, empty
        scan.cells += 1
        col, row = _col_number(m.group(1)), int(m.group(2))
        if col > scan.max_col:
            scan.max_col = col
            scan.far_col_cell = (m.group(1) + m.group(2)).decode()
        if row >= scan.max_row:
            scan.max_row = row
            scan.far_row_cell = (m.group(1) + m.group(2)).decode()
    if b"<f" in data:
        for m in _FORMULA.finditer(data):
            attrs = m.group(1) + m.group(4)
            if b't="str"' in attrs and b"<v" in m.group(0):
                continue
            key = (int(m.group(3)), _col_number(m.group(2)))
            text = _xml_unescape((m.group(5) or b"").decode("utf-8", "replace"))
            scan.missing_formulas[key] = "=" + text if text else "(a shared formula)"
    if b't="e"' in data:
        for rx in (_ERROR, _ERROR_FIRST):
            for m in rx.finditer(data):
                key = (int(m.group(2)), _col_number(m.group(1)))
                scan.errors[key] = m.group(3).decode("utf-8", "replace").strip()


def _check_extent(scan: SheetScan, name: str) -> None:
    grid = scan.max_row * scan.max_col
    if grid <= MIN_GRID or grid <= SPARSE_FACTOR * max(scan.cells, 1):
        return
    far = [c for c in (scan.far_row_cell, scan.far_col_cell) if c]
    where = " and ".join(dict.fromkeys(far)) or f"row {scan.max_row}"
    raise WorkbookError(
        f"sheet {name!r} has something in cell {where}, far outside its data "
        f"({scan.cells:,} cells hold values): reading it would need a grid of "
        f"{scan.max_row:,} rows by {scan.max_col:,} columns",
        "Delete the rows and columns beyond the data (or copy the data into a new workbook), "
        "save, and load again.",
        cell=far[0] if far else None,
    )
