"""The synthetic extract: complete, deterministic, dated within the extract, and England-like.

Working days are counted here with numpy.busday_count and the bank holiday list, independently of
the generator's own lookup tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from frontdoor.calendar import bank_holidays
from frontdoor.generate import generate_extract
from frontdoor.schema import DATE, TABLES

START, END = dt.date(2023, 4, 1), dt.date(2026, 3, 31)
HOLIDAYS = np.array(sorted(bank_holidays()), dtype="datetime64[D]")


def wd_between(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Working days after `a` up to and including `b` (same day 0, Friday to Monday 1)."""
    a = a.to_numpy(dtype="datetime64[D]") + 1
    b = b.to_numpy(dtype="datetime64[D]") + 1
    return np.busday_count(a, b, holidays=HOLIDAYS)


def read(folder: Path, table: str) -> pd.DataFrame:
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    df = df.replace("", None)
    for col, kind in TABLES[table].columns.items():
        if kind == DATE and col in df:
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    return df


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("extract")
    counts = generate_extract(out, seed=2010, children=4000, start=START, end=END)
    return out, counts


@pytest.fixture(scope="module")
def t(extract):
    folder, _ = extract
    return {name: read(folder, name) for name in TABLES}


def test_every_table_and_column(extract, t):
    folder, counts = extract
    assert set(counts) == set(TABLES)
    for name, spec in TABLES.items():
        assert (folder / f"{name}.csv").exists(), name
        assert list(t[name].columns) == list(spec.columns), name
        assert counts[name] == len(t[name]) > 0, name
        assert t[name][spec.key].is_unique, name


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    kwargs = dict(children=600, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))
    generate_extract(a, seed=7, **kwargs)
    generate_extract(b, seed=7, **kwargs)
    generate_extract(c, seed=8, **kwargs)
    for name in TABLES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    assert any(
        (a / f"{name}.csv").read_bytes() != (c / f"{name}.csv").read_bytes() for name in TABLES
    )


def test_parquet(tmp_path):
    counts = generate_extract(
        tmp_path, seed=3, children=300, start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31),
        fmt="parquet",
    )  # fmt: skip
    for name, spec in TABLES.items():
        df = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(df.columns) == list(spec.columns)
        assert len(df) == counts[name]


def test_nothing_dated_after_the_extract(t):
    end = pd.Timestamp(END)
    for name, spec in TABLES.items():
        for col, kind in spec.columns.items():
            if kind == DATE:
                assert not (t[name][col] > end).any(), f"{name}.{col}"
    for name in ("ssd_contacts", "ssd_cin_episodes", "ssd_cin_assessments", "ssd_involvements"):
        col = TABLES[name].defining_date
        assert (t[name][col] >= pd.Timestamp(START)).all(), name


def test_dates_in_order(t):
    for name, spec in TABLES.items():
        for a, b in spec.ordered_dates:
            if name == "ssd_person":
                continue
            df = t[name].dropna(subset=[a, b])
            assert (df[b] >= df[a]).all(), f"{name}: {a} > {b}"


def test_ids_are_text_and_flags_y_n(extract):
    folder, _ = extract
    person = pd.read_csv(folder / "ssd_person.csv", dtype=str)
    assert person["pers_person_id"].str.match(r"^P\d{6}$").all()
    ep = pd.read_csv(folder / "ssd_cin_episodes.csv", dtype=str)
    assert set(ep["cine_referral_nfa"]) == {"Y", "N"}


def test_front_door_proportions(t):
    contacts, ep = t["ssd_contacts"], t["ssd_cin_episodes"]
    assert 0.25 <= len(ep) / len(contacts) <= 0.45
    police = (contacts["cont_contact_source_code"] == "6").mean()
    assert 0.22 <= police <= 0.34
    assert 0.04 <= (ep["cine_referral_nfa"] == "Y").mean() <= 0.10
    # Re-referrals: another referral of the same person in the 12 months before.
    e = ep[["cine_person_id", "cine_referral_date"]].sort_values(
        ["cine_person_id", "cine_referral_date"]
    )
    prev = e.groupby("cine_person_id")["cine_referral_date"].shift()
    rerefer = prev.notna() & (prev >= e["cine_referral_date"] - pd.DateOffset(months=12))
    assert 0.15 <= rerefer.mean() <= 0.30
    # Contact decisions mostly the same or next working day.
    done = contacts.dropna(subset=["cont_outcome_date"])
    days = wd_between(done["cont_contact_date"], done["cont_outcome_date"])
    assert 0.75 <= (days <= 1).mean() <= 0.95
    # NFA referrals close the same or next working day; open referrals exist at the end.
    nfa = ep[ep["cine_referral_nfa"] == "Y"].dropna(subset=["cine_close_date"])
    assert (wd_between(nfa["cine_referral_date"], nfa["cine_close_date"]) <= 1).all()
    assert ep["cine_close_date"].isna().sum() > 50
    closed = ep.dropna(subset=["cine_close_date"])
    assert closed["cine_close_reason"].str.match(r"^RC[1-8]$").all()
    assert set(ep["cine_cin_primary_need_code"]) <= {f"N{i}" for i in range(1, 10)}


