"""metrics.child on a hand-built extract: every event, timescale and action worked out by hand.

Calendar notes for 2025 (England): Good Friday 18 Apr, Easter Monday 21 Apr, early May 5 May,
spring 26 May are bank holidays. As-of is Monday 30 June 2025 throughout.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import Engine, Filters, NotPermitted, get
from metrics import child as ch

D = dt.date
AS_OF = D(2025, 6, 30)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def engine(make_db):
    con = make_db(
        {
            "ssd_person": [
                {"pers_person_id": "C1", "pers_sex": "F", "pers_dob": D(2015, 7, 1)},
                {"pers_person_id": "C2", "pers_sex": "M", "pers_dob": D(2017, 1, 9)},
                {"pers_person_id": "C3", "pers_sex": "M", "pers_dob": D(2012, 2, 2)},
            ],
            "ssd_family": [
                {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "C1"},
                {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": "C2"},
                {"fami_table_id": "3", "fami_family_id": "F2", "fami_person_id": "C3"},
            ],
            "ssd_contacts": [
                # Mon 3 Mar -> Tue 4 Mar: 1 wd, met.
                {
                    "cont_contact_id": "K1",
                    "cont_person_id": "C1",
                    "cont_contact_date": D(2025, 3, 3),
                    "cont_contact_source_desc": "School",
                    "cont_outcome_date": D(2025, 3, 4),
                },
                # Fri 7 Mar -> Tue 11 Mar: 2 wd, missed.
                {
                    "cont_contact_id": "K2",
                    "cont_person_id": "C1",
                    "cont_contact_date": D(2025, 3, 7),
                    "cont_outcome_date": D(2025, 3, 11),
                },
            ],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "C1",
                    "cine_referral_date": D(2025, 3, 10),
                    "cine_referral_team": "T1",
                    "cine_referral_worker_id": "W1",
                },
                # A person only in the referrals table (not in ssd_person).
                {
                    "cine_referral_id": "R9",
                    "cine_person_id": "GHOST",
                    "cine_referral_date": D(2025, 3, 10),
                },
            ],
            "ssd_involvements": [
                # Fri 14 Mar, 4 wd after the referral: met. No referral id: R1 is open then.
                {
                    "invo_involvements_id": "I1",
                    "invo_professional_id": "W1",
                    "invo_professional_role_id": " Allocated Case Worker ",
                    "invo_professional_team": "T1",
                    "invo_involvement_start_date": D(2025, 3, 14),
                    "invo_involvement_end_date": D(2025, 4, 30),
                    "invo_person_id": "C1",
                },
                # Next day, another worker: a worker change, not judged.
                {
                    "invo_involvements_id": "I2",
                    "invo_professional_id": "W2",
                    "invo_professional_role_id": "allocated case worker",
                    "invo_professional_team": "T1",
                    "invo_involvement_start_date": D(2025, 5, 1),
                    "invo_person_id": "C1",
                },
            ],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_name": f"Ann {SCRIPT}"},
                {"prof_professional_id": "W2", "prof_professional_name": "Bob O'Neil"},
            ],
            "ssd_department": [
                {"dept_team_id": "T1", "dept_team_name": "Team 'A'; DROP TABLE ssd_person;--"}
            ],
            "ssd_cin_assessments": [
                # Tue 11 Mar -> Tue 20 May: 14 (Mar) + 20 (Apr) + 13 (May) = 47 wd > 45: missed.
                {
                    "cina_assessment_id": "A1",
                    "cina_person_id": "C1",
                    "cina_referral_id": "R1",
                    "cina_assessment_start_date": D(2025, 3, 11),
                    "cina_assessment_auth_date": D(2025, 5, 20),
                    "cina_assessment_child_seen": True,
                    "cina_assessment_worker_id": "W1",
                    "cina_assessment_team": "T1",
                },
                # Tue 1 Apr, open at as-of: 19 + 20 + 21 = 60 wd > 45: overdue on its start.
                {
                    "cina_assessment_id": "A2",
                    "cina_person_id": "C1",
                    "cina_assessment_start_date": D(2025, 4, 1),
                    "cina_assessment_auth_date": D(2025, 7, 1),  # after as-of: not yet
                },
            ],
            "ssd_cin_visits": [
                # Thu 13 Mar: seen 3 wd after the referral: met.
                {
                    "cinv_cin_visit_id": "V1",
                    "cinv_person_id": "C1",
                    "cinv_cin_visit_date": D(2025, 3, 13),
                    "cinv_cin_visit_seen": True,
                    "cinv_cin_visit_seen_alone": False,
                },
            ],
            "ssd_cp_visits": [
                {
                    "cppv_cp_visit_id": "V4",
                    "cppv_person_id": "C1",
                    "cppv_cp_plan_id": "P1",
                    "cppv_cp_visit_date": D(2025, 4, 14),
                    "cppv_cp_visit_seen": True,
                    "cppv_cp_visit_seen_alone": False,
                },
                # 14 Apr -> 2 Jun: 31 wd between seen visits, over the 10 wd standard.
                {
                    "cppv_cp_visit_id": "V2",
                    "cppv_person_id": "C1",
                    "cppv_cp_plan_id": "P1",
                    "cppv_cp_visit_date": D(2025, 6, 2),
                    "cppv_cp_visit_seen": True,
                    "cppv_cp_visit_seen_alone": True,
                },
                {
                    "cppv_cp_visit_id": "V3",
                    "cppv_person_id": "C1",
                    "cppv_cp_plan_id": "P1",
                    "cppv_cp_visit_date": D(2025, 6, 16),
                    "cppv_cp_visit_seen": False,
                },
            ],
            "ssd_s47_enquiry": [
                {
                    "s47e_s47_enquiry_id": "S1",
                    "s47e_person_id": "C1",
                    "s47e_s47_start_date": D(2025, 4, 22),
                },
                {
                    "s47e_s47_enquiry_id": "S2",
                    "s47e_person_id": "C1",
                    "s47e_s47_start_date": D(2025, 6, 10),
                },
            ],
            "ssd_initial_cp_conference": [
                # Tue 22 Apr -> Tue 13 May: 3 + 3 + 2 + 4 + 2 = 14 wd: met.
                {
                    "icpc_icpc_id": "IC1",
                    "icpc_s47_enquiry_id": "S1",
                    "icpc_person_id": "C1",
                    "icpc_icpc_date": D(2025, 5, 13),
                    "icpc_icpc_outcome_cp_flag": True,
                },
                # Dated before its S47: a data issue, not judged.
                {
                    "icpc_icpc_id": "IC2",
                    "icpc_s47_enquiry_id": "S2",
                    "icpc_person_id": "C1",
                    "icpc_icpc_date": D(2025, 6, 5),
                },
            ],
            "ssd_cp_plans": [
                # First review due 29 Nov + 3 months = 28 Feb; held 3 Mar: late.
                {
                    "cppl_cp_plan_id": "P0",
                    "cppl_person_id": "C1",
                    "cppl_cp_plan_start_date": D(2024, 11, 29),
                    "cppl_cp_plan_end_date": D(2025, 4, 1),
                    "cppl_cp_plan_initial_category": "Neglect",
                },
                # First review due 31 Mar + 3 months = 30 Jun = as-of, not held: overdue.
                {
                    "cppl_cp_plan_id": "P1",
                    "cppl_person_id": "C1",
                    "cppl_cp_plan_start_date": D(2025, 3, 31),
                    "cppl_cp_plan_initial_category": "Emotional abuse",
                },
            ],
            "ssd_cp_reviews": [
                {
                    "cppr_cp_review_id": "RV1",
                    "cppr_person_id": "C1",
                    "cppr_cp_plan_id": "P0",
                    "cppr_cp_review_date": D(2025, 3, 3),
                },
            ],
            "case_notes": [
                # Thu 1 May -> Fri 9 May: 5 wd (5 May a holiday): met.
                {
                    "note_id": "N1",
                    "person_id": "C1",
                    "note_type": "Management_Oversight",
                    "event_date": D(2025, 5, 1),
                    "recorded_date": D(2025, 5, 9),
                    "worker_id": "W2",
                },
                # Not recorded; 16 Jun -> 30 Jun = 10 wd > 5: missed.
                {
                    "note_id": "N2",
                    "person_id": "C1",
                    "note_type": "other",
                    "event_date": D(2025, 6, 16),
                    "worker_id": "W2",
                },
            ],
            "info_requests": [
                {
                    "request_id": "Q1",
                    "person_id": "C1",
                    "agency": "Police",
                    "requested_date": D(2025, 6, 2),
                    "responded_date": D(2025, 6, 5),
                },
                # Fri 20 Jun -> Mon 30 Jun: 6 wd outstanding, past 5.
                {
                    "request_id": "Q2",
                    "person_id": "C1",
                    "agency": "Health",
                    "requested_date": D(2025, 6, 20),
                },
            ],
        }
    )
    return Engine(con)


def _row(frame, kind, record_id):
    rows = frame[(frame["kind"] == kind) & (frame["record_id"] == record_id)]
    assert len(rows) == 1, (kind, record_id, frame[["kind", "record_id"]].to_dict("records"))
    return rows.iloc[0]


def test_chronology_events_and_timescales(engine):
    chron = ch.chronology(engine, "C1", AS_OF)
    assert list(chron.columns) == ch.CHRONOLOGY_COLUMNS
    assert list(chron["date"]) == sorted(chron["date"])
    assert all(d <= AS_OF for d in chron["date"])

    def check(kind, record_id, date, days, met):
        row = _row(chron, kind, record_id)
        assert row["date"] == date, (kind, record_id)
        got_days = (
            None
            if row["days"] is None or row["days"] is chron["days"].dtype.na_value
            else int(row["days"])
        )
        assert got_days == days, (kind, record_id, row["days"])
        assert row["met"] is met, (kind, record_id, row["met"])

    check(ch.CONTACT, "K1", D(2025, 3, 3), 1, True)
    check(ch.CONTACT, "K2", D(2025, 3, 7), 2, False)
    check(ch.ALLOCATION_START, "I1", D(2025, 3, 14), 4, True)
    check(ch.WORKER_CHANGE, "I2", D(2025, 5, 1), None, None)
    check(ch.ALLOCATION_END, "I1", D(2025, 4, 30), None, None)
    check(ch.ASSESSMENT_AUTHORISED, "A1", D(2025, 5, 20), 47, False)
    check(ch.ASSESSMENT_START, "A1", D(2025, 3, 11), None, None)
    check(ch.ASSESSMENT_START, "A2", D(2025, 4, 1), 60, False)
    assert not ((chron["kind"] == ch.ASSESSMENT_AUTHORISED) & (chron["record_id"] == "A2")).any()
    check(ch.VISIT_SEEN, "V1", D(2025, 3, 13), 3, True)
    check(ch.VISIT_SEEN, "V4", D(2025, 4, 14), None, None)
    check(ch.VISIT_SEEN_ALONE, "V2", D(2025, 6, 2), None, None)
    check(ch.VISIT_NOT_SEEN, "V3", D(2025, 6, 16), None, None)
    check(ch.S47, "S1", D(2025, 4, 22), None, None)
    check(ch.ICPC, "IC1", D(2025, 5, 13), 14, True)
    check(ch.ICPC, "IC2", D(2025, 6, 5), None, None)
    assert "before its S47" in _row(chron, ch.ICPC, "IC2")["detail"]
    check(ch.CP_PLAN_START, "P0", D(2024, 11, 29), None, None)
    check(ch.CP_PLAN_END, "P0", D(2025, 4, 1), None, None)
    review = _row(chron, ch.CP_REVIEW, "RV1")
    assert review["date"] == D(2025, 3, 3) and review["met"] is False
    assert "28 Feb 2025" in review["target"]
    check(ch.CP_REVIEW_OVERDUE, "P1", D(2025, 6, 30), None, False)
    check(ch.CASE_NOTE, "N1", D(2025, 5, 1), 5, True)
    check(ch.CASE_NOTE, "N2", D(2025, 6, 16), 10, False)
    check(ch.INFO_RESPONSE, "Q1", D(2025, 6, 5), 3, True)
    check(ch.INFO_REQUEST, "Q1", D(2025, 6, 2), None, None)
    check(ch.INFO_REQUEST, "Q2", D(2025, 6, 20), 6, False)
    check(ch.REFERRAL, "R1", D(2025, 3, 10), None, None)
    # Names, not ids, and the text kept as it is (escaping is the renderer's job).
    assert _row(chron, ch.ALLOCATION_START, "I1")["worker"] == f"Ann {SCRIPT}"
    assert _row(chron, ch.WORKER_CHANGE, "I2")["team"] == "Team 'A'; DROP TABLE ssd_person;--"


def test_nothing_after_as_of(engine):
    chron = ch.chronology(engine, "C1", D(2025, 3, 12))
    assert set(chron["record_id"]) == {"K1", "K2", "R1", "A1", "P0", "RV1"}
    # On 12 Mar the assessment is open (1 wd): no timescale yet; P0's review was late.
    assert _row(chron, ch.ASSESSMENT_START, "A1")["met"] is None


def test_profile(engine):
    prof = ch.profile(engine, "C1", AS_OF)
    assert prof["in_person_table"] is True
    assert prof["age"] == 9  # born 1 Jul 2015, the day before her 10th birthday
    assert prof["family_id"] == "F1"
    assert prof["open_cp_plan_id"] == "P1"
    assert prof["allocated_worker"] == "Bob O'Neil"
    assert prof["open_referral_id"] == "R1"
    ghost = ch.profile(engine, "GHOST", AS_OF)
    assert ghost is not None and ghost["in_person_table"] is False
    assert ch.profile(engine, "NOBODY", AS_OF) is None
    assert ch.profile(engine, "' OR 1=1 --", AS_OF) is None


def test_siblings_and_workers(engine):
    sibs = ch.siblings(engine, "C1")
    assert list(sibs["person_id"]) == ["C2"]
    assert ch.siblings(engine, "C3").empty
    assert ch.siblings(engine, "NOBODY").empty
    w = ch.workers(engine, "C1", AS_OF)
    allocated = w[w["role"].str.lower().str.strip() == "allocated case worker"]
    assert set(allocated["worker_id"]) == {"W1", "W2"}
    current = w[w["current"]]
    assert list(current["worker_id"].unique()) == ["W2"]
    assert "Assessment worker" in set(w["role"])


def test_review_pack(engine):
    pack = ch.review_pack(engine, "C1", AS_OF)
    kinds = [a["kind"] for a in pack["actions"]]
    assert "review_overdue" in kinds
    assert "not_seen" in kinds  # last seen 2 Jun, 20 wd before as-of > 10
    assert "no_oversight" in kinds  # last oversight 1 May, 40 wd before as-of > 20
    assert "overdue_assessment" in kinds
    agency = [a["text"] for a in pack["actions"] if a["kind"] == "agency_request"]
    assert len(agency) == 1 and "Health" in agency[0] and "6 working days" in agency[0]
    assert pack["next_review"]["plan_id"] == "P1"
    assert pack["next_review"]["overdue"] is True
    reviews = pack["reviews"]
    assert list(reviews["status"]) == ["held late", "overdue"]
    # Visits since the latest plan started (31 Mar): V4, V2, V3.
    visits = pack["visits"]
    assert [d for d in visits["date"]] == [D(2025, 4, 14), D(2025, 6, 2), D(2025, 6, 16)]
    assert visits["gap_wd"].iloc[1] == 31 and visits["over_standard"].iloc[1]
    s = pack["visit_summary"]
    assert (s["visits"], s["seen"], s["seen_alone"], s["longest_gap_wd"]) == (3, 2, 1, 31)
    assert s["gaps_over_standard"] == 1
    plans = pack["plans"].set_index("plan_id")
    assert plans.loc["P1", "repeat"] and not plans.loc["P0", "repeat"]
    t = pack["timeliness"].set_index("timescale")
    assert (t.loc["Contact decision", "met"], t.loc["Contact decision", "missed"]) == (1, 1)
    assert t.loc["CP review", "missed"] == 2
    assert list(pack["siblings"]["person_id"]) == ["C2"]


def test_review_pack_conferences_and_since_the_last_one(engine):
    pack = ch.review_pack(engine, "C1", AS_OF)
    enquiries = pack["enquiries"]
    assert list(enquiries["enquiry"]) == ["S1", "S2"]
    assert list(enquiries["outcome"]) == [
        "Initial conference on 13 May 2025",  # IC1 names S1
        "Initial conference on 5 Jun 2025",  # IC2 names S2 (dated before it: a data issue)
    ]
    conf = pack["conferences"]
    assert list(zip(conf["date"], conf["conference"], strict=True)) == [
        (D(2025, 3, 3), "Review 1"),
        (D(2025, 5, 13), "Initial conference"),
        (D(2025, 6, 5), "Initial conference"),
    ]
    # RV1 of P0 on 3 Mar: P0 stayed open to 1 Apr, so the plan continued; its category.
    assert conf.loc[0, "decision"] == "Plan continued (from the plan's dates)"
    assert conf.loc[0, "category"] == "Neglect"
    assert conf.loc[0, "timeliness"] == "Late (due 28 Feb 2025)"
    # IC1: a plan; 22 Apr -> 13 May is 14 wd, within 15. IC2: no decision recorded, not timed.
    assert conf.loc[1, "decision"] == "Child protection plan"
    assert conf.loc[1, "timeliness"] == "14 working days from the S47 start (within 15)"
    assert conf.loc[2, "decision"] == "Not recorded"
    # Since the last conference (IC2, 5 Jun): V3 on 16 Jun, not seen; the Police request
    # answered on 5 Jun (2 Jun -> 5 Jun: 3 wd) and the Health one outstanding (6 wd).
    assert pack["since"] == {"date": D(2025, 6, 5), "what": "the initial conference on 5 Jun 2025"}
    assert list(pack["visits_since"]["date"]) == [D(2025, 6, 16)]
    assert pack["since_summary"] == {"visits": 1, "seen": 0, "seen_alone": 0}
    agency = pack["agency_since"]
    assert list(agency["agency"]) == ["Police", "Health"]
    assert list(agency["response"]) == [
        "Answered 5 Jun 2025, after 3 working days",
        "No response after 6 working days",
    ]
    assert list(agency["timeliness"]) == ["Within 5 working days", "Over 5 working days"]
    # No table of the child's views in this extract: said, not guessed.
    assert pack["views"]["table"] is False and pack["views"]["answers"].empty
    page = ch.review_pack_html(pack)
    assert "Not recorded in this extract" in page
    assert "Since the initial conference on 5 Jun 2025" in page


def test_review_pack_reads_recorded_decisions_and_the_childs_views(engine):
    con = engine.con
    con.execute(
        "UPDATE ssd_cp_reviews SET cppr_cp_review_outcome_continue_cp = FALSE, "
        "cppr_cp_review_participation = 'Attended and spoke' WHERE cppr_cp_review_id = 'RV1'"
    )
    # The extract had the table of the child's views after all.
    con.execute("UPDATE load_report SET status = 'loaded' WHERE table_name = 'ssd_voice_of_child'")
    con.execute(
        "INSERT INTO ssd_voice_of_child (voch_table_id, voch_person_id, voch_explained_worries, "
        "voch_agree_worker, voch_plan_safe) VALUES ('1', 'C1', 'Yes', ' ', ?), "
        "('2', 'C2', 'No', 'No', 'No')",
        [SCRIPT],
    )
    pack = ch.review_pack(engine, "C1", AS_OF)
    review = pack["conferences"].iloc[0]
    assert (review["decision"], review["participation"]) == ("Plan to end", "Attended and spoke")
    answers = pack["views"]["answers"]
    assert pack["views"]["table"] is True
    # C1's two answers (the blank one left out), never C2's; each with its question.
    assert list(answers["answer"]) == ["Yes", SCRIPT]
    assert answers.loc[0, "question"].startswith("Has someone explained to you why people are")
    page = ch.review_pack_html(pack)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page.lower()


def test_review_pack_html_prints_on_a4(engine):
    page = ch.review_pack_html(ch.review_pack(engine, "C1", AS_OF))
    assert "@page { size: A4;" in page
    assert "thead { display: table-header-group; }" in page  # headers repeat on every page
    # Words, not codes: the columns are labelled, the dates in the one style.
    assert "<th>CP plan</th>" in page and "plan_id" not in page
    assert "13 May 2025" in page and "2025-05-13" not in page
    # The visit's kind in words, flags as yes or no (the page says them so too).
    assert "<td>Child protection</td>" in page and "<td>CP</td>" not in page
    assert "<td>True</td>" not in page and "<td>False</td>" not in page


def test_review_pack_html_escapes_every_value(engine):
    pack = ch.review_pack(engine, "C1", AS_OF)
    page = ch.review_pack_html(pack)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "Ann &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Team &#x27;A&#x27;; DROP TABLE" in page
    # A value injected anywhere in the pack comes out as text.
    pack["person_id"] = SCRIPT
    pack["actions"].append({"kind": "x", "text": '"><img src=x onerror=alert(1)>'})
    page = ch.review_pack_html(pack)
    assert "<script" not in page.lower() and "<img" not in page


# ------------------------------------------------- the judgements are the measures' own rows


def _measure_rows(engine, key, person, filters=None):
    """The measure's rows for one child, as a page's drill-down lists them: the rows of the
    whole authority for a period (as a page asks), filtered to the child in pandas; and the same
    asked with the engine's person filter over all time (as metrics.child asks)."""
    page = engine.rows(get(key), filters or Filters(D(2025, 1, 1), AS_OF))
    mine = engine.rows(get(key), Filters(D(1900, 1, 1), AS_OF, AS_OF, person=person))
    return page[page["person_id"] == person].reset_index(drop=True), mine


