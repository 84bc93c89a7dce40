"""The code lists of the DfE CIN census 2025-26 (from `frontdoor.sources.cin_spec`, which the
reader checks files by), so the writer and its tests need no copy of the schema, and the mapping
of the SSD's words onto them."""

from __future__ import annotations

from frontdoor.sources import cin_spec as spec

# The code lists are the specification's facts, held once for the reader and the writer.
SEXES = tuple(spec.SEXES)
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
ETHNICITIES = tuple(spec.ETHNICITIES)
DISABILITIES = tuple(spec.DISABILITIES)
REFERRAL_SOURCES = tuple(spec.REFERRAL_SOURCES)
PRIMARY_NEEDS = tuple(spec.PRIMARY_NEEDS)
CLOSURE_REASONS = tuple(spec.CLOSURE_REASONS)
ASSESSMENT_FACTORS = tuple(spec.ASSESSMENT_FACTORS)
ABUSE_CATEGORIES = tuple(spec.ABUSE_CATEGORIES)
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
