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
import functools
import operator
from dataclasses import dataclass
from typing import NamedTuple

import duckdb

from frontdoor.schema import DATE, FLAG, NUMBER, Table
from frontdoor.sources.staging import ident, lit
from frontdoor.value_notes import RecodeKind, recode_kinds, recode_notes, value_notes
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
from frontdoor.written import Written


def check_table(
    con: duckdb.DuckDBPyConnection, written: Written, extract_date: dt.date, s47_loaded: bool
) -> None:
    """Write a written table's rejected rows, data issues, notes and counts (`_counts`), then
    delete its rejected rows and drop its working columns. Reads the tables it checks against
    (ssd_person, ssd_s47_enquiry, ssd_cin_episodes), so those are checked first.

    A survey of the table first (`_survey`: two scans, the rows with working values and the
    others) counts its rows by file, the rows with a fault, the values the load changed, each
    kind of recoding and the rows with a data issue found on the row alone; the statements
    that list them run only where there are any (in a clean extract only the recodings of
    flags), and the data issues' listing, which joins every row to ssd_person, only where a
    cheaper count finds an issue (`_any_joined_issue`). What they write is as it was: the same
    statements (the listings), run only when they would write something."""

    spec, parts = written.spec, written.parts
    name = spec.name
    t_name = ident(name)
    # Where a row was read (columns, or the one file's name and place: `Written.located`).
    file = written.file_sql()
    rows = written.rows_sql()  # the working values unpacked
    worked = written.rows_sql(worked_only=True)  # the same, of the rows with working values alone
    checks = _issue_checks(spec, extract_date, s47_loaded)
    kinds = recode_kinds(spec)
    survey = _survey(con, written, worked, checks, kinds)
    value_notes(con, written, survey.notes, worked)
    if survey.faults:
        con.execute(
            f"""
            INSERT INTO rejected_rows
            SELECT {lit(name)}, _file, _line, f.col, f.val, f.reason, _raw
            FROM (SELECT {file} AS _file, _line, _raw, unnest(_faults) AS f FROM {worked}
                  WHERE _faults IS NOT NULL)
            ORDER BY _file, _line
            """
        )
    n = sum(n for n, _ in survey.files.values())
    if checks and (survey.issues or _any_joined_issue(con, written, rows, checks, n)):
        _insert_issues(con, spec, checks, rows, written.file_sql("v."))
    recode_notes(con, written, kinds, survey.recoded, worked)
    # The rows read, loaded and rejected of each file; a file with a header and no rows is
    # still a file read: it must show in the load report.
    counts = [(name, f, n, n - bad, bad) for f, (n, bad) in survey.files.items()]
    counts += [(name, p.file, 0, 0, 0) for p in parts if p.file not in survey.files]
    if counts:
        con.execute(
            "INSERT INTO _counts VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * len(counts)),
            [x for row in counts for x in row],
        )
    if survey.faults:
        con.execute(f"DELETE FROM {t_name} WHERE NOT {written.usable_sql()}")  # with a fault
    for c in [*(WORKING_COLUMNS if written.worked else ()), *written.located]:
        con.execute(f"ALTER TABLE {t_name} DROP COLUMN {ident(c)}")


@dataclass
class _Survey:
    """What the survey of a written table found (`_survey`)."""

    files: dict[str, tuple[int, int]]  # each file's rows and rows with a fault
    faults: int  # rows with a fault (rejected)
    notes: int  # `_notes` of every row or'ed: the columns with a value the load changed
    issues: int  # usable rows with a data issue found on the row alone
    recoded: list[int]  # usable rows of each kind of recoding (`recode_kinds`)


