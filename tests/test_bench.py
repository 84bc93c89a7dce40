"""The bench's pandas notebook figures agree with the DuckDB measures on a generated extract."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.bench import compare_with_pandas, last_full_year
from frontdoor.cli import main
from frontdoor.generate import generate_extract
from frontdoor.loader import load_extract

START, END = dt.date(2024, 4, 1), dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def extract_and_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    extract, db = root / "extract", root / "bench.duckdb"
    generate_extract(extract, seed=7, children=800, start=START, end=END, fmt="csv")
    report = load_extract(extract, db, synthetic=True, extract_date=END)
    assert report.ok, report.render()
    return extract, db


def test_pandas_and_duckdb_give_the_same_figures(extract_and_db):
    extract, db = extract_and_db
    date_from, date_to = last_full_year(END)
    comparisons = compare_with_pandas(extract, db, date_from, date_to)
    assert [c.name for c in comparisons] == [
        "(a) assessment duration",
        "(b) re-referrals in 12 months",
        "(c) caseload by child",
    ]
    for c in comparisons:
        assert c.match, f"{c.name}: DuckDB {c.duckdb_value} != pandas {c.pandas_value}"
    assessments, referrals, caseloads = (c.pandas_value for c in comparisons)
    # The comparison is only worth something if there is something to compare.
    assert assessments["completed"] > 50 and assessments["median_wd"] is not None
    assert referrals["referrals"] > 50 and referrals["rereferral_12m_pct"] > 0
    assert len(caseloads) > 3 and sum(caseloads.values()) > 50


def test_a_changed_figure_is_a_mismatch(extract_and_db):
    extract, db = extract_and_db
    comparison = compare_with_pandas(extract, db, *last_full_year(END))[0]
    comparison.pandas_value = {**comparison.pandas_value, "completed": -1}
    assert not comparison.match


def test_the_bench_command_reports_match_and_appends_markdown(tmp_path, capsys):
    out = tmp_path / "results.md"
    code = main(
        ["bench", "--children", "300", "--years", "2", "--workdir", str(tmp_path / "w")]
        + ["--out", str(out), "--no-sample"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "MISMATCH" not in printed and printed.count("MATCH") >= 3
    text = out.read_text()
    assert "Machine: CPU" in text
    assert "| rows: ssd_cin_episodes |" in text
    assert "| page: front door (s) |" in text
    # Every menu page was run as the server runs it, cold and warm, without an exception.
    assert "| page | 300 cold | 300 warm |" in text
    for label in ("Overview", "Front door", "Caseloads", "Audit log"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
        assert "(" not in row and "n/a" not in row, row