def _days(value):
    return None if value is None or pd.isna(value) else int(value)


def _date(value):
    return value.date() if isinstance(value, pd.Timestamp) else value


def test_chronology_judgements_are_the_measures_rows(engine):
    chron = ch.chronology(engine, "C1", AS_OF)

    page, mine = _measure_rows(engine, "assessments", "C1")
    assert list(page["assessment_id"]) == list(mine["assessment_id"]) == ["A1"]
    a1 = mine.iloc[0]
    assert (int(a1["days"]), bool(a1["within_target"])) == (47, False)
    row = _row(chron, ch.ASSESSMENT_AUTHORISED, "A1")
    assert (_days(row["days"]), row["met"]) == (int(a1["days"]), bool(a1["within_target"]))
    assert row["target"] == f"authorised within {int(a1['target'])} working days"

    page, mine = _measure_rows(engine, "assessments_overdue", "C1")
    assert list(page["assessment_id"]) == list(mine["assessment_id"]) == ["A2"]
    row = _row(chron, ch.ASSESSMENT_START, "A2")
    assert (_days(row["days"]), row["met"]) == (int(mine.iloc[0]["age_wd"]), False)

    page, mine = _measure_rows(engine, "icpc", "C1")
    assert list(mine["icpc_id"]) == ["IC1", "IC2"] and list(page["icpc_id"]) == ["IC1", "IC2"]
    for icpc in mine.itertuples():
        row = _row(chron, ch.ICPC, icpc.icpc_id)
        met = None if pd.isna(icpc.within_target) else bool(icpc.within_target)
        assert (_days(row["days"]), row["met"]) == (_days(icpc.days), met)
    assert _row(chron, ch.ICPC, "IC1")["met"] is True  # 14 wd

    page, mine = _measure_rows(engine, "allocation", "C1")
    assert list(mine["involvement_id"]) == ["I1"]
    row = _row(chron, ch.ALLOCATION_START, "I1")
    assert (_days(row["days"]), row["met"]) == (int(mine.iloc[0]["days"]), True)

    # CP reviews: the review chain, review by review, and the page's plan-level figure.
    reviews = engine.rows(get("cp_review_chain"), Filters(D(1900, 1, 1), AS_OF, AS_OF, person="C1"))
    assert list(reviews["status"]) == ["held late", "overdue"]
    held, overdue = reviews.iloc[0], reviews.iloc[1]
    row = _row(chron, ch.CP_REVIEW, "RV1")
    assert row["met"] is bool(held["on_time"]) is False
    assert _date(held["due_date"]) == D(2025, 2, 28) and _days(row["days"]) == _days(
        held["days_late_wd"]
    )
    row = _row(chron, ch.CP_REVIEW_OVERDUE, "P1")
    assert row["date"] == _date(overdue["due_date"]) == D(2025, 6, 30) and row["met"] is False
    page, _ = _measure_rows(engine, "cp_reviews", "C1", Filters(D(2025, 4, 1), AS_OF))
    assert list(page["cp_plan_id"]) == ["P1"] and not page.iloc[0]["in_timescale"]
    assert _date(page.iloc[0]["first_late_due_date"]) == _date(overdue["due_date"])

    for key, kind, column in [
        ("recording", ch.CASE_NOTE, "note_id"),
        ("contacts", ch.CONTACT, "contact_id"),
    ]:
        page, mine = _measure_rows(engine, key, "C1")
        assert list(page[column]) == list(mine[column])
        for m in mine.to_dict("records"):
            row = _row(chron, kind, m[column])
            met = None if pd.isna(m["within_target"]) else bool(m["within_target"])
            assert row["met"] is met, (key, m[column])


