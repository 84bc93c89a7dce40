"""Three measures written the way an analyst's notebook would: pandas over the extract's CSVs.

`frontdoor bench` runs these beside the DuckDB measures on the same extract, checks both give the
same numbers and compares the time. They follow docs/measures.md directly:

- working days with `numpy.busday_count` and the England and Wales bank holidays
  (`frontdoor.calendar.bank_holidays`); `wd_between(a, b)` counts the working days after `a` up to
  and including `b`, which is `busday_count(a + 1 day, b + 1 day)` (busday_count counts [a, b));
- the 12-month look-back with `pd.DateOffset(months=12)`;
- rows read the way the loader reads them: blank or NULL is missing, text trimmed, dates as
  YYYY-MM-DD or DD/MM/YYYY; a row with its key or defining date missing, or any date unreadable,
  is left out, and of rows sharing a key the first is kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from frontdoor.calendar import bank_holidays
from frontdoor.schema import DATE, TABLES

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]|$)"
_UK = r"\d{1,2}/\d{1,2}/\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def holidays_array() -> np.ndarray:
    """Bank holidays as numpy days, for busday_count."""
    return np.array(sorted(bank_holidays()), dtype="datetime64[D]")


def parse_dates(text: pd.Series) -> pd.Series:
    """ISO or UK dates to datetime64; anything else (and blanks) to NaT."""
    iso = text.str.match(_ISO, na=False)
    uk = text.str.fullmatch(_UK, na=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if iso.any():
        part = text[iso].str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})", expand=False)
        out[iso] = pd.to_datetime(part, format="%Y-%m-%d", errors="coerce")
    if uk.any():
        part = text[uk].str.extract(r"^(\d{1,2}/\d{1,2}/\d{4})", expand=False)
        out[uk] = pd.to_datetime(part, format="%d/%m/%Y", errors="coerce")
    return out


def read_table(extract_dir: Path, table: str, columns: list[str]) -> pd.DataFrame:
    """`columns` of `<table>.csv`, cleaned as described above; date columns as datetime64."""
    spec = TABLES[table]
    dates = [c for c, kind in spec.columns.items() if kind == DATE]
    path = Path(extract_dir) / f"{table}.csv"
    header = pd.read_csv(path, nrows=0).columns
    header_map = {h.strip().lower(): h for h in header}
    wanted = [c for c in dict.fromkeys([spec.key, spec.defining_date, *columns, *dates]) if c]
    present = [c for c in wanted if c in header_map]
    frame = pd.read_csv(
        path,
        usecols=[header_map[c] for c in present],
        dtype=str,
        keep_default_na=False,
    )
    frame.columns = [h.strip().lower() for h in frame.columns]
    for c in present:
        s = frame[c].str.strip(" \t\r\n\u00a0")
        frame[c] = s.mask((s == "") | (s.str.upper() == "NULL"))
    for c in wanted:
        if c not in frame:
            frame[c] = pd.Series(pd.NA, index=frame.index, dtype="object")
    bad = frame[spec.key].isna()
    if spec.defining_date:
        bad |= frame[spec.defining_date].isna()
    for c in dates:
        if c in present:
            parsed = parse_dates(frame[c])
            bad |= frame[c].notna() & parsed.isna()
            frame[c] = parsed
        else:
            frame[c] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    frame = frame[~bad]
    frame = frame[~frame.duplicated(spec.key, keep="first")]
    return frame[list(dict.fromkeys([spec.key, *columns]))].reset_index(drop=True)


def wd_between(start: pd.Series, end: pd.Series, holidays: np.ndarray) -> np.ndarray:
    """Working days after `start` up to and including `end` (measures.md)."""
    a = start.to_numpy(dtype="datetime64[D]") + np.timedelta64(1, "D")
    b = end.to_numpy(dtype="datetime64[D]") + np.timedelta64(1, "D")
    return np.busday_count(a, b, holidays=holidays)


# -- (a) assessment duration ------------------------------------------------------------------

ASSESSMENT_COLUMNS = [
    "cina_assessment_id",
    "cina_assessment_start_date",
    "cina_assessment_auth_date",
]


def assessment_duration(
    assessments: pd.DataFrame,
    date_from: dt.date,
    date_to: dt.date,
    holidays: np.ndarray,
    target: int = 45,
) -> dict[str, float | int | None]:
    """Completed assessments (authorised in the period): count, median working days, share within
    `target`. An assessment authorised before it started has no duration and is left out."""
    a = assessments
    auth, start = a["cina_assessment_auth_date"], a["cina_assessment_start_date"]
    done = a[
        (auth >= pd.Timestamp(date_from))
        & (auth <= pd.Timestamp(date_to))
        & start.notna()
        & (auth >= start)
    ]
    days = wd_between(
        done["cina_assessment_start_date"], done["cina_assessment_auth_date"], holidays
    )
    if len(days) == 0:
        return {"completed": 0, "median_wd": None, "within_45_pct": None}
    return {
        "completed": len(days),
        "median_wd": float(np.median(days)),
        "within_45_pct": 100.0 * float((days <= target).sum()) / len(days),
    }


# -- (b) re-referrals within 12 months --------------------------------------------------------

REFERRAL_COLUMNS = ["cine_referral_id", "cine_person_id", "cine_referral_date"]


def rereferrals(referrals: pd.DataFrame, date_from: dt.date, date_to: dt.date) -> dict:
    """Referrals in the period and the share that are re-referrals: the same person has another
    referral dated in [d - 12 months, d)."""
    r = referrals.rename(
        columns={"cine_referral_id": "id", "cine_person_id": "person", "cine_referral_date": "date"}
    )
    year = r[(r["date"] >= pd.Timestamp(date_from)) & (r["date"] <= pd.Timestamp(date_to))]
    if year.empty:
        return {"referrals": 0, "rereferral_12m_pct": None}
    earlier = r.dropna(subset=["person"])
    pairs = year.merge(earlier, on="person", suffixes=("", "_prev"))
    pairs = pairs[
        (pairs["id_prev"] != pairs["id"])
        & (pairs["date_prev"] >= pairs["date"] - pd.DateOffset(months=12))
        & (pairs["date_prev"] < pairs["date"])
    ]
    rereferred = year["id"].isin(pairs["id"])
    return {
        "referrals": len(year),
        "rereferral_12m_pct": 100.0 * float(rereferred.sum()) / len(year),
    }


# -- (c) caseload by child --------------------------------------------------------------------

INVOLVEMENT_COLUMNS = [
    "invo_involvements_id",
    "invo_professional_id",
    "invo_professional_role_id",
    "invo_involvement_start_date",
    "invo_involvement_end_date",
    "invo_person_id",
]


def caseload_by_child(involvements: pd.DataFrame, as_of: dt.date) -> dict[str, int]:
    """Distinct children per worker among 'allocated case worker' involvements open at as-of
    (started on or before it, no end or ending after it)."""
    i = involvements
    t = pd.Timestamp(as_of)
    role = i["invo_professional_role_id"].str.strip().str.lower()
    end = i["invo_involvement_end_date"]
    open_ = i[
        (role == "allocated case worker")
        & (i["invo_involvement_start_date"] <= t)
        & (end.isna() | (end > t))
    ]
    counts = open_.groupby("invo_professional_id")["invo_person_id"].nunique()
    return {str(k): int(v) for k, v in counts.items()}
