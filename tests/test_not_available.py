"""Not available is never 0 (docs/measures.md "More of the letter"): a figure that cannot be
computed is null with its reason, in the engine, the summary JSON and the tiles; and the
working-day calendar covers every date of a loaded extract."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from frontdoor.calendar import FIRST_DAY, LAST_DAY
from frontdoor.cli import main
from frontdoor.value_rules import OUT_OF_RANGE_DATE, OUT_OF_RANGE_LENIENT_DATE
from metrics import get
from metrics.engine import Engine
from metrics.filters import Filters
from metrics.measure import NOTHING_TO_COMPUTE
from tests.conftest import REPO
from tests.test_loader import extract, issues, load, query, rejected
from tests.test_metrics_assessments import WINTER, workers_extract

D = dt.date


def _path(con: duckdb.DuckDBPyConnection) -> str:
    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return path


def _summary(capsys, db: str, date_from: str, date_to: str, *extra: str) -> dict:
    code = main(["summary", "--db", db, "--from", date_from, "--to", date_to, "--json", *extra])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


# ------------------------------------------------------------------ unqualified share


def test_unqualified_share_without_the_staff_table_is_not_available(make_db, capsys):
    tables = workers_extract()
    del tables["ssd_professionals"]  # absent from the extract
    con = make_db(tables)
    engine = Engine(con)
    measure = get("assessments")
    figures = engine.headline(measure, WINTER)
    # Four assessments completed (see workers_extract); without the staff table no worker's
    # qualification is known: not 0% unqualified, and not "4 workers unknown" either.
    assert figures["completed"] == 4
    assert figures["unqualified_pct"] is None
    assert figures["worker_unknown"] is None
    assert engine.figure_reason(measure, "unqualified_pct", None) == "needs ssd_professionals"
    summary = _summary(capsys, _path(con), "2025-12-01", "2026-01-31")
    assert summary["assessments"]["completed"] == 4
    assert summary["assessments"]["unqualified_pct"] is None
    assert summary["unavailable"]["assessments.unqualified_pct"] == "needs ssd_professionals"
    assert summary["unavailable"]["assessments.worker_unknown"] == "needs ssd_professionals"


def test_unqualified_share_with_no_known_worker_is_not_available(make_db, capsys):
    con = make_db(workers_extract())
    engine = Engine(con)
    measure = get("assessments")
    # 5 Jan 2026 alone: only B4, whose worker W9 is not in ssd_professionals.
    jan5 = Filters(D(2026, 1, 5), D(2026, 1, 5))
    figures = engine.headline(measure, jan5)
    assert (figures["completed"], figures["worker_unknown"]) == (1, 1)
    assert figures["unqualified_pct"] is None
    reason = engine.figure_reason(measure, "unqualified_pct", figures["unqualified_pct"])
    assert "no assessment completed in this period has a worker found" in reason
    # The winter as a whole: B2, B3 unqualified of B1..B4 = 50% (hand-worked in
    # test_metrics_assessments), so the share is given and nothing is said.
    assert engine.headline(measure, WINTER)["unqualified_pct"] == 50.0
    assert engine.figure_reason(measure, "unqualified_pct", 50.0) is None
    summary = _summary(capsys, _path(con), "2026-01-05", "2026-01-05")
    assert summary["assessments"]["unqualified_pct"] is None
    assert summary["assessments"]["worker_unknown"] == 1
    assert "worker found" in summary["unavailable"]["assessments.unqualified_pct"]


# ------------------------------------------------------------- contact decisions


def _contacts(with_outcome: bool) -> dict[str, list[dict]]:
    rows = [
        # Mon 2 Jun, Tue 3 Jun, Wed 4 Jun 2025 (police source on the second), no decision dates.
        {"cont_contact_id": "C1", "cont_person_id": "P1", "cont_contact_date": D(2025, 6, 2)},
        {
            "cont_contact_id": "C2",
            "cont_person_id": "P1",
            "cont_contact_date": D(2025, 6, 3),
            "cont_contact_source_code": "6",
        },
        {"cont_contact_id": "C3", "cont_person_id": "P1", "cont_contact_date": D(2025, 6, 4)},
    ]
    if with_outcome:
        # One decided contact in March (outside the June period): the source records them.
        rows.append(
            {
                "cont_contact_id": "C0",
                "cont_person_id": "P1",
                "cont_contact_date": D(2025, 3, 3),
                "cont_outcome_date": D(2025, 3, 3),
            }
        )
    return {"ssd_person": [{"pers_person_id": "P1"}], "ssd_contacts": rows}


def test_no_decision_dates_at_all_make_decisions_not_available(make_db, capsys):
    """Annex A's contacts have no decision date: the share and "no decision recorded" are not
    available (not 0%, and not "3 with no decision"); the count of contacts still is."""
    con = make_db(_contacts(with_outcome=False))
    engine = Engine(con)
    june = Filters(D(2025, 6, 1), D(2025, 6, 30))
    contacts = engine.headline(get("contacts"), june)
    assert contacts["count"] == 3
    assert contacts["decided_within_target_pct"] is None
    assert contacts["no_decision_recorded"] is None
    police = engine.headline(get("police"), june)
    assert police["contacts"] == 1  # C2, source code 6
    assert police["no_decision_recorded"] is None
    summary = _summary(capsys, _path(con), "2025-06-01", "2025-06-30")
    assert summary["contacts"] == {
        "count": 3,
        "decided_within_target_pct": None,
        "no_decision_recorded": None,
    }
    for name in (
        "contacts.decided_within_target_pct",
        "contacts.no_decision_recorded",
        "police.decided_within_target_pct",
    ):
        assert "contact decision dates" in summary["unavailable"][name], name
        assert "Annex A" in summary["unavailable"][name], name


def test_decision_dates_in_the_extract_make_undecided_contacts_countable(make_db, capsys):
    con = make_db(_contacts(with_outcome=True))
    summary = _summary(capsys, _path(con), "2025-06-01", "2025-06-30")
    # The extract records decisions (C0, in March): June's three are "no decision recorded",
    # and with none decided in June the share is null, said why.
    assert summary["contacts"] == {
        "count": 3,
        "decided_within_target_pct": None,
        "no_decision_recorded": 3,
    }
    assert summary["unavailable"]["contacts.decided_within_target_pct"] == NOTHING_TO_COMPUTE
    assert "contacts.no_decision_recorded" not in summary["unavailable"]


# ------------------------------------------------------------------- the calendar


def test_an_as_of_date_outside_the_calendar_is_not_available(make_db, capsys):
    con = make_db(workers_extract())  # calendar 2000-2035, as the tests' databases have it
    engine = Engine(con)
    late = Filters(D(2036, 1, 1), D(2036, 3, 31))
    reason = engine.outside_calendar(get("assessments_overdue"), late)
    assert "working-day calendar runs from 1 Jan 2000 to 31 Dec 2035" in reason
    assert engine.outside_calendar(get("assessments_overdue"), WINTER) is None
    summary = _summary(capsys, _path(con), "2036-01-01", "2036-03-31")
    # Working days cannot be counted to 31 Mar 2036: every assessment figure is not available
    # (the open-and-overdue count would otherwise be 0 for want of ages).
    assert summary["assessments"]["open_overdue"] is None
    assert "working-day calendar" in summary["unavailable"]["assessments"]


def test_the_calendar_covers_every_date_of_the_extract(tmp_path):
    # A referral in 1998 and a close date in 2037 (after the extract date: a data issue, kept).
    src = extract(
        tmp_path,
        ssd_cin_episodes=(
            "cine_referral_id,cine_person_id,cine_referral_date,cine_close_date\n"
            "R1,0001,1998-04-09,2037-12-29\n"
            "R2,0002,2024-02-01,\n"
        ),
    )
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    first, last = query(db, "SELECT min(date), max(date) FROM calendar")[0]
    assert first == D(1998, 4, 9) < FIRST_DAY
    assert last == D(2037, 12, 29) + dt.timedelta(days=366) > LAST_DAY
    con = duckdb.connect(str(db), read_only=True)
    try:
        # Thu 9 Apr 1998 -> Tue 14 Apr: Good Friday 10th and Easter Monday 13th are bank
        # holidays, so 1 working day (the 14th). Thu 24 Dec 2037 -> Tue 29 Dec: Christmas Fri
        # 25th, Boxing Day Sat 26th with its substitute Mon 28th: 1 working day (the 29th).
        assert con.execute(
            "SELECT wd_between(DATE '1998-04-09', DATE '1998-04-14'), "
            "wd_between(DATE '2037-12-24', DATE '2037-12-29')"
        ).fetchone() == (1, 1)
        assert con.execute(
            "SELECT wd_between(cine_referral_date, cine_close_date) IS NOT NULL "
            "FROM ssd_cin_episodes WHERE cine_referral_id = 'R1'"
        ).fetchone() == (True,)
    finally:
        con.close()


def test_dates_before_1900_or_after_2100_are_not_read(tmp_path):
    src = extract(
        tmp_path,
        ssd_person=(
            "pers_person_id,pers_dob\n"
            "0001,0215-01-02\n"  # a typing error: the child is kept, the date left missing
            "0002,2016-04-03\n"
            "0003,2016-04-05\n"
        ),
        ssd_cin_episodes=(
            "cine_referral_id,cine_person_id,cine_referral_date\n"
            "R1,0001,2204-01-05\n"  # a typing error in a defining date: the row is rejected
            "R2,0002,2024-02-01\n"
        ),
    )
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    assert rejected(db, "ssd_cin_episodes") == [
        (2, "cine_referral_date", "2204-01-05", OUT_OF_RANGE_DATE)
    ]
    assert (2, "0001", "pers_dob", "0215-01-02", OUT_OF_RANGE_LENIENT_DATE) in issues(
        db, "ssd_person"
    )
    assert query(db, "SELECT pers_dob FROM ssd_person WHERE pers_person_id = '0001'") == [(None,)]
    assert query(db, "SELECT min(date), max(date) FROM calendar")[0] == (FIRST_DAY, LAST_DAY)


# ------------------------------------------------------------------------------ tiles


def test_front_door_tiles_say_n_a_with_the_reason(app_env, tmp_path, monkeypatch):
    """The sample with its contact decision dates removed (as Annex A has none): the front
    door's decision tiles show "n/a" and why, never 0% or every contact as undecided."""
    import shutil

    from streamlit.testing.v1 import AppTest

    db = tmp_path / "annex_like.duckdb"
    shutil.copy(app_env, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE ssd_contacts SET cont_outcome_date = NULL")
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/front_door.py").run()
    assert not at.exception, [str(e.value) for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["No decision recorded"] == "n/a"
    assert shown["Contacts"] not in ("n/a", "0")
    said = " ".join(str(c.value) for c in at.caption).replace("\\", "")  # Markdown escapes
    assert "Not available: needs contact decision dates" in said


def test_downloads_say_n_a_with_the_reason(make_db):
    """A measure's frames mark the aggregates the extract cannot give; the download of such a
    frame says "n/a — reason" in those cells (the chart reads the frame itself)."""
    from metrics.engine import with_reasons

    engine = Engine(make_db(_contacts(with_outcome=False)))
    june = Filters(D(2025, 6, 1), D(2025, 6, 30))
    monthly = engine.monthly(get("contacts"), june)
    assert list(monthly["count"]) == [3]
    said = with_reasons(monthly)
    assert (
        said["decided_within_target_pct"].iloc[0].startswith("n/a — needs contact decision dates")
    )
    assert said["no_decision_recorded"].iloc[0].startswith("n/a — needs contact decision dates")
    assert list(said["count"]) == [3]  # what can be given is as it was
    assert monthly["no_decision_recorded"].isna().all()  # the frame itself: NULL, not 0
    csv = said.to_csv(index=False)
    assert "n/a — needs contact decision dates" in csv
    by_day = engine.grouped(get("police"), june, ["contact_date"])
    assert with_reasons(by_day)["no_decision_recorded"].iloc[0].startswith("n/a — ")
