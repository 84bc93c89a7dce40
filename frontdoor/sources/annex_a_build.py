"""The extract's tables from an Annex A workbook's usable rows: persons from the front door
lists, then each list's table (contacts, early help, referrals merged from lists 3 and 6,
assessments, S47 enquiries with their ICPCs, CP plans), and what is unavailable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from frontdoor.sources import (
    REJECTED,
    WARNING,
    SourceTables,
)
from frontdoor.sources.annex_a_layout import (
    DEFINING_FIELD,
    EARLY_HELP_TABLE,
    KIND,
    LAST_CP_REVIEW_TABLE,
    LAST_SEEN_TABLE,
    LIST_TABLE,
    LIST_TITLES,
    PERSON_LISTS,
    SECTIONS_BY_LIST,
    UNAVAILABLE,
)
from frontdoor.sources.annex_a_values import _code_desc, _flag, _frame, _iso_or_none

if TYPE_CHECKING:
    from frontdoor.sources.annex_a import _Reader
    from frontdoor.sources.annex_a_sheets import ListSheet


def build_tables(reader: _Reader, sheets: dict[int, ListSheet]) -> SourceTables:
    # Persons first, from the front door lists (1 to 7) in list order.
    for n in sorted(sheets):
        if n not in PERSON_LISTS:
            continue
        sheet = sheets[n]
        for line, r in sheet.rows:
            child_id = r.get("child_id")
            if not child_id:
                reader.problem(
                    REJECTED,
                    f"row without a child id in list {n} ({LIST_TITLES[n]}); skipped",
                    file=sheet.file,
                    table=LIST_TABLE.get(sheet.number),
                    line=line,
                    column=sheet.headers.get("child_id"),
                )
                continue
            reader._person(sheet, line, child_id, r)

    usable = {
        n: list(reader._usable_rows(sheets.get(n), n, keep_rejected=n == 5)) for n in DEFINING_FIELD
    }

    # List 1: contacts. A child can have two contacts on a day (from two sources): "#2".
    counts: dict[str, int] = {}
    for sheet, line, pid, r in usable[1]:
        base = f"{pid}/C/{r['contact_date']}"
        counts[base] = counts.get(base, 0) + 1
        code, desc = _code_desc(r.get("contact_source"))
        reader._add(
            "ssd_contacts",
            sheet,
            line,
            {
                "cont_contact_id": base if counts[base] == 1 else f"{base}#{counts[base]}",
                "cont_person_id": pid,
                "cont_contact_date": r["contact_date"],
                "cont_contact_source_code": code,
                "cont_contact_source_desc": desc,
            },
        )
    # List 2: early help assessments.
    for sheet, line, pid, r in usable[2]:
        reader._add(
            EARLY_HELP_TABLE,
            sheet,
            line,
            {
                "earl_episode_id": f"{pid}/EH/{r['eh_start']}",
                "earl_person_id": pid,
                "earl_episode_start_date": r["eh_start"],
                "earl_episode_end_date": r.get("eh_end"),
                "earl_episode_organisation": r.get("eh_org"),
                "earl_episode_worker_id": r.get("worker"),
            },
        )
    # Lists 3 and 6: referrals and CIN episodes, one row per child and referral date.
    episodes: dict[str, dict] = {}
    for sheet, line, pid, r in usable[3]:
        ref_id = f"{pid}/{r['referral_date']}"
        code, desc = _code_desc(r.get("referral_source"))
        row = {
            "cine_referral_id": ref_id,
            "cine_person_id": pid,
            "cine_referral_date": r["referral_date"],
            "cine_referral_source_code": code,
            "cine_referral_source_desc": desc,
            "cine_referral_nfa": _flag(r.get("referral_nfa")),
            "cine_referral_team": r.get("team"),
            "cine_referral_worker_id": r.get("worker"),
            "cine_allocated_team": r.get("team"),
            "cine_allocated_worker": r.get("worker"),
            "cine_referrals_last_12_months": r.get("referrals_12m"),
            "cine_source_lists": sheet.title,
        }
        episodes[ref_id] = row
        reader._add("ssd_cin_episodes", sheet, line, row)
    for sheet, line, pid, r in usable[6]:
        ref_id = f"{pid}/{r['cin_start']}"
        need, _ = _code_desc(r.get("primary_need"))
        reason, _ = _code_desc(r.get("close_reason"))
        extra = {
            "cine_cin_primary_need_code": need,
            "cine_close_date": r.get("cin_close"),
            "cine_close_reason": reason,
            "cine_case_status": r.get("case_status"),
            "cine_allocated_team": r.get("team"),
            "cine_allocated_worker": r.get("worker"),
        }
        row = episodes.get(ref_id)
        if row is None:
            row = {
                "cine_referral_id": ref_id,
                "cine_person_id": pid,
                "cine_referral_date": r["cin_start"],
                "cine_referral_team": r.get("team"),
                "cine_referral_worker_id": r.get("worker"),
                "cine_source_lists": sheet.title,
                **extra,
            }
            episodes[ref_id] = row
            reader._add("ssd_cin_episodes", sheet, line, row)
        else:
            reader._merge_into_referral(sheet, line, pid, r, row, extra)
        if r.get("last_seen"):
            reader._add(
                LAST_SEEN_TABLE,
                sheet,
                line,
                {
                    "person_id": pid,
                    "last_seen_date": r["last_seen"],
                    "source_list": sheet.title,
                    "source_field": sheet.headers.get("last_seen"),
                },
            )
    referral_dates: dict[str, list[tuple[str, str]]] = {}
    for ref_id, row in episodes.items():
        iso = _iso_or_none(row["cine_referral_date"])
        if iso:
            referral_dates.setdefault(row["cine_person_id"], []).append((iso, ref_id))

    def referral_for(pid: str, date: str | None) -> str | None:
        iso = _iso_or_none(date)
        if not iso:
            return None
        before = [x for x in referral_dates.get(pid, []) if x[0] <= iso]
        return max(before)[1] if before else None

    # List 4: assessments.
    for sheet, line, pid, r in usable[4]:
        reader._add(
            "ssd_cin_assessments",
            sheet,
            line,
            {
                "cina_assessment_id": f"{pid}/A/{r['asmt_start']}",
                "cina_person_id": pid,
                "cina_referral_id": referral_for(pid, r["asmt_start"]),
                "cina_assessment_start_date": r["asmt_start"],
                "cina_assessment_child_seen": _flag(r.get("asmt_seen")),
                "cina_assessment_auth_date": r.get("asmt_auth"),
                "cina_assessment_team": r.get("team"),
                "cina_assessment_worker_id": r.get("worker"),
                "cina_assessment_outcome": r.get("asmt_outcome"),
            },
        )
    # List 7 before 5: an ICPC names the plan that starts on its date.
    plans_by_date: dict[tuple[str, str], str] = {}
    for _sheet, _line, pid, r in usable[7]:
        plans_by_date.setdefault((pid, r["cpp_start"]), f"{pid}/CPP/{r['cpp_start']}")
    # List 5: S47 enquiries, and the ICPC a row names. A row whose S47 part is rejected
    # (no start date, or a duplicate) still gives its ICPC: a conference that was held is
    # never dropped with the enquiry it is written beside.
    icpc_by_date: dict[tuple[str, str], str] = {}
    icpc_first: dict[tuple[str, str], int] = {}
    for sheet, line, pid, r in usable[5]:
        s47_ok = r.get("_s47_rejected") is None
        s47_id = f"{pid}/S47/{r['s47_start']}" if r.get("s47_start") else None
        ref_id = referral_for(pid, r.get("s47_start") or r.get("icpc_date"))
        if s47_ok:
            reader._add(
                "ssd_s47_enquiry",
                sheet,
                line,
                {
                    "s47e_s47_enquiry_id": s47_id,
                    "s47e_referral_id": ref_id,
                    "s47e_person_id": pid,
                    "s47e_s47_start_date": r["s47_start"],
                    "s47e_s47_completed_by_team": r.get("team"),
                    "s47e_s47_completed_by_worker_id": r.get("worker"),
                    "s47e_icpc_not_required": _flag(r.get("icpc_unnecessary")),
                    "s47e_s47_enquiries_last_12_months": r.get("s47_12m"),
                    "s47e_icpcs_last_12_months": r.get("icpc_12m"),
                },
            )
        if not r.get("icpc_date"):
            continue
        key = (pid, r["icpc_date"])
        header = sheet.headers.get("icpc_date")
        if key in icpc_first:
            reader.problem(
                REJECTED,
                f"duplicate ICPC: the same child and {header!r} ({r['icpc_date']}) as row "
                f"{icpc_first[key]} of {sheet.title}; this one is rejected, the first is "
                "loaded",
                file=sheet.file,
                table="ssd_initial_cp_conference",
                line=line,
                column=header,
                value=r["icpc_date"],
                record_id=pid,
            )
            continue
        icpc_first[key] = line
        icpc_id = f"{pid}/ICPC/{r['icpc_date']}"
        icpc_by_date[key] = icpc_id
        if not s47_ok and s47_id is None:
            reader.problem(
                WARNING,
                f"the ICPC on this row ({r['icpc_date']}) is loaded without an S47 enquiry: "
                f"the row's S47 was rejected ({r['_s47_rejected']}). It counts among ICPCs "
                "but cannot be timed from its S47",
                file=sheet.file,
                table="ssd_initial_cp_conference",
                line=line,
                column=header,
                value=r["icpc_date"],
                record_id=pid,
            )
        reader._add(
            "ssd_initial_cp_conference",
            sheet,
            line,
            {
                "icpc_icpc_id": icpc_id,
                # a duplicate S47 row's ICPC belongs to the S47 it repeats (same id)
                "icpc_s47_enquiry_id": s47_id,
                "icpc_person_id": pid,
                "icpc_cp_plan_id": plans_by_date.get(key),
                "icpc_referral_id": ref_id,
                "icpc_icpc_date": r["icpc_date"],
                "icpc_icpc_outcome_cp_flag": _flag(r.get("icpc_plan")),
                "icpc_icpc_team": r.get("team"),
                "icpc_icpc_worker_id": r.get("worker"),
            },
        )
    for sheet, line, pid, r in usable[7]:
        plan_id = f"{pid}/CPP/{r['cpp_start']}"
        reader._add(
            "ssd_cp_plans",
            sheet,
            line,
            {
                "cppl_cp_plan_id": plan_id,
                "cppl_referral_id": referral_for(pid, r["cpp_start"]),
                "cppl_icpc_id": icpc_by_date.get((pid, r["cpp_start"])),
                "cppl_person_id": pid,
                "cppl_cp_plan_start_date": r["cpp_start"],
                "cppl_cp_plan_end_date": r.get("cpp_end"),
                "cppl_cp_plan_initial_category": r.get("initial_cat"),
                "cppl_cp_plan_latest_category": r.get("latest_cat"),
                "cppl_number_of_previous_cpp": r.get("previous_cpp"),
                "cppl_epo_or_police_protection": _flag(r.get("epo")),
                "cppl_allocated_team": r.get("team"),
                "cppl_allocated_worker": r.get("worker"),
            },
        )
        if r.get("last_review"):
            reader._add(
                LAST_CP_REVIEW_TABLE,
                sheet,
                line,
                {
                    "person_id": pid,
                    "cp_plan_id": plan_id,
                    "last_review_date": r["last_review"],
                },
            )
        if r.get("last_visit"):
            reader._add(
                LAST_SEEN_TABLE,
                sheet,
                line,
                {
                    "person_id": pid,
                    "last_seen_date": r["last_visit"],
                    "source_list": sheet.title,
                    "source_field": sheet.headers.get("last_visit"),
                    "seen_alone": _flag(r.get("seen_alone")),
                },
            )

    frames: dict[str, pd.DataFrame] = {
        "ssd_person": _frame("ssd_person", reader.persons.values()),
    }
    tables_by_list = {
        1: ["ssd_contacts"],
        2: [EARLY_HELP_TABLE],
        3: ["ssd_cin_episodes"],
        4: ["ssd_cin_assessments"],
        5: ["ssd_s47_enquiry", "ssd_initial_cp_conference"],
        6: ["ssd_cin_episodes", LAST_SEEN_TABLE],
        7: ["ssd_cp_plans", LAST_CP_REVIEW_TABLE, LAST_SEEN_TABLE],
    }
    # A list present (even empty) gives its tables, so zero means zero; an absent list
    # gives none, so its measures say "not available" instead of 0.
    wanted = {"ssd_cin_episodes"}
    for n, tables in tables_by_list.items():
        if n in sheets and sheets[n].columns:
            wanted.update(tables)
    for table in sorted(wanted):
        frames[table] = _frame(table, reader.rows.get(table, []))

    unavailable = dict(UNAVAILABLE)
    for n, sections in SECTIONS_BY_LIST.items():
        if n not in sheets or not sheets[n].columns:
            for s in sections:
                unavailable.setdefault(
                    s, f"the Annex A workbook has no usable list {n} ({LIST_TITLES[n]})"
                )
    return SourceTables(
        frames=frames, problems=reader.problems, unavailable=unavailable, kinds={KIND}
    )