def _survey(
    con: duckdb.DuckDBPyConnection,
    w: Written,
    worked: str,
    checks: list[_Check],
    kinds: list[RecodeKind],
) -> _Survey:
    """Two scans: the rows with working values (`worked`: `Written.rows_sql(worked_only=True)`;
    a condition on a working value costs on every row it is tested on, and in a clean extract
    no row or few have any), every count; the others, straight from the table, the rows and
    the checks and recodings that can hold on a row without working values (`_Check.plain`, `RecodeKind.plain`: a date after the extract
    date, an end before its start, a flag written Y or N), each condition on typed values
    alone. Grouped by file only where a row's file is a column (grouping by the one file's
    name, a constant, costs a third of the scan)."""

    alone = [c.where for c in checks if not c.join]  # found on the row alone
    plain = [c.plain for c in checks if c.plain and not c.join]

    def any_of(conds: list[str]) -> str:
        return " OR ".join(f"({x})" for x in conds) or "false"

    def scan(cols: list[str], rows: str) -> list[tuple]:
        if "_file" in w.located:
            return con.execute(
                f"SELECT _file, {', '.join(cols)} FROM {rows} GROUP BY _file"
            ).fetchall()
        return [(w.parts[0].file, *con.execute(f"SELECT {', '.join(cols)} FROM {rows}").fetchone())]

    found = scan(
        [
            "count(*)",
            "count(*) FILTER (WHERE _faults IS NOT NULL)",
            "coalesce(bit_or(_notes), 0)",
            f"count(*) FILTER (WHERE _faults IS NULL AND ({any_of(alone)}))",
            *(f"count(*) FILTER (WHERE _faults IS NULL AND ({k.cond}))" for k in kinds),
        ],
        f"{worked} v",
    ) + scan(
        [
            "count(*)",
            "0",
            "0",
            f"count(*) FILTER (WHERE {any_of(plain)})",
            *(f"count(*) FILTER (WHERE {k.plain or 'false'})" for k in kinds),
        ],
        f"{ident(w.spec.name)} v WHERE {w.unworked_sql()}",
    )
    files: dict[str, tuple[int, int]] = {}
    for f, n, bad, *_ in found:
        if n:
            files[f] = (files.get(f, (0, 0))[0] + n, files.get(f, (0, 0))[1] + bad)
    return _Survey(
        files=files,
        faults=sum(r[2] for r in found),
        notes=functools.reduce(operator.or_, (r[3] for r in found), 0),
        issues=sum(r[4] for r in found),
        recoded=[sum(r[5 + i] for r in found) for i in range(len(kinds))],
    )


def _any_joined_issue(
    con: duckdb.DuckDBPyConnection, w: Written, rows: str, checks: list[_Check], n: int
) -> bool:
    """Whether a usable row of `rows` (`n` rows) has a data issue found against another table.
    A person not in ssd_person by an anti join (a row's other columns not carried through
    it, as the listing's LEFT JOIN does); in a table of many rows a person (over 3 a person in
    ssd_person) each person named once first: at case_notes' 2.8 M rows, 96,000 people,
    0.09 s of CPU against 0.15 s, where at ssd_contacts' 0.5 M rows, 197,000 people, 0.045
    against 0.035 s."""
    spec = w.spec
    joins: dict[str, list[str]] = {}
    for c in checks:
        if c.person:
            p, t = ident(spec.person), ident(spec.name)
            usable = f"FROM {t} WHERE {w.usable_sql()} AND {p} IS NOT NULL"
            people = con.execute("SELECT count(*) FROM ssd_person").fetchone()[0]
            named = (
                f"(SELECT DISTINCT {p} AS _p {usable})"
                if n > 3 * people
                else f"(SELECT {p} AS _p {usable})"
            )
            if con.execute(
                f"SELECT count(*) FROM {named} d ANTI JOIN ssd_person s ON s.pers_person_id = d._p"
            ).fetchone()[0]:
                return True
        elif c.join:
            joins.setdefault(c.join, []).append(c.where)
    for join, wheres in joins.items():
        if con.execute(
            f"SELECT count(*) FROM {rows} v {join} WHERE v._faults IS NULL AND ("
            + " OR ".join(f"({x})" for x in wheres)
            + ")"
        ).fetchone()[0]:
            return True
    return False


