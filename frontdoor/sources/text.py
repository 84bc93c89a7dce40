"""Text files as councils make them: encoding, delimiter and damaged lines, before DuckDB reads.

A CSV/TSV file is read by DuckDB as UTF-8. This module decides what the file is and, only when it
must, writes a repaired UTF-8 copy in the load's working folder (never touching the original):

- encoding: UTF-8 (with or without BOM) is read as it is; UTF-16 (LE or BE, by BOM or by its
  zero bytes) is transcoded; anything else is read as UTF-8 where it is valid and as Windows-1252
  byte by byte where it is not (a Windows-1252 file, or a UTF-8 file with one pasted Windows
  apostrophe), with the first lines where that happened reported;
- line endings: LF, CRLF, or CR alone throughout (old Mac files) are all read; a CR alone inside
  a row that otherwise ends in LF splits the row, so that row is set aside (rejected, with its
  line) and the rest is read;
- quotes: a quote that opens a value and never closes would swallow every row after it; its row
  is set aside (rejected, with its line) and reading goes on from the next line. So is a quoted
  value that runs over later lines that look like whole rows of their own.

Rows set aside are blanked in the copy (the line stays, empty), so every other row keeps its
physical line number.
"""

from __future__ import annotations

import codecs
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CHUNK = 1 << 23
MAX_FALLBACK_LINES = 20  # lines listed where bytes were read as Windows-1252


@dataclass
class Prepared:
    """What DuckDB should read, and what was done to get there."""

    path: Path  # the original, or a repaired UTF-8 copy
    encoding: str  # as found: "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE", "Windows-1252"
    delimiter: str
    header: list[str]
    # physical line -> reason, for rows set aside (blank in the copy)
    set_aside: dict[int, str] = field(default_factory=dict)
    raw_lines: dict[int, str] = field(default_factory=dict)  # their text, for rejected_rows
    cp1252_lines: list[int] = field(default_factory=list)  # first lines read as Windows-1252
    cp1252_bytes: int = 0
    has_quotes: bool = True


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig', 'utf-16-le', 'utf-16-be' or 'utf-8' (maybe with Windows-1252 bytes)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = head[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) // 2
        if odd > 0.3 * half and even < 0.05 * half:
            return "utf-16-le"
        if even > 0.3 * half and odd < 0.05 * half:
            return "utf-16-be"
    return "utf-8"


# --------------------------------------------------------------------------------- transcoding


def _cp1252_fallback(counter: dict) -> None:
    """Register a decode error handler: each byte that is not UTF-8 is read as Windows-1252
    (Latin-1 for the five bytes Windows-1252 leaves undefined), and where it happened is kept."""

    def handler(e: UnicodeDecodeError):
        bad = e.object[e.start : e.end]
        counter["bytes"] += len(bad)
        if len(counter["lines"]) < MAX_FALLBACK_LINES:
            line = counter["base"] + e.object.count(b"\n", 0, e.start) + 1
            if line not in counter["lines"]:
                counter["lines"].append(line)
        return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), e.end

    name = f"frontdoor-cp1252-{id(counter)}"
    codecs.register_error(name, handler)
    counter["name"] = name


def transcode(src: Path, dst: Path, encoding: str, cr_only: bool) -> tuple[int, list[int]]:
    """Write `src` as UTF-8 to `dst`; returns (bytes read as Windows-1252, first such lines)."""
    counter: dict = {"bytes": 0, "lines": [], "base": 0}
    if encoding.startswith("utf-16"):
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    else:
        _cp1252_fallback(counter)
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors=counter["name"])
    with src.open("rb") as f, dst.open("w", encoding="utf-8", newline="") as out:
        while True:
            block = f.read(CHUNK)
            # keep a multi-byte UTF-8 character whole across blocks: the incremental decoder
            # does; the line count of the error handler is per block, so carry it
            text = decoder.decode(block, final=not block)
            counter["base"] += block.count(b"\n")
            if cr_only:
                text = text.replace("\r", "\n")
            out.write(text)
            if not block:
                break
    return counter["bytes"], counter["lines"]


