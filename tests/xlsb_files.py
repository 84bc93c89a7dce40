"""A small .xlsb (Excel binary workbook) writer for the tests: no Python library writes the
format, and no binary file is committed, so the tests build their own from the records of
[MS-XLSB]: a zip of BIFF12 record streams (workbook.bin naming the sheets, one sheet .bin each).

A cell is a str, a float/int, a bool, or `Error("#N/A")`; `far` adds a cell far outside the data
(as a stray value at XFD1048576 would be).
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

ERROR_CODES = {
    "#NULL!": 0x00,
    "#DIV/0!": 0x07,
    "#VALUE!": 0x0F,
    "#REF!": 0x17,
    "#NAME?": 0x1D,
    "#NUM!": 0x24,
    "#N/A": 0x2A,
}


@dataclass(frozen=True)
class Error:
    code: str  # "#N/A", "#REF!", ...


def _record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type (1 or 2 bytes, 7 bits each) and size (1-4 bytes, 7 bits each)."""
    out = bytearray()
    if kind < 0x80:
        out.append(kind)
    else:
        out += bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size = len(data)
    while True:
        byte = size & 0x7F
        size >>= 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            break
    return bytes(out) + data


def _wide(text: str) -> bytes:
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


def _cell(col: int, value: object) -> bytes:
    head = struct.pack("<I", col) + b"\x00\x00\x00\x00"  # column, style 0, no flags
    if isinstance(value, Error):
        return _record(0x03, head + bytes([ERROR_CODES[value.code]]))  # BrtCellError
    if isinstance(value, bool):
        return _record(0x04, head + bytes([int(value)]))  # BrtCellBool
    if isinstance(value, int | float):
        return _record(0x05, head + struct.pack("<d", float(value)))  # BrtCellReal
    return _record(0x06, head + _wide(str(value)))  # BrtCellSt


def _sheet(rows: list[list[object]], far: tuple[int, int] | None) -> bytes:
    """BrtBeginSheet, BrtWsDim, BrtBeginSheetData, rows, BrtEndSheetData, BrtEndSheet."""
    last_row = max(len(rows) - 1, 0)
    last_col = max((len(r) for r in rows), default=1) - 1
    out = bytearray(_record(0x81))
    out += _record(0x94, struct.pack("<IIII", 0, last_row, 0, max(last_col, 0)))
    out += _record(0x91)
    placed = [(i, row) for i, row in enumerate(rows)]
    if far is not None:
        placed.append((far[0], [None] * far[1] + ["stray"]))
    for r, row in placed:
        out += _record(0x00, struct.pack("<I", r) + b"\x00" * 13)  # BrtRowHdr
        for c, value in enumerate(row):
            if value is not None:
                out += _cell(c, value)
    out += _record(0x92)
    out += _record(0x82)
    return bytes(out)


def write_xlsb(
    path: Path,
    sheets: dict[str, list[list[object]]],
    *,
    far: dict[str, tuple[int, int]] | None = None,
) -> Path:
    """Write `sheets` (name -> rows of cells) as an .xlsb workbook at `path`. `far` places one
    stray cell per named sheet at (row, column), 0-based."""
    far = far or {}
    book = bytearray(_record(0x83))  # BrtBeginBook
    book += _record(0x8F)  # BrtBeginBundleShs
    rels = []
    for i, name in enumerate(sheets, start=1):
        rid = f"rId{i}"
        book += _record(0x9C, struct.pack("<II", 0, i) + _wide(rid) + _wide(name))
        rels.append(
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.bin"/>'
        )
    book += _record(0x90)  # BrtEndBundleShs
    book += _record(0x9D, b"\x00" * 26)  # BrtCalcProp
    book += _record(0x84)  # BrtEndBook
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.bin", bytes(book))
        z.writestr("xl/_rels/workbook.bin.rels", book_rels)
        for i, (name, rows) in enumerate(sheets.items(), start=1):
            z.writestr(f"xl/worksheets/sheet{i}.bin", _sheet(rows, far.get(name)))
    return path