def test_families_and_siblings(t):
    fam, ep = t["ssd_family"], t["ssd_cin_episodes"]
    sizes = fam.groupby("fami_family_id").size()
    assert sizes.min() >= 1 and sizes.max() <= 5 and (sizes > 1).any()
    assert set(fam["fami_person_id"]) == set(t["ssd_person"]["pers_person_id"])
    # Siblings referred together, on the same day.
    m = ep.merge(fam, left_on="cine_person_id", right_on="fami_person_id")
    together = m.groupby(["fami_family_id", "cine_referral_date"]).size()
    assert (together > 1).sum() > 100
    # Some sibling groups where only one child has an assessment.
    a = t["ssd_cin_assessments"]
    m["assessed"] = m["cine_referral_id"].isin(a["cina_referral_id"])
    grp = m[m["cine_referral_nfa"] == "N"].groupby(["fami_family_id", "cine_referral_date"])
    g = grp["assessed"].agg(["size", "sum"])
    assert ((g["size"] > 1) & (g["sum"] == 1)).sum() > 10


def test_assessment_timeliness(t):
    a = t["ssd_cin_assessments"].dropna(subset=["cina_assessment_auth_date"])
    days = wd_between(a["cina_assessment_start_date"], a["cina_assessment_auth_date"])
    assert 25 <= np.median(days) <= 40
    assert 0.78 <= (days <= 45).mean() <= 0.92
    # The short-staffed team is slower.
    by_team = pd.Series(days, index=a.index).groupby(a["cina_assessment_team"]).median()
    assert by_team.idxmax() == "T04"
    assert t["ssd_cin_assessments"]["cina_assessment_auth_date"].isna().sum() > 20


def test_icpc_timeliness(t):
    icpc, s47 = t["ssd_initial_cp_conference"], t["ssd_s47_enquiry"]
    assert not (icpc["icpc_icpc_date"].dt.day_of_week >= 5).any()
    hols = set(pd.to_datetime(HOLIDAYS))
    assert not icpc["icpc_icpc_date"].isin(hols).any()
    m = icpc[icpc["icpc_icpc_transfer_in"] == "N"].merge(
        s47, left_on="icpc_s47_enquiry_id", right_on="s47e_s47_enquiry_id"
    )
    days = wd_between(m["s47e_s47_start_date"], m["icpc_icpc_date"])
    assert 0.70 <= (days <= 15).mean() <= 0.90
    assert 11 <= np.median(days) <= 16
    assert (icpc["icpc_icpc_transfer_in"] == "Y").any()
    assessed = t["ssd_cin_assessments"]["cina_referral_id"].nunique()
    assert 0.25 <= s47["s47e_referral_id"].nunique() / assessed <= 0.45
    plans = t["ssd_cp_plans"]
    categories = set(plans["cppl_cp_plan_initial_category"])
    assert {"Neglect", "Emotional abuse", "Physical abuse"} <= categories
    assert categories <= {
        "Neglect",
        "Emotional abuse",
        "Physical abuse",
        "Sexual abuse",
        "Multiple",
    }
    assert plans["cppl_cp_plan_id"].isin(icpc["icpc_cp_plan_id"]).all()
    assert plans["cppl_person_id"].duplicated().any()  # repeat plans
    ended = plans.dropna(subset=["cppl_cp_plan_end_date"])
    length = (ended["cppl_cp_plan_end_date"] - ended["cppl_cp_plan_start_date"]).dt.days
    assert (length < 92).any() and (length > 365).any()


def test_cp_reviews(t):
    r = t["ssd_cp_reviews"]
    assert r["cppr_cp_review_due"].notna().all()
    late = r["cppr_cp_review_date"] > r["cppr_cp_review_due"]
    assert 0.02 <= late.mean() <= 0.2
    first = r.sort_values("cppr_cp_review_date").groupby("cppr_cp_plan_id").head(1)
    m = first.merge(t["ssd_cp_plans"], left_on="cppr_cp_plan_id", right_on="cppl_cp_plan_id")
    due = m["cppl_cp_plan_start_date"] + pd.DateOffset(months=3)
    assert (m["cppr_cp_review_due"] == due).all()


