"""Text that is safe to put in a spreadsheet cell or a CSV field.

A value that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
spreadsheet programs skip before looking for one) is taken as a formula when the file is opened:
a worker's name typed as `=HYPERLINK(...)` would become a live link, and openpyxl itself writes
any string starting with `=` as a formula. `neutralise` puts a single quote in front, as Excel
does for text typed with a leading quote, so the cell shows the text as it was recorded.

This module imports nothing of the app, so the command line writers (`frontdoor.returns`) and
the app's download chokepoint can share it.
"""

from __future__ import annotations

import re

# Characters that make a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Control characters an .xlsx cannot hold (openpyxl refuses them): all below 0x20 except
# tab, line feed and carriage return.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# Text that is only a number ("-3", "+44", "1.5e3") is read as that number: nothing to run, and
# a negative number must stay a number (issue 10).
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """`text` with a leading quote when it would start a formula; otherwise (a plain number
    included) unchanged."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell_text(value: object) -> str | None:
    """A value as text for a spreadsheet cell: never a formula, no characters an .xlsx cannot
    hold (removed). None stays None (an empty cell)."""
    if value is None:
        return None
    return neutralise(_ILLEGAL_XLSX.sub("", str(value)))
