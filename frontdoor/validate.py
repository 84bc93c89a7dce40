"""Type and check one table of the extract, in SQL over the whole table at once.

The rules (docs/source-mapping.md, "What happens to bad input"):
- values are trimmed of spaces; a null spelling (empty, NULL, null, N/A, NA, #N/A, -, None, NaN,
  (null), any case) is a missing value, and each column's trimmed values and null spellings are
  summed up in one data issue (count, first line, the value as written);
- a row is rejected (`rejected_rows`, one line per fault) for: its key missing, its defining date
  missing, a date present but unreadable or before 1900 or after 2100 (except the lenient dates
  below), a duplicate key after the first usable occurrence (by file order, then line);
- a lenient date (date of birth, expected date of birth, date of death, ICPC target date, review
  due date) that cannot be read is left missing and listed in `data_issues`: the row is kept (a
  child with an unreadable date of birth keeps their episodes);
- loaded rows that look wrong are listed in `data_issues`: an end before its start, a date after
  the extract date, an unrecognised flag or number (loaded as unknown), a person not in
  ssd_person, an ICPC before its S47.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from frontdoor.schema import DATE, FLAG, NUMBER, Table
from frontdoor.sources import RECODED, Problem
from frontdoor.sources.files import Staged, ident, lit, materialise, read_csv_into

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


def _trim(col: str) -> str:
    """SQL: `trim(col)`, called only where it can change the value: a space at either end, or a
    character beyond ASCII (trim also removes Unicode spaces such as the no-break space).
    Three byte tests are much cheaper than trim, which copies every value."""
    return (
        f"(CASE WHEN starts_with({col}, ' ') OR ends_with({col}, ' ') "
        f"OR strlen({col}) <> length({col}) THEN trim({col}) ELSE {col} END)"
    )


def _as_written(col: str) -> str:
    """SQL: `col` untouched (a file with nothing to trim)."""
    return col


def _is_null(col: str) -> str:
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


def load_table(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    parts: list[Staged],
    extract_date: dt.date,
    s47_loaded: bool,
) -> list[Problem]:
    """Create the typed table `spec.name` from its staged parts; write its rejected rows, data
    issues and counts (`_counts`). Returns the warnings of reading its CSV files."""
    written = write_table(con, spec, parts)
    check_table(con, written, extract_date, s47_loaded)
    return written.problems


@dataclass
class Written:
    """A table written by `write_table`, its working columns still there for `check_table`."""

    spec: Table
    parts: list[Staged]
    problems: list[Problem]  # warnings of reading its CSV files
    noted: list[str]  # the columns whose changed values `_notes` marks, bit by bit
    typed: list[str]  # the columns typed (date, flag, number): each has `<c>__o`


def write_table(con: duckdb.DuckDBPyConnection, spec: Table, parts: list[Staged]) -> Written:
    """Write the table `spec.name` once: every row typed, with working columns beside the
    schema's (the faults of a rejected row, each value as written where the typed value does
    not show it, the values the load changed, file and line), duplicate keys marked as faults.
    A single CSV file is read straight into it. Reads no other table of the extract, so tables
    can be written at once, each on its own connection (`con`); `check_table` finishes it."""
    name = spec.name
    problems: list[Problem] = []
    fused = len(parts) == 1 and parts[0].csv is not None
    if not fused:
        for p in parts:
            problems += materialise(con, p)
    present: list[str] = []
    for part in parts:
        present += [c for c in part.columns if c not in present]
    extras = [c for c in present if c not in spec.columns]
    typed = [c for c, t in spec.columns.items() if t in (DATE, FLAG, NUMBER)]

    # Trim (spaces), then a null spelling (blank, NULL, N/A, ...) is NULL. A CSV file whose
    # survey found no space beside a field's edge and nothing beyond ASCII has nothing to trim.
    survey = parts[0].csv.survey if fused else None
    trim = _trim if survey is None or survey.padded else _as_written
    trimmed = [
        f"{trim(ident(c))} AS {ident(c)}" if c in present else f"NULL::VARCHAR AS {ident(c)}"
        for c in spec.columns
    ] + [ident(c) for c in extras]
    cleaned = [
        f"CASE WHEN {_is_null(ident(c))} THEN NULL ELSE {ident(c)} END AS {ident(c)}"
        for c in spec.columns
    ] + [ident(c) for c in extras]
    # The required columns as written, so a rejection for a missing key shows 'N/A' if so.
    required = [spec.key] + ([spec.defining_date] if spec.defining_date else [])
    cleaned += [f"nullif({ident(c)}, '') AS {ident(c + '__k')}" for c in required]
    # A date is read raw (`__r`), then kept (`__v`) only between EARLIEST_DATE and LATEST_DATE.
    # Each step reads the one before as a column (one parse per value, not one per use).
    parsed_raw, parsed = [], []
    for c, t in spec.columns.items():
        if t == DATE:
            parsed_raw.append(f"{_parse(ident(c), t)} AS {ident(c + '__r')}")
            parsed.append(
                f"CASE WHEN {ident(c + '__r')} BETWEEN DATE {lit(EARLIEST_DATE.isoformat())} "
                f"AND DATE {lit(LATEST_DATE.isoformat())} THEN {ident(c + '__r')} END "
                f"AS {ident(c + '__v')}"
            )
        elif t in (FLAG, NUMBER):
            parsed_raw.append(f"{_parse(ident(c), t)} AS {ident(c + '__v')}")
    raw_dates = [ident(c + "__r") for c, t in spec.columns.items() if t == DATE]
    key = ident(spec.key)
    key_o = ident(spec.key + "__k")
    # (condition, fault): a row is rejected when any condition holds, with every fault listed.
    faults = [(f"{key} IS NULL", _fault(spec.key, key_o, _key_missing(spec)))]
    if spec.defining_date:
        dd = ident(spec.defining_date)
        faults.append(
            (
                f"{dd} IS NULL",
                _fault(spec.defining_date, ident(spec.defining_date + "__k"), _date_missing(spec)),
            )
        )
    for c, t in spec.columns.items():
        if t == DATE and c not in LENIENT_DATES:
            faults.append(
                (
                    f"{ident(c)} IS NOT NULL AND {ident(c + '__v')} IS NULL",
                    _fault(c, ident(c), _date_reason(c, UNREADABLE_DATE, OUT_OF_RANGE_DATE)),
                )
            )
    shown = [c for c in [*spec.columns, *extras] if c in present]
    raw_json = (
        "CAST(to_json({" + ", ".join(f"{lit(c)}: {ident(c)}" for c in shown) + "}) AS VARCHAR)"
    )
    # Each value as written (`_x<i>`: names no input column can take), to note in `_notes` (bit
    # i) a value of column i the load changed: trimmed, or a null spelling read as missing; the
    # values as written of a row with any such are kept (`_written`) for the load's notes.
    noted = [c for c in spec.columns if c in present]
    written = [f"{ident(c)} AS _x{i}" for i, c in enumerate(noted)] or ["NULL AS _x0"]
    written_names = [f"_x{i}" for i in range(len(written))]
    changed = (
        " + ".join(
            f"(CASE WHEN _x{i} <> '' AND ({ident(c)} IS NULL OR strlen({ident(c)}) <> strlen(_x{i}))"
            f" THEN {1 << i} ELSE 0 END)"
            for i, c in enumerate(noted)
        )
        or "0"
    )
    bad = " OR ".join(f"({cond})" for cond, _ in faults)
    fault_list = ", ".join(f"CASE WHEN {cond} THEN {fault} END" for cond, fault in faults)
    # The table's own columns, typed, then the working ones: `<c>__o` the value as written
    # (cleaned) of a typed column, where the typed value does not show it (a date not written
    # YYYY-MM-DD; every flag and number).
    out_cols = [
        f"{ident(c + '__v')} AS {ident(c)}" if t in (DATE, FLAG, NUMBER) else ident(c)
        for c, t in spec.columns.items()
    ] + [ident(c) for c in extras]
    for c in typed:
        if spec.columns[c] == DATE:
            out_cols.append(
                f"CASE WHEN {ident(c + '__v')} IS NOT NULL AND {ident(c)} GLOB {lit(_ISO_PLAIN)} "
                f"THEN NULL ELSE {ident(c)} END AS {ident(c + '__o')}"
            )
        else:
            out_cols.append(f"{ident(c)} AS {ident(c + '__o')}")
    out_cols += [
        f"CASE WHEN _bad THEN list_filter([{fault_list}], lambda x: x IS NOT NULL) END AS _faults",
        f"CASE WHEN _bad THEN {raw_json} END AS _raw",
        "_notes",
        "_written",
        "_ord",
        "_file",
        "_line",
    ]
    ordered = len(parts) > 1

    def create(source: str) -> None:
        # _faults is NULL for a usable row: the list (and the raw record) is built only for the
        # rejected ones.
        con.execute(
            f"""
            CREATE TABLE {ident(name)} AS
            WITH u AS ({source}),
            s0 AS (SELECT _ord, _file, _line, {", ".join(trimmed + written)} FROM u),
            s AS (SELECT _ord, _file, _line, {", ".join(cleaned + written_names)} FROM s0),
            r AS (SELECT *, {", ".join([*parsed_raw, f"{changed} AS _notes"])} FROM s),
            t AS (SELECT * EXCLUDE ({", ".join([*written_names, *raw_dates])}),
                         {", ".join(parsed)}{", " if parsed else ""}
                         CASE WHEN _notes <> 0 THEN [{", ".join(written_names)}] END AS _written
                  FROM r),
            f AS (SELECT *, {bad} AS _bad FROM t)
            SELECT {", ".join(out_cols)} FROM f
            {"ORDER BY _ord, _file, _line" if ordered else ""}
            """
        )

    if fused:
        part = parts[0]
        problems += read_csv_into(
            con,
            part,
            name,
            lambda source: create(f"SELECT *, {part.order} AS _ord FROM ({source})"),
        )
    else:
        create(
            " UNION ALL BY NAME ".join(
                f"SELECT *, {p.order} AS _ord FROM {ident(p.relation)}" for p in parts
            )
        )
    t_name = ident(name)
    # A duplicate key, among rows with no other fault: the first by file, then line, stays.
    dups = con.execute(
        f"SELECT count(*) FROM (SELECT {key} FROM {t_name} WHERE _faults IS NULL "
        f"GROUP BY {key} HAVING count(*) > 1)"
    ).fetchone()[0]
    if dups:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _dup AS
            SELECT {key} AS _k,
                   arg_min({{'o': _ord, 'f': _file, 'l': _line}}, (_ord, _file, _line))
                       AS _first
            FROM {t_name} WHERE _faults IS NULL
            GROUP BY {key} HAVING count(*) > 1
            """
        )
        dup_reason = (
            f"'duplicate key: ' || {lit(spec.key)} || ' ' || v.{key} || ' was first on line ' "
            "|| CAST(d._first.l AS VARCHAR) || ' of ' || d._first.f || "
            "'; this row is rejected'"
        )
        dup_json = (
            "CAST(to_json({"
            + ", ".join(f"{lit(c)}: {_text(spec, c, 'v.')}" for c in shown)
            + "}) AS VARCHAR)"
        )
        con.execute(
            f"""
            UPDATE {t_name} AS t SET _faults = m._faults, _raw = m._raw
            FROM (
                SELECT v._ord, v._file, v._line,
                       [{_fault(spec.key, "v." + key, dup_reason)}] AS _faults,
                       {dup_json} AS _raw
                FROM {t_name} v JOIN _dup d ON d._k = v.{key}
                WHERE v._faults IS NULL AND NOT (v._ord = d._first.o
                      AND v._file = d._first.f AND v._line = d._first.l)
            ) m
            WHERE t._ord = m._ord AND t._file = m._file AND t._line = m._line
            """
        )
        con.execute("DROP TABLE _dup")
        if not ordered and not fused:  # a CSV file's rows are in line order already
            con.execute(
                f"CREATE OR REPLACE TABLE {t_name} AS SELECT * FROM {t_name} "
                "ORDER BY _ord, _file, _line"
            )
    return Written(spec, parts, problems, noted, typed)