def test_workforce_and_caseloads(t):
    prof, inv = t["ssd_professionals"], t["ssd_involvements"]
    dept = t["ssd_department"]
    assert set(prof["prof_professional_department"]) <= set(dept["dept_team_id"])
    assert "Front Door (MASH)" in set(dept["dept_team_name"])
    assert (prof["prof_agency_worker_flag"] == "Y").any()
    assert (prof["prof_full_time_equivalency"].astype(float) < 1).any()
    role = inv["invo_professional_role_id"].str.strip().str.lower()
    assert (role == "allocated case worker").all()
    assert (inv["invo_professional_role_id"] != "Allocated Case Worker").any()
    assert inv["invo_referral_id"].isna().any()
    is_open = inv["invo_involvement_end_date"].isna()
    children = inv.loc[is_open, "invo_person_id"].nunique()
    workers = inv.loc[is_open, "invo_professional_id"].nunique()
    assert 10 <= children / workers <= 25
    # A change of worker: a referral with more than one allocated worker.
    per_ref = inv.groupby("invo_referral_id")["invo_professional_id"].nunique()
    assert (per_ref > 1).any()


def test_allocation_delay_short_team(t):
    inv, ep = t["ssd_involvements"], t["ssd_cin_episodes"]
    first = inv.sort_values("invo_involvement_start_date").groupby("invo_referral_id").head(1)
    m = first.merge(ep, left_on="invo_referral_id", right_on="cine_referral_id")
    m["days"] = wd_between(m["cine_referral_date"], m["invo_involvement_start_date"])
    over = (m["days"] > 5).groupby(m["invo_professional_team"]).mean()
    assert over["T04"] > 0.4
    assert over[["T02", "T03"]].max() < 0.2


def test_unqualified_worker_authorised_assessments(t):
    prof, a = t["ssd_professionals"], t["ssd_cin_assessments"]
    unqualified = prof.loc[
        prof["prof_social_worker_registration_no"].isna(), "prof_professional_id"
    ]
    assert len(unqualified) > 0
    done = a.dropna(subset=["cina_assessment_auth_date"])
    assert done["cina_assessment_worker_id"].isin(unqualified).any()
    assert a["cina_assessment_worker_id"].isin(prof["prof_professional_id"]).all()


def test_seeing_the_child(t):
    ep = t["ssd_cin_episodes"]
    visits = pd.concat(
        [
            t["ssd_cin_visits"].set_axis(["id", "person", "date", "seen", "alone"], axis=1),
            t["ssd_cp_visits"]
            .drop(columns="cppv_cp_plan_id")
            .set_axis(["id", "person", "date", "seen", "alone"], axis=1),
        ]
    )
    assert (visits["seen"] == "N").any() and (visits["alone"] == "N").any()
    seen = visits[visits["seen"] == "Y"]
    refs = ep[ep["cine_referral_nfa"] == "N"][
        ["cine_referral_id", "cine_person_id", "cine_referral_date"]
    ]
    m = refs.merge(seen, left_on="cine_person_id", right_on="person")
    m = m[m["date"] >= m["cine_referral_date"]]
    first = m.groupby("cine_referral_id").agg(
        ref=("cine_referral_date", "first"), seen=("date", "min")
    )
    days = wd_between(first["ref"], first["seen"])
    assert np.median(days) <= 5
    assert (days >= 20).sum() > 10
    never = ~refs["cine_referral_id"].isin(first.index)
    open_refs = ep.loc[ep["cine_close_date"].isna(), "cine_referral_id"]
    assert (never & refs["cine_referral_id"].isin(open_refs)).sum() > 5


def test_case_notes(t):
    notes, inv = t["case_notes"], t["ssd_involvements"]
    assert set(notes["note_type"]) == {
        "management_oversight", "supervision", "visit", "assessment", "other",
    }  # fmt: skip
    lag = pd.Series(wd_between(notes["event_date"], notes["recorded_date"]), index=notes.index)
    assert 0.8 <= (lag <= 5).mean() <= 0.97
    by_worker = lag.groupby(notes["worker_id"]).median()
    assert (by_worker >= 10).sum() in (1, 2)
    mo = notes.loc[notes["note_type"] == "management_oversight", "referral_id"]
    allocated = inv["invo_referral_id"].dropna().unique()
    assert (~pd.Series(allocated).isin(mo)).mean() > 0.05


