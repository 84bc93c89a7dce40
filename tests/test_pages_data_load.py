"""The Data page when a load stops: the page says so in plain words, with the file, the line and
what to do, and the database in use is left byte for byte (streamlit.testing AppTest, the real
loader, a real DuckDB file)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_stopped_load_says_where_and_what_to_do_and_keeps_the_data(
    app_env, tmp_path, monkeypatch
):
    db = tmp_path / "in_use.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    before = _digest(db)
    # The sample's extract, as SQL Server Management Studio exports it by default: no value
    # quoted, so a comma inside a text value splits it (a contact source "Police, north" on the
    # file's line 4).
    src = tmp_path / "extract"
    shutil.copytree(app_env.parent / "extract", src)
    contacts = src / "ssd_contacts.csv"
    lines = contacts.read_text(encoding="utf-8").splitlines()
    assert '"' not in "\n".join(lines)  # the generated file quotes nothing
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("cont_contact_source_desc")] = "Police, north"
    lines[3] = ",".join(row)
    contacts.write_text("\n".join(lines) + "\n", encoding="utf-8")

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/data.py").run()
    at.text_input(key="data_folder").input(str(src))
    [b for b in at.button if b.label == "Load"][0].click().run()
    assert not at.exception, [str(e.value) for e in at.exception]
    assert any(
        "The load stopped: the data loaded before is still in use." in e.value for e in at.error
    )
    report = "\n".join(c.value for c in at.code)
    assert "LOAD STOPPED" in report
    # Where: the file and the line; why, in plain words; what to do.
    assert "ssd_contacts.csv" in report
    assert "first on line 4" in report
    assert "no value in the file is quoted" in report
    assert "Quote strings containing list separators" in report
    # Nothing changed: the database in use, byte for byte, and no file left beside it.
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".in_use")) == []