def check_table(
    con: duckdb.DuckDBPyConnection, written: Written, extract_date: dt.date, s47_loaded: bool
) -> None:
    """Write a written table's rejected rows, data issues, notes and counts (`_counts`), then
    delete its rejected rows and drop its working columns. Reads the tables it checks against
    (ssd_person, ssd_s47_enquiry, ssd_cin_episodes), so those are checked first."""
    spec, parts = written.spec, written.parts
    name = spec.name
    t_name = ident(name)
    _value_notes(con, spec, written.noted)
    con.execute(
        f"""
        INSERT INTO rejected_rows
        SELECT {lit(name)}, _file, _line, f.col, f.val, f.reason, _raw
        FROM (SELECT _file, _line, _raw, unnest(_faults) AS f FROM {t_name}
              WHERE _faults IS NOT NULL)
        ORDER BY _file, _line
        """
    )
    _data_issues(con, spec, extract_date, s47_loaded)
    _recode_notes(con, spec)
    con.execute(
        f"""
        INSERT INTO _counts
        SELECT {lit(name)}, _file, count(*), count(*) FILTER (WHERE _faults IS NULL),
               count(*) FILTER (WHERE _faults IS NOT NULL)
        FROM {t_name} GROUP BY _file
        """
    )
    # A file with a header and no rows is still a file read: it must show in the load report.
    for p in parts:
        con.execute(
            f"INSERT INTO _counts SELECT ?, ?, 0, 0, 0 WHERE NOT EXISTS "
            f"(SELECT 1 FROM {t_name} WHERE _file = ?)",
            [name, p.file, p.file],
        )
    con.execute(f"DELETE FROM {t_name} WHERE _faults IS NOT NULL")
    for c in [*(c + "__o" for c in written.typed), *WORKING_COLUMNS]:
        con.execute(f"ALTER TABLE {t_name} DROP COLUMN {ident(c)}")