def test_agency_requests(t):
    r = t["info_requests"]
    assert set(r["agency"]) == {"Police", "Health", "School", "Probation", "Housing"}
    done = r.dropna(subset=["responded_date"])
    days = pd.Series(wd_between(done["requested_date"], done["responded_date"]), index=done.index)
    med = days.groupby(done["agency"]).median()
    assert med["Health"] >= 10
    assert med["Health"] > med.drop("Health").max()
    outstanding = r["responded_date"].isna().groupby(r["agency"]).mean()
    assert outstanding["Health"] > outstanding.drop("Health").max()


def test_persons(t):
    p = t["ssd_person"]
    assert set(p["pers_sex"]) <= {"M", "F", "U"}
    assert p["pers_ethnicity"].str.match(r"^[A-Z]{4}$").all()
    assert p["pers_expected_dob"].notna().mean() < 0.1
    ep = t["ssd_cin_episodes"].merge(p, left_on="cine_person_id", right_on="pers_person_id")
    age = (ep["cine_referral_date"] - ep["pers_dob"]).dt.days / 365.25
    assert age.max() < 20 and (age < 1).any()


def test_transfers_from_team_c_are_slow(t):
    """Children in need assessed by Team C wait longer to reach the Children in Need team."""
    a = t["ssd_cin_assessments"].dropna(subset=["cina_assessment_auth_date"])
    plans = t["ssd_cin_plans"]
    inv = t["ssd_involvements"]
    cin = inv[inv["invo_professional_team"] == "T05"]
    first_cin = cin.groupby("invo_referral_id")["invo_involvement_start_date"].min()
    m = a.merge(plans, left_on="cina_referral_id", right_on="cinp_referral_id")
    m = m[m["cinp_cin_plan_start_date"] == m["cina_assessment_auth_date"]]
    m = m.join(first_cin.rename("moved"), on="cina_referral_id").dropna(subset=["moved"])
    m = m[m["moved"] >= m["cina_assessment_auth_date"]]
    m["days"] = wd_between(m["cina_assessment_auth_date"], m["moved"])
    within = (m["days"] <= 10).groupby(m["cina_assessment_team"]).mean()
    assert within["T04"] < 0.6
    assert within[["T02", "T03"]].min() > 0.8
    # Some are still with the assessing team at the end: their plan held by that team's worker.
    assert (plans["cinp_cin_plan_team"] != "T05").any()


def test_police_notifications_at_the_weekend_are_decided_late(t):
    c = t["ssd_contacts"]
    police = c[(c["cont_contact_source_code"] == "6")].dropna(subset=["cont_outcome_date"])
    days = pd.Series(
        wd_between(police["cont_contact_date"], police["cont_outcome_date"]), index=police.index
    )
    weekend = police["cont_contact_date"].dt.day_of_week >= 5
    assert weekend.mean() > 0.1
    assert (days[weekend] <= 1).mean() < 0.5
    assert (days[police["cont_contact_date"].dt.day_of_week <= 3] <= 1).mean() > 0.8


def test_views_missing_from_a_share_of_assessments(t):
    a = t["ssd_cin_assessments"].dropna(subset=["cina_assessment_auth_date"])
    voice = t["ssd_voice_of_child"]
    answers = voice.drop(columns=["voch_table_id", "voch_person_id"]).notna().any(axis=1)
    heard = set(voice.loc[answers, "voch_person_id"])
    recorded = a["cina_person_id"].isin(heard)
    assert 0.4 <= recorded.mean() <= 0.85
    by_team = recorded.groupby(a["cina_assessment_team"]).mean()
    assert by_team["T04"] < by_team[["T02", "T03"]].min() - 0.1
    assert (~answers).any()  # a record with no answer: not the child's views
    assert voice["voch_person_id"].is_unique


def test_assessment_factors_name_domestic_abuse(t):
    import json

    a = t["ssd_cin_assessments"].dropna(subset=["cina_assessment_auth_date"])
    f = t["ssd_assessment_factors"]
    assert set(f["cinf_assessment_id"]) == set(a["cina_assessment_id"])
    codes = f["cinf_assessment_factors_json"].map(json.loads)
    assert codes.map(len).min() >= 1
    da = codes.map(lambda c: bool({"3A", "3B", "3C"} & set(c)))
    assert 0.15 <= da.mean() <= 0.45
    m = f.assign(da=da).merge(a, left_on="cinf_assessment_id", right_on="cina_assessment_id")
    m = m.merge(t["ssd_cin_episodes"], left_on="cina_referral_id", right_on="cine_referral_id")
    police = m["cine_referral_source_code"] == "6"
    assert m.loc[police, "da"].mean() > m.loc[~police, "da"].mean() + 0.15
