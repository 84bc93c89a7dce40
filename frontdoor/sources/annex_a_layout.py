"""What an Annex A workbook looks like: its lists, the tables each feeds, the wordings of each
list's headers, the field that defines a row, and the codes and markers its cells use.

Kept apart from the reader (`annex_a`) so a new wording or list is a change of data here.
"""

from __future__ import annotations

import re

KIND = "annex_a"

LAST_SEEN_TABLE = "annex_a_last_seen"
LAST_CP_REVIEW_TABLE = "annex_a_last_cp_review"
EARLY_HELP_TABLE = "ssd_early_help_episodes"

UNAVAILABLE = {
    "allocation": (
        "Annex A names the allocated team and worker but not when the case was allocated "
        "(needs ssd_involvements with start dates)"
    ),
    "seen": (
        "Annex A gives only the date each child was last seen, not every visit, so the time "
        "to see a referred child cannot be measured (needs ssd_cin_visits / ssd_cp_visits)"
    ),
    "caseload": (
        "Annex A has no allocation history or worker FTE (needs ssd_involvements and "
        "ssd_professionals)"
    ),
    "cp_reviews": (
        "Annex A gives only the latest review conference of each CP plan, not every review "
        "(kept in annex_a_last_cp_review)"
    ),
    "oversight": "Annex A has no case notes or management oversight records",
    "agencies": "Annex A has no information requests to partner agencies",
}
# Sections fed by a list, made unavailable when the workbook lacks the list.
SECTIONS_BY_LIST = {
    1: ("contacts",),
    3: ("referrals",),
    4: ("assessments",),
    5: ("s47", "icpc"),
    7: ("cp_plans",),
}
LIST_TITLES = {
    1: "contacts",
    2: "early help",
    3: "referrals",
    4: "assessments",
    5: "section 47 enquiries and ICPCs",
    6: "children in need",
    7: "child protection",
    8: "children in care",
    9: "care leavers",
    10: "adoption",
    11: "adopters",
}

# Extra columns, besides the schema's, of each table this reader writes.
EXTRA_COLUMNS = {
    "ssd_person": ["pers_disability"],
    "ssd_contacts": [],
    "ssd_cin_episodes": [
        "cine_allocated_team",
        "cine_allocated_worker",
        "cine_case_status",
        "cine_source_lists",
    ],
    "ssd_cin_assessments": ["cina_assessment_outcome"],
    "ssd_s47_enquiry": [
        "s47e_icpc_not_required",
        "s47e_s47_enquiries_last_12_months",
        "s47e_icpcs_last_12_months",
    ],
    "ssd_initial_cp_conference": [],
    "ssd_cp_plans": [
        "cppl_epo_or_police_protection",
        "cppl_allocated_team",
        "cppl_allocated_worker",
    ],
}
OWN_COLUMNS = {
    EARLY_HELP_TABLE: [
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        "earl_episode_organisation",
        "earl_episode_worker_id",
    ],
    LAST_SEEN_TABLE: ["person_id", "last_seen_date", "source_list", "source_field", "seen_alone"],
    LAST_CP_REVIEW_TABLE: ["person_id", "cp_plan_id", "last_review_date"],
}

# -- headers ---------------------------------------------------------------------------------------

# field -> (kind, wordings). Kinds: id, text, code (ordering prefix stripped), date, flag, number.
COMMON_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "child_id": (
        "id",
        (
            "child unique id",
            "child unique identifier",
            "child id",
            "unique child id",
            "childs unique id",
            "la child id",
            "child identifier",
            "unique id",
            "child unique ref",
        ),
    ),
    "gender": ("code", ("gender", "sex", "gender sex")),
    "ethnicity": ("code", ("ethnicity", "ethnic origin", "ethnic group")),
    "dob": ("date", ("date of birth", "dob", "birth date", "date of birth expected")),
    "disability": (
        "code",
        ("does the child have a disability", "disability", "disabled", "child has a disability"),
    ),
    "team": ("text", ("allocated team", "team", "allocated team name", "current team")),
    "worker": (
        "text",
        (
            "allocated worker",
            "worker",
            "allocated social worker",
            "allocated worker name",
            "lead worker",
            "current worker",
        ),
    ),
    "age": ("ignore", ("age", "age of child years", "age of child", "age years")),
}