# The working columns of a table being loaded (beside each typed column's `<c>__o`).
WORKING_COLUMNS = ("_faults", "_raw", "_notes", "_written", "_ord", "_file", "_line")


def _text(spec: Table, c: str, prefix: str = "") -> str:
    """SQL: column `c` of a table being loaded as written (cleaned: trimmed, null spellings
    missing), from its typed value where that shows it."""
    t = spec.columns.get(c)
    if t == DATE:
        # The typed date back as ISO text (data, as a reader keeps it; not a date for people).
        return f"coalesce({prefix}{ident(c + '__o')}, CAST({prefix}{ident(c)} AS VARCHAR))"
    if t in (FLAG, NUMBER):
        return f"{prefix}{ident(c + '__o')}"
    return f"{prefix}{ident(c)}"


def _data_issues(
    con: duckdb.DuckDBPyConnection, spec: Table, extract_date: dt.date, s47_loaded: bool
) -> None:
    name = spec.name
    person = f"v.{ident(spec.person)}" if spec.person else "CAST(NULL AS VARCHAR)"
    key = ident(spec.key)

    def text(c: str) -> str:  # as written
        return _text(spec, c, "v.")

    def value(c: str) -> str:  # typed
        return f"v.{ident(c)}"

    def written(c: str) -> str:
        """As written, where the typed value is missing (a date, flag or number that could
        not be read): `<c>__o` always holds it then."""
        return f"v.{ident(c + '__o')}"

    joins: list[str] = []  # each to a table's unique key: a row is never repeated

    def issue(column: str, value: str, text: str, where: str, join: str = "") -> tuple:
        if join and join not in joins:
            joins.append(join)
        return where, (
            f"{{'c': {lit(column)}, 'v': CAST({value} AS VARCHAR), 't': CAST({text} AS VARCHAR)}}"
        )

    checks: list[tuple[str, str]] = []  # (condition on a loaded row, its issue)
    for start, end in spec.ordered_dates:
        checks.append(
            issue(
                end,
                text(end),
                f"'end before start: {end} is before {start} ' || "
                f"strftime({value(start)}, '%-d %b %Y')",
                f"{value(end)} < {value(start)}",
            )
        )
    for c in spec.columns:
        if c in LENIENT_DATES:
            checks.append(
                issue(
                    c,
                    written(c),
                    _date_reason(
                        c, UNREADABLE_LENIENT_DATE, OUT_OF_RANGE_LENIENT_DATE, text=written(c)
                    ),
                    f"{written(c)} IS NOT NULL AND {value(c)} IS NULL",
                )
            )
    for c, t in spec.columns.items():
        if t == DATE and c not in FUTURE_ALLOWED:
            checks.append(
                issue(
                    c,
                    text(c),
                    lit(f"date after the extract date {extract_date.isoformat()}"),
                    f"{value(c)} > DATE {lit(extract_date.isoformat())}",
                )
            )
        elif t == FLAG:
            checks.append(
                issue(
                    c,
                    written(c),
                    lit(BAD_FLAG),
                    f"{written(c)} IS NOT NULL AND {value(c)} IS NULL",
                )
            )
        elif t == NUMBER:
            checks.append(
                issue(
                    c,
                    written(c),
                    lit(BAD_NUMBER),
                    f"{written(c)} IS NOT NULL AND {value(c)} IS NULL",
                )
            )
    if spec.person and spec.name != "ssd_person":
        checks.append(
            issue(
                spec.person,
                person,
                "'person not in ssd_person'",
                f"{person} IS NOT NULL AND _pp.pers_person_id IS NULL",
                join=f"LEFT JOIN (SELECT pers_person_id FROM ssd_person) _pp "
                f"ON _pp.pers_person_id = {person}",
            )
        )
    if name == "ssd_initial_cp_conference" and s47_loaded:
        checks.append(
            issue(
                "icpc_icpc_date",
                text("icpc_icpc_date"),
                "'ICPC dated before its S47 start (enquiry ' || v.icpc_s47_enquiry_id || "
                "' started ' || strftime(s.s47e_s47_start_date, '%-d %b %Y') || ')'",
                "v.icpc_icpc_date < s.s47e_s47_start_date",
                join=S47_JOIN,
            )
        )
        # A rejected S47 never takes its conference with it: the ICPC loads, and says so.
        checks.append(
            issue(
                "icpc_s47_enquiry_id",
                "v.icpc_s47_enquiry_id",
                lit(
                    "the S47 enquiry this ICPC names is not loaded (see rejected rows): the "
                    "ICPC counts among ICPCs but cannot be timed from its S47"
                ),
                "v.icpc_s47_enquiry_id IS NOT NULL AND s.s47e_s47_enquiry_id IS NULL",
                join=S47_JOIN,
            )
        )
    if name == "ssd_involvements":
        # An allocation naming its referral but starting before it: the measures count it
        # as allocated on the referral date (docs/measures.md "Allocation delay").
        checks.append(
            issue(
                "invo_involvement_start_date",
                text("invo_involvement_start_date"),
                "'allocation starts before its referral (' || v.invo_referral_id || "
                "' dated ' || strftime(e.cine_referral_date, '%-d %b %Y') || "
                "'): counted as allocated on the referral date'",
                "v.invo_involvement_start_date < e.cine_referral_date AND "
                "lower(trim(v.invo_professional_role_id)) = 'allocated case worker'",
                join="LEFT JOIN ssd_cin_episodes e ON e.cine_referral_id = v.invo_referral_id",
            )
        )
    if checks:
        # One scan of the loaded rows: the rows with any issue, each issue a line.
        found = ", ".join(f"CASE WHEN {where} THEN {item} END" for where, item in checks)
        con.execute(
            f"""
            INSERT INTO data_issues
            SELECT {lit(name)}, _file, _line, _k, _p, i.c, i.v, i.t, 'warning'
            FROM (SELECT v._file, v._line, v.{key} AS _k, {person} AS _p,
                         unnest(list_filter([{found}], lambda x: x IS NOT NULL)) AS i
                  FROM {ident(name)} v {" ".join(joins)}
                  WHERE v._faults IS NULL AND ({" OR ".join(f"({w})" for w, _ in checks)}))
            ORDER BY _file, _line
            """
        )


