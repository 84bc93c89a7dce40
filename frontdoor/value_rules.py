"""How one value of the extract is read, and why it is refused, as pieces of SQL.

Shared by writing a table (frontdoor.table_write: trimming, null spellings, parsing, the faults
that reject a row) and checking it (frontdoor.validate: the data issues of a loaded row), so a
rule and its words are written once. Every piece takes and returns SQL text; values are never
put into it (the only literals are the rules' own words and patterns).
"""

from __future__ import annotations

import datetime as dt

from frontdoor.schema import DATE, FLAG, NUMBER, Table
from frontdoor.sources.staging import ident, lit

# Dates that are naturally in the future: never reported as "after the extract date".
FUTURE_ALLOWED = {"pers_expected_dob", "cppr_cp_review_due", "icpc_icpc_target_date"}

# Dates whose unreadable value is left missing (a data issue) instead of rejecting the row.
LENIENT_DATES = {
    "pers_dob",
    "pers_expected_dob",
    "pers_death_date",
    "icpc_icpc_target_date",
    "cppr_cp_review_due",
}

# Written for "no value" by SQL Server, Excel, R, pandas and people; compared in upper case.
NULL_SPELLINGS = ("", "NULL", "N/A", "NA", "#N/A", "-", "NONE", "NAN", "(NULL)")

UNREADABLE_DATE = (
    "unreadable date (expected a real date as YYYY-MM-DD or DD/MM/YYYY); the row is rejected"
)
UNREADABLE_LENIENT_DATE = (
    "unreadable date (expected a real date as YYYY-MM-DD or DD/MM/YYYY); left missing, the row "
    "is kept"
)
# A date is read only between these (a year like 0203 or 2203 is a typing error): every loaded
# date then lies in the working-day calendar, which the loader widens to the data's dates.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
OUT_OF_RANGE_DATE = (
    "date before 1900 or after 2100 (a typing error?); the row is rejected: correct the year "
    "in the source system"
)
OUT_OF_RANGE_LENIENT_DATE = (
    "date before 1900 or after 2100 (a typing error?); left missing, the row is kept"
)
BAD_FLAG = "unrecognised flag (expected Y/N, Yes/No, true/false or 1/0); loaded as unknown"
BAD_NUMBER = "unreadable number; loaded as blank"


def trimmed_sql(col: str) -> str:
    """SQL: `trim(col)`, called only where it can change the value: a space at either end, or a
    character beyond ASCII (trim also removes Unicode spaces such as the no-break space).
    Three byte tests are much cheaper than trim, which copies every value."""
    return (
        f"(CASE WHEN starts_with({col}, ' ') OR ends_with({col}, ' ') "
        f"OR strlen({col}) <> length({col}) THEN trim({col}) ELSE {col} END)"
    )


def as_written_sql(col: str) -> str:
    """SQL: `col` untouched (a file with nothing to trim)."""
    return col


def is_null_sql(col: str) -> str:
    """SQL: `col` (trimmed) is a null spelling. The length and first-character tests first keep
    upper() off long values (every spelling is at most 6 characters) and most short ones."""
    spellings = ", ".join(lit(x) for x in NULL_SPELLINGS)
    firsts = ", ".join(str(c) for c in _NULL_FIRSTS)
    return (
        f"(CASE WHEN strlen({col}) <= 6 AND ascii({col}) IN ({firsts}) "
        f"THEN upper({col}) IN ({spellings}) ELSE false END)"
    )


# The first character of every null spelling, either case (0: the empty string): most short
# values (ids, codes) are told apart from a null spelling by it, without upper().
_NULL_FIRSTS = sorted(
    {ord(x[0]) for x in NULL_SPELLINGS if x}
    | {ord(x[0].lower()) for x in NULL_SPELLINGS if x}
    | {0}
)


def text_sql(spec: Table, c: str, prefix: str = "") -> str:
    """SQL: column `c` of a table being loaded as written (cleaned: trimmed, null spellings
    missing), from its typed value where that shows it."""
    t = spec.columns.get(c)
    if t == DATE:
        # The typed date back as ISO text (data, as a reader keeps it; not a date for people).
        return f"coalesce({prefix}{ident(c + '__o')}, CAST({prefix}{ident(c)} AS VARCHAR))"
    if t in (FLAG, NUMBER):
        return f"{prefix}{ident(c + '__o')}"
    return f"{prefix}{ident(c)}"


