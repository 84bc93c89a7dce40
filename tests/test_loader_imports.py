"""What a load from the command line imports: a folder of clean CSV files is loaded without
pandas (about half a second to import, in every load), which only workbooks, readers' tables,
damaged files' lines and the pages need. Run in a fresh interpreter, as `frontdoor load` is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_loader import extract

CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"

LOAD = """
import datetime as dt, json, sys
from pathlib import Path
from frontdoor import audit
from frontdoor.loader import load_extract
report = load_extract(Path(sys.argv[1]), Path(sys.argv[2]), extract_date=dt.date(2025, 3, 31))
audit.record("tester", "operator", "load", detail="a test load", outcome="allowed")
print(json.dumps({"ok": report.ok, "pandas": "pandas" in sys.modules}))
"""


def _load_apart(tmp_path: Path, source: Path) -> dict:
    env = {"FRONTDOOR_AUDIT": str(tmp_path / "audit.jsonl"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(source), str(tmp_path / "out" / "front.duckdb")],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_clean_csv_extract_loads_without_importing_pandas(tmp_path):
    source = extract(tmp_path, ssd_contacts=CONTACTS + "C1,0001,2024-01-01,a\n")
    assert _load_apart(tmp_path, source) == {"ok": True, "pandas": False}


def test_a_file_whose_lines_move_loads_with_pandas_where_it_needs_it(tmp_path):
    """A blank line moves the rows after it off their counted lines: their lines are set
    through a frame, so pandas is imported there, in a fresh interpreter, and the load holds."""
    contacts = CONTACTS + "C1,0001,2024-01-01,a\n\nC2,0001,2024-01-02,b\n"
    source = extract(tmp_path, ssd_contacts=contacts)
    assert _load_apart(tmp_path, source) == {"ok": True, "pandas": True}
