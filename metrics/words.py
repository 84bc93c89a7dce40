"""Values said in words: one date style ("3 Feb 2026") and the DfE codes an extract carries
decoded (CP category, ethnicity, sex, referral source, category of need, closure reason,
assessment factors), for pages, tables and the review pack alike.

The code lists are the CIN census's (CIN_schema_2026.xsd); Annex A's one-letter CP categories
are read too. A value that is not a known code is shown as it is (an extract may already hold
words, as the synthetic sample does). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from frontdoor.sources import cin_spec

_PLAIN = (str, int, bool, dt.date, dt.datetime)

CP_CATEGORY = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
    # Annex A and older local systems: one letter.
    "N": "Neglect",
    "P": "Physical abuse",
    "S": "Sexual abuse",
    "E": "Emotional abuse",
    "M": "Multiple",
}
SEX = {"M": "Male", "F": "Female", "U": "Unknown", "1": "Male", "2": "Female",
       "0": "Not recorded", "9": "Indeterminate"}  # fmt: skip
# The census's own list, as the specification words it (one copy: frontdoor's cin_spec).
ETHNICITY = cin_spec.ETHNICITIES
REFERRAL_SOURCE = {
    "1A": "Family member, relative or carer",
    "1B": "Acquaintance",
    "1C": "Self",
    "1D": "Other individual",
    "2A": "School",
    "2B": "Education services",
    "3A": "GP",
    "3B": "Health visitor",
    "3C": "School nurse",
    "3D": "Other primary health services",
    "3E": "A&E",
    "3F": "Other health services",
    "4": "Housing",
    "5A": "Social care (local authority)",
    "5B": "Other local authority service",
    "5C": "Another local authority",
    "5D": "Early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
NEED = {
    "N0": "Not stated",
    "N1": "Abuse, neglect or exploitation",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
}
CLOSE_REASON = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to another local authority",
    "RC6": "Transferred to adult social care",
    "RC7": "Services ceased",
    "RC8": "Closed after assessment, no further action",
    "RC9": "Closed after assessment, referred to early help",
}
FACTOR = {
    "1A": "Alcohol misuse: child",
    "1B": "Alcohol misuse: parent or carer",
    "1C": "Alcohol misuse: other person in household",
    "2A": "Drug misuse: child",
    "2B": "Drug misuse: parent or carer",
    "2C": "Drug misuse: other person in household",
    "3A": "Domestic abuse: child",
    "3B": "Domestic abuse: parent or carer",
    "3C": "Domestic abuse: other person in household",
    "4A": "Mental health: child",
    "4B": "Mental health: parent or carer",
    "4C": "Mental health: other person in household",
    "5A": "Learning disability: child",
    "5B": "Learning disability: parent or carer",
    "5C": "Learning disability: other person in household",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent or carer",
    "6C": "Physical disability or illness: other person in household",
    "7A": "Young carer",
    "8B": "Privately fostered",
    "8C": "Privately fostered",
    "8D": "Privately fostered",
    "8E": "Privately fostered",
    "8F": "Privately fostered",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18A": "Physical abuse",
    "18B": "Physical abuse (child on child)",
    "18C": "Physical abuse (adult on child)",
    "19A": "Sexual abuse",
    "19B": "Sexual abuse (child on child)",
    "19C": "Sexual abuse (adult on child)",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
# The kind of visit the review pack and chronology name: which of the extract's visit tables
# it comes from (ssd_cp_visits, ssd_cin_visits). frontdoor's own code, not a DfE one.
VISIT_TYPE = {"CP": "Child protection", "CIN": "Child in need"}
_LISTS = {
    "cp_category": CP_CATEGORY,
    "sex": SEX,
    "ethnicity": ETHNICITY,
    "referral_source": REFERRAL_SOURCE,
    "need": NEED,
    "close_reason": CLOSE_REASON,
    "factor": FACTOR,
    "visit_type": VISIT_TYPE,
}


# Column names the measures' rows carry, said in words (anything else: see `label`).
LABELS = {
    "person_id": "Child",
    "family_id": "Family",
    "referral_id": "Referral",
    "assessment_id": "Assessment",
    "cp_plan_id": "CP plan",
    "icpc_id": "Conference",
    "request_id": "Request",
    "note_id": "Case note",
    "contact_id": "Contact",
    "worker_id": "Worker",
    "worker_name": "Worker",
    "team": "Team",
    "team_name": "Team",
    "age_wd": "Age (working days)",
    "days": "Working days",
    "lag_wd": "Lag (working days)",
    "decision_wd": "Decision (working days)",
    "days_late_wd": "Late by (working days)",
    "days_since_oversight": "Since oversight (working days)",
    "days_since_activity": "Since activity (working days)",
    "days_until_due": "Days until due",
    "past_target": "Past target",
    "at_risk": "At potential risk",
    "nfa": "No further action",
    "fte": "FTE",
    "children_per_fte": "Children per FTE",
    "family_children": "Family's children on this caseload",
    "icpc_date": "Conference date",
    "outcome_cp": "Outcome: CP plan",
    "receiving_team": "Receiving team",
    "receiving_worker_id": "Receiving worker",
    "transfer_date": "Transferred",
    "plan_kind": "Plan",
    "workers_12m": "Workers in 12 months",
    "three_plus": "3 or more workers",
    "views_recorded": "Child's views recorded",
    "first_seen_alone_date": "First seen alone",
    "led_to_icpc": "Led to a conference",
    "led_to_plan": "Led to a CP plan",
    "decided_before_contact": "Before contact (data issue)",
    "linked_before_referral": "Before referral (data issue)",
    "s47_id": "S47 enquiry",
    "source_code": "Source (DfE category)",
    "source_desc": "Source (as recorded)",
    "need_code": "Category of need",
    # The review pack's tables.
    "plan_id": "CP plan",
    "plan": "CP plan",
    "start_date": "Started",
    "end_date": "Ended",
    "reviews_held": "Reviews held",
    "repeat": "Repeat plan",
    "due_date": "Due",
    "held_date": "Held",
    "on_time": "On time",
    "visit_type": "Visit",
    "seen": "Child seen",
    "seen_alone": "Seen alone",
    "gap_wd": "Working days since last seen",
    "over_standard": "Over the local standard",
    "not_judged": "Not judged",
    "name": "Name",
    "first": "First involved",
    "last": "Last involved",
    "current": "Involved now",
    "qualified": "Qualified social worker",
    "dob": "Date of birth",
    "participation": "Child's participation",
}


def label(column: str) -> str:
    """A column name in words: LABELS, else "referral_date" -> "Referral date", "_wd" ->
    "(working days)", "_pct" -> "(%)"."""
    if column in LABELS:
        return LABELS[column]
    text = str(column)
    unit = ""
    for suffix, words in (("_wd", " (working days)"), ("_pct", " (%)")):
        if text.endswith(suffix):
            text, unit = text[: -len(suffix)], words
    text = text.replace("_", " ").strip()
    return (text[:1].upper() + text[1:] + unit) if text else str(column)


def missing(value: object) -> bool:
    """None, NaN, NA or NaT: a value that is not there."""
    if value is None:
        return True
    # Python's own types need no pandas (imported only for pandas' and numpy's values: a
    # command that shows no frame then starts without it). Exact types: pandas' NaT is a date.
    if type(value) in _PLAIN:
        return False
    if type(value) is float:
        return math.isnan(value)
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def decode(kind: str, value: object) -> str | None:
    """The words for a code of list `kind` (see _LISTS); a value that is not a known code is
    returned as it is; None stays None."""
    if missing(value):
        return None
    text = str(value).strip()
    return _LISTS[kind].get(text.upper(), text) if text else None


def date_text(value: object) -> str:
    """A date as "3 Feb 2026" ("" when there is none)."""
    if missing(value):
        return ""
    if isinstance(value, dt.datetime):  # pd.Timestamp included
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def days_text(n: object, unit: str = "working day") -> str:
    """ "1 working day", "3 working days" ("" when there is none)."""
    if missing(n):
        return ""
    n = int(n)
    return f"{n:,} {unit}" + ("" if n == 1 else "s")


# Columns of the measures' rows (and of the child's record) that hold a DfE code: the list
# that says each in words, and what the list is, for the column's help ("the code in the
# tooltip"). Tables decode them on screen; downloads keep the code beside the words.
CODED = {
    "source_code": "referral_source",
    "need_code": "need",
    "category": "cp_category",
    "cp_category": "cp_category",
    "initial_category": "cp_category",
    "latest_category": "cp_category",
    "plan_category": "cp_category",
    "ethnicity": "ethnicity",
    "sex": "sex",
    "close_reason": "close_reason",
    "factor": "factor",
    "factors": "factor",
    "visit_type": "visit_type",
}
LIST_NAMES = {
    "cp_category": "child protection category",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "referral_source": "referral source",
    "need": "category of need",
    "close_reason": "reason for closure",
    "factor": "assessment factor",
    "visit_type": "the kind of visit",
}
# Lists whose codes are frontdoor's own, not DfE's.
OWN_CODES = {"visit_type"}


def decode_all(kind: str, value: object) -> str | None:
    """A value that may hold several codes (assessment factors: "3A, 4B" or "3A;4B"), each
    said in words, joined by "; "."""
    if missing(value):
        return None
    parts = [p for p in str(value).replace(";", ",").split(",") if p.strip()]
    if len(parts) <= 1:
        return decode(kind, value)
    return "; ".join(decode(kind, p) or "" for p in parts)


def code_help(kind: str, codes: Iterable[object] = ()) -> str:
    """The help of a decoded column ("the code in the tooltip"): which list the words come
    from, and each code the column holds (up to 12) with its words."""
    source = "a code of frontdoor's" if kind in OWN_CODES else "the DfE code"
    text = f"In words from {source} for {LIST_NAMES.get(kind, kind)}"
    table = _LISTS.get(kind, {})
    seen = dict.fromkeys(str(c).strip().upper() for c in codes if not missing(c))
    pairs = [f"{c}: {table[c]}" for c in seen if c in table]
    if pairs:
        text += " (" + "; ".join(pairs[:12]) + ("; ..." if len(pairs) > 12 else "") + ")"
    return text + ". The codes are in the CSV download."


def share_text(value: object) -> str:
    """A share as "86.1%" ("" when there is none)."""
    if missing(value):
        return ""
    return f"{float(value):.1f}%"


def number_text(value: object) -> str:
    """A number as a person reads it: whole numbers with thousands separators, anything else
    to one decimal ("" when there is none)."""
    if missing(value):
        return ""
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def month_text(value: object) -> str:
    """A month as "Apr 2025" ("" when there is none)."""
    if missing(value):
        return ""
    import pandas as pd

    stamp = pd.Timestamp(value)
    return f"{stamp:%b %Y}"


def when_text(value: object) -> str:
    """A moment as "3 Feb 2026, 14:05", UK time ("" when there is none; text that is not a
    time is returned as it is)."""
    if missing(value):
        return ""
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if stamp.tzinfo is not None:  # the log is in UTC; people read UK time
        stamp = stamp.tz_convert("Europe/London")
    return f"{date_text(stamp)}, {stamp:%H:%M}"


# What the audit log's actions mean, for the Audit log page.
AUDIT_ACTIONS = {
    "child_view": "Child's record opened",
    "rows_shown": "Children listed",
    "download": "Downloaded",
    "review_pack": "Review pack opened",
    "load": "Extract loaded",
    "page": "Page opened",
}


def yes_no(value: object, yes: str = "yes", no: str = "no", unknown: str = "") -> str:
    """A flag in words (never a tick, a colour or "None")."""
    if missing(value):
        return unknown
    return yes if bool(value) else no
