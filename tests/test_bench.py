"""The bench's pandas notebook figures agree with the DuckDB measures on a generated extract."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bench.common import last_full_year
from bench.pandas_check import compare_with_pandas
from bench.server_pages import menu_pages
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
    # Every query's time, and what a snapshot trend costs in headlines (a ratio, not asserted).
    assert "| headline | monthly | breakdown | rows | monthly / headline |" in text
    row = next(
        line for line in text.splitlines() if line.startswith("| allocation | unallocated |")
    )
    assert row.rstrip(" |").endswith("x"), row


@pytest.mark.browser
def test_the_bench_times_every_menu_page_in_a_browser(tmp_path, capsys):
    from bench.browser import missing

    needs = missing()
    if needs:
        message = f"frontdoor bench --browser needs {needs}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "results.md"
    code = main(
        ["bench", "--children", "300", "--years", "2", "--workdir", str(tmp_path / "w")]
        + ["--out", str(out), "--no-sample", "--no-pages", "--browser"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    text = out.read_text()
    assert "Pages in a browser" in text
    assert "| page | 300 first | 300 second |" in text
    lines = text.splitlines()
    table = lines[lines.index("| page | 300 first | 300 second |") :]
    for _, label in menu_pages():
        row = next((line for line in table if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no browser row for {label}"
        # Drawn, twice, without an exception or a timeout (no timings asserted).
        assert "(" not in row and "n/a" not in row, row
    assert "A new server's first session" in text


def test_without_a_browser_the_bench_says_what_to_install(tmp_path, capsys, monkeypatch):
    import bench.browser

    monkeypatch.setattr(bench.browser, "missing", lambda: "Debian's Chromium (apt)")
    out = tmp_path / "results.md"
    code = main(
        ["bench", "--children", "300", "--years", "2", "--workdir", str(tmp_path / "w")]
        + ["--out", str(out), "--no-sample", "--no-pages", "--browser"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "no browser times, this needs Debian's Chromium (apt)" in printed
    assert "Pages in a browser: not timed (needs Debian's Chromium (apt))." in out.read_text()


def test_the_bench_drives_people_at_once_against_one_server(tmp_path, capsys):
    out = tmp_path / "results.md"
    code = main(
        ["bench", "--children", "300", "--years", "2", "--workdir", str(tmp_path / "w")]
        + ["--out", str(out), "--no-sample", "--no-pages", "--concurrent", "3", "--think", "0"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    text = out.read_text()
    assert "People at once" in text
    row = next(line for line in text.splitlines() if line.startswith("| 300 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    people, think, runs, errors = cells[1], cells[2], int(cells[3]), cells[7]
    # 3 people, no pause, each the Overview and every other menu page: no error, every time
    # measured (no timings asserted).
    others = len([p for p in menu_pages() if p[0] != "app.py"])
    assert (people, think, runs, errors) == ("3", "0", 3 * (1 + others), "0")
    assert "n/a" not in row, row


def test_the_bench_with_nothing_to_time_says_what_to_give(tmp_path, capsys):
    code = main(["bench", "--children", "--no-sample", "--workdir", str(tmp_path / "w")])
    printed = capsys.readouterr().out
    assert code == 2
    assert "Give a size with --children" in printed


def test_a_sample_only_report_has_the_sample_pages_and_no_size_tables():
    # `frontdoor bench --children` (no size): the report is the sample's page times alone, with
    # no empty table of sizes and no pandas comparison.
    import datetime as dt

    from bench.report import render
    from bench.server_pages import PageTime
    from bench.sizes import SamplePages

    sample = SamplePages(
        5000,
        dt.date(2021, 4, 1),
        dt.date(2026, 3, 31),
        pages=[PageTime("app.py", "Overview", 0.5, 0.1)],
    )
    text = render([], {"CPU": "test"}, 5, sample)
    assert "The built-in sample only" in text
    assert "| Overview |" in text
    assert "rows: all tables" not in text and "pandas" not in text


def test_the_bench_sample_is_taken_on_the_makefiles_date(tmp_path):
    # The sample's pages are timed on the database `make run` makes: extract taken on 31 March
    # 2026 (the Makefile's SAMPLE_END), so the default period is the data's last 12 months. A
    # sample loaded as if taken today would time pages over months with no data.
    import duckdb

    from bench.sizes import sample_pages

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "SAMPLE_END := 2026-03-31" in makefile
    sample_pages(tmp_path, pages=False)
    con = duckdb.connect(str(tmp_path / "sample-5000.duckdb"), read_only=True)
    try:
        taken = con.execute("SELECT value FROM load_meta WHERE key = 'extract_date'").fetchone()
    finally:
        con.close()
    assert taken[0][:10] == "2026-03-31"
