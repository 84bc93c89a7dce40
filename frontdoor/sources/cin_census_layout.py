"""What the CIN census reader makes of a census file: the tables each element feeds, their
extra columns, the pre-proceedings module's fields, the codes read, and the raw frames.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from frontdoor.schema import TABLES
from frontdoor.sources import (
    FILE_COLUMN,
    LINE_COLUMN,
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


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