@dataclass
class Survey:
    """What one quick read of a text file tells, without parsing it: enough to know whether its
    rows can be numbered without a quote-aware scan (see frontdoor.sources.csv_rows.stage_csv)."""

    utf8: bool  # every byte sequence is UTF-8
    newlines: int  # LF bytes
    lone_cr: bool  # a CR not followed by LF somewhere (a row split, or CR-only line ends)
    quotes: int  # double-quote characters
    ends_in_newline: bool
    # A value may need trimming: a byte beyond ASCII (Unicode spaces) or a space beside a
    # delimiter, quote or line end (any delimiter: the file's is not known yet). False means
    # no value of the file has a space to trim.
    padded: bool = True
    crs: int = 0  # CR bytes (each before an LF when `lone_cr` is False)
    # Tab, vertical tab and form feed bytes: blank characters a date can be read past
    # (frontdoor.table_write's typed read), like a space beside a value's edge (`padded`).
    tabs: int = 0
    other_blanks: bool = True

    @property
    def lines(self) -> int:
        """Physical lines (a last line without a line end counts; an empty file has none)."""
        return self.newlines + (0 if self.ends_in_newline else 1)


def survey(path: Path) -> Survey:
    """One pass over the file, C-speed only: the usual block (ASCII, no CR, no quote) costs a
    newline count and a few quick byte searches."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    newlines = crs = crlfs = quotes = tabs = 0
    other_blanks = False
    prev_cr = False
    padded = False
    last = b"\n"  # the file's start is a field's start
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            ascii_block = block.isascii()
            # (`last + block` copies the block: made only where a space can be at an edge)
            padded = (
                padded
                or not ascii_block
                or ((last == b" " or block.find(b" ") >= 0) and _spaced(last + block))
            )
            # an ASCII block is UTF-8, unless a character begun in the block before is pending
            if utf8 and (not ascii_block or decoder.getstate()[0]):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            # numpy's byte comparison: about three times as fast as bytes.count's
            newlines += int(np.count_nonzero(np.frombuffer(block, dtype=np.uint8) == 10))
            if prev_cr and block[:1] == b"\n":
                crlfs += 1
            if block.find(b"\r") >= 0:
                crs += block.count(b"\r")
                crlfs += block.count(b"\r\n")
            if block.find(b'"') >= 0:
                quotes += block.count(b'"')
            if block.find(b"\t") >= 0:
                tabs += block.count(b"\t")
            other_blanks = other_blanks or block.find(b"\v") >= 0 or block.find(b"\f") >= 0
            prev_cr = block.endswith(b"\r")
            last = block[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    padded = padded or last == b" "  # the file's end is a field's end
    return Survey(
        utf8, newlines, crs != crlfs, quotes, last == b"\n", padded, crs, tabs, other_blanks
    )


# Bytes beside which a space starts or ends a value (line ends, quotes, any delimiter).
_FIELD_EDGES = np.frombuffer(b'\n\r",\t;|', dtype=np.uint8)


def _spaced(block: bytes) -> bool:
    """A space beside a field's edge in `block` (its first byte: the previous block's last)."""
    if block.find(b" ") < 0:
        return False
    data = np.frombuffer(block, dtype=np.uint8)
    at = np.flatnonzero(data == 32)
    before = data[np.maximum(at - 1, 0)]
    after = data[np.minimum(at + 1, len(data) - 1)]
    edge = np.isin(before, _FIELD_EDGES) | np.isin(after, _FIELD_EDGES)
    # a space as the block's last byte is judged with the next block (or the file's end)
    return bool(edge[at < len(data) - 1].any())


# ---------------------------------------------------------------------------- damaged lines

CR_ALONE = "a carriage return (CR) alone inside the row splits it in two; the row is rejected"
QUOTE_NEVER_CLOSED = (
    'a quote (") opens a value that is never closed on this line, so the value would run into '
    "the rows after it; the row is rejected"
)


def needs_line_check(path: Path) -> bool:
    """True when the file has a CR alone, an odd number of quotes, or a quoted value running
    over several lines: only then is it read line by line (in Python) to find damaged rows."""
    quotes = 0
    cr_at_end = False  # the previous block ended in a CR
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            data = np.frombuffer(block, dtype=np.uint8)
            if cr_at_end and data[0] != 10:
                return True
            cr = np.flatnonzero(data[:-1] == 13)
            if len(cr) and (data[cr + 1] != 10).any():
                return True
            cr_at_end = bool(data[-1] == 13)
            nl = np.flatnonzero(data == 10)
            if len(nl):
                cum = np.cumsum(data == 34, dtype=np.int64)
                if (((cum[nl] + quotes) & 1) == 1).any():
                    return True  # a newline inside quotes: a value over several lines
                quotes += int(cum[-1])
            else:
                quotes += int(np.count_nonzero(data == 34))
    return cr_at_end or quotes % 2 == 1


def repair_lines(
    src: Path, dst: Path, delimiter: str, ncols: int
) -> tuple[dict[int, str], dict[int, str]]:
    """Copy `src` to `dst` blanking damaged rows; returns ({line: reason}, {line: raw text}).

    Damaged: a CR alone outside quotes; a quote that never closes (to the end of the file, or
    before a later line that looks like a whole row: as many delimiters as the header, outside
    quotes, and an even number of quotes)."""
    delim = delimiter.encode()
    bad: dict[int, str] = {}
    raw: dict[int, str] = {}
    pending: deque[tuple[int, bytes]] = deque()
    held: list[tuple[int, bytes]] = []  # the lines of an open quoted value

    def body(line: bytes) -> bytes:
        b = line[:-1] if line.endswith(b"\n") else line
        return b[:-1] if b.endswith(b"\r") else b

    def looks_like_row(line: bytes) -> bool:
        b = body(line)
        return b.count(b'"') % 2 == 0 and _delims_outside_quotes(b, delim) >= ncols - 1 > 0

    def set_aside(n: int, line: bytes, reason: str, out) -> None:
        bad[n] = reason
        raw[n] = body(line)[:2000].decode("utf-8", "replace")
        out.write(b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b"")

    with src.open("rb") as f, dst.open("wb") as out:
        source = iter(enumerate(f, start=1))
        while True:
            if pending:
                n, line = pending.popleft()
            else:
                nxt = next(source, None)
                if nxt is None:
                    break
                n, line = nxt
            b = body(line)
            if not held:
                if b"\r" in b and _cr_outside_quotes(b):
                    set_aside(n, line, CR_ALONE, out)
                    continue
                if b.count(b'"') % 2 == 1:
                    held.append((n, line))
                    continue
                out.write(line)
                continue
            # inside an open quoted value
            if looks_like_row(line):
                start = held[0]
                set_aside(start[0], start[1], QUOTE_NEVER_CLOSED, out)
                pending.extendleft(reversed([*held[1:], (n, line)]))
                held = []
                continue
            held.append((n, line))
            if b.count(b'"') % 2 == 1:  # the value closes on this line
                for _, held_line in held:
                    out.write(held_line)
                held = []
        if held:  # the end of the file inside a quoted value
            start = held[0]
            set_aside(start[0], start[1], QUOTE_NEVER_CLOSED, out)
            rest = held[1:]
            held = []
            # read what followed it as rows of their own (a second pass over a short list)
            for n, line in rest:
                b = body(line)
                if b"\r" in b and _cr_outside_quotes(b):
                    set_aside(n, line, CR_ALONE, out)
                elif b.count(b'"') % 2 == 1:
                    set_aside(n, line, QUOTE_NEVER_CLOSED, out)
                else:
                    out.write(line)
    return bad, raw


def _delims_outside_quotes(b: bytes, delim: bytes) -> int:
    if b'"' not in b:
        return b.count(delim)
    return sum(part.count(delim) for part in b.split(b'"')[0::2])


def _cr_outside_quotes(b: bytes) -> bool:
    if b'"' not in b:
        return True
    return any(b"\r" in part for part in b.split(b'"')[0::2])
