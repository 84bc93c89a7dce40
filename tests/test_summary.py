"""`frontdoor summary`: the real command on small hand-built database files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from frontdoor.cli import main
from metrics import MEASURES
from metrics.summary import SUMMARY_FIELDS, shown

D = dt.date

EXPECTED_KEYS = {
    "period": {"from", "to", "as_of"},
    "contacts": {"count", "decided_within_target_pct", "no_decision_recorded"},
    "referrals": {"count", "rereferral_12m_pct", "nfa_pct"},
    "allocation": {"cohort", "median_wd", "within_target_pct", "unallocated_open"},
    "assessments": {
        "completed",
        "median_wd",
        "p25_wd",
        "p75_wd",
        "within_target_pct",
        "from_referral_median_wd",
        "open_overdue",
        "unqualified_pct",
        "worker_unknown",
    },
    "seen": {"cohort", "median_wd", "within_target_pct", "not_yet_seen_open"},
    "caseload": {
        "workers",
        "children",
        "families",
        "sibling_groups",
        "children_per_worker_mean",
        "children_per_worker_max",
    },
    "s47": {"count", "to_icpc_pct"},
    "icpc": {"count", "median_wd", "within_15wd_pct", "before_s47", "to_plan_pct"},
    "cp_reviews": {"cohort", "in_timescale_pct"},
    "cp_plans": {"open", "started", "ended", "repeat", "ended_2y_plus_pct"},
    "oversight": {"open_allocated", "without_oversight", "drift", "recording_within_target_pct"},
    "agencies": {"requests", "median_wd", "within_target_pct", "outstanding"},
    # The rest of the letter (issue 13): these keys exactly.
    "transfers": {"count", "median_wd", "within_target_pct", "waiting"},
    "worker_changes": {"children", "three_plus_pct"},
    "police": {"contacts", "decided_within_target_pct"},
    "domestic_abuse": {"referrals", "allocation_within_target_pct"},
    "views": {"assessments", "views_recorded_pct", "seen_alone_pct"},
    "rates": {
        "population",
        "contacts_per_10k",
        "referrals_per_10k",
        "s47_per_10k",
        "icpc_per_10k",
        "cp_plans_per_10k",
    },
}

# The measure each section reads (the contract with the catalog), for the availability checks.
SECTION_MEASURES = {
    "allocation": {"allocation", "unallocated"},
    "caseload": {"caseload", "caseload_workers"},
}


def _contact(cid, date, outcome=None):
    row = {"cont_contact_id": cid, "cont_person_id": "P1", "cont_contact_date": date}
    if outcome is not None:
        row["cont_outcome_date"] = outcome
    return row


def _referral(rid, person, date, team=None, nfa=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_team": team,
        "cine_referral_nfa": nfa,
    }


# Period 2025-04-01 .. 2025-06-30 (as-of = 30 June).
CONTACTS = [
    _contact("C0", D(2025, 3, 31), D(2025, 3, 31)),  # before the period
    # Thu 17 Apr -> Tue 22 Apr over Good Friday and Easter Monday: 1 working day, in time.
    _contact("C1", D(2025, 4, 17), D(2025, 4, 22)),
    # Tue 6 May -> Fri 9 May: 3 working days, late.
    _contact("C2", D(2025, 5, 6), D(2025, 5, 9)),
    _contact("C3", D(2025, 6, 2)),  # no decision recorded
    # Tue 10 Jun -> Wed 11 Jun: 1 working day, in time.
    _contact("C4", D(2025, 6, 10), D(2025, 6, 11)),
]
# 4 contacts; 3 decided, 2 in time = 66.666..% -> 66.7; 1 with no decision.

REFERRALS = [
    _referral("R1", "P1", D(2024, 6, 1), "TB"),  # before the period: the look-back finds it
    _referral("R2", "P1", D(2025, 5, 1), "TB"),  # re-referral; first allocated to team TA
    _referral("R3", "P2", D(2025, 4, 10), "TB", nfa=True),
    _referral("R4", "P3", D(2025, 6, 20), "TB"),
    _referral("R5", "P4", D(2025, 4, 15), "TA"),
    _referral("R6", "P5", D(2025, 6, 30), "TB"),
    _referral("R7", "P6", D(2025, 4, 1), "TA"),
]
# In the period: R2..R7 = 6 referrals; re-referral R2 = 1/6 = 16.7%; NFA R3 = 1/6 = 16.7%.
# Team TA (R2 by its first allocation, R5, R7): 3; re-referrals 1/3 = 33.3%; NFA 0.0%.

INVOLVEMENTS = [
    {
        "invo_involvements_id": "I1",
        "invo_professional_id": "W1",
        "invo_professional_role_id": " Allocated Case Worker ",
        "invo_professional_team": "TA",
        "invo_involvement_start_date": D(2025, 5, 2),
        "invo_person_id": "P1",
        "invo_referral_id": "R2",
    }
]


def _full_tables() -> dict[str, list[dict]]:
    return {
        "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 7)],
        "ssd_contacts": CONTACTS,
        "ssd_cin_episodes": REFERRALS,
        "ssd_involvements": INVOLVEMENTS,
        "ssd_professionals": [
            {"prof_professional_id": "W1", "prof_social_worker_registration_no": "SW1"}
        ],
        "ssd_department": [{"dept_team_id": "TA"}, {"dept_team_id": "TB"}],
    }


def _db_file(con) -> str:
    """Close the fixture's connection (the command opens the file read-only) and return its path."""
    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return path


