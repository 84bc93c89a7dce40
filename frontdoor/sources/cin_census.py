"""Read the DfE children in need (CIN) census XML into the extract's raw tables.

One or more census files (collection years 2022 to 2026) are read into the same tables an SSD
extract gives: `ssd_person`, `ssd_cin_episodes`, `ssd_cin_assessments`, `ssd_cin_plans`,
`ssd_s47_enquiry`, `ssd_initial_cp_conference`, `ssd_cp_plans`, `ssd_cp_reviews`, plus the extra
raw table `cin_pre_proceedings` (the 2025-26 pre-proceedings and FGDM module).

The census has no identifiers for anything but the child, so the ids are synthesised from the
child's `LAchildID` and the dates that DfE's own validation treats as unique within a child:

| record | id |
|---|---|
| person | `LAchildID` |
| referral (CINdetails) | `{LAchildID}/{CINreferralDate}` |
| assessment | `{referral id}/A/{AssessmentActualStartDate}` |
| CIN plan | `{referral id}/CINP/{CINPlanStartDate}` |
| section 47 | `{referral id}/S47/{S47ActualStartDate}` |
| ICPC | `{referral id}/ICPC/{DateOfInitialCPC}` |
| CP plan | `{referral id}/CPP/{CPPstartDate}` |
| CP review | `{CP plan id}/R/{CPPreviewDate}` |
| pre-proceedings | `{referral id}/PP/{PPStartDate}` |

A referral open across a year end is in both years' returns, so several files are merged: for each
synthesised id, the rows of the file with the latest collection year win (ties: the later
reference date, then the later file in the list).

Every file is checked against the specification (its structure and code lists, built into
frontdoor: `cin_spec`, `cin_checks`), or against a DfE XSD when the user names a folder of them;
what fails is a warning with its line, and everything usable is still loaded. A file that is not
well-formed XML (cut short, edited by hand) or that uses entities stops the load: nothing of it
is read. Values stay text as in the XML.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from lxml import etree

from frontdoor.schema import TABLES
from frontdoor.sources import (
    FILE_COLUMN,
    LINE_COLUMN,
    REJECTED,
    STOP,
    WARNING,
    Problem,
    SourceTables,
    cin_checks,
    raw_frame,
)
from frontdoor.sources import cin_spec as spec

KIND = "cin_census"
# A folder of DfE XSDs to validate against instead of the built-in rules (cin_spec).
XSD_ENV = "FRONTDOOR_CIN_XSD_DIR"

UNAVAILABLE = {
    "contacts": "the CIN census has no contacts (it starts at the referral)",
    "allocation": "the CIN census has no allocations (needs ssd_involvements)",
    "seen": "the CIN census has no visits, so when the child was seen is unknown",
    "caseload": "the CIN census has no workers or allocations (needs ssd_involvements)",
    "oversight": "the CIN census has no case notes or management oversight",
    "agencies": "the CIN census has no information requests to partner agencies",
}

PRE_PROCEEDINGS_TABLE = "cin_pre_proceedings"

# Element of the 2026 pre-proceedings and FGDM module -> column of cin_pre_proceedings.
PRE_PROCEEDINGS_FIELDS = {
    "PPStartDate": "pp_start_date",
    "LBPSentDate": "pp_lbp_sent_date",
    "FGDMMeetingOffer": "pp_fgdm_meeting_offer",
    "FGDMMeetingFac": "pp_fgdm_meeting_fac",
    "InitialPPMeetingDate": "pp_initial_meeting_date",
    "ReviewMeetingsCount": "pp_review_meetings_count",
    "StepDecisionDate": "pp_step_decision_date",
    "PPOutcome": "pp_outcome",
    "CourtAppDate": "pp_court_app_date",
    "LetterInitCPDate": "pp_letter_init_cp_date",
}
PRE_PROCEEDINGS_COLUMNS = [
    "pp_id",
    "pp_person_id",
    "pp_referral_id",
    *PRE_PROCEEDINGS_FIELDS.values(),
]

# Columns besides the schema's that this reader adds to each table.
EXTRA_COLUMNS = {
    "ssd_person": ["pers_upn_unknown", "pers_disabilities"],
    "ssd_cin_episodes": ["cine_collection_year"],
    "ssd_cin_assessments": ["cina_assessment_internal_review_date", "cina_assessment_factors"],
    "ssd_cin_plans": [],
    "ssd_s47_enquiry": ["s47e_icpc_target_date", "s47e_icpc_not_required"],
    "ssd_initial_cp_conference": ["icpc_source_element"],
    "ssd_cp_plans": [],
    "ssd_cp_reviews": [],
}
TABLE_ORDER = [*EXTRA_COLUMNS, PRE_PROCEEDINGS_TABLE]

DATE_ELEMENTS = spec.DATE_ELEMENTS

# What each container may hold: anything else is reported and ignored.
KNOWN_CHILDREN = {
    name: spec.members(name) for name in spec.STRUCTURE if name in cin_checks.READER_CONTAINERS
}

# Element -> the table its value goes to, to say which table a problem concerns.
ELEMENT_TABLE = {
    **dict.fromkeys(
        [*KNOWN_CHILDREN["ChildIdentifiers"], *KNOWN_CHILDREN["ChildCharacteristics"]],
        "ssd_person",
    ),
    **dict.fromkeys(
        ["ChildIdentifiers", "ChildCharacteristics", "Disability", "Child"], "ssd_person"
    ),
    **dict.fromkeys(
        ["CINdetails", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate"],
        "ssd_cin_episodes",
    ),
    **dict.fromkeys(["ReasonForClosure", "ReferralNFA"], "ssd_cin_episodes"),
    **dict.fromkeys(
        [*KNOWN_CHILDREN["Assessments"], "Assessments", "AssessmentFactors"],
        "ssd_cin_assessments",
    ),
    **dict.fromkeys([*KNOWN_CHILDREN["CINPlanDates"], "CINPlanDates"], "ssd_cin_plans"),
    **dict.fromkeys([*KNOWN_CHILDREN["Section47"], "Section47"], "ssd_s47_enquiry"),
    "DateOfInitialCPC": "ssd_initial_cp_conference",
    **dict.fromkeys(
        [*KNOWN_CHILDREN["ChildProtectionPlans"], "ChildProtectionPlans"], "ssd_cp_plans"
    ),
    **dict.fromkeys(["Reviews", "CPPreviewDate"], "ssd_cp_reviews"),
    **dict.fromkeys([*PRE_PROCEEDINGS_FIELDS, "PreProceedingsandFGDM"], PRE_PROCEEDINGS_TABLE),
}

# GenderCurrent (to 2023-24) -> Sex (from 2024-25): 1 male, 2 female, 0 not recorded, 9 indeterminate.
GENDER_TO_SEX = {"1": "M", "2": "F", "0": "U", "9": "U"}
SEXES = set(spec.SEXES)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_local = cin_checks.local


# -- detection -------------------------------------------------------------------------------------


def is_cin_census(path: Path) -> bool:
    """True for an XML file whose root is a CIN census `Message` (reads only its start)."""
    path = Path(path)
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    try:
        seen = 0
        events = etree.iterparse(
            str(path),
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        )
        for event, el in events:
            name = _local(el.tag)
            if event == "start":
                if seen == 0 and name != "Message":
                    return False
                seen += 1
                if name in ("CINdetails", "ChildIdentifiers", "LAchildID"):
                    return True
            elif name == "Collection":
                return (el.text or "").strip().upper() == "CIN"
            if seen > 200:
                return False
    except (etree.LxmlError, OSError, ValueError):
        return False
    return False


# -- where XSDs come from --------------------------------------------------------------------------


def _xsd_dir(xsd_dir: Path | str | None) -> Path | None:
    """The folder of DfE XSDs the user named (argument, else $FRONTDOOR_CIN_XSD_DIR), or None:
    then the specification's rules built into frontdoor check the file."""
    if xsd_dir is not None:
        return Path(xsd_dir)
    env = os.environ.get(XSD_ENV)
    return Path(env) if env else None