# The working columns of a table being loaded (beside the columns saying where a row was read,
# `Written.located`): `_w` holds each typed column's `<c>__o`, `_faults`, `_raw`, `_notes` and
# `_written` (frontdoor.table_write; `Written.rows_sql` unpacks them).
WORKING_COLUMNS = ("_w",)


class _Check(NamedTuple):
    """A data issue of a loaded row: its condition (on `v`, the row, and any joined table), the
    issue's struct (column, value, words), the join it needs, if any (each to a table's unique
    key: a row is never repeated), and whether it is the person not in ssd_person."""

    where: str
    item: str
    join: str = ""
    person: bool = False
    # The condition on a row without working values (`_w` NULL: each `<c>__o` NULL), where
    # it can hold there: a condition on typed values alone.
    plain: str | None = None


def _issue_checks(spec: Table, extract_date: dt.date, s47_loaded: bool) -> list[_Check]:
    """The data issues a loaded row of `spec` is checked for, on the table's rows with their
    working values unpacked (`Written.rows_sql`, aliased `v`)."""
    name = spec.name
    person = f"v.{ident(spec.person)}" if spec.person else "CAST(NULL AS VARCHAR)"

    def text(c: str) -> str:  # as written
        return text_sql(spec, c, "v.")

    def value(c: str) -> str:  # typed
        return f"v.{ident(c)}"

    def written(c: str) -> str:
        """As written, where the typed value is missing (a date, flag or number that could
        not be read): `<c>__o` always holds it then."""
        return f"v.{ident(c + '__o')}"

    def issue(
        column: str,
        value: str,
        text: str,
        where: str,
        join: str = "",
        person: bool = False,
        typed: bool = False,
    ) -> _Check:
        """`typed`: `where` reads typed values alone (not `<c>__o`, NULL on a row without
        working values, where a condition on it cannot hold)."""
        return _Check(
            where,
            f"{{'c': {lit(column)}, 'v': CAST({value} AS VARCHAR), 't': CAST({text} AS VARCHAR)}}",
            join,
            person,
            where if typed else None,
        )

    checks: list[_Check] = []
    for start, end in spec.ordered_dates:
        checks.append(
            issue(
                end,
                text(end),
                f"'end before start: {end} is before {start} ' || "
                f"strftime({value(start)}, '%-d %b %Y')",
                f"{value(end)} < {value(start)}",
                typed=True,
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
                    typed=True,
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
                person=True,
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
    return checks


def _insert_issues(
    con: duckdb.DuckDBPyConnection, spec: Table, checks: list[_Check], rows: str, file: str
) -> None:
    """List the data issues of the loaded rows of `rows` (`Written.rows_sql`); `file`: SQL of
    a row's file (`v` their alias). One scan of the loaded rows: the rows with any issue, each
    issue a line."""
    name = spec.name
    person = f"v.{ident(spec.person)}" if spec.person else "CAST(NULL AS VARCHAR)"
    key = ident(spec.key)
    joins: list[str] = []
    for c in checks:
        if c.join and c.join not in joins:
            joins.append(c.join)
    found = ", ".join(f"CASE WHEN {c.where} THEN {c.item} END" for c in checks)
    con.execute(
        f"""
        INSERT INTO data_issues
        SELECT {lit(name)}, _file, _line, _k, _p, i.c, i.v, i.t, 'warning'
        FROM (SELECT {file} AS _file, v._line, v.{key} AS _k, {person} AS _p,
                     unnest(list_filter([{found}], lambda x: x IS NOT NULL)) AS i
              FROM {rows} v {" ".join(joins)}
              WHERE v._faults IS NULL AND ({" OR ".join(f"({c.where})" for c in checks)}))
        ORDER BY _file, _line
        """
    )


S47_JOIN = "LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = v.icpc_s47_enquiry_id"