_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]|$)"
ISO_PLAIN = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_UK = r"\d{1,2}/\d{1,2}/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def plain_date_sql(col: str, cast: str | None = None) -> str:
    """SQL: `col` is written YYYY-MM-DD (NULL when `col` is). A glob costs more than the cast
    it guards, so a table being written tests it once a value, as a column (`parse_sql`'s
    `plain`), for both its date and whether to keep the value as written.

    `cast`: a column already holding `try_cast(col AS DATE)`. Then the test is whether that
    date written back as text is `col`, cheaper than the glob. A date of the years
    loaded (EARLIEST_DATE to LATEST_DATE) is written back exactly YYYY-MM-DD, so where a date
    is kept the two tests agree; they differ only where none is (no real date, 2021-02-30: NULL
    for false; a year beyond 9999: true), and `parse_sql` then gives the same kept date, none."""
    if cast is not None:
        return f"(CAST({cast} AS VARCHAR) = {col})"
    return f"{col} GLOB {lit(ISO_PLAIN)}"


def parse_sql(col: str, kind: str, plain: str | None = None, cast: str | None = None) -> str:
    """SQL typing a cleaned text column: NULL where blank or unreadable. `plain`: a column
    already holding `plain_date_sql(col)` (a date's usual form, tested once); `cast`: one
    holding `try_cast(col AS DATE)` (cast once, for the plain test and the date both)."""
    if kind == DATE:
        as_date = cast or f"try_cast({col} AS DATE)"
        return (
            f"CASE WHEN {col} IS NULL THEN NULL "
            # The usual YYYY-MM-DD first (`plain`: a subset of _ISO, much cheaper to test).
            f"WHEN {plain or plain_date_sql(col)} THEN {as_date} "
            f"WHEN regexp_matches({col}, {lit(_ISO)}) THEN {as_date} "
            f"WHEN regexp_full_match({col}, {lit(_UK)}) THEN CAST(try_strptime("
            rf"regexp_extract({col}, '^\d{{1,2}}/\d{{1,2}}/\d{{4}}'), '%d/%m/%Y') AS DATE) END"
        )
    if kind == FLAG:
        # Y and N (what most systems export) first, without lower(), which copies each value.
        return (
            f"CASE {col} WHEN 'Y' THEN true WHEN 'N' THEN false ELSE "
            f"CASE WHEN lower({col}) IN ('y', 'yes', 'true', '1') THEN true "
            f"WHEN lower({col}) IN ('n', 'no', 'false', '0') THEN false END END"
        )
    if kind == NUMBER:
        return f"try_cast({col} AS DOUBLE)"
    raise ValueError(kind)


def date_reason_sql(
    column: str, unreadable: str, out_of_range: str, text: str | None = None
) -> str:
    """SQL: why a date that was written is not loaded: unreadable, or read but out of range
    (its value re-read from the text `text`, the column itself by default, as the raw parse is
    not kept)."""
    written = text or ident(column)
    return (
        f"CASE WHEN {parse_sql(written, DATE)} IS NOT NULL THEN {lit(out_of_range)} "
        f"ELSE {lit(unreadable)} END"
    )


def fault_sql(column: str, value_sql: str, reason_sql: str) -> str:
    return f"{{'col': {lit(column)}, 'val': {value_sql}, 'reason': {reason_sql}}}"


def key_missing_sql(spec: Table) -> str:
    return lit(f"key missing: {spec.key} is blank; the row is rejected")


DEFINING_DATE_NAMES = {
    "cont_contact_date": "contact date",
    "cine_referral_date": "referral date",
    "cina_assessment_start_date": "assessment start",
    "cinp_cin_plan_start_date": "plan start",
    "cinv_cin_visit_date": "visit date",
    "cppv_cp_visit_date": "visit date",
    "s47e_s47_start_date": "S47 start",
    "icpc_icpc_date": "ICPC date",
    "cppl_cp_plan_start_date": "plan start",
    "cppr_cp_review_date": "review date",
    "invo_involvement_start_date": "involvement start",
    "event_date": "note event date",
    "requested_date": "request date",
}


def date_missing_sql(spec: Table) -> str:
    what = DEFINING_DATE_NAMES.get(spec.defining_date, "defining date")
    return lit(
        f"defining date missing: {spec.defining_date} ({what}) is blank; the row is rejected"
    )