S47_JOIN = "LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = v.icpc_s47_enquiry_id"


def _value_notes(con: duckdb.DuckDBPyConnection, spec: Table, noted: list[str]) -> None:
    """One data issue per column for values the load changed: null spellings read as missing,
    values trimmed of spaces (count, the first by file and line, the value as written). Which
    columns have any is read from `_notes` (set as the values were cleaned); the counts and
    first occurrences are looked up only for those (none, in a clean extract), among the rows
    whose values as written were kept (`_written`)."""
    if not noted:
        return

    def spaced(x: str) -> str:  # any space trim removes: a no-break space too, not only ' '
        return f"(strlen(trim({x})) <> strlen({x}))"

    def spelled_null(x: str) -> str:
        return f"(trim({x}) <> '' AND {_is_null(f'trim({x})')})"

    def padded(x: str) -> str:
        return f"({spaced(x)} AND NOT {spelled_null(x)})"

    t = ident(spec.name)
    bits = con.execute(f"SELECT bit_or(_notes) FROM {t}").fetchone()[0] or 0
    flagged = [(i, c) for i, c in enumerate(noted) if bits & (1 << i)]
    rows = f"(SELECT _ord, _file, _line, _written FROM {t} WHERE _notes <> 0)"
    out = []
    for i, c in flagged:
        x = f"_written[{i + 1}]"
        n, n_padded = con.execute(
            f"SELECT count(*) FILTER (WHERE {spelled_null(x)}), "
            f"count(*) FILTER (WHERE {padded(x)}) FROM {rows}"
        ).fetchall()[0]
        for count, cond, text in (
            (n, spelled_null(x), "written as {written} read as missing"),
            (n_padded, padded(x), "had spaces around them, trimmed"),
        ):
            if not count:
                continue
            f, line, value, spellings = con.execute(
                f"SELECT _file, _line, {x}, "
                f"(SELECT list(DISTINCT trim({x})) FROM {rows} WHERE {cond}) FROM {rows} "
                f"WHERE {cond} ORDER BY _ord, _file, _line LIMIT 1"
            ).fetchall()[0]
            written = ", ".join(repr(v) for v in sorted(spellings)[:5])
            out.append(
                (
                    spec.name,
                    f,
                    line,
                    None,
                    None,
                    c,
                    value,
                    f"{count:,} value(s) " + text.format(written=written) + " (first here)",
                    "warning",
                )
            )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)


