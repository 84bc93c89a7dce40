"""The code lists of the DfE CIN census 2025-26 (CIN_schema_2026.xsd), held here so the writer
and its tests need no copy of the schema, and the mapping of the SSD's words onto them."""

from __future__ import annotations

SEXES = ("M", "F", "U")
# Older and textual sexes seen in extracts (GenderCurrent codes, words).
SEX_WORDS = {
    "m": "M",
    "male": "M",
    "1": "M",
    "f": "F",
    "female": "F",
    "2": "F",
    "u": "U",
    "unknown": "U",
    "not known": "U",
    "0": "U",
    "9": "U",
    "indeterminate": "U",
}
ETHNICITIES = (
    "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH "
    "REFU NOBT"
).split()
DISABILITIES = "NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA".split()
REFERRAL_SOURCES = "1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10".split()
PRIMARY_NEEDS = "N1 N2 N3 N4 N5 N6 N7 N8 N9 N0".split()
CLOSURE_REASONS = "RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9".split()
ASSESSMENT_FACTORS = (
    "1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A 10A 11A 12A 13A "
    "14A 15A 16A 17A 18A 18B 18C 19A 19B 19C 20 21 22A 23A 24A"
).split()
ABUSE_CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
# Words for the categories of abuse (SSD and Annex A write them out) -> census code.
ABUSE_WORDS = {
    "neglect": "NEG",
    "physical abuse": "PHY",
    "physical": "PHY",
    "sexual abuse": "SAB",
    "sexual": "SAB",
    "emotional abuse": "EMO",
    "emotional": "EMO",
    "multiple": "MUL",
    "multiple/not recommended": "MUL",
    "multiple categories": "MUL",
}

# The census's own "not known" values: used for a missing item only where the census defines one
# with exactly that meaning (the gap is still reported).
SEX_NOT_KNOWN = "U"
ETHNICITY_NOT_KNOWN = "NOBT"  # "Information not yet obtained"
SOURCE_NOT_KNOWN = "10"  # "UNKNOWN"


def _strip_prefix(text: str) -> str:
    """Annex A's ordering prefix ('a) ') and a trailing description ('6: Police' -> '6')."""
    text = text.strip()
    if len(text) > 3 and text[1] == ")" and text[0].isalpha():
        text = text[2:].strip()
    for sep in (":", " - ", " – "):
        if sep in text:
            text = text.split(sep, 1)[0].strip()
    return text


def sex(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.upper() in SEXES:
        return text.upper()
    return SEX_WORDS.get(_strip_prefix(text).lower()) or SEX_WORDS.get(text.lower())


def code(value: object, codes: list[str] | tuple[str, ...]) -> str | None:
    """A coded value as the census writes it, or None when it is not one of `codes`."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    for candidate in (text, text.upper(), _strip_prefix(text), _strip_prefix(text).upper()):
        if candidate in codes:
            return candidate
    return None


def abuse_category(value: object) -> str | None:
    if value is None:
        return None
    found = code(value, ABUSE_CATEGORIES)
    if found:
        return found
    text = str(value).strip().lower()
    if len(text) > 3 and text[1] == ")":
        text = text[2:].strip()
    return ABUSE_WORDS.get(text)
