"""An Annex A workbook's rows judged for the tables (a part of its reader).

Apart from reading the sheets (frontdoor.sources.annex_a_sheets) and building the tables
(frontdoor.sources.annex_a_build) because these are the rules every list shares: one person per
child across the lists (the first value kept, a difference said), a list's usable rows (a child
and the defining date, duplicates rejected naming the row they repeat), and a list 6 referral
merged into list 3's.
"""

from __future__ import annotations

from collections.abc import Callable

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, REJECTED, WARNING
from frontdoor.sources.annex_a_layout import (
    DEFINING_FIELD,
    DUPLICATE_KEY,
    LIST_TABLE,
    LIST_TITLES,
    MERGED_FIELDS,
)
from frontdoor.sources.annex_a_sheets import ListSheet
from frontdoor.sources.annex_a_values import _ethnicity, _sex


class ListRows:
    """The Annex A reader's row steps (a part of `frontdoor.sources.annex_a._Reader`)."""

    rows: dict[str, list[dict]]
    persons: dict[str, dict]
    _person_conflicts: set[tuple[str, str]]
    _why_empty: dict[tuple[int, int, str], str]
    problem: Callable[..., None]  # the reader's: one problem, located
    _recode: Callable[..., None]

    def _add(self, table: str, sheet: ListSheet, line: int, row: dict) -> None:
        row[FILE_COLUMN] = sheet.file
        row[LINE_COLUMN] = line
        self.rows.setdefault(table, []).append(row)

    def _person(self, sheet: ListSheet, line: int, child_id: str, r: dict) -> None:
        attrs = {
            "pers_sex": _sex(r.get("gender")),
            "pers_ethnicity": _ethnicity(r.get("ethnicity")),
            "pers_dob": r.get("dob"),
            "pers_disability": r.get("disability"),
        }
        for f, column, what in (
            ("gender", "pers_sex", "read as the census's sex code (M, F, U)"),
            ("ethnicity", "pers_ethnicity", "read as the ethnicity code they start with"),
        ):
            if r.get(f) and attrs[column] and attrs[column] != r[f]:
                header = sheet.headers.get(f, f)
                self._recode(sheet, line, header, "ssd_person", what, r[f], attrs[column])
        if r.get("gender") and attrs["pers_sex"] is None:
            self.problem(
                WARNING,
                f"gender {r['gender']!r} is not male, female or not recorded; left empty",
                file=sheet.file,
                table="ssd_person",
                line=line,
                column=sheet.headers.get("gender"),
                value=r["gender"],
                record_id=child_id,
            )
        person = self.persons.get(child_id)
        if person is None:
            self.persons[child_id] = {
                "pers_person_id": child_id,
                **attrs,
                FILE_COLUMN: sheet.file,
                LINE_COLUMN: line,
            }
            return
        for k, v in attrs.items():
            if v is None:
                continue
            if person.get(k) is None:
                person[k] = v
            elif person[k] != v and (child_id, k) not in self._person_conflicts:
                self._person_conflicts.add((child_id, k))
                self.problem(
                    WARNING,
                    f"{k} differs between lists: {person[k]!r} at {person[FILE_COLUMN]} row "
                    f"{person[LINE_COLUMN]}, {v!r} here; the first was kept",
                    file=sheet.file,
                    table="ssd_person",
                    line=line,
                    column=k,
                    value=v,
                    record_id=child_id,
                )

    def _usable_rows(self, sheet: ListSheet | None, n: int, keep_rejected: bool = False):
        """The rows of list n the tables are built from, judged by one rule in every list.

        A row needs a child id (else it is rejected with the persons) and the list's defining
        date. A row with the same child and defining date as an earlier row of the same list
        (for contacts, also the same source) repeats it: rejected, naming the row it repeats,
        the first is loaded. With `keep_rejected`, rejected rows come too, marked with why
        (`_s47_rejected`), so that list 5 keeps the ICPC written beside a rejected S47."""
        if sheet is None:
            return
        defining = DEFINING_FIELD[n]
        header = sheet.headers.get(defining, defining)
        first: dict[tuple, tuple[int, dict]] = {}
        for line, r in sheet.rows:
            pid = r.get("child_id")
            if not pid:
                continue
            if not r.get(defining):
                cause = self._why_empty.get((n, line, defining))
                why = f"no {header!r}" if cause is None else cause
                reason = (
                    f"{why}: the row of list {n} ({LIST_TITLES[n]}) cannot be identified and "
                    "was rejected"
                )
                if cause and "number" in cause:
                    reason += "; format the column as dates in Excel and load again"
                value = None
            else:
                key = (pid, *(r.get(f) for f in DUPLICATE_KEY.get(n, (defining,))))
                if key not in first:
                    first[key] = (line, r)
                    yield sheet, line, pid, r
                    continue
                m, earlier = first[key]
                differ = [sheet.headers[f] for f in sheet.columns if r.get(f) != earlier.get(f)]
                why = f"a duplicate of row {m}"
                also = " and contact source" if n == 1 else ""
                reason = (
                    f"duplicate: the same child and {header!r} ({r[defining]}){also} as row {m} "
                    f"of {sheet.title}; this row is rejected, the first is loaded"
                    + (f" (this row differs in {', '.join(differ)})" if differ else "")
                )
                value = r[defining]
            self.problem(
                REJECTED,
                reason,
                file=sheet.file,
                table=LIST_TABLE[n],
                line=line,
                column=header,
                value=value,
                record_id=pid,
            )
            if keep_rejected:
                yield sheet, line, pid, {**r, "_s47_rejected": why}

    def _merge_into_referral(
        self, sheet: ListSheet, line: int, pid: str, r: dict, row: dict, extra: dict
    ) -> None:
        """A list 6 row for a referral list 3 already holds (same child and date): one referral,
        completed by what list 6 adds; a value the two lists give differently keeps list 3's.
        Said either way, so no row of list 6 disappears without a word."""
        filled, differ = [], []
        for k, v in extra.items():
            if v is None:
                continue
            label = sheet.headers.get(MERGED_FIELDS[k], MERGED_FIELDS[k])
            if row.get(k) is None:
                row[k] = v
                filled.append(label)
            elif row[k] != v:
                differ.append(f"{label} {v!r} (list 3: {row[k]!r})")
        first_list = row["cine_source_lists"]
        row["cine_source_lists"] = f"{first_list},{sheet.title}"
        reason = (
            f"the same referral as row {row[LINE_COLUMN]} of {first_list} (same child and "
            f"date): read as one referral, "
            + (f"completed by this row's {', '.join(filled)}" if filled else "which it repeats")
            + (
                f"; where they differ, {first_list}'s value is kept: {'; '.join(differ)}"
                if differ
                else ""
            )
        )
        self.problem(
            WARNING,
            reason,
            file=sheet.file,
            table="ssd_cin_episodes",
            line=line,
            column=sheet.headers.get("cin_start"),
            value=r["cin_start"],
            record_id=pid,
        )