def test_a_child_waiting_is_missed_as_on_the_pages(make_db):
    """Referred Mon 2 Jun, neither allocated nor seen by Mon 30 Jun (20 wd, past 5): the
    allocation and seen measures count both as missed; the chronology shows both misses, the
    unseen one on the day the visit was due (Mon 9 Jun = 2 Jun + 5 wd)."""
    engine = Engine(
        make_db(
            {
                "ssd_person": [{"pers_person_id": "W1"}],
                "ssd_cin_episodes": [
                    {
                        "cine_referral_id": "R1",
                        "cine_person_id": "W1",
                        "cine_referral_date": D(2025, 6, 2),
                    }
                ],
                "ssd_involvements": [],
                "ssd_cin_visits": [],
                "ssd_cp_visits": [],
            }
        )
    )
    chron = ch.chronology(engine, "W1", AS_OF)
    period = Filters(D(2025, 6, 1), AS_OF)
    allocation = engine.rows(get("allocation"), period).iloc[0]
    seen = engine.rows(get("seen"), period).iloc[0]
    assert (allocation["status"], int(allocation["days"])) == ("waiting", 20)
    assert (seen["status"], int(seen["days"]), _date(seen["due_date"])) == (
        "waiting",
        20,
        D(2025, 6, 9),
    )
    row = _row(chron, ch.REFERRAL, "R1")
    assert (row["timescale"], _days(row["days"]), row["met"]) == ("allocation", 20, False)
    row = _row(chron, ch.NOT_SEEN_OVERDUE, "R1")
    assert (row["date"], row["timescale"], _days(row["days"]), row["met"]) == (
        D(2025, 6, 9),
        "seen after referral",
        20,
        False,
    )
    kinds = {a["kind"] for a in ch.review_pack(engine, "W1", AS_OF)["actions"]}
    assert {"overdue_allocation", "overdue_seen after referral", "not_seen"} <= kinds


def test_the_viewers_scope_is_kept(engine):
    # C1 has CP plans: in the "cp" scope. C2 has nothing: outside it.
    assert not ch.chronology(engine, "C1", AS_OF, scope="cp").empty
    with pytest.raises(NotPermitted):
        ch.chronology(engine, "C2", AS_OF, scope="cp")
    with pytest.raises(NotPermitted):
        ch.review_pack(engine, "C1", AS_OF, scope="none")
    mine = ch.chronology(engine, "C1", AS_OF, scope="teams", scope_teams=("T1",))
    assert mine.equals(ch.chronology(engine, "C1", AS_OF))
    # In C1's pack for a chair, C2 (no plan, outside the "cp" scope) is named by id only.
    sibling = ch.review_pack(engine, "C1", AS_OF, scope="cp")["siblings"].iloc[0]
    assert sibling["person_id"] == "C2" and sibling["sex"] is None and sibling["dob"] is None
    everyone = ch.review_pack(engine, "C1", AS_OF)["siblings"].iloc[0]
    assert (everyone["sex"], everyone["dob"].date()) == ("Male", D(2017, 1, 9))
