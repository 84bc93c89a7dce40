"""Shared fixtures: small hand-built databases with the loaded extract's exact shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from frontdoor.calendar import create_calendar
from frontdoor.facts import build_facts
from frontdoor.schema import SQL_TYPES, TABLES

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def build_db(path: Path, tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
    """A database as the loader leaves it: calendar, every schema table (empty where the extract
    had none, and then marked absent in load_report), rows given as dicts of column -> value,
    and the facts built from them (frontdoor/facts).

    Tables not named in `tables` are absent; name a table with [] for present-but-empty.
    """
    con = duckdb.connect(str(path))
    create_calendar(con)
    con.execute(
        "CREATE TABLE load_report (table_name VARCHAR, file VARCHAR, status VARCHAR, "
        "rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, warnings BIGINT)"
    )
    for table in TABLES.values():
        cols = ", ".join(f"{c} {SQL_TYPES[kind]}" for c, kind in table.columns.items())
        con.execute(f"CREATE TABLE {table.name} ({cols})")
        rows = tables.get(table.name)
        status = "absent" if rows is None else "loaded"
        for row in rows or []:
            unknown = set(row) - set(table.columns)
            assert not unknown, f"{table.name}: unknown columns {unknown}"
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(row.values()))
        con.execute(
            "INSERT INTO load_report VALUES (?, ?, ?, ?, ?, 0, 0)",
            [table.name, f"{table.name}.csv", status, len(rows or []), len(rows or [])],
        )
    build_facts(con)  # the loader's last step: the derived tables the measures read
    return con


def allocation(iid, worker, team, start, end=None, person="C1") -> dict:
    """An allocated-case-worker involvement of `person` (ssd_involvements), as the facts' and the
    lists' hand-worked extracts write them."""
    return {
        "invo_involvements_id": iid,
        "invo_person_id": person,
        "invo_professional_id": worker,
        "invo_professional_role_id": "Allocated Case Worker",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
    }


def small_family(
    first: str,
    second: str,
    *,
    worker_name: str,
    team_name: str,
    category: str,
    source_desc: str | None = None,
) -> dict[str, list[dict]]:
    """Two siblings: the first referred on 1 Sep 2025, allocated to W1 in team T1 on 3 Sep,
    on a CP plan from 1 Oct; for page tests that need a whole but tiny extract. The text values
    are the caller's (names to hide, hostile markup to show as itself)."""
    d = dt.date
    referral = {
        "cine_referral_id": "R1",
        "cine_person_id": first,
        "cine_referral_date": d(2025, 9, 1),
        "cine_referral_team": "T1",
        "cine_referral_worker_id": "W1",
    }
    if source_desc is not None:
        referral["cine_referral_source_desc"] = source_desc
    return {
        "ssd_person": [
            {"pers_person_id": first, "pers_sex": "F", "pers_dob": d(2014, 5, 1)},
            {"pers_person_id": second, "pers_sex": "M", "pers_dob": d(2016, 5, 1)},
        ],
        "ssd_family": [
            {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": first},
            {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": second},
        ],
        "ssd_cin_episodes": [referral],
        "ssd_involvements": [
            {
                "invo_involvements_id": "I1",
                "invo_professional_id": "W1",
                "invo_professional_role_id": "Allocated Case Worker",
                "invo_professional_team": "T1",
                "invo_involvement_start_date": d(2025, 9, 3),
                "invo_person_id": first,
                "invo_referral_id": "R1",
            }
        ],
        "ssd_professionals": [
            {"prof_professional_id": "W1", "prof_professional_name": worker_name}
        ],
        "ssd_department": [{"dept_team_id": "T1", "dept_team_name": team_name}],
        "ssd_cp_plans": [
            {
                "cppl_cp_plan_id": "P1",
                "cppl_person_id": first,
                "cppl_cp_plan_start_date": d(2025, 10, 1),
                "cppl_cp_plan_initial_category": category,
            }
        ],
        "ssd_cp_reviews": [],
    }


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[[dict[str, list[dict]]], duckdb.DuckDBPyConnection]:
    """Build a real DuckDB file in tmp_path from hand-written rows (see build_db)."""
    made: list[duckdb.DuckDBPyConnection] = []

    def make(tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
        con = build_db(tmp_path / f"t{len(made)}.duckdb", tables)
        made.append(con)
        return con

    yield make
    for con in made:
        con.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in synthetic authority as `make run` builds it (3 years, 5,000 children),
    generated and loaded once per test session. Pages are tested on this."""
    import datetime as dt

    from frontdoor.generate import generate_extract
    from frontdoor.loader import load_extract

    root = tmp_path_factory.mktemp("sample")
    generate_extract(
        root / "extract",
        seed=2010,
        children=5000,
        start=dt.date(2023, 4, 1),
        end=dt.date(2026, 3, 31),
    )
    db = root / "sample.duckdb"
    report = load_extract(root / "extract", db, synthetic=True, extract_date=dt.date(2026, 3, 31))
    assert report.ok, report.render()
    return db


@pytest.fixture
def app_env(sample_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the app (AppTest runs it in this process) at the sample database, with an audit
    log of the test's own (never the repository's data/audit.jsonl)."""
    monkeypatch.setenv("FRONTDOOR_DB", str(sample_db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.chdir(REPO)
    return sample_db


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through one Playwright for the whole session (a second sync
    Playwright cannot start while one runs); skipped when missing, failed on CI."""
    import os

    from bench.browser import launch, missing

    needs = missing()
    if needs is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"needs {needs}")
        pytest.skip(f"needs {needs}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