LIST_FIELDS: dict[int, dict[str, tuple[str, tuple[str, ...]]]] = {
    1: {
        "contact_date": ("date", ("date of contact", "contact date", "date contact received")),
        "contact_source": ("code", ("contact source", "source of contact")),
    },
    2: {
        "eh_start": (
            "date",
            (
                "assessment start date",
                "early help assessment start date",
                "date early help assessment started",
                "start date",
            ),
        ),
        "eh_end": (
            "date",
            (
                "assessment completion date",
                "early help assessment completion date",
                "date early help assessment completed",
                "completion date",
            ),
        ),
        "eh_org": (
            "text",
            ("organisation completing assessment", "organisation completing the assessment"),
        ),
    },
    3: {
        "referral_date": ("date", ("date of referral", "referral date")),
        "referral_source": ("code", ("referral source", "source of referral")),
        "referral_nfa": (
            "flag",
            ("referral nfa", "referral no further action", "nfa", "was the referral nfa"),
        ),
        "referrals_12m": (
            "number",
            (
                "number of referrals in last 12 months",
                "number of referrals in the last 12 months",
                "referrals in last 12 months",
                "previous referrals in last 12 months",
            ),
        ),
    },
    4: {
        "asmt_start": (
            "date",
            (
                "continuous assessment start date",
                "assessment start date",
                "single assessment start date",
                "date assessment started",
            ),
        ),
        "asmt_seen": (
            "flag",
            (
                "child seen during continuous assessment",
                "child seen during assessment",
                "was the child seen during the assessment",
                "child seen",
            ),
        ),
        "asmt_auth": (
            "date",
            (
                "continuous assessment date of authorisation",
                "assessment date of authorisation",
                "date of authorisation",
                "assessment authorisation date",
                "assessment completion date",
                "date assessment authorised",
            ),
        ),
        "asmt_outcome": (
            "code",
            (
                "was the child assessed as requiring la childrens social care support",
                "was the child assessed as being in need at assessment",
                "was the child assessed as being in need",
                "assessment outcome",
            ),
        ),
    },
    5: {
        "s47_start": (
            "date",
            (
                "strategy discussion initiating section 47 enquiry start date",
                "section 47 enquiry start date",
                "s47 start date",
                "date of strategy discussion initiating section 47 enquiry",
                "section 47 start date",
            ),
        ),
        "icpc_unnecessary": (
            "flag",
            (
                "was an initial child protection conference deemed unnecessary",
                "icpc deemed unnecessary",
                "icpc not required",
            ),
        ),
        "icpc_date": (
            "date",
            ("date of initial child protection conference", "icpc date", "date of icpc"),
        ),
        "icpc_plan": (
            "flag",
            (
                "did the initial child protection conference result in a child protection plan",
                "did the icpc result in a child protection plan",
                "icpc resulted in cp plan",
            ),
        ),
        "s47_12m": (
            "number",
            (
                "number of section 47 enquiries in the last 12 months",
                "number of section 47 enquiries in last 12 months",
            ),
        ),
        "icpc_12m": (
            "number",
            ("number of icpcs in the last 12 months", "number of icpcs in last 12 months"),
        ),
    },
    6: {
        "cin_start": ("date", ("cin start date", "date cin started", "cin episode start date")),
        "primary_need": ("code", ("primary need code", "primary need", "category of need")),
        "last_seen": (
            "date",
            ("date child was last seen", "date child last seen", "date the child was last seen"),
        ),
        "cin_close": ("date", ("cin closure date", "cin close date", "date cin closed")),
        "close_reason": ("code", ("reason for closure", "closure reason", "cin closure reason")),
        "case_status": ("code", ("case status",)),
    },
    7: {
        "cpp_start": (
            "date",
            ("child protection plan start date", "cp plan start date", "cpp start date"),
        ),
        "initial_cat": ("code", ("initial category of abuse",)),
        "latest_cat": ("code", ("latest category of abuse",)),
        "last_visit": (
            "date",
            ("date of the last statutory visit", "date of last statutory visit"),
        ),
        "seen_alone": ("flag", ("was the child seen alone", "child seen alone")),
        "last_review": (
            "date",
            (
                "date of latest review conference",
                "date of last review",
                "date of last review conference",
                "date of latest review",
                "date of the last review conference",
            ),
        ),
        "cpp_end": (
            "date",
            ("child protection plan end date", "cp plan end date", "cpp end date"),
        ),
        "epo": (
            "flag",
            (
                "subject to emergency protection order or protected under police powers in "
                "last six months y n",
                "subject to emergency protection order or protected under police powers in "
                "last six months",
            ),
        ),
        "previous_cpp": (
            "number",
            (
                "number of previous child protection plans",
                "number of previous cp plans",
                "previous child protection plans",
            ),
        ),
    },
    8: {},
    9: {},
    10: {},
}
# The field without which a row of the list is unusable (besides the child id).
DEFINING_FIELD = {
    1: "contact_date",
    2: "eh_start",
    3: "referral_date",
    4: "asmt_start",
    5: "s47_start",
    6: "cin_start",
    7: "cpp_start",
}
# What besides the child and the defining date makes two rows of a list the same record: one
# child can have two contacts on a day, from two sources; any other repeat is a duplicate.
DUPLICATE_KEY = {1: ("contact_date", "contact_source")}
# Columns of a referral a list 6 row completes -> its field, to name it when merging.
MERGED_FIELDS = {
    "cine_cin_primary_need_code": "primary_need",
    "cine_close_date": "cin_close",
    "cine_close_reason": "close_reason",
    "cine_case_status": "case_status",
    "cine_allocated_team": "team",
    "cine_allocated_worker": "worker",
}
# Lists whose required column missing stops the load (they feed the dashboard's tables).
CORE_LISTS = {1, 3, 4, 5, 6, 7}
# Lists whose children become ssd_person rows: the front door lists. Lists 8 to 10 (children in
# care, care leavers, adoption) feed no measure here; list 11 lists adopters.
PERSON_LISTS = {1, 2, 3, 4, 5, 6, 7}
# The main table each list feeds, to say which table a problem concerns.
LIST_TABLE = {
    1: "ssd_contacts",
    2: EARLY_HELP_TABLE,
    3: "ssd_cin_episodes",
    4: "ssd_cin_assessments",
    5: "ssd_s47_enquiry",
    6: "ssd_cin_episodes",
    7: "ssd_cp_plans",
}

