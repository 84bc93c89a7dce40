"""The load report's table as printed: counts of England's size stay apart, in their columns."""

from __future__ import annotations

import re

from frontdoor.report import ABSENT, LoadReport, TableReport


def test_eight_digit_counts_never_run_together():
    # England in one file: 55,845,612 case notes read, 55,845,600 loaded, 12 rejected.
    notes = TableReport(
        "case_notes", rows_read=55_845_612, rows_loaded=55_845_600, rows_rejected=12
    )
    person = TableReport("ssd_person", rows_read=4_000_000, rows_loaded=4_000_000)
    report = LoadReport(
        ok=True,
        source="x",
        db_path="y",
        tables={
            "case_notes": notes,
            "ssd_person": person,
            "info_requests": TableReport("info_requests", status=ABSENT),
        },
        rejected=12,
    )
    lines = report.render().splitlines()
    row = next(line for line in lines if line.startswith("case_notes"))
    # Each count is its own word: read, loaded, rejected, warnings.
    assert row.split()[1:] == ["55,845,612", "55,845,600", "12", "0"]
    total = next(line for line in lines if line.startswith("total"))
    assert total.split()[1:] == ["59,845,612", "59,845,600", "12", "0"]
    assert "absent from the extract" in next(x for x in lines if x.startswith("info_requests"))
    # The columns line up: every count ends where its heading ends.
    head = next(line for line in lines if line.startswith("table"))
    ends = [m.end() for m in re.finditer(r"\S+", head)][1:]
    assert [m.end() for m in re.finditer(r"\S+", row)][1:] == ends
    assert [m.end() for m in re.finditer(r"\S+", total)][1:] == ends
