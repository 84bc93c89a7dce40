"""What calamine does not say about the binary workbook formats, found by reading their records.

- .xlsb: a zip of BIFF12 record streams. A streaming pass over a sheet's records finds where its
  values really are (so a stray cell at XFD1048576 stops the load before calamine builds a grid
  of 17 billion cells, as the XML scan does for .xlsx) and its error cells (`#N/A`, `#REF!`), which
  calamine reads as empty.
- .xls: an OLE2 compound file whose `Workbook` stream holds BIFF8 records (`Book`, BIFF5, in
  Excel 95 files). Its extent is bounded by the format (65,536 rows by 256 columns); the pass
  finds error cells and formulas whose saved value is an error.

Both fill the same `SheetScan` as the .xlsx scan (frontdoor.sources.workbook), 1-based.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from frontdoor.sources.workbook import SheetScan

# Excel's error codes (the same numbers in BIFF8 and BIFF12).
ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}

CHUNK = 1 << 24

# BIFF12 record types (MS-XLSB 2.3): row header, cells (with their column), short cells (their
# column is the one after the previous cell's), sheet data bounds, the workbook's sheet list.
_ROW_HDR = 0x00
_CELL_BLANK, _CELL_ERROR, _FMLA_ERROR = 0x01, 0x03, 0x0B
_CELLS = range(0x01, 0x0C)
_SHORT_BLANK, _SHORT_ERROR = 0x0C, 0x0E
_SHORT_CELLS = range(0x0C, 0x13)
_BEGIN_DATA, _END_DATA = 0x91, 0x92
_BUNDLE_SH = 0x9C


def _letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _records(f: IO[bytes]):
    """(type, payload) of each BIFF12 record of a stream, read in chunks."""
    rest = b""
    while True:
        block = f.read(CHUNK)
        data = rest + block
        n, pos = len(data), 0
        while pos < n:
            start = pos
            b = data[pos]
            pos += 1
            kind = b & 0x7F
            if b & 0x80:
                if pos >= n:
                    pos = start
                    break
                kind |= (data[pos] & 0x7F) << 7
                pos += 1
            size, shift = 0, 0
            for _ in range(4):
                if pos >= n:
                    size = -1
                    break
                b = data[pos]
                pos += 1
                size |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            if size < 0 or pos + size > n:
                pos = start
                break
            yield kind, data[pos : pos + size]
            pos += size
        rest = data[pos:]
        if not block:
            return


def _wide(buf: bytes, at: int) -> tuple[str, int]:
    """An XLWideString at `at`: the text and where it ends."""
    (count,) = struct.unpack_from("<I", buf, at)
    end = at + 4 + 2 * count
    return buf[at + 4 : end].decode("utf-16-le", "replace"), end


def xlsb_sheet_parts(path: Path) -> dict[str, str]:
    """{sheet name: zip member of its records}, from workbook.bin and its relationships."""
    parts: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as z:
            rels = z.read("xl/_rels/workbook.bin.rels").decode("utf-8", "replace")
            targets = {}
            for m in re.finditer(r"<Relationship\b[^>]*>", rels):
                rid = re.search(r'\bId="([^"]*)"', m.group(0))
                target = re.search(r'\bTarget="([^"]*)"', m.group(0))
                if rid and target:
                    t = target.group(1)
                    t = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
                    targets[rid.group(1)] = t
            with z.open("xl/workbook.bin") as f:
                for kind, buf in _records(f):
                    if kind == 0x90:  # BrtEndBundleShs
                        break
                    if kind != _BUNDLE_SH or len(buf) < 12:
                        continue
                    (rel_count,) = struct.unpack_from("<I", buf, 8)
                    if rel_count == 0xFFFFFFFF:
                        continue
                    rid, end = _wide(buf, 8)
                    name, _ = _wide(buf, end)
                    if rid in targets:
                        parts[name] = targets[rid]
    except (KeyError, zipfile.BadZipFile, OSError, struct.error):
        return {}
    return parts


def scan_xlsb_sheet(f: IO[bytes], scan: SheetScan) -> SheetScan:
    """Stream one .xlsb sheet's records: its extent by the cells that hold something, the cells
    holding something, error cells (read as empty by calamine)."""
    in_data = False
    row = col = 0  # 0-based, as in the records
    for kind, buf in _records(f):
        if kind == _BEGIN_DATA:
            in_data = True
            continue
        if not in_data:
            continue
        if kind == _END_DATA:
            break
        if kind == _ROW_HDR:
            if len(buf) >= 4:
                (row,) = struct.unpack_from("<I", buf, 0)
                col = -1
            continue
        if kind in _CELLS and len(buf) >= 8:
            (col,) = struct.unpack_from("<I", buf, 0)
            value_at = 8
            blank, error = kind == _CELL_BLANK, kind in (_CELL_ERROR, _FMLA_ERROR)
        elif kind in _SHORT_CELLS and len(buf) >= 4:
            col += 1
            value_at = 4
            blank, error = kind == _SHORT_BLANK, kind == _SHORT_ERROR
        else:
            continue
        if blank:
            continue  # styled, empty
        scan.cells += 1
        r, c = row + 1, col + 1
        if c > scan.max_col:
            scan.max_col = c
            scan.far_col_cell = f"{_letters(c)}{r}"
        if r >= scan.max_row:
            scan.max_row = r
            scan.far_row_cell = f"{_letters(c)}{r}"
        if error and len(buf) > value_at:
            scan.errors[(r, c)] = ERRORS.get(buf[value_at], f"error {buf[value_at]:#x}")
    return scan


def xls_errors(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, column) 1-based: "#N/A"}} of an .xls workbook: error cells (BOOLERR)
    and formulas whose saved value is an error. {} when the file cannot be read this way
    (calamine then says why it cannot be opened)."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(name).read()
    except (OSError, ValueError, olefile.olefile.NotOleFileError):
        return {}
    biff8 = name == "Workbook"
    try:
        sheets = _xls_sheets(data, biff8)
        return {sheet: _xls_sheet_errors(data, at) for sheet, at in sheets}
    except struct.error:
        return {}


def _xls_records(data: bytes, pos: int):
    n = len(data)
    while pos + 4 <= n:
        kind, size = struct.unpack_from("<HH", data, pos)
        yield kind, data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == 0x000A:  # EOF
            return


def _xls_sheets(data: bytes, biff8: bool) -> list[tuple[str, int]]:
    """(name, stream offset) of each worksheet, from the BOUNDSHEET records of the globals."""
    sheets = []
    for kind, buf in _xls_records(data, 0):
        if kind != 0x0085 or len(buf) < 7:
            continue
        (offset,) = struct.unpack_from("<I", buf, 0)
        if buf[5] != 0:  # 0 = worksheet (not a chart, a macro sheet, a VB module)
            continue
        count = buf[6]
        if biff8:
            wide = buf[7] & 1
            raw = buf[8 : 8 + count * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        else:
            name = buf[7 : 7 + count].decode("cp1252", "replace")
        sheets.append((name, offset))
    return sheets


def _xls_sheet_errors(data: bytes, at: int) -> dict[tuple[int, int], str]:
    errors: dict[tuple[int, int], str] = {}
    for kind, buf in _xls_records(data, at):
        if kind == 0x0205 and len(buf) >= 8:  # BOOLERR
            row, col = struct.unpack_from("<HH", buf, 0)
            if buf[7] == 1:
                errors[(row + 1, col + 1)] = ERRORS.get(buf[6], f"error {buf[6]:#x}")
        elif kind == 0x0006 and len(buf) >= 14:  # FORMULA: a saved error value
            row, col = struct.unpack_from("<HH", buf, 0)
            value = buf[6:14]
            if value[6:8] == b"\xff\xff" and value[0] == 0x02:
                errors[(row + 1, col + 1)] = ERRORS.get(value[2], f"error {value[2]:#x}")
    return errors