@pytest.fixture
def full_db(make_db) -> str:
    return _db_file(make_db(_full_tables()))


def _summary(capsys, db: str, *extra: str) -> dict:
    code = main(["summary", "--db", db, "--from", "2025-04-01", "--to", "2025-06-30", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def _assert_shape(summary: dict) -> None:
    """Every key; every unavailable section or figure null with a reason, and a section listed
    whole only when none of its figures could be given."""
    assert set(summary) == set(EXPECTED_KEYS) | {"unavailable"}
    for section, keys in EXPECTED_KEYS.items():
        assert set(summary[section]) == keys, section
    for name, reason in summary["unavailable"].items():
        assert reason
        section, _, figure = name.partition(".")
        assert section in EXPECTED_KEYS
        if figure:
            assert figure in EXPECTED_KEYS[section], name
            assert summary[section][figure] is None, name
            assert section not in summary["unavailable"], name
        else:
            assert all(v is None for v in summary[section].values()), section


def test_the_field_table_covers_exactly_the_summary_keys():
    table: dict[str, set[str]] = {}
    for f in SUMMARY_FIELDS:
        table.setdefault(f.section, set()).add(f.figure)
    assert table == {s: k for s, k in EXPECTED_KEYS.items() if s != "period"}
    assert len({(f.section, f.figure) for f in SUMMARY_FIELDS}) == len(SUMMARY_FIELDS)


def test_rounding_is_half_up_to_one_decimal_and_counts_are_ints():
    assert shown(200 / 3, "pct") == 66.7
    assert shown(12.25, "wd") == 12.3
    assert shown(12.0, "wd") == 12.0
    assert shown(100 / 6, "pct") == 16.7
    assert shown(3.0, "count") == 3 and isinstance(shown(3.0, "count"), int)
    assert shown(None, "pct") is None


def test_front_door_figures_worked_by_hand(capsys, full_db):
    summary = _summary(capsys, full_db, "--json")
    _assert_shape(summary)
    assert summary["period"] == {"from": "2025-04-01", "to": "2025-06-30", "as_of": "2025-06-30"}
    assert summary["contacts"] == {
        "count": 4,
        "decided_within_target_pct": 66.7,
        "no_decision_recorded": 1,
    }
    assert summary["referrals"] == {"count": 6, "rereferral_12m_pct": 16.7, "nfa_pct": 16.7}
    assert isinstance(summary["contacts"]["count"], int)
    # Tables the extract lacks make their sections unavailable, never zero.
    assert "contacts" not in summary["unavailable"]
    assert "referrals" not in summary["unavailable"]
    if "s47" in MEASURES:
        assert "ssd_s47_enquiry" in summary["unavailable"]["s47"]
    else:
        assert summary["unavailable"]["s47"] == "not implemented"


def test_as_of_is_reported_and_hides_later_decisions(capsys, full_db):
    # As of 30 June, with a period ending 10 June: C4 (decided 11 June) is outside the period.
    code = main(
        ["summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-10"]
        + ["--as-of", "2025-06-30", "--json"]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["period"]["as_of"] == "2025-06-30"
    # C1, C2, C3, C4 are dated in the period; C4 decided 11 June, by as-of: same as before.
    assert summary["contacts"]["count"] == 4
    # Period ending 9 June with as-of 9 June: C4 is outside; C1 in time, C2 late -> 50.0.
    code = main(
        ["summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-09", "--json"]
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["contacts"] == {
        "count": 3,
        "decided_within_target_pct": 50.0,
        "no_decision_recorded": 1,
    }


def test_team_filter_changes_the_figures(capsys, full_db):
    summary = _summary(capsys, full_db, "--team", "TA", "--json")
    _assert_shape(summary)
    # R2 (first allocated to TA, though referred by TB), R5, R7.
    assert summary["referrals"] == {"count": 3, "rereferral_12m_pct": 33.3, "nfa_pct": 0.0}
    # Contacts carry no team: under a team filter they are not shown rather than authority-wide.
    assert summary["contacts"] == dict.fromkeys(EXPECTED_KEYS["contacts"])
    assert summary["unavailable"]["contacts"] == "not recorded by team or worker"
    tb = _summary(capsys, full_db, "--team", "TB", "--json")
    assert tb["referrals"] == {"count": 3, "rereferral_12m_pct": 0.0, "nfa_pct": 33.3}


def test_empty_cohorts_give_null_not_zero(capsys, full_db):
    code = main(
        ["summary", "--db", full_db, "--from", "2020-01-01", "--to", "2020-01-31", "--json"]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    _assert_shape(summary)
    assert summary["contacts"] == {
        "count": 0,
        "decided_within_target_pct": None,
        "no_decision_recorded": 0,
    }
    assert summary["referrals"] == {"count": 0, "rereferral_12m_pct": None, "nfa_pct": None}


def test_absent_tables_make_their_sections_unavailable(capsys, make_db):
    tables = _full_tables()
    del tables["ssd_contacts"], tables["ssd_involvements"]
    db = _db_file(make_db(tables))
    summary = _summary(capsys, db, "--json")
    _assert_shape(summary)
    assert summary["contacts"] == dict.fromkeys(EXPECTED_KEYS["contacts"])
    assert summary["unavailable"]["contacts"] == "needs ssd_contacts"
    assert summary["referrals"]["count"] == 6
    for section in ("allocation", "caseload"):
        assert all(v is None for v in summary[section].values())
        reason = summary["unavailable"][section]
        if SECTION_MEASURES[section] <= set(MEASURES):
            assert "ssd_involvements" in reason
        else:
            assert "not implemented" in reason or "ssd_involvements" in reason


def test_sections_the_source_cannot_carry_come_from_load_meta(capsys, make_db):
    con = make_db(_full_tables())
    con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
    con.execute(
        "INSERT INTO load_meta VALUES ('unavailable', ?)",
        [json.dumps({"contacts": "the CIN census has no contacts"})],
    )
    summary = _summary(capsys, _db_file(con), "--json")
    _assert_shape(summary)
    assert summary["contacts"] == dict.fromkeys(EXPECTED_KEYS["contacts"])
    assert summary["unavailable"]["contacts"] == "the CIN census has no contacts"
    assert summary["referrals"]["count"] == 6


def test_text_output_is_an_aligned_table(capsys, full_db):
    code = main(["summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-30"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["section", "figure", "value"]
    value_col = lines[0].index("value")
    contacts = next(line for line in lines if line.startswith("contacts"))
    assert contacts[value_col:].strip() == "4"
    assert any(line[value_col:].strip() == "66.7%" for line in lines)


def test_as_of_before_the_period_end_is_a_clear_error(capsys, full_db):
    code = main(
        ["summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-30"]
        + ["--as-of", "2025-06-01", "--json"]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "as-of date (2025-06-01) is before the period end (2025-06-30)" in captured.err


def test_missing_database_is_a_clear_error(capsys, tmp_path):
    code = main(
        ["summary", "--db", str(tmp_path / "nope.duckdb"), "--from", "2025-04-01"]
        + ["--to", "2025-06-30", "--json"]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert "no database file at" in captured.err and "nope.duckdb" in captured.err


def test_the_installed_command(full_db):
    exe = Path(sys.executable).with_name("frontdoor")
    result = subprocess.run(
        [str(exe), "summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-30"]
        + ["--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    _assert_shape(summary)
    assert summary["referrals"] == {"count": 6, "rereferral_12m_pct": 16.7, "nfa_pct": 16.7}


def test_a_team_not_in_the_extract_is_warned_about(capsys, full_db):
    code = main(
        ["summary", "--db", full_db, "--from", "2025-04-01", "--to", "2025-06-30"]
        + ["--team", "TZ", "--json"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["referrals"]["count"] == 0
    assert "team 'TZ' is not in ssd_department (known: TA, TB)" in captured.err


def test_the_rest_of_the_letter_and_rates_worked_by_hand(capsys, make_db, tmp_path):
    tables = _full_tables()
    # C1 (Thu 17 Apr -> Tue 22 Apr: 1 wd, in time) from the police by code; C2 (3 wd, late) by
    # its description: 2 police notifications, 1 of 2 decided in time.
    tables["ssd_contacts"] = [
        {**c, "cont_contact_source_code": "6"} if c["cont_contact_id"] == "C1" else c
        for c in CONTACTS
    ]
    tables["ssd_contacts"] = [
        {**c, "cont_contact_source_desc": "Police"} if c["cont_contact_id"] == "C2" else c
        for c in tables["ssd_contacts"]
    ]
    tables["ssd_s47_enquiry"] = [
        {"s47e_s47_enquiry_id": "S1", "s47e_person_id": "P1", "s47e_s47_start_date": D(2025, 4, 2)}
    ]
    # Wed 2 Apr -> Thu 17 Apr: 3, 4, 7-11, 14-17 = 11 wd.
    tables["ssd_initial_cp_conference"] = [
        {
            "icpc_icpc_id": "C1",
            "icpc_s47_enquiry_id": "S1",
            "icpc_person_id": "P1",
            "icpc_icpc_date": D(2025, 4, 17),
        }
    ]
    db = _db_file(make_db(tables))
    settings = tmp_path / "settings.toml"
    settings.write_text("population = 20000\n")
    summary = _summary(capsys, db, "--json", "--settings", str(settings))
    _assert_shape(summary)
    assert summary["police"] == {"contacts": 2, "decided_within_target_pct": 50.0}
    # I1 (W1, open since 2 May) is P1's only allocation: 1 child, 1 worker in 12 months.
    assert summary["worker_changes"] == {"children": 1, "three_plus_pct": 0.0}
    assert summary["s47"] == {"count": 1, "to_icpc_pct": 100.0}
    # The ICPC is timed, but with no CP plans table its conversion is not available (not 0).
    assert summary["icpc"] == {
        "count": 1,
        "median_wd": 11.0,
        "within_15wd_pct": 100.0,
        "before_s47": 0,
        "to_plan_pct": None,
    }
    assert summary["unavailable"]["icpc.to_plan_pct"] == "needs ssd_cp_plans"
    # Per 10,000 of 20,000 children: 4 contacts = 2.0, 6 referrals = 3.0, 1 S47 = 0.5,
    # 1 ICPC = 0.5; CP plans: no table.
    assert summary["rates"] == {
        "population": 20000,
        "contacts_per_10k": 2.0,
        "referrals_per_10k": 3.0,
        "s47_per_10k": 0.5,
        "icpc_per_10k": 0.5,
        "cp_plans_per_10k": None,
    }
    assert summary["unavailable"]["rates.cp_plans_per_10k"] == "needs ssd_cp_plans"
    for section in ("transfers", "domestic_abuse", "views", "cp_plans"):
        assert section in summary["unavailable"], section
    assert "ssd_cin_plans" in summary["unavailable"]["transfers"]
    assert summary["unavailable"]["views"] == "needs ssd_cin_assessments, ssd_voice_of_child"

    # No population setting: no rates, never a guess.
    plain = _summary(capsys, db, "--json")
    assert plain["rates"] == dict.fromkeys(EXPECTED_KEYS["rates"])
    assert "population setting" in plain["unavailable"]["rates"]
    # Under a team filter, rates are the authority's only; police contacts carry no team.
    team = _summary(capsys, db, "--json", "--settings", str(settings), "--team", "TA")
    _assert_shape(team)
    assert (
        team["unavailable"]["rates"] == "rates per 10,000 children are for the whole authority only"
    )
    assert team["unavailable"]["police"] == "not recorded by team or worker"
    assert team["worker_changes"] == {"children": 1, "three_plus_pct": 0.0}


def test_the_command_runs_without_pandas(full_db):
    """The summary shows no frame, so the command never imports pandas (about half its start-up
    on the bench machine): a module that needs it imports it where it makes a frame."""
    code = (
        "import sys\n"
        "from frontdoor.cli import main\n"
        f"main(['summary', '--db', {full_db!r}, '--from', '2025-04-01', '--to', '2025-06-30',"
        " '--json'])\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
