"""A child's <CINdetails> in a census file as the extract's rows: the referral, its
assessments, CIN plans, section 47 enquiries with their ICPCs, CP plans with their reviews,
and the pre-proceedings module, each with the id synthesised as the reader's docstring says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdoor.sources import (
    REJECTED,
    WARNING,
)
from frontdoor.sources import cin_spec as spec
from frontdoor.sources.cin_census_layout import PRE_PROCEEDINGS_FIELDS, PRE_PROCEEDINGS_TABLE

if TYPE_CHECKING:
    from frontdoor.sources.cin_census_file import FileReader


def read_cin_details(reader: FileReader, child_id: str, cin) -> None:
    p = reader._container(cin)
    ref_date = reader._value(p, "CINreferralDate")
    if not ref_date:
        modules = sum(
            len(p.get(n, []))
            for n in ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")
        )
        reader.problem(
            REJECTED,
            "CINdetails without CINreferralDate: the referral and its "
            f"{modules} module(s) were skipped (no referral to hang them on)",
            cin,
            column="CINreferralDate",
        )
        return
    ref_id = f"{child_id}/{ref_date}"
    source = reader._value(p, "ReferralSource")
    reader._add(
        "ssd_cin_episodes",
        cin,
        {
            "cine_referral_id": ref_id,
            "cine_person_id": child_id,
            "cine_referral_date": ref_date,
            "cine_referral_source_code": source,
            "cine_referral_source_desc": spec.REFERRAL_SOURCES.get(source or ""),
            "cine_cin_primary_need_code": reader._value(p, "PrimaryNeedCode"),
            "cine_referral_nfa": reader._value(p, "ReferralNFA"),
            "cine_close_date": reader._value(p, "CINclosureDate"),
            "cine_close_reason": reader._value(p, "ReasonForClosure"),
            "cine_collection_year": str(reader.result.year) if reader.result.year else None,
        },
    )
    for a in p.get("Assessments", []):
        ap = reader._container(a)
        start = reader._value(ap, "AssessmentActualStartDate")
        if not start:
            reader._missing(a, "Assessments", "AssessmentActualStartDate")
            continue
        factors = []
        for f in ap.get("FactorsIdentifiedAtAssessment", []):
            fp = reader._container(f)
            factors += [x.text.strip() for x in fp.get("AssessmentFactors", []) if x.text]
        reader._add(
            "ssd_cin_assessments",
            a,
            {
                "cina_assessment_id": f"{ref_id}/A/{start}",
                "cina_person_id": child_id,
                "cina_referral_id": ref_id,
                "cina_assessment_start_date": start,
                "cina_assessment_auth_date": reader._value(ap, "AssessmentAuthorisationDate"),
                "cina_assessment_internal_review_date": reader._value(
                    ap, "AssessmentInternalReviewDate"
                ),
                "cina_assessment_factors": ",".join(x for x in factors if x) or None,
            },
        )
    for plan in p.get("CINPlanDates", []):
        pp = reader._container(plan)
        start = reader._value(pp, "CINPlanStartDate")
        if not start:
            reader._missing(plan, "CINPlanDates", "CINPlanStartDate")
            continue
        reader._add(
            "ssd_cin_plans",
            plan,
            {
                "cinp_cin_plan_id": f"{ref_id}/CINP/{start}",
                "cinp_referral_id": ref_id,
                "cinp_person_id": child_id,
                "cinp_cin_plan_start_date": start,
                "cinp_cin_plan_end_date": reader._value(pp, "CINPlanEndDate"),
            },
        )
    # CP plans first, so that ICPCs can name the plan they led to (a plan starts at its ICPC).
    plans: dict[str, str] = {}
    plan_rows = []
    for cpp in p.get("ChildProtectionPlans", []):
        cp = reader._container(cpp)
        start = reader._value(cp, "CPPstartDate")
        if not start:
            reader._missing(cpp, "ChildProtectionPlans", "CPPstartDate")
            continue
        plan_id = f"{ref_id}/CPP/{start}"
        plans.setdefault(start, plan_id)
        row = {
            "cppl_cp_plan_id": plan_id,
            "cppl_referral_id": ref_id,
            "cppl_person_id": child_id,
            "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": reader._value(cp, "CPPendDate"),
            "cppl_cp_plan_initial_category": reader._value(cp, "InitialCategoryOfAbuse"),
            "cppl_cp_plan_latest_category": reader._value(cp, "LatestCategoryOfAbuse"),
            "cppl_number_of_previous_cpp": reader._value(cp, "NumberOfPreviousCPP"),
        }
        plan_rows.append((cpp, row))
        for reviews in cp.get("Reviews", []):
            rp = reader._container(reviews)
            for rev in rp.get("CPPreviewDate", []):
                date = reader._value({"CPPreviewDate": [rev]}, "CPPreviewDate")
                if not date:
                    reader._missing(rev, "Reviews", "CPPreviewDate")
                    continue
                reader._add(
                    "ssd_cp_reviews",
                    rev,
                    {
                        "cppr_cp_review_id": f"{plan_id}/R/{date}",
                        "cppr_person_id": child_id,
                        "cppr_cp_plan_id": plan_id,
                        "cppr_cp_review_date": date,
                    },
                )
    icpcs: dict[str, str] = {}
    s47_without_icpc: list[tuple[str, str]] = []
    for s47 in p.get("Section47", []):
        sp = reader._container(s47)
        start = reader._value(sp, "S47ActualStartDate")
        if not start:
            reader._missing(s47, "Section47", "S47ActualStartDate")
            # The conference it records was held: kept, never dropped with the enquiry.
            icpc_date = reader._value(sp, "DateOfInitialCPC")
            if icpc_date and icpc_date not in icpcs:
                target = reader._value(sp, "InitialCPCtarget")
                icpcs[icpc_date] = _icpc(
                    reader, s47, child_id, ref_id, None, icpc_date, target, plans, "Section47"
                )
                reader.problem(
                    WARNING,
                    f"the ICPC of this <Section47> ({icpc_date}) is loaded without its S47 "
                    "enquiry, which has no start date: it counts among ICPCs but cannot be "
                    "timed from its S47",
                    sp["DateOfInitialCPC"][0],
                    column="DateOfInitialCPC",
                    value=icpc_date,
                )
            continue
        s47_id = f"{ref_id}/S47/{start}"
        target = reader._value(sp, "InitialCPCtarget")
        not_required = reader._value(sp, "ICPCnotRequired")
        reader._add(
            "ssd_s47_enquiry",
            s47,
            {
                "s47e_s47_enquiry_id": s47_id,
                "s47e_referral_id": ref_id,
                "s47e_person_id": child_id,
                "s47e_s47_start_date": start,
                "s47e_icpc_target_date": target,
                "s47e_icpc_not_required": not_required,
            },
        )
        icpc_date = reader._value(sp, "DateOfInitialCPC")
        if icpc_date:
            icpcs[icpc_date] = _icpc(
                reader, s47, child_id, ref_id, s47_id, icpc_date, target, plans, "Section47"
            )
        elif (not_required or "").lower() not in ("1", "true"):
            s47_without_icpc.append((start, s47_id))
    icpc_by_date = dict(icpcs)
    # The referral's own ICPC date: the same conference as a Section47's when the dates agree;
    # otherwise an ICPC of its own, tied to the latest S47 before it that has no ICPC date.
    episode_icpc = reader._value(p, "DateOfInitialCPC")
    if episode_icpc and episode_icpc not in icpcs:
        before = [s for s in s47_without_icpc if s[0] <= episode_icpc]
        s47_id = max(before)[1] if before else None
        el = p["DateOfInitialCPC"][0]
        icpc_by_date[episode_icpc] = _icpc(
            reader, el, child_id, ref_id, s47_id, episode_icpc, None, plans, "CINdetails"
        )
    for el, row in plan_rows:
        row["cppl_icpc_id"] = icpc_by_date.get(row["cppl_cp_plan_start_date"])
        reader._add("ssd_cp_plans", el, row)
    for pp in p.get("PreProceedingsandFGDM", []):
        pre_proceedings(reader, child_id, ref_id, pp)


def _icpc(reader: FileReader, el, child_id, ref_id, s47_id, date, target, plans, source) -> str:
    icpc_id = f"{ref_id}/ICPC/{date}"
    plan_id = plans.get(date)
    reader._add(
        "ssd_initial_cp_conference",
        el,
        {
            "icpc_icpc_id": icpc_id,
            "icpc_s47_enquiry_id": s47_id,
            "icpc_person_id": child_id,
            "icpc_cp_plan_id": plan_id,
            "icpc_referral_id": ref_id,
            "icpc_icpc_target_date": target,
            "icpc_icpc_date": date,
            "icpc_icpc_outcome_cp_flag": "Y" if plan_id else None,
            "icpc_source_element": source,
        },
    )
    return icpc_id


def pre_proceedings(reader: FileReader, child_id: str, ref_id: str | None, el) -> None:
    """A <PreProceedingsandFGDM> block as a row of cin_pre_proceedings: under a CINdetails
    (`ref_id` its referral) or directly under the child (`ref_id` None)."""
    p = reader._container(el)
    row = {col: reader._value(p, name) for name, col in PRE_PROCEEDINGS_FIELDS.items()}
    start = row["pp_start_date"]
    base = ref_id or child_id
    row.update(
        {
            "pp_id": f"{base}/PP/{start or el.sourceline}",
            "pp_person_id": child_id,
            "pp_referral_id": ref_id,
        }
    )
    reader._add(PRE_PROCEEDINGS_TABLE, el, row)
