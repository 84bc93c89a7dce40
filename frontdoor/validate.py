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

The pieces: `frontdoor.value_rules` (each value's rules as SQL), `frontdoor.table_write` (the
table written typed), this module (its rejected rows, data issues and counts, then the rejected
rows deleted), `frontdoor.value_notes` (the values the load changed or recoded).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from frontdoor.schema import DATE, FLAG, NUMBER, Table
from frontdoor.sources.staging import ident, lit
from frontdoor.table_write import USABLE, Written
from frontdoor.value_notes import recode_notes, value_notes
from frontdoor.value_rules import (
    BAD_FLAG,
    BAD_NUMBER,
    FUTURE_ALLOWED,
    LENIENT_DATES,
    OUT_OF_RANGE_LENIENT_DATE,
    UNREADABLE_LENIENT_DATE,
    date_reason_sql,
    text_sql,
)


def check_table(
    con: duckdb.DuckDBPyConnection, written: Written, extract_date: dt.date, s47_loaded: bool
) -> None:
    """Write a written table's rejected rows, data issues, notes and counts (`_counts`), then
    delete its rejected rows and drop its working columns. Reads the tables it checks against
    (ssd_person, ssd_s47_enquiry, ssd_cin_episodes), so those are checked first."""
    spec, parts = written.spec, written.parts
    name = spec.name
    t_name = ident(name)
    # Where a row was read (columns, or the one file's name and place: `Written.located`).
    file = written.file_sql()
    rows = written.rows_sql()  # the working values unpacked
    value_notes(con, written)
    con.execute(
        f"""
        INSERT INTO rejected_rows
        SELECT {lit(name)}, _file, _line, f.col, f.val, f.reason, _raw
        FROM (SELECT {file} AS _file, _line, _raw, unnest(_faults) AS f FROM {rows}
              WHERE _faults IS NOT NULL)
        ORDER BY _file, _line
        """
    )
    _data_issues(con, spec, extract_date, s47_loaded, rows, written.file_sql("v."))
    recode_notes(con, written)
    con.execute(
        f"""
        INSERT INTO _counts
        SELECT {lit(name)}, _file, count(*), count(*) FILTER (WHERE _faults IS NULL),
               count(*) FILTER (WHERE _faults IS NOT NULL)
        FROM (SELECT {file} AS _file, _faults FROM {rows}) GROUP BY _file
        """
    )
    # A file with a header and no rows is still a file read: it must show in the load report.
    for p in parts:
        con.execute(
            f"INSERT INTO _counts SELECT ?, ?, 0, 0, 0 WHERE NOT EXISTS "
            f"(SELECT 1 FROM {t_name} WHERE {file} = ?)",
            [name, p.file, p.file],
        )
    con.execute(f"DELETE FROM {t_name} WHERE NOT {USABLE}")  # the rows with a fault
    for c in [*WORKING_COLUMNS, *written.located]:
        con.execute(f"ALTER TABLE {t_name} DROP COLUMN {ident(c)}")


# The working columns of a table being loaded (beside the columns saying where a row was read,
# `Written.located`): `_w` holds each typed column's `<c>__o`, `_faults`, `_raw`, `_notes` and
# `_written` (frontdoor.table_write; `Written.rows_sql` unpacks them).
WORKING_COLUMNS = ("_w",)


def _data_issues(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    extract_date: dt.date,
    s47_loaded: bool,
    rows: str,
    file: str,
) -> None:
    """`rows`: the table's rows, working values unpacked (`Written.rows_sql`); `file`: SQL of
    a row's file (`v` their alias)."""
    name = spec.name
    person = f"v.{ident(spec.person)}" if spec.person else "CAST(NULL AS VARCHAR)"
    key = ident(spec.key)

    def text(c: str) -> str:  # as written
        return text_sql(spec, c, "v.")

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
                    date_reason_sql(
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
            FROM (SELECT {file} AS _file, v._line, v.{key} AS _k, {person} AS _p,
                         unnest(list_filter([{found}], lambda x: x IS NOT NULL)) AS i
                  FROM {rows} v {" ".join(joins)}
                  WHERE v._faults IS NULL AND ({" OR ".join(f"({w})" for w, _ in checks)}))
            ORDER BY _file, _line
            """
        )


S47_JOIN = "LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = v.icpc_s47_enquiry_id"