# -- reading one file -----------------------------------------------------------------------------


@dataclass
class _FileResult:
    path: Path
    year: int | None = None
    reference_date: str = ""
    generated: str = ""
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})
    problems: list[Problem] = field(default_factory=list)


class _FileReader:
    """Reads one census file into row dicts, collecting problems; never raises on bad content."""

    def __init__(self, path: Path, xsds: list[cin_checks.Xsd], xsd_folder: Path | None):
        self.path = Path(path)
        self.file = str(path)
        self.xsds = xsds
        self.xsd_folder = xsd_folder
        self.result = _FileResult(self.path)
        self._child_id: str | None = None

    # problems
    def problem(self, severity: str, reason: str, el=None, **kw) -> None:
        line = kw.pop("line", None)
        if line is None and el is not None:
            line = el.sourceline
        if "record_id" not in kw:
            kw["record_id"] = self._child_id
        if "table" not in kw:
            kw["table"] = ELEMENT_TABLE.get(kw.get("column") or "")
        self.result.problems.append(
            Problem(severity=severity, reason=reason, file=self.file, line=line, **kw)
        )

    # parsing
    def read(self) -> _FileResult:
        tree = self._parse()
        if tree is None:
            return self.result
        root = tree.getroot()
        if _local(root.tag) != "Message":
            self.problem(
                STOP,
                f"not a CIN census file: the root element is <{_local(root.tag)}>, "
                "expected <Message>",
                root,
            )
            return self.result
        self._header(root)
        self._validate(root)
        children = [c for c in root if _local(c.tag) == "Children"]
        if not children:
            self.problem(STOP, "no <Children> element: the file holds no children", root)
            return self.result
        for container in children:
            self._stray_text(container)
            for child in container:
                if _local(child.tag) == "Child":
                    try:
                        self._child(child)
                    except Exception as exc:  # noqa: BLE001 - one bad child never stops the file
                        self.problem(
                            REJECTED,
                            f"child could not be read ({type(exc).__name__}: {exc}); skipped",
                            child,
                        )
                    finally:
                        self._child_id = None
                elif _local(child.tag):
                    self.problem(
                        WARNING,
                        f"unexpected element <{_local(child.tag)}> in <Children>; ignored",
                        child,
                        column=_local(child.tag),
                    )
        return self.result

    def _parse(self):
        """The document, or None with a STOP: a census that is cut short or ill-formed is never
        half read, and entities are never expanded (a census has none; they can read other files
        or grow without limit)."""
        parser = etree.XMLParser(
            huge_tree=True,
            remove_blank_text=False,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        )
        try:
            tree = etree.parse(str(self.path), parser)
        except OSError as exc:
            self.problem(STOP, f"cannot read the file: {exc}", record_id=None)
            return None
        except etree.XMLSyntaxError as exc:
            line, column = exc.position
            self.problem(
                STOP,
                f"the file is not well-formed XML at line {line}, column {column} ({exc.msg}). "
                "Nothing of it was loaded: a file cut short by a failed copy or export, or "
                "edited by hand, cannot be read safely. Export the census again and load again.",
                line=line,
                column=f"column {column}",
                record_id=None,
            )
            return None
        entity = next((e for e in tree.iter() if isinstance(e, etree._Entity)), None)
        if entity is not None:
            self.problem(
                STOP,
                f"the file uses the entity {entity.text} (declared in its DOCTYPE), which "
                "frontdoor does not expand: a CIN census never declares entities, and expanding "
                "them can read other files or take unbounded memory. Nothing of it was loaded. "
                "Export the census again from the case management system and load again.",
                line=entity.sourceline,
                value=entity.text,
                record_id=None,
            )
            return None
        return tree

    def _header(self, root) -> None:
        def find(*names):
            el = root
            for n in names:
                el = next((c for c in el if _local(c.tag) == n), None)
                if el is None:
                    return None
            return el

        year_el = find("Header", "CollectionDetails", "Year")
        ref_el = find("Header", "CollectionDetails", "ReferenceDate")
        src = find("Header", "Source", "DateTime")
        year_text = (year_el.text or "").strip() if year_el is not None else ""
        self.result.reference_date = (ref_el.text or "").strip() if ref_el is not None else ""
        self.result.generated = (src.text or "").strip() if src is not None else ""
        if re.fullmatch(r"\d{4}", year_text):
            self.result.year = int(year_text)
        elif re.match(r"\d{4}-", self.result.reference_date):
            self.result.year = int(self.result.reference_date[:4])
            self.problem(
                WARNING,
                "no readable Header/CollectionDetails/Year; the collection year was taken from "
                f"the reference date ({self.result.year})",
                year_el if year_el is not None else root,
                column="Year",
                value=year_text or None,
                record_id=None,
            )
        else:
            self.problem(
                WARNING,
                "no collection year in Header/CollectionDetails (Year or ReferenceDate): this "
                "file ranks oldest when merged with other years",
                root,
                column="Year",
                record_id=None,
            )

    def _validate(self, root) -> None:
        """Check the file with the specification's rules, or with a DfE XSD the user named."""

        def report(reason: str, **kw) -> None:
            self.problem(WARNING, reason, **kw)

        if self.xsd_folder is not None:
            if self.xsds:
                cin_checks.check_with_xsds(
                    root, self.xsds, self.result.year, report, PRE_PROCEEDINGS_TABLE
                )
                return
            self.problem(
                WARNING,
                f"no CIN census XSD found in {self.xsd_folder} (named by the xsd folder or "
                f"${XSD_ENV}); the file was checked with the specification's rules built into "
                "frontdoor instead",
                root,
                record_id=None,
            )
        cin_checks.check_with_rules(root, report)

    # content checks
    def _stray_text(self, el) -> None:
        """Report text found between elements of an element-only container (and unknown tags)."""
        name = _local(el.tag)
        text = (el.text or "").strip()
        if text:
            self.problem(
                WARNING,
                f"stray text {text[:60]!r} inside <{name}>; ignored",
                el,
                column=name,
                value=text[:200],
            )
        known = KNOWN_CHILDREN.get(name)
        for sub in el:
            sub_name = _local(sub.tag)
            tail = (sub.tail or "").strip()
            if tail:
                where = f"after <{sub_name}>" if sub_name else "after a comment"
                self.problem(
                    WARNING,
                    f"stray text {tail[:60]!r} inside <{name}> ({where}); ignored",
                    sub,
                    column=name,
                    value=tail[:200],
                )
            if known is not None and sub_name and sub_name not in known:
                self.problem(
                    WARNING,
                    f"unexpected element <{sub_name}> in <{name}>; ignored",
                    sub,
                    column=sub_name,
                )

    def _container(self, el) -> dict[str, list]:
        """Check a container, then group its child elements by name."""
        self._stray_text(el)
        out: dict[str, list] = {}
        for sub in el:
            name = _local(sub.tag)
            if name:
                out.setdefault(name, []).append(sub)
        return out

    def _value(self, parts: dict[str, list], name: str) -> str | None:
        els = parts.get(name)
        if not els:
            return None
        el = els[0]
        if len(el):
            self.problem(
                WARNING,
                f"<{name}> should hold a value but holds elements; ignored",
                el,
                column=name,
            )
            return None
        text = (el.text or "").strip()
        if not text:
            return None
        if name in DATE_ELEMENTS and not _valid_date(text):
            self.problem(
                WARNING,
                f"<{name}> {text!r} is not a valid date (YYYY-MM-DD); passed on as written for "
                "the loader to judge (a record this date identifies cannot be loaded)",
                el,
                column=name,
                value=text,
            )
        return text

    def _line(self, el) -> int:
        return int(el.sourceline or 0)

    def _add(self, table: str, el, row: dict) -> None:
        row[FILE_COLUMN] = self.file
        row[LINE_COLUMN] = self._line(el)
        self.result.rows[table].append(row)

    # the child
    def _child(self, child) -> None:
        # Name the child before any check, so that every problem found inside carries its id.
        ident = next(
            (
                i
                for c in child
                if _local(c.tag) == "ChildIdentifiers"
                for i in c
                if _local(i.tag) == "LAchildID"
            ),
            None,
        )
        self._child_id = ((ident.text or "").strip() or None) if ident is not None else None
        parts = self._container(child)
        ids = parts.get("ChildIdentifiers", [None])[0]
        if ids is None:
            self.problem(REJECTED, "child without <ChildIdentifiers>; skipped", child)
            return
        idp = self._container(ids)
        child_id = self._value(idp, "LAchildID")
        if not child_id:
            self.problem(
                REJECTED,
                "child without LAchildID; the child and all its records were skipped",
                child,
                column="LAchildID",
            )
            return
        self._child_id = child_id
        chars = parts.get("ChildCharacteristics", [None])[0]
        cp = self._container(chars) if chars is not None else {}
        disabilities = []
        for dis in cp.get("Disabilities", []):
            dp = self._container(dis)
            for d in dp.get("Disability", []):
                if (d.text or "").strip():
                    disabilities.append(d.text.strip())
        self._add(
            "ssd_person",
            child,
            {
                "pers_person_id": child_id,
                "pers_sex": self._sex(idp),
                "pers_ethnicity": self._value(cp, "Ethnicity"),
                "pers_dob": self._value(idp, "PersonBirthDate"),
                "pers_expected_dob": self._value(idp, "ExpectedPersonBirthDate"),
                "pers_death_date": self._value(idp, "PersonDeathDate"),
                "pers_upn_unknown": self._value(idp, "UPNunknown"),
                "pers_disabilities": ",".join(disabilities) or None,
            },
        )
        for cin in parts.get("CINdetails", []):
            self._cin_details(child_id, cin)
        for pp in parts.get("PreProceedingsandFGDM", []):
            self._pre_proceedings(child_id, None, pp)

    def _sex(self, idp: dict[str, list]) -> str | None:
        if "Sex" in idp:
            raw = self._value(idp, "Sex")
            if raw is None:
                return None
            if raw.upper() in SEXES:
                return raw.upper()
            if raw in GENDER_TO_SEX:
                self.problem(
                    WARNING,
                    f"<Sex> {raw!r} is a GenderCurrent code (1/2/0/9), not M/F/U; read as "
                    f"{GENDER_TO_SEX[raw]}",
                    idp["Sex"][0],
                    column="Sex",
                    value=raw,
                )
                return GENDER_TO_SEX[raw]
            self.problem(
                WARNING,
                f"<Sex> {raw!r} is not M, F or U; kept as is",
                idp["Sex"][0],
                column="Sex",
                value=raw,
            )
            return raw
        raw = self._value(idp, "GenderCurrent")
        if raw is None:
            return None
        if raw in GENDER_TO_SEX:
            return GENDER_TO_SEX[raw]
        if raw.upper() in SEXES:
            return raw.upper()
        self.problem(
            WARNING,
            f"<GenderCurrent> {raw!r} is not 1, 2, 0 or 9; kept as is",
            idp["GenderCurrent"][0],
            column="GenderCurrent",
            value=raw,
        )
        return raw

    def _cin_details(self, child_id: str, cin) -> None:
        p = self._container(cin)
        ref_date = self._value(p, "CINreferralDate")
        if not ref_date:
            modules = sum(
                len(p.get(n, []))
                for n in ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")
            )
            self.problem(
                REJECTED,
                "CINdetails without CINreferralDate: the referral and its "
                f"{modules} module(s) were skipped (no referral to hang them on)",
                cin,
                column="CINreferralDate",
            )
            return
        ref_id = f"{child_id}/{ref_date}"
        source = self._value(p, "ReferralSource")
        self._add(
            "ssd_cin_episodes",
            cin,
            {
                "cine_referral_id": ref_id,
                "cine_person_id": child_id,
                "cine_referral_date": ref_date,
                "cine_referral_source_code": source,
                "cine_referral_source_desc": spec.REFERRAL_SOURCES.get(source or ""),
                "cine_cin_primary_need_code": self._value(p, "PrimaryNeedCode"),
                "cine_referral_nfa": self._value(p, "ReferralNFA"),
                "cine_close_date": self._value(p, "CINclosureDate"),
                "cine_close_reason": self._value(p, "ReasonForClosure"),
                "cine_collection_year": str(self.result.year) if self.result.year else None,
            },
        )
        for a in p.get("Assessments", []):
            ap = self._container(a)
            start = self._value(ap, "AssessmentActualStartDate")
            if not start:
                self._missing(a, "Assessments", "AssessmentActualStartDate")
                continue
            factors = []
            for f in ap.get("FactorsIdentifiedAtAssessment", []):
                fp = self._container(f)
                factors += [x.text.strip() for x in fp.get("AssessmentFactors", []) if x.text]
            self._add(
                "ssd_cin_assessments",
                a,
                {
                    "cina_assessment_id": f"{ref_id}/A/{start}",
                    "cina_person_id": child_id,
                    "cina_referral_id": ref_id,
                    "cina_assessment_start_date": start,
                    "cina_assessment_auth_date": self._value(ap, "AssessmentAuthorisationDate"),
                    "cina_assessment_internal_review_date": self._value(
                        ap, "AssessmentInternalReviewDate"
                    ),
                    "cina_assessment_factors": ",".join(x for x in factors if x) or None,
                },
            )
        for plan in p.get("CINPlanDates", []):
            pp = self._container(plan)
            start = self._value(pp, "CINPlanStartDate")
            if not start:
                self._missing(plan, "CINPlanDates", "CINPlanStartDate")
                continue
            self._add(
                "ssd_cin_plans",
                plan,
                {
                    "cinp_cin_plan_id": f"{ref_id}/CINP/{start}",
                    "cinp_referral_id": ref_id,
                    "cinp_person_id": child_id,
                    "cinp_cin_plan_start_date": start,
                    "cinp_cin_plan_end_date": self._value(pp, "CINPlanEndDate"),
                },
            )
        # CP plans first, so that ICPCs can name the plan they led to (a plan starts at its ICPC).
        plans: dict[str, str] = {}
        plan_rows = []
        for cpp in p.get("ChildProtectionPlans", []):
            cp = self._container(cpp)
            start = self._value(cp, "CPPstartDate")
            if not start:
                self._missing(cpp, "ChildProtectionPlans", "CPPstartDate")
                continue
            plan_id = f"{ref_id}/CPP/{start}"
            plans.setdefault(start, plan_id)
            row = {
                "cppl_cp_plan_id": plan_id,
                "cppl_referral_id": ref_id,
                "cppl_person_id": child_id,
                "cppl_cp_plan_start_date": start,
                "cppl_cp_plan_end_date": self._value(cp, "CPPendDate"),
                "cppl_cp_plan_initial_category": self._value(cp, "InitialCategoryOfAbuse"),
                "cppl_cp_plan_latest_category": self._value(cp, "LatestCategoryOfAbuse"),
                "cppl_number_of_previous_cpp": self._value(cp, "NumberOfPreviousCPP"),
            }
            plan_rows.append((cpp, row))
            for reviews in cp.get("Reviews", []):
                rp = self._container(reviews)
                for rev in rp.get("CPPreviewDate", []):
                    date = self._value({"CPPreviewDate": [rev]}, "CPPreviewDate")
                    if not date:
                        self._missing(rev, "Reviews", "CPPreviewDate")
                        continue
                    self._add(
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
            sp = self._container(s47)
            start = self._value(sp, "S47ActualStartDate")
            if not start:
                self._missing(s47, "Section47", "S47ActualStartDate")
                # The conference it records was held: kept, never dropped with the enquiry.
                icpc_date = self._value(sp, "DateOfInitialCPC")
                if icpc_date and icpc_date not in icpcs:
                    target = self._value(sp, "InitialCPCtarget")
                    icpcs[icpc_date] = self._icpc(
                        s47, child_id, ref_id, None, icpc_date, target, plans, "Section47"
                    )
                    self.problem(
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
            target = self._value(sp, "InitialCPCtarget")
            not_required = self._value(sp, "ICPCnotRequired")
            self._add(
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
            icpc_date = self._value(sp, "DateOfInitialCPC")
            if icpc_date:
                icpcs[icpc_date] = self._icpc(
                    s47, child_id, ref_id, s47_id, icpc_date, target, plans, "Section47"
                )
            elif (not_required or "").lower() not in ("1", "true"):
                s47_without_icpc.append((start, s47_id))
        icpc_by_date = dict(icpcs)
        # The referral's own ICPC date: the same conference as a Section47's when the dates agree;
        # otherwise an ICPC of its own, tied to the latest S47 before it that has no ICPC date.
        episode_icpc = self._value(p, "DateOfInitialCPC")
        if episode_icpc and episode_icpc not in icpcs:
            before = [s for s in s47_without_icpc if s[0] <= episode_icpc]
            s47_id = max(before)[1] if before else None
            el = p["DateOfInitialCPC"][0]
            icpc_by_date[episode_icpc] = self._icpc(
                el, child_id, ref_id, s47_id, episode_icpc, None, plans, "CINdetails"
            )
        for el, row in plan_rows:
            row["cppl_icpc_id"] = icpc_by_date.get(row["cppl_cp_plan_start_date"])
            self._add("ssd_cp_plans", el, row)
        for pp in p.get("PreProceedingsandFGDM", []):
            self._pre_proceedings(child_id, ref_id, pp)

    def _icpc(self, el, child_id, ref_id, s47_id, date, target, plans, source) -> str:
        icpc_id = f"{ref_id}/ICPC/{date}"
        plan_id = plans.get(date)
        self._add(
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

    def _pre_proceedings(self, child_id: str, ref_id: str | None, el) -> None:
        p = self._container(el)
        row = {col: self._value(p, name) for name, col in PRE_PROCEEDINGS_FIELDS.items()}
        start = row["pp_start_date"]
        base = ref_id or child_id
        row.update(
            {
                "pp_id": f"{base}/PP/{start or el.sourceline}",
                "pp_person_id": child_id,
                "pp_referral_id": ref_id,
            }
        )
        self._add(PRE_PROCEEDINGS_TABLE, el, row)

    def _missing(self, el, module: str, element: str) -> None:
        self.problem(
            REJECTED,
            f"<{module}> without <{element}>: the record has no date to identify it; skipped",
            el,
            column=element,
        )


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- merging years and building frames ------------------------------------------------------------


def _key_column(table: str) -> str:
    if table == PRE_PROCEEDINGS_TABLE:
        return "pp_id"
    return TABLES[table].key


def _columns(table: str) -> list[str]:
    if table == PRE_PROCEEDINGS_TABLE:
        base = list(PRE_PROCEEDINGS_COLUMNS)
    else:
        base = list(TABLES[table].columns) + EXTRA_COLUMNS[table]
    return [*base, FILE_COLUMN, LINE_COLUMN]


def _frame(table: str, rows: Iterable[dict]) -> pd.DataFrame:
    return raw_frame(_columns(table), rows)


def read_cin_census(paths: list[Path] | Path, xsd_dir: Path | str | None = None) -> SourceTables:
    """Read one or more CIN census XML files into raw tables (see the module docstring).

    Each file is checked with the specification's rules built into frontdoor (`cin_spec`), or,
    when a folder of DfE XSDs is named (`xsd_dir`, else `$FRONTDOOR_CIN_XSD_DIR`), against the
    XSD of its collection year (`CIN_schema_<year>.xsd`).
    """
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    folder = _xsd_dir(xsd_dir)
    xsds = cin_checks.find_xsds(folder)
    results: list[_FileResult] = []
    problems: list[Problem] = []
    for p in paths:
        reader = _FileReader(Path(p), xsds, folder)
        try:
            res = reader.read()
        except Exception as exc:  # noqa: BLE001 - a reader bug must not take the app down
            res = reader.result
            res.problems.append(
                Problem(STOP, f"the file could not be read ({type(exc).__name__}: {exc})", str(p))
            )
        results.append(res)
        problems.extend(res.problems)

    # Newest collection last, so that its rows win for the same id.
    order = sorted(
        range(len(results)),
        key=lambda i: (
            results[i].year or 0,
            results[i].reference_date,
            results[i].generated,
            i,
        ),
    )
    seen_years: dict[tuple, int] = {}
    for i in order:
        r = results[i]
        key = (r.year, r.reference_date)
        if r.year is not None and key in seen_years:
            other = results[seen_years[key]]
            problems.append(
                Problem(
                    WARNING,
                    f"{r.path.name} and {other.path.name} are both the {r.year} collection "
                    f"(reference date {r.reference_date or 'unknown'}); where they hold the same "
                    f"record, {r.path.name} (later in the list) wins",
                    str(r.path),
                )
            )
        seen_years[key] = i

    frames: dict[str, pd.DataFrame] = {}
    for table in TABLE_ORDER:
        key = _key_column(table)
        winner: dict[str, int] = {}
        for rank, i in enumerate(order):
            for row in results[i].rows[table]:
                winner[row[key]] = rank
        rows = []
        for rank, i in enumerate(order):
            for row in results[i].rows[table]:
                if winner[row[key]] == rank:
                    rows.append(row)
        if table == PRE_PROCEEDINGS_TABLE and not rows:
            continue
        frames[table] = _frame(table, rows)

    return SourceTables(
        frames=frames,
        problems=problems,
        unavailable=dict(UNAVAILABLE),
        kinds={KIND},
    )
