"""The codes of Ofsted's Annex A (the 2019 template's Codes_used sheet), and how the loaded
values map onto them. The template asks for the ordering prefix (`a) Male`): "it helps create an
order when added into some tools" (its FAQ)."""

from __future__ import annotations

from frontdoor.returns import census_codes, flag

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}

ETHNICITY = {
    code: f"{letter}) {code}"
    for letter, code in zip(
        "abcdefghijklmnopqrs",
        "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE "
        "OOTH REFU".split(),
        strict=True,
    )
}
ETHNICITY["NOBT"] = "s) NOBT"  # the template gives REFU and NOBT the same letter

_SOURCES = [
    ("1A", "Individual"),
    ("1B", "Individual"),
    ("1C", "Individual"),
    ("1D", "Individual"),
    ("2A", "Schools"),
    ("2B", "Education services"),
    ("3A", "Health services"),
    ("3B", "Health services"),
    ("3C", "Health services"),
    ("3D", "Health services"),
    ("3E", "Health services"),
    ("3F", "Health services"),
    ("4", "Housing"),
    ("5A", "LA services"),
    ("5B", "LA services"),
    ("5C", "LA services"),
    ("6", "Police"),
    ("7", "Other legal agency"),
    ("8", "Other"),
    ("9", "Anonymous"),
    ("10", "Unknown"),
]
SOURCE = {
    code: f"{letter}) {code}: {name}"
    for letter, (code, name) in zip("abcdefghijklmnopqrstu", _SOURCES, strict=True)
}
# Codes DfE added after the 2019 template: written without an ordering letter.
SOURCE["5D"] = "5D: LA services"

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"

PRIMARY_NEED = {
    "N1": "N1 - Abuse or neglect",
    "N2": "N2 - Child’s disability",
    "N3": "N3 - Parental disability or illness",
    "N4": "N4 - Family in acute stress",
    "N5": "N5 - Family dysfunction",
    "N6": "N6 - Socially unacceptable behaviour",
    "N7": "N7 - Low income",
    "N8": "N8 - Absent parenting",
    "N9": "N9 - Cases other than children in need",
    "N0": "N0 - Not stated",
}
CLOSURE_REASON = {
    "RC1": "RC1 - Adopted",
    "RC2": "RC2 - Died",
    "RC3": "RC3 - Child arrangements order",
    "RC4": "RC4 - Special guardianship order",
    "RC5": "RC5 - Transferred to services of another local authority",
    "RC6": "RC6 - Transferred to adult social care services",
    "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
    "RC8": "RC8 - Case closed after assessment, no further action",
    # added by DfE after the 2019 template
    "RC9": "RC9 - Case closed after assessment, referred to early help",
}
CASE_STATUS = {
    "cla": "a) Looked after child",
    "cp": "b) Child Protection plan",
    "cin": "c) Child in need plan",
    "assessment": "d) Open assessment",
    "closed": "e) Closed episode",
}
CATEGORY = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}


def gender(value: object) -> str | None:
    sex = census_codes.sex(value)
    return GENDER.get(sex) if sex else None


def ethnicity(value: object) -> str | None:
    code = census_codes.code(value, census_codes.ETHNICITIES)
    if code:
        return ETHNICITY[code]
    return None if value is None else str(value)


def source(code: object, desc: object) -> str | None:
    """A contact or referral source: Ofsted's code, else as recorded ('code: description')."""
    found = census_codes.code(code, census_codes.REFERRAL_SOURCES)
    if found:
        return SOURCE[found]
    parts = [str(x) for x in (code, desc) if x not in (None, "")]
    return ": ".join(dict.fromkeys(parts)) or None


def coded(value: object, table: dict[str, str]) -> str | None:
    """A census-style code as the template writes it; an unknown value as recorded."""
    if value is None:
        return None
    found = census_codes.code(value, list(table))
    return table[found] if found else str(value)


def category(value: object) -> str | None:
    found = census_codes.abuse_category(value)
    if found:
        return CATEGORY[found]
    return None if value is None else str(value)


def yes_no(value: object) -> str | None:
    """A flag as 'a) Yes' / 'b) No'; not recorded stays blank (never 'No')."""
    f = flag(value)
    if f is None:
        text = str(value or "").strip().lower()
        return UNKNOWN if text in ("unknown", "c) unknown", "not known") else None
    return YES if f else NO
