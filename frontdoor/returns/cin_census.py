"""Write the DfE children in need (CIN) census XML for one collection year from the loaded data.

The collection year `year` runs from 1 April `year - 1` to 31 March `year` (the 2025-26 census
is `year=2026`). What goes in, following the DfE CIN census guide (scope: children referred in
the year and cases open at any time in it):

| part | included when |
|---|---|
| child | has a referral (CIN episode) written below |
| CINdetails | the referral is open at any time in the year: referred on or before 31 March and not closed before 1 April (NFA referrals in the year included) |
| Assessments | started on or before 31 March and not authorised before 1 April |
| CINPlanDates | started on or before 31 March and not ended before 1 April |
| Section47 | started on or before 31 March and not ended before 1 April, or its ICPC held in the year |
| ChildProtectionPlans | started on or before 31 March and not ended before 1 April |
| Reviews/CPPreviewDate | reviews of those plans held in the year |

Years up to 2023-24 (`year <= 2024`) write the child's sex as `<GenderCurrent>` (1, 2, 0), as
their schemas do. The data is seen as at 31 March: a closure, authorisation, end or conference dated later is left
out (the item was still open then). A module belongs to the referral its row names, else to the
child's referral open on its start date.

Nothing is invented. Where the census defines a "not known" value for exactly the missing fact
(Sex `U`, Ethnicity `NOBT` "information not yet obtained", ReferralSource `10` "unknown") it is
written and the gap reported; where an optional item is missing it is left out and reported;
where a required item has no "not known" value (ReferralNFA, a CP plan's category of abuse, a
module's start date) the smallest part the schema lets go (the referral or the module) is left
out and reported, and the child is still written when anything of it remains.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import duckdb
from lxml import etree

from frontdoor import __version__
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.returns import (
    ExportError,
    ExportResult,
    Gap,
    flag,
    iso,
    table_names,
    write_private,
)
from frontdoor.returns import census_codes as codes
from frontdoor.returns.cin_census_select import collection_window, select
from metrics.words import date_text

KIND = "cin_census"

# Characters XML 1.0 cannot hold (lxml refuses them): control characters but tab, LF and CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Up to the 2023-24 census (CIN_schema_2024.xsd) the child's sex was <GenderCurrent>: 1 male,
# 2 female, 0 not recorded (9, indeterminate, has no M/F/U counterpart and is never written).
LAST_GENDER_CURRENT_YEAR = 2024
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}

# -- building -----------------------------------------------------------------------------------


class _Builder:
    """Builds the <Children> of the census from the selected rows, collecting the gaps."""

    def __init__(self, data: dict[str, list], year: int):
        self.data = data
        self.year = year
        self.gaps: list[Gap] = []
        self.counts: dict[str, int] = defaultdict(int)

    def gap(self, person: str | None, record: str, item: str, what: str) -> None:
        self.gaps.append(Gap(person, record, item, what))

    # Which referral each module hangs on.
    def _attach(self, rows: list[dict], episodes: dict[str, list[dict]], label: str) -> dict:
        by_episode: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            pid = row["person_id"]
            mine = episodes.get(pid, [])
            target = next((e for e in mine if e["id"] == row["referral_id"]), None)
            if target is None:
                before = [e for e in mine if e["start_date"] <= row["start_date"]]
                target = before[-1] if before else None
            if target is None:
                self.gap(
                    pid,
                    f"{label} {iso(row['start_date'])}",
                    "CINdetails",
                    "no referral of the child open in the year to put it under; not written",
                )
                continue
            by_episode[target["id"]].append(row)
        return by_episode

    def _dedupe(self, rows: list[dict], pid: str, label: str, key: str = "start_date") -> list:
        """The census tells records apart by their dates: a second record with the same date
        under one referral cannot be carried."""
        seen: set = set()
        out = []
        for row in rows:
            if row[key] in seen:
                self.gap(
                    pid,
                    f"{label} {iso(row[key])}",
                    label,
                    "a second record with the same date under one referral: the census cannot "
                    "tell them apart; only the first was written",
                )
                continue
            seen.add(row[key])
            out.append(row)
        return out

    def build(self, progress: ProgressFn) -> etree._Element:
        data = self.data
        episodes: dict[str, list[dict]] = defaultdict(list)
        for e in data["episodes"]:
            episodes[e["person_id"]].append(e)
        assessments = self._attach(data["assessments"], episodes, "assessment")
        cin_plans = self._attach(data["cin_plans"], episodes, "CIN plan")
        s47s = self._attach(data["s47"], episodes, "section 47 enquiry")
        cp_plans = self._attach(data["cp_plans"], episodes, "CP plan")
        reviews: dict[str, list] = defaultdict(list)
        for r in data["reviews"]:
            reviews[r["plan_id"]].append(r["date"])
        icpc_of_s47: dict[str, dict] = {}
        other_icpcs: list[dict] = []
        s47_ids = {s["id"] for rows in s47s.values() for s in rows}
        for c in data["icpcs"]:
            if c["s47_id"] is not None:
                if c["s47_id"] in s47_ids and c["s47_id"] not in icpc_of_s47:
                    icpc_of_s47[c["s47_id"]] = c
                elif c["s47_id"] in s47_ids:
                    self.gap(
                        c["person_id"],
                        f"ICPC {iso(c['date'])}",
                        "DateOfInitialCPC",
                        "a second conference for one section 47 enquiry; only the first written",
                    )
            else:
                other_icpcs.append(c)
        other_by_episode = self._attach(
            [{**c, "start_date": c["date"]} for c in other_icpcs], episodes, "ICPC"
        )

        children = etree.Element("Children")
        persons = data["persons"]
        for n, person in enumerate(persons):
            if n % 500 == 0:
                progress(0.5 + 0.4 * n / max(len(persons), 1), "writing children")
            pid = person["person_id"]
            details = []
            taken_dates: set = set()
            for e in episodes.get(pid, []):
                if e["start_date"] in taken_dates:
                    self.gap(
                        pid,
                        f"referral {iso(e['start_date'])}",
                        "CINreferralDate",
                        "a second referral on the same day: the census cannot tell them apart; "
                        "only the first was written",
                    )
                    continue
                el = self._details(
                    pid,
                    e,
                    assessments.get(e["id"], []),
                    cin_plans.get(e["id"], []),
                    s47s.get(e["id"], []),
                    icpc_of_s47,
                    other_by_episode.get(e["id"], []),
                    cp_plans.get(e["id"], []),
                    reviews,
                )
                if el is not None:
                    taken_dates.add(e["start_date"])
                    details.append(el)
            if not details:
                self.gap(
                    pid,
                    "child",
                    "CINdetails",
                    "none of the child's referrals could be written; the child is left out",
                )
                continue
            child = etree.SubElement(children, "Child")
            child.append(self._identifiers(person))
            child.append(self._characteristics(person))
            for el in details:
                child.append(el)
            self.counts["children"] += 1
        return children

    def _identifiers(self, p: dict) -> etree._Element:
        pid = p["person_id"]
        el = etree.Element("ChildIdentifiers")
        clean = _XML_ILLEGAL.sub("", pid)
        if clean != pid:
            self.gap(pid, "child", "LAchildID", "holds characters XML cannot carry; removed")
        etree.SubElement(el, "LAchildID").text = clean
        if not p["known"]:
            self.gap(pid, "child", "ssd_person", "the child has referrals but no person record")
        if p["dob"] is not None:
            etree.SubElement(el, "PersonBirthDate").text = iso(p["dob"])
        if p["expected_dob"] is not None:
            etree.SubElement(el, "ExpectedPersonBirthDate").text = iso(p["expected_dob"])
        if p["dob"] is None and p["expected_dob"] is None:
            self.gap(pid, "child", "PersonBirthDate", "no date of birth or expected date; left out")
        sex = codes.sex(p["sex"])
        if sex is None:
            what = f"{p['sex']!r} is not M, F or U" if p["sex"] else "not recorded"
            self.gap(pid, "child", "Sex", f"{what}; written as U (unknown)")
            sex = codes.SEX_NOT_KNOWN
        if self.year <= LAST_GENDER_CURRENT_YEAR:
            etree.SubElement(el, "GenderCurrent").text = GENDER_CURRENT[sex]
        else:
            etree.SubElement(el, "Sex").text = sex
        if p["death_date"] is not None:
            etree.SubElement(el, "PersonDeathDate").text = iso(p["death_date"])
        return el

    def _characteristics(self, p: dict) -> etree._Element:
        pid = p["person_id"]
        el = etree.Element("ChildCharacteristics")
        eth = codes.code(p["ethnicity"], codes.ETHNICITIES)
        if eth is None:
            what = f"{p['ethnicity']!r} is not a census code" if p["ethnicity"] else "not recorded"
            self.gap(pid, "child", "Ethnicity", f"{what}; written as NOBT (not yet obtained)")
            eth = codes.ETHNICITY_NOT_KNOWN
        etree.SubElement(el, "Ethnicity").text = eth
        found = []
        for d in str(p["disabilities"] or "").split(","):
            c = codes.code(d, codes.DISABILITIES)
            if c and c not in found:
                found.append(c)
        if found:
            box = etree.SubElement(el, "Disabilities")
            for c in found:
                etree.SubElement(box, "Disability").text = c
        return el

    def _details(self, pid, e, assessments, cin_plans, s47s, icpc_of_s47, others, cp_plans, revs):
        label = f"referral {iso(e['start_date'])}"
        nfa = flag(e["nfa"])
        if nfa is None:
            self.gap(
                pid,
                label,
                "ReferralNFA",
                "whether the referral was 'no further action' is not recorded (the census "
                "requires it and has no 'not known'); the referral and its modules were not "
                "written: record it and export again",
            )
            return None
        el = etree.Element("CINdetails")
        etree.SubElement(el, "CINreferralDate").text = iso(e["start_date"])
        source = codes.code(e["source"], codes.REFERRAL_SOURCES)
        if source is None:
            what = f"{e['source']!r} is not a census code" if e["source"] else "not recorded"
            self.gap(pid, label, "ReferralSource", f"{what}; written as 10 (unknown)")
            source = codes.SOURCE_NOT_KNOWN
        etree.SubElement(el, "ReferralSource").text = source
        need = codes.code(e["need"], codes.PRIMARY_NEEDS)
        if need is not None:
            etree.SubElement(el, "PrimaryNeedCode").text = need
        elif not nfa:
            what = f"{e['need']!r} is not a census code" if e["need"] else "not recorded"
            self.gap(pid, label, "PrimaryNeedCode", f"{what}; left out")
        if e["close_date"] is not None:
            etree.SubElement(el, "CINclosureDate").text = iso(e["close_date"])
            reason = codes.code(e["close_reason"], codes.CLOSURE_REASONS)
            if reason is not None:
                etree.SubElement(el, "ReasonForClosure").text = reason
            else:
                what = (
                    f"{e['close_reason']!r} is not a census code"
                    if e["close_reason"]
                    else "closed without a reason"
                )
                self.gap(pid, label, "ReasonForClosure", f"{what}; left out")
        # The episode's own ICPC: a conference with no section 47 (a transfer-in), else the
        # latest of its enquiries' conferences (the same conference, read back as one).
        s47s = self._dedupe(s47s, pid, "Section47")
        s47_icpcs = [icpc_of_s47[s["id"]] for s in s47s if s["id"] in icpc_of_s47]
        others = self._dedupe(others, pid, "ICPC")
        if len(others) > 1:
            for c in others[:-1]:
                self.gap(
                    pid,
                    f"ICPC {iso(c['date'])}",
                    "DateOfInitialCPC",
                    "a referral holds one conference without a section 47 enquiry; only the "
                    "latest was written",
                )
        if others:
            etree.SubElement(el, "DateOfInitialCPC").text = iso(others[-1]["date"])
            self.counts["initial conferences"] += 1
        elif s47_icpcs:
            latest = max(c["date"] for c in s47_icpcs)
            etree.SubElement(el, "DateOfInitialCPC").text = iso(latest)
        for a in self._dedupe(assessments, pid, "Assessments"):
            box = etree.SubElement(el, "Assessments")
            etree.SubElement(box, "AssessmentActualStartDate").text = iso(a["start_date"])
            review = a["review_date"]
            if review is not None and review <= collection_window(self.year)[1]:
                etree.SubElement(box, "AssessmentInternalReviewDate").text = iso(review)
            if a["auth_date"] is not None:
                etree.SubElement(box, "AssessmentAuthorisationDate").text = iso(a["auth_date"])
            factors = [
                f
                for f in dict.fromkeys(str(a["factors"] or "").split(","))
                if codes.code(f, codes.ASSESSMENT_FACTORS)
            ]
            if factors:
                fbox = etree.SubElement(box, "FactorsIdentifiedAtAssessment")
                for f in factors:
                    etree.SubElement(fbox, "AssessmentFactors").text = f.strip()
            self.counts["assessments"] += 1
        for p in self._dedupe(cin_plans, pid, "CINPlanDates"):
            box = etree.SubElement(el, "CINPlanDates")
            etree.SubElement(box, "CINPlanStartDate").text = iso(p["start_date"])
            if p["end_date"] is not None:
                etree.SubElement(box, "CINPlanEndDate").text = iso(p["end_date"])
            self.counts["CIN plans"] += 1
        for s in s47s:
            self._section47(el, pid, s, icpc_of_s47.get(s["id"]))
        etree.SubElement(el, "ReferralNFA").text = "1" if nfa else "0"
        for p in self._dedupe(cp_plans, pid, "ChildProtectionPlans"):
            self._cp_plan(el, pid, p, revs.get(p["id"], []))
        self.counts["referrals"] += 1
        return el

    def _section47(self, parent, pid, s, icpc) -> None:
        box = etree.SubElement(parent, "Section47")
        etree.SubElement(box, "S47ActualStartDate").text = iso(s["start_date"])
        target = s["target"] or (icpc["target"] if icpc else None)
        if target is not None:
            etree.SubElement(box, "InitialCPCtarget").text = iso(target)
        if icpc is not None:
            etree.SubElement(box, "DateOfInitialCPC").text = iso(icpc["date"])
            self.counts["initial conferences"] += 1
        carried = flag(s["not_required"])
        if icpc is not None:
            not_required = False
        elif carried is not None:
            not_required = carried
        else:
            # 1 only when the enquiry is recorded as ending with no further action.
            not_required = flag(s["nfa"]) is True
            if flag(s["nfa"]) is None and s["end_date"] is not None:
                self.gap(
                    pid,
                    f"section 47 enquiry {iso(s['start_date'])}",
                    "ICPCnotRequired",
                    "the enquiry ended with no conference and no outcome recorded; written as "
                    "0 (not recorded as 'conference not required')",
                )
        etree.SubElement(box, "ICPCnotRequired").text = "1" if not_required else "0"
        self.counts["section 47 enquiries"] += 1

    def _cp_plan(self, parent, pid, p, review_dates) -> None:
        label = f"CP plan {iso(p['start_date'])}"
        initial = codes.abuse_category(p["initial_category"])
        latest = codes.abuse_category(p["latest_category"])
        if initial is None and latest is None:
            self.gap(
                pid,
                label,
                "InitialCategoryOfAbuse",
                "no category of abuse recorded (the census requires one); the plan and its "
                "reviews were not written",
            )
            return
        box = etree.SubElement(parent, "ChildProtectionPlans")
        etree.SubElement(box, "CPPstartDate").text = iso(p["start_date"])
        if p["end_date"] is not None:
            etree.SubElement(box, "CPPendDate").text = iso(p["end_date"])
        # An unchanged category is recorded once: the latest is the initial, and back.
        etree.SubElement(box, "InitialCategoryOfAbuse").text = initial or latest
        etree.SubElement(box, "LatestCategoryOfAbuse").text = latest or initial
        previous = p["previous_carried"]
        if previous is None or previous < 0:
            previous = p["previous_in_data"]
        etree.SubElement(box, "NumberOfPreviousCPP").text = str(int(previous))
        dates = sorted(d for d in dict.fromkeys(review_dates) if d >= p["start_date"])
        if dates:
            rbox = etree.SubElement(box, "Reviews")
            for d in dates:
                etree.SubElement(rbox, "CPPreviewDate").text = iso(d)
            self.counts["CP reviews"] += len(dates)
        self.counts["CP plans"] += 1


def _header(year: int, la: str | None) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    etree.SubElement(details, "Collection").text = "CIN"
    etree.SubElement(details, "Year").text = str(year)
    etree.SubElement(details, "ReferenceDate").text = collection_window(year)[1].isoformat()
    if la:
        source = etree.SubElement(header, "Source")
        etree.SubElement(source, "SourceLevel").text = "L"
        etree.SubElement(source, "LEA").text = la
        etree.SubElement(source, "SoftwareCode").text = "frontdoor"
        etree.SubElement(source, "Release").text = __version__
        etree.SubElement(source, "SerialNo").text = "001"
        etree.SubElement(source, "DateTime").text = dt.datetime.now().isoformat(timespec="seconds")
    return header


def build_cin_census(
    con: duckdb.DuckDBPyConnection,
    year: int,
    *,
    la: str | None = None,
    progress: ProgressFn = null_progress,
) -> ExportResult:
    """The census XML for the collection year ending 31 March `year`, in memory."""
    if not 2000 <= year <= 2100:
        raise ExportError(f"{year} is not a collection year (give the year ending 31 March)")
    if la is not None and not (len(la) == 3 and la.isdigit()):
        raise ExportError(f"the LA number must be three digits (e.g. 201), got {la!r}")
    progress(0.0, "reading the data")
    data = select(con, year, progress)
    builder = _Builder(data, year)
    children = builder.build(progress)
    if not len(children):
        start, end = collection_window(year)
        raise ExportError(
            f"no child in the data had a referral open between {date_text(start)} and "
            f"{date_text(end)}: there is no census to write for {year - 1}-{str(year)[2:]}"
        )
    progress(0.92, "writing the file")
    message = etree.Element("Message")
    message.append(_header(year, la))
    message.append(children)
    content = etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    notes = [
        "UPN and former UPN are not held by frontdoor: add them (or UPNunknown) before submitting",
    ]
    if not la:
        notes.append("no LA number given (--la), so the header has no Source block")
    if "cin_pre_proceedings" in table_names(con):
        notes.append(
            "the pre-proceedings module (cin_pre_proceedings) is not written: it is not in "
            "the DfE schemas frontdoor has"
        )
    counts = {"children": builder.counts["children"]}
    for name in (
        "referrals",
        "assessments",
        "CIN plans",
        "section 47 enquiries",
        "initial conferences",
        "CP plans",
        "CP reviews",
    ):
        counts[name] = builder.counts[name]
    progress(1.0, "done")
    return ExportResult(KIND, None, counts=counts, gaps=builder.gaps, notes=notes, content=content)


def export_cin_census(
    db: Path,
    year: int,
    out: Path,
    *,
    force: bool = False,
    la: str | None = None,
    xsd_dir: Path | None = None,
    progress: ProgressFn = null_progress,
) -> ExportResult:
    """Write the census for `year` from the database `db` to `out` (0600; never over an existing
    file unless `force`), and validate it against the year's XSD when one is found."""
    from frontdoor.returns import open_db
    from frontdoor.returns.validate import validate_census

    out = Path(out)
    if out.exists() and not force:
        raise ExportError(f"{out} already exists: choose another file name, or pass --force")
    con = open_db(db)
    try:
        result = build_cin_census(con, year, la=la, progress=progress)
    finally:
        con.close()
    write_private(out, result.content, force=force)
    result.path = out
    result.notes.append(validate_census(result.content, year, xsd_dir).summary())
    return result