def _recode_notes(con: duckdb.DuckDBPyConnection, spec: Table) -> None:
    """One data issue (severity RECODED) per column and kind for values the load read as
    something other than their text: flags (Y, Yes, 1 -> yes), dates with a time of day (the
    time dropped), dates written day/month/year. Count, the distinct spellings (up to 5), the
    first by file and line with the value as written. One scan of the typed rows."""
    kinds: list[tuple[str, str, str]] = []  # (column, condition on the loaded row, words)
    for c, t in spec.columns.items():
        # As written: a recoded value is never written as its typed value shows it, so
        # `<c>__o` holds it (every flag; a date not written YYYY-MM-DD).
        x, v = ident(c + "__o"), ident(c)
        if t == FLAG:
            kinds.append((c, f"{v} IS NOT NULL AND {x} NOT IN ('true', 'false')", "read as yes/no"))
        elif t == DATE:
            kinds.append(
                (
                    c,
                    # Only a value longer than a date can carry a time (keeps the regular
                    # expressions off the usual YYYY-MM-DD).
                    f"(CASE WHEN {v} IS NOT NULL AND strlen({x}) > 10 "
                    f"THEN regexp_matches({x}, {lit(_TIME)}) "
                    f"AND NOT regexp_matches({x}, {lit(_MIDNIGHT)}) ELSE false END)",
                    "had a time of day, which was dropped (a date is a day)",
                )
            )
            kinds.append((c, f"{v} IS NOT NULL AND contains({x}, '/')", "read as day/month/year"))
    if not kinds:
        return
    # First a cheap count of each kind; the spellings and the first row only where there are any.
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {cond})" for _, cond, _ in kinds)
        + f" FROM {ident(spec.name)} WHERE _faults IS NULL"
    ).fetchone()
    kinds = [k for k, n in zip(kinds, counts, strict=True) if n]
    if not kinds:
        return
    aggs = []
    for i, (c, cond, _) in enumerate(kinds):
        x = ident(c + "__o")
        aggs += [
            f"count(*) FILTER (WHERE {cond}) AS n{i}",
            f"list(DISTINCT {x}) FILTER (WHERE {cond})[1:6] AS s{i}",
            f"arg_min({{'f': _file, 'l': _line, 'v': {x}}}, (_ord, _file, _line)) "
            f"FILTER (WHERE {cond}) AS first{i}",
        ]
    row = con.execute(
        f"SELECT {', '.join(aggs)} FROM {ident(spec.name)} WHERE _faults IS NULL"
    ).fetchone()
    out = []
    for i, (c, _, words) in enumerate(kinds):
        count, spellings, first = row[3 * i], row[3 * i + 1], row[3 * i + 2]
        if not count:
            continue
        shown = sorted(spellings or [])[:5]
        written = ", ".join(repr(x) for x in shown) + (", ..." if len(spellings) > 5 else "")
        out.append(
            (
                spec.name,
                first["f"],
                first["l"],
                None,
                None,
                c,
                first["v"],
                f"{count:,} value(s) written as {written} {words} (first here)",
                RECODED,
            )
        )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)