EXCEL_ERRORS = {
    "#N/A",
    "#N/A N/A",
    "#NA",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}

_LIST_NAME = re.compile(r"^\s*list[\s_\-.:]*(\d{1,2})(?!\d)", re.IGNORECASE)
_PREFIX = re.compile(r"^\(?[a-z]{1,2}\)\s*")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_CODE_DESC = re.compile(r"^([0-9A-Za-z]{1,8})\s*(?::|\s-|–)\s*(.+)$")

SEX = {
    "male": "M",
    "m": "M",
    "boy": "M",
    "man": "M",
    "female": "F",
    "f": "F",
    "girl": "F",
    "woman": "F",
    "not stated/recorded": "U",
    "not stated/recorded (or unborn)": "U",
    "not stated": "U",
    "not recorded": "U",
    "not known": "U",
    "unknown": "U",
    "unborn": "U",
    "neither": "U",
    "indeterminate": "U",
    "u": "U",
    "1": "M",
    "2": "F",
    "0": "U",
    "9": "U",
}
FLAG_EMPTY = {"unknown", "not known", "n/a", "na", "not applicable", "not recorded"}


def _norm(text: object) -> str:
    """A header as compared: lower case, apostrophes dropped, other punctuation as spaces."""
    s = str(text or "").replace("\xa0", " ").lower()
    s = re.sub(r"['‘’`´]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def _list_number(name: str) -> int | None:
    m = _LIST_NAME.match(name or "")
    return int(m.group(1)) if m else None
