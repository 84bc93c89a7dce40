"""Writing one table of the extract typed, once, with the working columns its checks need.

Apart from the checks (frontdoor.validate) because writing reads no other table of the extract:
tables can be written at once, each on its own connection, while the checks, which read
ssd_person and the S47s, follow one table at a time.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from frontdoor.schema import DATE, FLAG, ID, NUMBER, Table
from frontdoor.sources import Problem
from frontdoor.sources.csv_rows import (
    has_lines,
    materialise,
    read_csv_into,
    read_typed_csv,
    store_lines,
    typed_read_possible,
)
from frontdoor.sources.staging import Staged, ident, lit
from frontdoor.table_store import create_table_as
from frontdoor.value_rules import (
    EARLIEST_DATE,
    LATEST_DATE,
    LENIENT_DATES,
    OUT_OF_RANGE_DATE,
    UNREADABLE_DATE,
    as_written_sql,
    date_missing_sql,
    date_reason_sql,
    fault_sql,
    is_null_sql,
    key_missing_sql,
    parse_sql,
    plain_date_sql,
    text_sql,
    trimmed_sql,
)
from frontdoor.written import Written, work_kinds, work_struct


def plain_ids(spec: Table) -> set[str]:
    """The columns of `spec` stored uncompressed: the ids of records (the table's key, the
    person, referral, plan or enquiry a row names), nearly one value a row or a few rows.
    DuckDB's string compression (dict_fsst) of such columns costs more than it saves for a
    load: at 200,000 children writing the tables' record ids uncompressed takes about 1.6 s of
    CPU less, for about 125 MB more on disk (docs/performance.md, "The load, second pass").
    The ids of teams and workers (few values, which compress well and cheaply) stay
    compressed, as do every other column."""
    return {
        c
        for c, t in spec.columns.items()
        if t == ID and not any(w in c for w in ("team", "worker", "professional", "department"))
    }


# The error that stops a table's first write without `_w` (`write_table`): a row has working values.
_LEAN_STOP = "frontdoor: a row with working values"


def _typed_read_holds(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    extras: list[str],
    noted: list[str],
    fast: frozenset[str],
    values: int,
    has_w: bool = True,
) -> bool:
    """Whether the table `spec.name`, just written from a CSV file with the dates `fast` read
    typed (`read_typed_csv`), holds its values' bytes `values` exactly, each date counted as
    its 10 bytes YYYY-MM-DD, and every such date lies between EARLIEST_DATE and LATEST_DATE
    (else the text read gives its faults).

    A row's values as written are its text columns, each flag's Y or N (or its value as
    written, `<c>__o`), each number's `<c>__o` and its dates; but a row with a value read as
    missing (`_notes`, a null spelling: the file has nothing to trim) keeps them all as
    written (`_written`), which count instead. Summed column by column (a plain sum of each
    column is much cheaper than a sum of each row), such rows (few) corrected after.
    `has_w` False: the table has no `_w` (no row has working values)."""
    # Over every row: the text columns, the dates, the flags' Y and N; over the rows with a
    # `_w` (few, but for a table with numbers), its values as written (`s`: `_w`'s struct).
    plain: list[str] = []
    worked: list[str] = []
    sizes: list[str] = []  # a row's values, column by column (on the rows with a `_w`)
    for c in noted:
        t, x = spec.columns[c], ident(c)
        o = f"s.{ident(c + '__o')}"
        if c in fast:
            plain.append(f"10 * count({x})")
            sizes.append(f"CASE WHEN {x} IS NULL THEN 0 ELSE 10 END")
        elif t == FLAG:  # Y or N is not kept (`<c>__o` NULL): the typed value shows it
            plain.append(f"count({x})")
            worked.append(
                f"coalesce(sum(strlen({o})), 0) - count(*) FILTER ({o} IS NOT NULL "
                f"AND {x} IS NOT NULL)"
            )
            sizes.append(
                f"CASE WHEN {o} IS NULL AND {x} IS NOT NULL THEN 1 "
                f"ELSE coalesce(strlen({o}), 0) END"
            )
        elif t == NUMBER:
            worked.append(f"coalesce(sum(strlen({o})), 0)")
            sizes.append(f"coalesce(strlen({o}), 0)")
        else:
            plain.append(f"coalesce(sum(strlen({x})), 0)")
            sizes.append(f"coalesce(strlen({x}), 0)")
    plain += [f"coalesce(sum(strlen({ident(c)})), 0)" for c in extras]
    as_written = (
        "coalesce(list_sum(list_transform(s._written, lambda x: coalesce(strlen(x), 0))), 0)"
    )
    worked.append(
        f"coalesce(sum({as_written} - ({' + '.join(sizes) or '0'})) FILTER (s._notes <> 0), 0)"
    )
    lo, hi = lit(EARLIEST_DATE.isoformat()), lit(LATEST_DATE.isoformat())
    in_range = " AND ".join(
        f"coalesce(min({ident(c)}) >= DATE {lo} AND max({ident(c)}) <= DATE {hi}, true)"
        for c in sorted(fast)
    )
    t_name = ident(spec.name)
    with_w = (
        f"(SELECT {' + '.join(worked)} FROM (SELECT *, _w[1] AS s FROM {t_name} "
        "WHERE _w IS NOT NULL))"
        if has_w
        else "0"
    )
    total, ok = con.execute(
        f"SELECT {' + '.join(plain) or '0'} + {with_w}, {in_range} FROM {t_name}"
    ).fetchone()
    return bool(ok) and total == values


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
    # Where a row was read, as it comes from the source; a single CSV file's rows come
    # without their lines (`read_csv_into`'s `numbered`), which it adds only if needed.
    located = () if fused else ("_ord", "_file", "_line")
    place = ["_ord", "_file"] + ([] if fused else ["_line"])

    ordered = len(parts) > 1
    # The query's columns and types, known when every value comes as text (a CSV file read
    # with every column VARCHAR): the table is declared without binding the query first.
    kinds = work_kinds(spec, extras, typed) if fused else None
    # A single CSV file is written first without `_w` (`plan`'s `create`), where the key is
    # text (the stop is raised from its column).
    lean = fused and spec.columns.get(spec.key) == ID and kinds[-1][0] == "_w"
    noted = [c for c in spec.columns if c in present]
    shown = [c for c in [*spec.columns, *extras] if c in present]
    w = Written(spec, parts, problems, noted, typed, located)
    key = ident(spec.key)

    def plan(fast: frozenset[str]) -> Callable[[str], None]:
        """`create(source)`: the table written from `source`'s rows, every value text but the
        dates `fast` (read typed by DuckDB, each written YYYY-MM-DD: `read_typed_csv`)."""
        # Trim (spaces), then a null spelling (blank, NULL, N/A, ...) is NULL. A CSV file whose
        # survey found no space beside a field's edge and nothing beyond ASCII has nothing to trim.
        survey = parts[0].csv.survey if fused else None
        trim = trimmed_sql if survey is None or survey.padded else as_written_sql
        trimmed = [
            f"{trim(ident(c))} AS {ident(c)}" if c in present else f"NULL::VARCHAR AS {ident(c)}"
            for c in spec.columns
        ] + [ident(c) for c in extras]
        cleaned = [
            f"{ident(c)} AS {ident(c)}"  # a date read typed: NULL where blank, never a spelling
            if c in fast
            else f"CASE WHEN {is_null_sql(ident(c))} THEN NULL ELSE {ident(c)} END AS {ident(c)}"
            for c in spec.columns
        ] + [ident(c) for c in extras]
        # The required columns as written, so a rejection for a missing key shows 'N/A' if so.
        required = [spec.key] + ([spec.defining_date] if spec.defining_date else [])
        # (A date read typed is NULL only where blank: as written, it shows NULL.)
        cleaned += [
            f"NULL::VARCHAR AS {ident(c + '__k')}"
            if c in fast
            else f"nullif({ident(c)}, '') AS {ident(c + '__k')}"
            for c in required
        ]
        # A date is read raw (`__r`), then kept (`__v`) only between EARLIEST_DATE and LATEST_DATE.
        # Each step reads the one before as a column (one parse per value, not one per use).
        # Whether a date is written YYYY-MM-DD (`__g`) is tested once: its parse and whether its
        # value as written is kept (`__o`) both read it. The test is the date cast once (`__c`)
        # and written back as text, cheaper than a glob (`plain_date_sql`).
        dates = [c for c, t in spec.columns.items() if t == DATE and c not in fast]
        casts = [f"try_cast({ident(c)} AS DATE) AS {ident(c + '__c')}" for c in dates]
        plains = [
            f"{plain_date_sql(ident(c), ident(c + '__c'))} AS {ident(c + '__g')}" for c in dates
        ]
        parsed_raw, parsed = [], []
        for c, t in spec.columns.items():
            if c in fast:  # read as a date YYYY-MM-DD between EARLIEST_DATE and LATEST_DATE
                parsed.append(f"{ident(c)} AS {ident(c + '__v')}")
            elif t == DATE:
                parsed_raw.append(
                    f"{parse_sql(ident(c), t, ident(c + '__g'), ident(c + '__c'))} "
                    f"AS {ident(c + '__r')}"
                )
                parsed.append(
                    f"CASE WHEN {ident(c + '__r')} BETWEEN DATE {lit(EARLIEST_DATE.isoformat())} "
                    f"AND DATE {lit(LATEST_DATE.isoformat())} THEN {ident(c + '__r')} END "
                    f"AS {ident(c + '__v')}"
                )
            elif t in (FLAG, NUMBER):
                parsed_raw.append(f"{parse_sql(ident(c), t)} AS {ident(c + '__v')}")
        raw_dates = [ident(c + s) for c in dates for s in ("__r", "__c")]
        key_o = ident(spec.key + "__k")
        # (condition, fault): a row is rejected when any condition holds, with every fault listed.
        faults = [(f"{key} IS NULL", fault_sql(spec.key, key_o, key_missing_sql(spec)))]
        if spec.defining_date:
            dd = ident(spec.defining_date)
            faults.append(
                (
                    f"{dd} IS NULL",
                    fault_sql(
                        spec.defining_date,
                        ident(spec.defining_date + "__k"),
                        date_missing_sql(spec),
                    ),
                )
            )
        for c, t in spec.columns.items():
            if t == DATE and c not in LENIENT_DATES and c not in fast:
                faults.append(
                    (
                        f"{ident(c)} IS NOT NULL AND {ident(c + '__v')} IS NULL",
                        fault_sql(
                            c, ident(c), date_reason_sql(c, UNREADABLE_DATE, OUT_OF_RANGE_DATE)
                        ),
                    )
                )
        raw_json = (
            "CAST(to_json({"
            + ", ".join(
                f"{lit(c)}: " + (f"CAST({ident(c)} AS VARCHAR)" if c in fast else ident(c))
                for c in shown
            )
            + "}) AS VARCHAR)"
        )
        # Each value as written (`_x<i>`: names no input column can take), to note in `_notes` (bit
        # i) a value of column i the load changed: trimmed, or a null spelling read as missing; the
        # values as written of a row with any such are kept (`_written`) for the load's notes.
        written = [f"{ident(c)} AS _x{i}" for i, c in enumerate(noted)] or ["NULL AS _x0"]
        written_names = [f"_x{i}" for i in range(len(written))]
        # The values as written, listed: a date read typed is its text YYYY-MM-DD again.
        written_list = [
            f"CAST(_x{i} AS VARCHAR)" if i < len(noted) and noted[i] in fast else f"_x{i}"
            for i in range(len(written))
        ]
        # Untrimmed (nothing to trim), a value kept is its text: it changed only if read as missing.
        trims = trim is trimmed_sql
        changed = (
            " + ".join(
                f"(CASE WHEN _x{i} <> '' AND ({ident(c)} IS NULL"
                + (f" OR strlen({ident(c)}) <> strlen(_x{i})" if trims else "")
                + f") THEN {1 << i} ELSE 0 END)"
                for i, c in enumerate(noted)
                if c not in fast  # a date read typed is as written (blank: missing, no note)
            )
            or "0"
        )
        missing = [ident(c) for c in noted if c not in fast]
        if missing and not trims:
            # Untrimmed, a row with no value missing (nearly every row) has no bit to set,
            # told by its columns' validity alone: the bits are summed only for the others.
            changed = (
                f"CASE WHEN {' OR '.join(f'{x} IS NULL' for x in missing)} THEN {changed} "
                "ELSE 0 END"
            )
        bad = " OR ".join(f"({cond})" for cond, _ in faults)
        fault_list = ", ".join(f"CASE WHEN {cond} THEN {fault} END" for cond, fault in faults)
        # The table's own columns, typed, then the working ones. `<c>__o` is the value as written
        # (cleaned) of a typed column where the typed value does not show it: a date not written
        # YYYY-MM-DD, a flag other than Y or N, every number.
        out_cols = [
            f"{ident(c + '__v')} AS {ident(c)}" if t in (DATE, FLAG, NUMBER) else ident(c)
            for c, t in spec.columns.items()
        ] + [ident(c) for c in extras]
        kept = []
        for c in typed:
            if c in fast:  # written YYYY-MM-DD: the typed value shows it
                kept.append(f"NULL::VARCHAR AS {ident(c + '__o')}")
            elif spec.columns[c] == DATE:
                kept.append(
                    f"CASE WHEN {ident(c + '__v')} IS NOT NULL AND {ident(c + '__g')} "
                    f"THEN NULL ELSE {ident(c)} END AS {ident(c + '__o')}"
                )
            elif spec.columns[c] == FLAG:
                kept.append(
                    f"CASE WHEN {ident(c)} IN ('Y', 'N') THEN NULL ELSE {ident(c)} END "
                    f"AS {ident(c + '__o')}"
                )
            else:
                kept.append(f"{ident(c)} AS {ident(c + '__o')}")
        # The working values in one column `_w`, NULL on a row with none of them (a usable row
        # whose values were read as written, as nearly every row is), else a list of one struct:
        # one column written instead of one per value (each costs writing on every row), and a
        # list's values are stored only for the rows that have one. `Written.rows_sql` unpacks it.
        work = work_struct(
            typed,
            lambda field: {
                "_faults": f"CASE WHEN _bad THEN list_filter([{fault_list}], lambda x: x IS NOT NULL) END",
                "_raw": f"CASE WHEN _bad THEN {raw_json} END",
            }.get(field, ident(field)),
        )
        anything = " OR ".join(
            [
                "_bad",
                "_notes <> 0",
                *(f"{ident(c + '__o')} IS NOT NULL" for c in typed if c not in fast),
            ]
        )
        # Without `_w` (`lean`): a row that would have working values stops the statement
        # (`_LEAN_STOP`, raised from the key's column) instead.
        lean_cols = [
            f"CASE WHEN {anything} THEN CAST(error({lit(_LEAN_STOP)}) AS VARCHAR) "
            f"ELSE {key} END AS {key}"
            if x == key
            else x
            for x in out_cols
        ] + list(located)
        out_cols += [
            f"CASE WHEN {anything} THEN [{work}] END AS _w",
            *located,
        ]

        def create(source: str) -> None:
            """The table written from `source`; first (`lean`) without `_w`: in a file whose
            every row is read as written and usable (nearly every export) every row's `_w` is
            NULL, and a column of NULLs costs writing on every row (case_notes at 1,000,000
            children: about 0.6 s of CPU). A row with working values stops that first write:
            the table is written again, `_w` and all, from the file (read again)."""
            w.worked = True
            if lean:
                try:
                    create_table_as(
                        con, name, query(source, lean_cols), plain_ids(spec), kinds=kinds[:-1]
                    )
                except duckdb.Error as e:
                    if _LEAN_STOP not in str(e):
                        raise
                    con.execute(
                        f"DROP TABLE IF EXISTS {ident(name)}; DROP TABLE IF EXISTS _csv_rejects; "
                        "DROP TABLE IF EXISTS _csv_reject_scans"
                    )
                else:
                    w.worked, w.work_type = False, kinds[-1][1].removesuffix("[]")
                    return
            create_table_as(con, name, query(source, out_cols), plain_ids(spec), kinds=kinds)

        def query(source: str, cols: list[str]) -> str:
            # _faults is NULL for a usable row: the list (and the raw record) is built only for the
            # rejected ones. Its record ids are stored uncompressed (`plain_ids`).
            return f"""
                WITH u AS ({source}),
                s0 AS (SELECT {", ".join(place + trimmed + written)} FROM u),
                s AS (SELECT {", ".join(place + cleaned + written_names)} FROM s0),
                c AS (SELECT *{"".join(", " + p for p in casts)} FROM s),
                g AS (SELECT *{"".join(", " + p for p in plains)} FROM c),
                r AS (SELECT *, {", ".join([*parsed_raw, f"{changed} AS _notes"])} FROM g),
                t AS (SELECT * EXCLUDE ({", ".join([*written_names, *raw_dates])}),
                             {", ".join(parsed)}{", " if parsed else ""}
                             CASE WHEN _notes <> 0 THEN [{", ".join(written_list)}] END AS _written
                      FROM r),
                f AS (SELECT *, {bad} AS _bad FROM t),
                o AS (SELECT *{"".join(", " + k for k in kept)} FROM f)
                SELECT {", ".join(cols)} FROM o
                {"ORDER BY _ord, _file, _line" if ordered else ""}
                """

        return create

    if fused:
        part = parts[0]
        # The dates read typed by DuckDB itself where the file allows (`read_typed_csv`):
        # cheaper than reading them as text and typing them here. Any other file, or one
        # where that read does not hold, is read as text, as before.
        fast = frozenset(c for c in present if spec.columns.get(c) == DATE)
        if not (
            fast
            and typed_read_possible(part)
            and read_typed_csv(
                con,
                part,
                name,
                lambda source: plan(fast)(f"SELECT *, {part.order} AS _ord FROM ({source})"),
                dict.fromkeys(fast, "DATE"),
                lambda n: _typed_read_holds(con, spec, extras, noted, fast, n, w.worked),
            )
        ):
            create = plan(frozenset())
            problems += read_csv_into(
                con,
                part,
                name,
                lambda source: create(f"SELECT *, {part.order} AS _ord FROM ({source})"),
                numbered=False,
            )
            if has_lines(con, name):
                w.located = ("_line",)  # lines moved past rejected or multi-line records
    else:
        plan(frozenset())(
            " UNION ALL BY NAME ".join(
                f"SELECT *, {p.order} AS _ord FROM {ident(p.relation)}" for p in parts
            )
        )
    t_name = ident(name)
    rows = w.rows_sql()
    o, f, line = w.ord_sql(), w.file_sql(), w.line_sql()
    # A duplicate key, among rows with no other fault: the first by file, then line, stays.
    # Keys that rise strictly from row to row (in whatever order the rows are read: every row
    # is in the one sequence) cannot repeat: a streaming test, about a fifth of the cost of
    # grouping by key, which runs only when a key does not rise (duplicates, or keys out of
    # order, as exports in key order seldom are).
    usable = w.usable_sql()
    dups = con.execute(
        f"SELECT count(*) FILTER (WHERE NOT ({key} > _prev)) FROM "
        f"(SELECT {key}, lag({key}) OVER () AS _prev FROM {t_name} WHERE {usable})"
    ).fetchone()[0]
    if dups:
        dups = con.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {t_name} WHERE {usable} "
            f"GROUP BY {key} HAVING count(*) > 1)"
        ).fetchone()[0]
    if dups:
        if not w.worked:  # the duplicates' faults are set in `_w`: NULL on every row so far
            con.execute(f"ALTER TABLE {t_name} ADD COLUMN _w {w.work_type}[]")
            w.worked = True
            rows = w.rows_sql()
        if "_line" not in w.located:
            # DuckDB rewrites a row whose list column is updated (`_w`, below) at the table's
            # end, under a new rowid: its line is stored first.
            store_lines(con, name)
            w.located = ("_line",)
            rows, line = w.rows_sql(), w.line_sql()
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _dup AS
            SELECT {key} AS _k,
                   arg_min({{'o': {o}, 'f': {f}, 'l': {line}}}, ({o}, {f}, {line})) AS _first
            FROM {t_name} WHERE {usable}
            GROUP BY {key} HAVING count(*) > 1
            """
        )
        dup_reason = (
            f"'duplicate key: ' || {lit(spec.key)} || ' ' || v.{key} || ' was first on line ' "
            "|| CAST(d._first.l AS VARCHAR) || ' of ' || d._first.f || "
            "'; this row is rejected'"
        )
        # The row's working values kept, its faults and raw record set.
        kept_again = work_struct(
            typed,
            lambda field: (
                f"m.{field}" if field in ("_faults", "_raw") else f"t._w[1].{ident(field)}"
            ),
        )
        dup_json = (
            "CAST(to_json({"
            + ", ".join(f"{lit(c)}: {text_sql(spec, c, 'v.')}" for c in shown)
            + "}) AS VARCHAR)"
        )
        con.execute(
            f"""
            UPDATE {t_name} AS t SET _w = [{kept_again}]
            FROM (
                SELECT {", ".join(f"v.{c}" for c in w.located)},
                       [{fault_sql(spec.key, "v." + key, dup_reason)}] AS _faults,
                       {dup_json} AS _raw
                FROM {rows} v JOIN _dup d ON d._k = v.{key}
                WHERE v._faults IS NULL AND NOT ({w.ord_sql("v.")} = d._first.o
                      AND {w.file_sql("v.")} = d._first.f AND v._line = d._first.l)
            ) m
            WHERE {" AND ".join(f"t.{c} = m.{c}" for c in w.located)}
            """
        )
        con.execute("DROP TABLE _dup")
        if not ordered and not fused:  # a CSV file's rows are in line order already
            con.execute(
                f"CREATE OR REPLACE TABLE {t_name} AS SELECT * FROM {t_name} "
                "ORDER BY _ord, _file, _line"
            )
    return w