# ------------------------------------------------------------------------------- SQL pieces

# A time of day after a date ("2016-04-05 10:30"), and midnight (not a change when dropped).
_TIME = r"[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*$"
_MIDNIGHT = r"[ T]0{1,2}:00(?::00)?(?:\.0+)?\s*$"  # SQL Server's "2016-04-05 00:00:00.000"

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]|$)"
_ISO_PLAIN = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_UK = r"\d{1,2}/\d{1,2}/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def _parse(col: str, kind: str) -> str:
    """SQL typing a cleaned text column: NULL where blank or unreadable."""
    if kind == DATE:
        return (
            f"CASE WHEN {col} IS NULL THEN NULL "
            # The usual YYYY-MM-DD first, by a glob (a subset of _ISO, much cheaper than it).
            f"WHEN {col} GLOB {lit(_ISO_PLAIN)} THEN try_cast({col} AS DATE) "
            f"WHEN regexp_matches({col}, {lit(_ISO)}) THEN try_cast({col} AS DATE) "
            f"WHEN regexp_full_match({col}, {lit(_UK)}) THEN CAST(try_strptime("
            rf"regexp_extract({col}, '^\d{{1,2}}/\d{{1,2}}/\d{{4}}'), '%d/%m/%Y') AS DATE) END"
        )
    if kind == FLAG:
        return (
            f"CASE WHEN lower({col}) IN ('y', 'yes', 'true', '1') THEN true "
            f"WHEN lower({col}) IN ('n', 'no', 'false', '0') THEN false END"
        )
    if kind == NUMBER:
        return f"try_cast({col} AS DOUBLE)"
    raise ValueError(kind)


def _date_reason(column: str, unreadable: str, out_of_range: str, text: str | None = None) -> str:
    """SQL: why a date that was written is not loaded: unreadable, or read but out of range
    (its value re-read from the text `text`, the column itself by default, as the raw parse is
    not kept)."""
    written = text or ident(column)
    return (
        f"CASE WHEN {_parse(written, DATE)} IS NOT NULL THEN {lit(out_of_range)} "
        f"ELSE {lit(unreadable)} END"
    )


def _fault(column: str, value_sql: str, reason_sql: str) -> str:
    return f"{{'col': {lit(column)}, 'val': {value_sql}, 'reason': {reason_sql}}}"


def _key_missing(spec: Table) -> str:
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


def _date_missing(spec: Table) -> str:
    what = DEFINING_DATE_NAMES.get(spec.defining_date, "defining date")
    return lit(
        f"defining date missing: {spec.defining_date} ({what}) is blank; the row is rejected"
    )
