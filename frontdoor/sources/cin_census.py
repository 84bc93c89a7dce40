"""Read the DfE children in need (CIN) census XML into the extract's raw tables.

One or more census files (collection years 2022 to 2026) are read into the same tables an SSD
extract gives: `ssd_person`, `ssd_cin_episodes`, `ssd_cin_assessments`, `ssd_cin_plans`,
`ssd_s47_enquiry`, `ssd_initial_cp_conference`, `ssd_cp_plans`, `ssd_cp_reviews`, plus the extra
raw table `cin_pre_proceedings` (the 2025-26 pre-proceedings and FGDM module).

The census has no identifiers for anything but the child, so the ids are synthesised from the
child's `LAchildID` and the dates that DfE's own validation treats as unique within a child:

| record | id |
|---|---|
| person | `LAchildID` |
| referral (CINdetails) | `{LAchildID}/{CINreferralDate}` |
| assessment | `{referral id}/A/{AssessmentActualStartDate}` |
| CIN plan | `{referral id}/CINP/{CINPlanStartDate}` |
| section 47 | `{referral id}/S47/{S47ActualStartDate}` |
| ICPC | `{referral id}/ICPC/{DateOfInitialCPC}` |
| CP plan | `{referral id}/CPP/{CPPstartDate}` |
| CP review | `{CP plan id}/R/{CPPreviewDate}` |
| pre-proceedings | `{referral id}/PP/{PPStartDate}` (under the child: `{LAchildID}/PP/...`) |

A referral open across a year end is in both years' returns, so several files are merged: for each
synthesised id, the rows of the file with the latest collection year win (ties: the later
reference date, then the later file in the list).

Every file is checked against the specification (its structure and code lists, built into
frontdoor: `cin_spec`, `cin_checks`), or against a DfE XSD when the user names a folder of them;
what fails is a warning with its line, and everything usable is still loaded. A file that is not
well-formed XML (cut short, edited by hand) or that uses entities stops the load: nothing of it
is read. Values stay text as in the XML.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from lxml import etree

from frontdoor.sources import STOP, WARNING, Problem, SourceTables, cin_checks
from frontdoor.sources.cin_census_file import FileReader, FileResult
from frontdoor.sources.cin_census_layout import (
    KIND,
    PRE_PROCEEDINGS_TABLE,
    TABLE_ORDER,
    UNAVAILABLE,
    XSD_ENV,
    _frame,
    _key_column,
    _local,
)

# -- detection -------------------------------------------------------------------------------------


def is_cin_census(path: Path) -> bool:
    """True for an XML file whose root is a CIN census `Message` (reads only its start)."""
    path = Path(path)
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    try:
        seen = 0
        events = etree.iterparse(
            str(path),
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        )
        for event, el in events:
            name = _local(el.tag)
            if event == "start":
                if seen == 0 and name != "Message":
                    return False
                seen += 1
                if name in ("CINdetails", "ChildIdentifiers", "LAchildID"):
                    return True
            elif name == "Collection":
                return (el.text or "").strip().upper() == "CIN"
            if seen > 200:
                return False
    except (etree.LxmlError, OSError, ValueError):
        return False
    return False


# -- where XSDs come from --------------------------------------------------------------------------


def _xsd_dir(xsd_dir: Path | str | None) -> Path | None:
    """The folder of DfE XSDs the user named (argument, else $FRONTDOOR_CIN_XSD_DIR), or None:
    then the specification's rules built into frontdoor check the file."""
    if xsd_dir is not None:
        return Path(xsd_dir)
    env = os.environ.get(XSD_ENV)
    return Path(env) if env else None


def read_cin_census(paths: list[Path] | Path, xsd_dir: Path | str | None = None) -> SourceTables:
    """Read one or more CIN census XML files into raw tables (see the module docstring).

    Each file is checked with the specification's rules built into frontdoor (`cin_spec`), or,
    when a folder of DfE XSDs is named (`xsd_dir`, else `$FRONTDOOR_CIN_XSD_DIR`), against the
    XSD of its collection year (`CIN_schema_<year>.xsd`).
    """
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    folder = _xsd_dir(xsd_dir)
    xsds = cin_checks.find_xsds(folder)
    results: list[FileResult] = []
    problems: list[Problem] = []
    for p in paths:
        reader = FileReader(Path(p), xsds, folder)
        try:
            res = reader.read()
        except Exception as exc:  # noqa: BLE001 - a reader bug must not take the app down
            res = reader.result
            res.problems.append(
                Problem(STOP, f"the file could not be read ({type(exc).__name__}: {exc})", str(p))
            )
        results.append(res)
        problems.extend(res.problems)

    # Newest collection last, so that its rows win for the same id.
    order = sorted(
        range(len(results)),
        key=lambda i: (
            results[i].year or 0,
            results[i].reference_date,
            results[i].generated,
            i,
        ),
    )
    seen_years: dict[tuple, int] = {}
    for i in order:
        r = results[i]
        key = (r.year, r.reference_date)
        if r.year is not None and key in seen_years:
            other = results[seen_years[key]]
            problems.append(
                Problem(
                    WARNING,
                    f"{r.path.name} and {other.path.name} are both the {r.year} collection "
                    f"(reference date {r.reference_date or 'unknown'}); where they hold the same "
                    f"record, {r.path.name} (later in the list) wins",
                    str(r.path),
                )
            )
        seen_years[key] = i

    frames: dict[str, pd.DataFrame] = {}
    for table in TABLE_ORDER:
        key = _key_column(table)
        winner: dict[str, int] = {}
        for rank, i in enumerate(order):
            for row in results[i].rows[table]:
                winner[row[key]] = rank
        rows = []
        for rank, i in enumerate(order):
            for row in results[i].rows[table]:
                if winner[row[key]] == rank:
                    rows.append(row)
        if table == PRE_PROCEEDINGS_TABLE and not rows:
            continue
        frames[table] = _frame(table, rows)

    return SourceTables(
        frames=frames,
        problems=problems,
        unavailable=dict(UNAVAILABLE),
        kinds={KIND},
    )
