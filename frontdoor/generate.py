"""A synthetic authority's case extract, in the shape of the Standard Safeguarding Dataset (SSD).

`generate_extract` writes one file per table of `frontdoor.schema.TABLES` (extension tables and
columns included) for a made-up authority whose front door looks like England's: contacts from the
police, schools and health in national proportions, about a third becoming referrals, re-referrals
and no-further-action at the national rates, assessment and conference timeliness near the DfE
figures, CP plans, reviews, visits, allocations, case notes and agency information requests.

It also carries the weaknesses an Ofsted inspection of the Borough of Poole found in 2010, so the
dashboard has something to find:

- Assessment Team C is short of staff: its referrals wait longer for allocation and its
  assessments take longer;
- some children in need are not seen for weeks, and some are never seen;
- unqualified workers (no social work registration number) hold cases and complete assessments;
- in some sibling groups only one child has an assessment;
- some allocated cases have no management oversight note at all;
- two workers record their case notes weeks late;
- Health answers information requests slowly and often not at all;
- children in need assessed by Team C wait weeks to move to the Children in Need team;
- police notifications made at the weekend are decided late;
- the child's views are missing from a share of assessments (more so in Team C).

The second-round tables (assessment factors, the voice of the child) and the weaknesses added
with them draw from a second random stream of the same seed, so the rest of the extract keeps
the draws it had.

Everything is vectorised with numpy from `numpy.random.default_rng(seed)` (and
`default_rng([seed, 13])` for the second round), so the same seed gives byte-identical files. The extract is "taken" on `end`: nothing is dated after it, and what is
still open then simply has no end date.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from frontdoor.calendar import bank_holidays
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.schema import DATE, NUMBER, TABLES

# --------------------------------------------------------------------------------------------
# Reference values
# --------------------------------------------------------------------------------------------

# Teams: index, id, name, parent id, parent name.
TEAMS = [
    ("T01", "Front Door (MASH)", "S01", "Referral and Assessment Service"),
    ("T02", "Assessment Team A", "S01", "Referral and Assessment Service"),
    ("T03", "Assessment Team B", "S01", "Referral and Assessment Service"),
    ("T04", "Assessment Team C", "S01", "Referral and Assessment Service"),
    ("T05", "Children in Need", "S02", "Safeguarding and Family Support"),
    ("T06", "Child Protection", "S02", "Safeguarding and Family Support"),
]
FD, TEAM_A, TEAM_B, TEAM_C, CIN, CP = range(6)
SHORT_TEAM = TEAM_C
# Children per case-holding worker the workforce is sized for (Team C is short of staff).
CASELOAD_TARGET = {TEAM_A: 16.0, TEAM_B: 16.0, TEAM_C: 28.0, CIN: 17.0, CP: 14.0}
UNQUALIFIED_SHARE = {FD: 0.1, TEAM_A: 0.06, TEAM_B: 0.06, TEAM_C: 0.2, CIN: 0.2, CP: 0.0}
AGENCY_SHARE = {FD: 0.1, TEAM_A: 0.12, TEAM_B: 0.12, TEAM_C: 0.35, CIN: 0.1, CP: 0.12}

# CIN census referral sources, England proportions (police ~28%, schools ~21%, health ~14%).
SOURCES = [
    ("1A", "Individual - family member/relative/carer", 3.5),
    ("1B", "Individual - acquaintance", 1.0),
    ("1C", "Individual - self", 1.0),
    ("1D", "Individual - other", 1.5),
    ("2A", "Schools", 20.0),
    ("2B", "Education services", 1.0),
    ("3A", "Health services - GP", 2.5),
    ("3B", "Health services - health visitor", 2.5),
    ("3C", "Health services - school nurse", 0.5),
    ("3D", "Health services - other primary health services", 1.5),
    ("3E", "Health services - A&E", 3.0),
    ("3F", "Health services - other", 4.0),
    ("4", "Housing", 1.5),
    ("5A", "LA services - social care", 5.0),
    ("5B", "LA services - other internal", 3.5),
    ("5C", "LA services - external", 2.0),
    ("5D", "LA services - early help", 3.0),
    ("6", "Police", 28.0),
    ("7", "Other legal agency", 3.0),
    ("8", "Other", 5.0),
    ("9", "Anonymous", 1.5),
    ("10", "Unknown", 1.5),
]
NEEDS = (
    ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"],
    [0.55, 0.10, 0.03, 0.09, 0.12, 0.02, 0.01, 0.04, 0.04],
)
CLOSE_REASONS = ["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8"]
# Reasons a plan-led episode closes (RC2 "died" is left out: no deaths are generated).
PLAN_CLOSE_P = [0.02, 0.0, 0.03, 0.03, 0.08, 0.04, 0.80, 0.0]
PARTICIPATION = ["Attended and spoke", "Views shared through an advocate", "Did not attend"]
CP_CATEGORIES = (
    ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple"],
    [0.50, 0.38, 0.065, 0.04, 0.015],
)
ETHNICITY = (
    "WBRI WOTH WIRI WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH "
    "REFU NOBT".split(),
    [66, 5, 0.3, 0.2, 0.3, 3, 1.5, 1.5, 3, 2, 3, 1, 1.5, 1, 4, 0.7, 0.3, 2, 1, 2.7],
)
ROLE_VARIANTS = (
    [
        "Allocated Case Worker",
        "allocated case worker ",
        "ALLOCATED CASE WORKER",
        " Allocated case worker",
    ],
    [0.9, 0.04, 0.03, 0.03],
)
NOTE_TYPES = ["management_oversight", "supervision", "visit", "assessment", "other"]
MO, SUPERVISION, VISIT, ASSESSMENT, OTHER = range(5)
# Agency, share of assessments asking it, response quantiles (working days), never answering.
AGENCIES = [
    ("Police", 0.60, [(0, 0), (0.5, 3), (0.9, 6.99), (1, 15)], 0.03),
    ("Health", 0.75, [(0, 2), (0.3, 7), (0.5, 12), (0.8, 20), (1, 45)], 0.22),
    ("School", 0.60, [(0, 0), (0.5, 3), (0.9, 7.99), (1, 15)], 0.04),
    ("Probation", 0.10, [(0, 1), (0.5, 3), (0.85, 7), (1, 20)], 0.06),
    ("Housing", 0.15, [(0, 1), (0.5, 4), (0.9, 9), (1, 20)], 0.06),
]
FIRST_NAMES = (
    "Amy Ben Chloe Daniel Emma Faisal Grace Harry Isla Jack Kate Liam Maya Noah Olivia Priya "
    "Ravi Sarah Tom Uma Victoria Will Yasmin Zoe Aisha Callum Dawn Gareth Helen Imran Joanne "
    "Kieran Laura Mark Nadia Owen Paula Rachel Simon Tariq".split()
)
SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Lewis Hughes Edwards Hill "
    "Moore Turner Ahmed Begum Cooper Ward Morris King Baker Harrison Morgan Allen Scott Young".split()
)

# Working-day quantiles (piecewise linear inverse CDFs, floored to whole days).
ALLOC_DELAY = [(0, 0), (0.15, 0.99), (0.5, 2.5), (0.88, 5.99), (0.97, 9), (1, 15)]
ALLOC_DELAY_SHORT = [(0, 1), (0.2, 3), (0.4, 6), (0.7, 10), (0.9, 16), (1, 30)]
ASSESS_DAYS = [
    (0, 0), (0.02, 0.99), (0.10, 7), (0.25, 15), (0.5, 31), (0.75, 40), (0.90, 45.99),
    (0.97, 60), (1, 100),
]  # fmt: skip
ASSESS_DAYS_SHORT = [
    (0, 1), (0.10, 10), (0.25, 22), (0.5, 39), (0.70, 45.99), (0.86, 60), (0.95, 80), (1, 140),
]  # fmt: skip
ICPC_DAYS = [(0, 2), (0.1, 7), (0.3, 11), (0.5, 14), (0.79, 15.99), (0.9, 20), (0.97, 30), (1, 45)]
FIRST_SEEN_DAYS = [(0, 0), (0.3, 1), (0.6, 3), (0.85, 5.99), (0.95, 10), (1, 19)]
# Working days from an assessment to the Children in Need team taking the case (Team C is slow;
# capped below the shortest plan, 60 days, so a move always comes before the plan ends).
MOVE_DAYS = [(0, 0), (0.4, 1.99), (0.8, 6), (0.95, 10.99), (1, 14)]
MOVE_DAYS_SHORT = [(0, 3), (0.25, 9), (0.5, 16), (0.8, 26), (1, 38)]
RECORDING_LAG = [(0, 0), (0.45, 0.99), (0.65, 1.99), (0.9, 5.99), (0.97, 10), (1, 25)]
CONTACT_DECISION = [(0, 0), (0.55, 0.99), (0.85, 1.99), (0.93, 3), (0.97, 6), (1, 15)]

# A well-run authority (`generate_extract(..., weaknesses=False)`, `frontdoor generate --clean`):
# the weaknesses above are switched off and every timescale is met as a good authority meets it
# (about 97% on time, caseloads under England's average, every agency prompt, the weekend's
# police notifications decided on Monday, nearly every child's views on record), so the findings
# find no area for development in it. The default extract keeps its own draws byte for byte.
CLEAN: dict[str, object] = {
    "alloc_delay": [(0, 0), (0.3, 0.99), (0.7, 2.5), (0.98, 5.99), (1, 8)],
    "assess_days": [(0, 0), (0.03, 0.99), (0.15, 7), (0.4, 18), (0.7, 30), (0.97, 45.99), (1, 55)],
    "icpc_days": [(0, 2), (0.2, 7), (0.6, 11), (0.97, 15.99), (1, 20)],
    "first_seen_days": [(0, 0), (0.4, 1), (0.75, 3), (0.98, 5.99), (1, 8)],
    "recording_lag": [(0, 0), (0.55, 0.99), (0.8, 1.99), (0.98, 5.99), (1, 8)],
    "contact_decision": [(0, 0), (0.7, 0.99), (0.98, 1.99), (1, 3)],
    "caseload_target": {TEAM_A: 13.0, TEAM_B: 13.0, TEAM_C: 13.0, CIN: 13.0, CP: 12.0},
    "agency_knots": [(0, 0), (0.6, 2), (0.98, 5.99), (1, 9)],
    "agency_never": 0.005,
    "p_late_review": 0.005,
    "oversight_every": (10, 2),  # management oversight about every 10 working days, +-2
    "p_voice": 0.98,  # the child's views on record after assessment
    "p_voice_blank": 0.005,
}
# CP plan length bands in days (DfE D7: <3m, 3-6m, 6-12m, 1-2y, 2y+), weighted for truncation.
PLAN_BANDS = ([20, 92, 183, 366, 731], [91, 182, 365, 730, 1100], [0.16, 0.19, 0.35, 0.21, 0.09])

# Shares of the model.
P_REFERRED_FAMILY = 0.55
P_NFA = 0.07
P_S47 = 0.35
P_ICPC = 0.40
P_CP_OUTCOME = 0.85
P_TRANSFER_IN = 0.015
P_STEP_DOWN = 0.4
P_CIN_PLAN = 0.45
P_RE_REFER = 0.45
P_ALL_SIBLINGS = 0.75
# Second round: police notifications at the weekend and decided late; the child's views;
# domestic abuse among the factors recorded at the end of an assessment (England: about a third
# of assessments name it for a parent or carer).
POLICE = next(i for i, s in enumerate(SOURCES) if s[0] == "6")
P_POLICE_WEEKEND = 0.25
P_WEEKEND_LATE = 0.7
P_VOICE = 0.72
P_VOICE_SHORT = 0.45
P_VOICE_BLANK = 0.08
VOICE_ANSWERS = ["Yes", "No", "Not sure"]
VOICE_COLUMNS = [
    "voch_explained_worries",
    "voch_story_help_understand",
    "voch_agree_worker",
    "voch_plan_safe",
    "voch_tablet_help_explain",
]
P_DOMESTIC_ABUSE = 0.22
P_DOMESTIC_ABUSE_POLICE = 0.55
DA_CODES = (["3B", "3A", "3C"], [0.65, 0.23, 0.12])
OTHER_FACTORS = ["1B", "2B", "4B", "4A", "16A", "17A", "18C", "5A", "6A", "14A"]


# --------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------


def _day(d: dt.date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


class _WorkCalendar:
    """Day numbers (days since 1970-01-01) to working-day indexes and back, by table lookup."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        days = np.arange(lo, hi, dtype=np.int64)
        hols = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
        self.is_wd = np.is_busday(days.astype("datetime64[D]"), holidays=hols)
        # cum[i] = working days on or before day lo + i.
        self.cum = np.cumsum(self.is_wd)
        self.workdays = days[self.is_wd]
        self.nwd = self.workdays.size

    def _i(self, d):
        return np.clip(np.asarray(d, dtype=np.int64) - self.lo, 0, self.hi - self.lo - 1)

    def index(self, d):
        """Index (into `workdays`) of the last working day on or before `d`."""
        return self.cum[self._i(d)] - 1

    def day(self, k):
        """Day number of working-day index `k`."""
        return self.workdays[np.clip(k, 0, self.nwd - 1)]

    def add(self, d, n):
        """wd_add: the earliest working day `n` working days after `d` (n >= 1, or d working)."""
        return self.day(self.index(d) + np.asarray(n, dtype=np.int64))

    def roll(self, d):
        """`d` if it is a working day, else the next working day."""
        i = self._i(d)
        return self.workdays[np.clip(self.cum[i] - self.is_wd[i], 0, self.nwd - 1)]


def _add_months(d: np.ndarray, months: int) -> np.ndarray:
    """Calendar-month arithmetic on day numbers: 31 Jan + 1 month = 28/29 Feb."""
    dd = d.astype("datetime64[D]")
    m = dd.astype("datetime64[M]")
    dom = (dd - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]").astype(np.int64) + np.minimum(dom, length - 1)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _q(rng: np.random.Generator, n: int, knots) -> np.ndarray:
    """Whole numbers drawn from a piecewise-linear inverse CDF given as (p, value) knots."""
    p, v = zip(*knots, strict=True)
    return np.floor(np.interp(rng.random(n), p, v)).astype(np.int64)


def _periodic(rng, start_k, stop_k, every: int, jitter: int):
    """Events from `start_k` every ~`every` working days up to `stop_k` (indexes, inclusive)."""
    span = stop_k - start_k
    n = np.where(span >= 0, span // every + 1, 0)
    idx = np.repeat(np.arange(n.size), n)
    j = np.arange(idx.size) - np.repeat(np.cumsum(n) - n, n)
    wobble = rng.integers(-jitter, jitter + 1, idx.size)
    k = start_k[idx] + j * every + np.where(j > 0, wobble, 0)
    keep = k <= stop_k[idx]
    return idx[keep], k[keep], j[keep]


def _ids(prefix: str, n: int, width: int = 7) -> pa.Array:
    num = pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(num, width=width, padding="0"), "")


def _cat(codes, labels, mask=None) -> pa.Array:
    """Strings `labels[codes]`, null where `mask` is true."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(labels, pa.string())).dictionary_decode()


def _flag(values, mask=None) -> pa.Array:
    return _cat(np.asarray(values, dtype=bool).astype(np.int32), ["N", "Y"], mask)


def _take(arr: pa.Array, idx, mask=None) -> pa.Array:
    """`arr[idx]`, null where `mask` is true (idx may be anything there)."""
    idx = np.asarray(idx, dtype=np.int64)
    if mask is not None:
        idx = np.where(mask, 0, idx)
    return arr.take(pa.array(idx, mask=mask))


def _dates(days, mask=None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Extract:
    def __init__(
        self,
        rng: np.random.Generator,
        children: int,
        start: dt.date,
        end: dt.date,
        weaknesses: bool = True,
        rng2: np.random.Generator | None = None,
    ):
        self.rng = rng
        self.weak = weaknesses
        # The second round's draws: a stream of their own, so the first round's stay the same.
        self.rng2 = rng2 if rng2 is not None else np.random.default_rng(0)
        self.n_children = children
        self.start = _day(start)
        self.end = _day(end)
        self.cal = _WorkCalendar(self.start - 400, self.end + 4000)
        self.k_start = int(self.cal.index(self.cal.roll(self.start)))
        self.k_end = int(self.cal.index(self.end))
        if self.k_end < self.k_start:
            raise ValueError("the period has no working day")
        self.tables: dict[str, dict[str, pa.Array]] = {}

    def k(self, name: str):
        """A parameter of the model: the default authority's, or the well-run one's (CLEAN)."""
        if not self.weak:
            return CLEAN[name]
        return _DEFAULTS[name]

    # ---- families --------------------------------------------------------------------------
    def families(self) -> None:
        rng, n = self.rng, self.n_children
        sizes = rng.choice(5, size=n, p=[0.42, 0.30, 0.16, 0.08, 0.04]) + 1
        cs = np.cumsum(sizes)
        nf = int(np.searchsorted(cs, n)) + 1
        sizes = sizes[:nf].copy()
        sizes[-1] -= cs[nf - 1] - n
        self.fam_size = sizes
        self.fam_off = np.cumsum(sizes) - sizes
        self.child_fam = np.repeat(np.arange(nf), sizes)
        self.n_fam = nf

    # ---- one round of referrals: the whole timeline of each episode ---------------------------
    def timeline(self, r: np.ndarray, prior_cp: np.ndarray) -> dict[str, np.ndarray]:
        rng, cal = self.rng, self.cal
        n = r.size
        e: dict[str, np.ndarray] = {"r": r}
        nfa = rng.random(n) < P_NFA
        team = rng.choice([TEAM_A, TEAM_B, TEAM_C], n)
        short = (team == SHORT_TEAM) & self.weak
        delay = np.where(short, _q(rng, n, ALLOC_DELAY_SHORT), _q(rng, n, self.k("alloc_delay")))
        alloc = cal.add(r, delay)
        extra = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 4, n))
        a_start = cal.add(alloc, extra)
        dur = np.where(short, _q(rng, n, ASSESS_DAYS_SHORT), _q(rng, n, self.k("assess_days")))
        auth = cal.add(a_start, dur)

        # A child back after a CP plan is more likely to need another enquiry and plan.
        s47 = ~nfa & (rng.random(n) < np.where(prior_cp, 0.6, P_S47))
        s47_start = cal.add(a_start, rng.integers(0, 6, n))
        icpc_flag = s47 & (rng.random(n) < np.where(prior_cp, 0.6, P_ICPC))
        icpc = cal.add(s47_start, _q(rng, n, self.k("icpc_days")))
        transfer = ~nfa & ~s47 & (rng.random(n) < P_TRANSFER_IN)
        icpc = np.where(transfer, cal.add(alloc, rng.integers(3, 11, n)), icpc)
        icpc_flag |= transfer
        cp = icpc_flag & (rng.random(n) < np.where(transfer, 0.95, P_CP_OUTCOME))
        s47_end = cal.add(s47_start, rng.integers(3, 16, n))
        s47_end = np.where(icpc_flag, np.minimum(s47_end, icpc), s47_end)
        s47_nfa = ~icpc_flag & (rng.random(n) < 0.6)

        lo, hi, p = PLAN_BANDS
        band = rng.choice(5, n, p=p)
        cp_end = cal.roll(icpc + rng.integers(np.array(lo)[band], np.array(hi)[band] + 1))
        cat0 = rng.choice(5, n, p=CP_CATEGORIES[1])
        cat1 = np.where(rng.random(n) < 0.08, rng.choice(5, n, p=CP_CATEGORIES[1]), cat0)
        step_down = cp & (rng.random(n) < P_STEP_DOWN)
        sd_end = cal.roll(cp_end + rng.integers(60, 200, n))
        cin = ~nfa & ~cp & (rng.random(n) < P_CIN_PLAN)
        cin_start = np.where(icpc_flag, np.maximum(auth, icpc), auth)
        # The Children in Need team takes the case some working days after the plan starts.
        move = np.where(short, _q(self.rng2, n, MOVE_DAYS_SHORT), _q(self.rng2, n, MOVE_DAYS))
        cin_move = cal.add(cin_start, move)
        cin_end = cal.roll(cin_start + rng.integers(60, 400, n))

        close = cal.add(auth, rng.integers(0, 6, n))
        close = np.where(cin, cal.add(cin_end, rng.integers(0, 4, n)), close)
        cp_close = np.where(step_down, sd_end, cal.add(cp_end, rng.integers(0, 4, n)))
        close = np.where(cp, np.maximum(cp_close, auth), close)
        close = np.where(nfa, cal.add(r, (rng.random(n) < 0.4).astype(np.int64)), close)
        plan_led = cp | cin
        reason = np.where(
            plan_led,
            rng.choice(8, n, p=PLAN_CLOSE_P),
            np.where(rng.random(n) < 0.85, 7, 6),
        )

        weak = self.weak
        late_seen = ~nfa & (rng.random(n) < np.where(short, 0.15, 0.04)) & weak
        never_seen = ~nfa & ~s47 & ~transfer & (rng.random(n) < np.where(short, 0.06, 0.02)) & weak
        first_seen = np.where(
            late_seen, rng.integers(20, 46, n), _q(rng, n, self.k("first_seen_days"))
        )
        no_mo = ~nfa & (rng.random(n) < np.where(short, 0.35, 0.10)) & weak
        # Some of those drift: after the first visit nothing happens on the case.
        drift = no_mo & ~cp & (rng.random(n) < 0.4)
        sib_one_assessment = (rng.random(n) < 0.25) & weak
        child_seen = rng.random(n) < 0.9
        blank_type = rng.random(n) < 0.05
        source = rng.choice(len(SOURCES), n, p=_SOURCE_P)
        need = rng.choice(9, n, p=NEEDS[1])
        fd_worker = rng.integers(0, 1 << 30, n)  # reduced modulo the front door team size later
        e.update(
            nfa=nfa, team=team, alloc=alloc, a_start=a_start, auth=auth, s47=s47,
            s47_start=s47_start, s47_end=s47_end, s47_nfa=s47_nfa, icpc_flag=icpc_flag,
            icpc=icpc, transfer=transfer, cp=cp, cp_end=cp_end, cat0=cat0, cat1=cat1,
            step_down=step_down, cin=cin, cin_start=cin_start, cin_end=cin_end, sd_end=sd_end,
            cin_move=cin_move,
            close=close, reason=reason, late_seen=late_seen, never_seen=never_seen,
            first_seen=first_seen, no_mo=no_mo, drift=drift, sib_one_assessment=sib_one_assessment,
            child_seen=child_seen, blank_type=blank_type, source=source, need=need,
            fd_worker=fd_worker,
        )  # fmt: skip
        return e

    def referrals(self) -> None:
        rng, cal = self.rng, self.cal
        referred = np.flatnonzero(rng.random(self.n_fam) < P_REFERRED_FAMILY)
        fam = referred
        who = self._members(fam)
        r = cal.day(rng.integers(self.k_start, self.k_end + 1, fam.size))
        prior_cp = np.zeros(fam.size, dtype=bool)
        rounds = []
        for i in range(8):
            if i and fam.size == 0:
                break
            e = self.timeline(r, prior_cp)
            e["fam"], e["who"] = fam, who
            rounds.append(e)
            again = (
                (rng.random(fam.size) < P_RE_REFER)
                & (e["close"] <= self.end)
                & np.isin(e["reason"], [6, 7])
            )
            gap = np.where(
                rng.random(fam.size) < 0.8,
                rng.integers(14, 280, fam.size),
                rng.integers(300, 1000, fam.size),
            )
            nr = cal.roll(e["close"] + gap)
            keep = again & (nr <= self.end)
            fam, who, r = fam[keep], who[keep], nr[keep]
            prior_cp = (prior_cp | e["cp"])[keep]
        ev = {k: np.concatenate([d[k] for d in rounds]) for k in rounds[0]}
        order = np.lexsort((ev["fam"], ev["r"]))
        self.ev = {k: v[order] for k, v in ev.items()}
        self.n_ev = order.size

    def _members(self, fam: np.ndarray) -> np.ndarray:
        """-1 (all the family's children) or the rank of the one child an event is about."""
        rng = self.rng
        one = rng.integers(0, 1 << 30, fam.size) % self.fam_size[fam]
        return np.where(rng.random(fam.size) < P_ALL_SIBLINGS, -1, one)

    def _expand(self, fam, who):
        """Rows of (event index, child index, rank within the event) for family events."""
        cnt = np.where(who < 0, self.fam_size[fam], 1)
        ev = np.repeat(np.arange(fam.size), cnt)
        within = np.arange(ev.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        child = self.fam_off[fam[ev]] + np.where(who[ev] < 0, within, who[ev])
        return ev, child, within, cnt

    def child_episodes(self) -> None:
        ev = self.ev
        ce_ev, ce_child, ce_rank, cnt = self._expand(ev["fam"], ev["who"])
        self.ce_ev, self.ce_child, self.ce_rank = ce_ev, ce_child, ce_rank
        self.ev_cnt = cnt
        self.ev_ce_off = np.cumsum(cnt) - cnt
        self.n_ce = ce_ev.size
        self.ref_ids = _ids("R", self.n_ce)

    def ev_to_ce(self, rows_ev: np.ndarray):
        """Expand event-level rows to one row per child of the event: (row index, child episode)."""
        cnt = self.ev_cnt[rows_ev]
        row = np.repeat(np.arange(rows_ev.size), cnt)
        within = np.arange(row.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        return row, self.ev_ce_off[rows_ev[row]] + within

    # ---- allocations and the workforce -----------------------------------------------------
    def segments(self) -> None:
        rng, cal, ev = self.rng, self.cal, self.ev
        alloc_ok = ~ev["nfa"]
        idx = np.arange(self.n_ev)
        t1 = np.where(ev["cp"], ev["icpc"], np.where(ev["cin"], ev["cin_move"], ev["close"]))
        parts = [
            (idx[alloc_ok], ev["team"][alloc_ok], ev["alloc"][alloc_ok], t1[alloc_ok], 1),
        ]
        m = ev["cp"]
        stop = np.where(ev["step_down"], ev["cp_end"], ev["close"])
        parts.append((idx[m], np.full(m.sum(), CP), ev["icpc"][m], stop[m], 2))
        m = ev["cin"]
        parts.append((idx[m], np.full(m.sum(), CIN), ev["cin_move"][m], ev["close"][m], 3))
        m = ev["step_down"]
        parts.append((idx[m], np.full(m.sum(), CIN), ev["cp_end"][m], ev["close"][m], 3))
        s_ev, s_team, s_start, s_stop = (
            np.concatenate([np.asarray(p[i]).astype(np.int64) for p in parts]) for i in range(4)
        )
        s_kind = np.concatenate([np.full(p[0].size, p[4]) for p in parts])
        keep = s_start <= self.end
        s_ev, s_team, s_start, s_stop, s_kind = (
            a[keep] for a in (s_ev, s_team, s_start, s_stop, s_kind)
        )
        # A change of worker part way through some long-term cases.
        k0 = cal.index(s_start)
        k1 = cal.index(np.minimum(s_stop, self.end))
        length = k1 - k0
        split = (s_kind > 1) & (length > 60) & (rng.random(s_ev.size) < 0.3)
        cut = cal.day(k0 + 20 + rng.integers(0, 1 << 30, s_ev.size) % np.maximum(length - 30, 1))
        n_split = int(split.sum())
        s_prev = np.full(s_ev.size + n_split, -1)
        s_prev[s_ev.size :] = np.flatnonzero(split)
        s_ev = np.concatenate([s_ev, s_ev[split]])
        s_team = np.concatenate([s_team, s_team[split]])
        s_kind = np.concatenate([s_kind, s_kind[split]])
        s_start = np.concatenate([s_start, cut[split]])
        s_stop = np.concatenate([np.where(split, cut, s_stop), s_stop[split]])
        self.seg = dict(ev=s_ev, team=s_team, start=s_start, stop=s_stop, kind=s_kind, prev=s_prev)

    def workforce(self) -> None:
        rng, seg = self.rng, self.seg
        weight = self.ev_cnt[seg["ev"]]
        span = self.end - self.start
        probes = np.linspace(self.start + 0.4 * span, self.end, 12).astype(np.int64)
        open_children = np.zeros(len(TEAMS))
        for d in probes:
            o = (seg["start"] <= d) & (seg["stop"] > d)
            open_children += np.bincount(seg["team"][o], weights=weight[o], minlength=len(TEAMS))
        open_children /= probes.size
        years = max(span / 365.25, 0.25)
        referrals_a_year = self.n_ce / years
        sizes = {FD: max(3, math.ceil(referrals_a_year / 300))}
        for t, target in self.k("caseload_target").items():
            sizes[t] = max(2, math.ceil(open_children[t] / target))

        team, manager, qualified, title, fte, agency = [], [], [], [], [], []
        q_titles = (
            ["Social Worker", "Senior Social Worker", "Advanced Practitioner"],
            [0.7, 0.2, 0.1],
        )
        u_titles = (["Family Support Worker", "Social Work Assistant", "Assessment Officer"], [0.5, 0.3, 0.2])  # fmt: skip
        fd_titles = (["Duty Social Worker", "Senior Social Worker"], [0.8, 0.2])
        self.team_workers: dict[int, np.ndarray] = {}
        self.team_manager: dict[int, int] = {}
        for t in range(len(TEAMS)):
            n = sizes[t]
            base = len(team)
            self.team_manager[t] = base
            team.append(t)
            manager.append(True)
            qualified.append(True)
            title.append("Team Manager")
            fte.append(1.0)
            agency.append(False)
            n_unq = int(round(UNQUALIFIED_SHARE[t] * n)) if self.weak else 0
            if t == SHORT_TEAM and self.weak:
                n_unq = max(n_unq, 1)
            unq = np.zeros(n, dtype=bool)
            unq[rng.choice(n, min(n_unq, n - 1), replace=False)] = True
            pt = rng.random(n) < 0.15
            ftes = np.where(pt, rng.choice([0.5, 0.6, 0.7, 0.8], n), 1.0)
            ag = rng.random(n) < AGENCY_SHARE[t]
            if t == SHORT_TEAM and not ag.any():
                ag[0] = True
            titles = fd_titles if t == FD else q_titles
            qt = rng.choice(len(titles[0]), n, p=titles[1])
            ut = rng.choice(3, n, p=u_titles[1])
            for i in range(n):
                team.append(t)
                manager.append(False)
                qualified.append(not unq[i])
                if unq[i]:
                    title.append(u_titles[0][ut[i]])
                else:
                    title.append(titles[0][qt[i]])
                fte.append(float(ftes[i]))
                agency.append(bool(ag[i]))
            self.team_workers[t] = np.arange(base + 1, base + 1 + n)
        nw = len(team)
        self.w_team = np.array(team)
        self.w_qualified = np.array(qualified)
        self.w_manager = np.array(manager)
        late = np.zeros(nw, dtype=bool)
        for t in (TEAM_B, CIN) if self.weak else ():
            cands = [w for w in self.team_workers[t] if self.w_qualified[w]]
            if cands:
                late[cands[0]] = True
        self.w_late = late
        self.w_ids = _ids("W", nw, 4)
        names = [
            f"{FIRST_NAMES[a]} {SURNAMES[b]}"
            for a, b in zip(
                rng.integers(0, len(FIRST_NAMES), nw),
                rng.integers(0, len(SURNAMES), nw),
                strict=True,
            )
        ]
        reg = rng.choice(900_000, nw, replace=False) + 100_000
        reg_txt = [f"SW{x}" if q else None for x, q in zip(reg, qualified, strict=True)]
        self.tables["ssd_professionals"] = {
            "prof_professional_id": self.w_ids,
            "prof_professional_name": pa.array(names, pa.string()),
            "prof_social_worker_registration_no": pa.array(reg_txt, pa.string()),
            "prof_professional_job_title": pa.array(title, pa.string()),
            "prof_professional_department": _cat(team, [t[0] for t in TEAMS]),
            "prof_full_time_equivalency": pa.array(fte, pa.float64()),
            "prof_agency_worker_flag": _flag(agency),
        }
        self.tables["ssd_department"] = {
            "dept_team_id": pa.array([t[0] for t in TEAMS]),
            "dept_team_name": pa.array([t[1] for t in TEAMS]),
            "dept_team_parent_id": pa.array([t[2] for t in TEAMS]),
            "dept_team_parent_name": pa.array([t[3] for t in TEAMS]),
        }
        fdw = self.team_workers[FD]
        self.ev_fd_worker = fdw[self.ev["fd_worker"] % fdw.size]

    def assign_workers(self) -> None:
        seg = self.seg
        worker = np.zeros(seg["ev"].size, dtype=np.int64)
        for t, pool in self.team_workers.items():
            if t == FD:
                continue
            mine = np.flatnonzero(seg["team"] == t)
            order = mine[np.lexsort((mine, seg["start"][mine]))]
            # Unqualified workers carry half a qualified worker's share of the cases.
            rotation = np.concatenate([pool, pool[self.w_qualified[pool]]])
            worker[order] = rotation[np.arange(order.size) % rotation.size]
        # A change of worker is a different worker.
        prev = seg["prev"]
        ch = np.flatnonzero(prev >= 0)
        same = worker[ch] == worker[prev[ch]]
        for i in ch[same]:
            pool = self.team_workers[int(seg["team"][i])]
            pos = int(np.searchsorted(pool, worker[i]))
            worker[i] = pool[(pos + 1) % pool.size]
        seg["worker"] = worker
        # The assessing worker: the first allocation's worker (or the team's first, if none).
        first = np.flatnonzero(seg["kind"] == 1)
        aw = np.full(self.n_ev, -1)
        aw[seg["ev"][first]] = worker[first]
        self.ev_assess_worker = aw
        cin_first = np.flatnonzero((seg["kind"] == 3) & (prev < 0))
        cw = np.full(self.n_ev, -1)
        cw[seg["ev"][cin_first]] = worker[cin_first]
        self.ev_cin_worker = cw

    # ---- tables ----------------------------------------------------------------------------
    def episodes_table(self) -> None:
        ev, end = self.ev, self.end
        e = self.ce_ev
        closed = ev["close"][e] <= end
        self.tables["ssd_cin_episodes"] = {
            "cine_referral_id": self.ref_ids,
            "cine_person_id": _take(self.person_ids, self.ce_child),
            "cine_referral_date": _dates(ev["r"][e]),
            "cine_referral_source_code": _cat(ev["source"][e], [s[0] for s in SOURCES]),
            "cine_referral_source_desc": _cat(ev["source"][e], [s[1] for s in SOURCES]),
            "cine_cin_primary_need_code": _cat(ev["need"][e], NEEDS[0]),
            "cine_referral_nfa": _flag(ev["nfa"][e]),
            "cine_close_date": _dates(ev["close"][e], ~closed),
            "cine_close_reason": _cat(ev["reason"][e], CLOSE_REASONS, ~closed),
            "cine_referral_team": _cat(np.zeros(e.size), [TEAMS[FD][0]]),
            "cine_referral_worker_id": _take(self.w_ids, self.ev_fd_worker[e]),
        }

    def contacts(self) -> None:
        rng, cal, ev = self.rng, self.cal, self.ev
        # The contact that became each referral: the same day or a day or two before.
        e = self.ce_ev
        back = rng.choice(3, e.size, p=[0.7, 0.2, 0.1])
        c1 = cal.add(ev["r"][e], -back)
        c1 = np.where(c1 < self.start, ev["r"][e], c1)
        # Contacts that did not become referrals, by family.
        referred = np.zeros(self.n_fam, dtype=bool)
        referred[ev["fam"]] = True
        years = (self.end - self.start) / 365.25
        n_events = np.where(
            referred,
            rng.poisson(0.42 * years, self.n_fam),
            1 + rng.poisson(0.15 * years, self.n_fam),
        )
        fam = np.repeat(np.arange(self.n_fam), n_events)
        first = np.r_[True, fam[1:] != fam[:-1]]
        who = np.where(first & ~referred[fam], -1, self._members(fam))
        k = rng.integers(self.k_start, self.k_end + 1, fam.size)
        d = cal.day(k)
        weekend = rng.random(fam.size) < 0.06
        dow = (d + 3) % 7  # Monday = 0 (1970-01-01 was a Thursday)
        sat = d + (5 - dow)
        d = np.where(weekend & (sat <= self.end) & (dow < 5), sat, d)
        decide = _q(rng, fam.size, self.k("contact_decision"))
        src = rng.choice(len(SOURCES), fam.size, p=_SOURCE_P)
        # Police notifications: a share made at the weekend, and those made Friday to Sunday
        # mostly decided late (the second round's stream).
        rng2 = self.rng2
        police = src == POLICE
        dow = (d + 3) % 7
        to_weekend = police & (rng2.random(fam.size) < P_POLICE_WEEKEND) & (dow < 5)
        wk_day = d + (5 - dow) + rng2.integers(0, 2, fam.size)
        d = np.where(to_weekend & (wk_day <= self.end), wk_day, d)
        dow = (d + 3) % 7
        late = police & (dow >= 4) & (rng2.random(fam.size) < P_WEEKEND_LATE) & self.weak
        decide = decide + np.where(late, rng2.integers(2, 5, fam.size), 0)
        if not self.weak:  # a well-run front door decides the weekend's contacts on Monday
            decide = np.where(dow >= 5, 0, decide)
        dec = cal.add(cal.roll(d), decide)
        c_ev, c_child, _, _ = self._expand(fam, who)
        dates = np.concatenate([c1, d[c_ev]])
        outcome = np.concatenate([ev["r"][e], dec[c_ev]])
        source = np.concatenate([ev["source"][e], src[c_ev]])
        child = np.concatenate([self.ce_child, c_child])
        order = np.lexsort((child, dates))
        dates, outcome, source, child = dates[order], outcome[order], source[order], child[order]
        # A person's dates are anchored on their family's first contact.
        anchor = np.full(self.n_fam, self.end, dtype=np.int64)
        np.minimum.at(anchor, self.child_fam[child], dates)
        self.fam_anchor = anchor
        last = np.full(self.n_children, self.start, dtype=np.int64)
        np.maximum.at(last, child, dates)
        self.child_last = last
        self.tables["ssd_contacts"] = {
            "cont_contact_id": _ids("C", dates.size),
            "cont_person_id": _take(self.person_ids, child),
            "cont_contact_date": _dates(dates),
            "cont_contact_source_code": _cat(source, [s[0] for s in SOURCES]),
            "cont_contact_source_desc": _cat(source, [s[1] for s in SOURCES]),
            "cont_outcome_date": _dates(outcome, outcome > self.end),
        }

    def persons(self) -> None:
        rng, n = self.rng, self.n_children
        anchor = self.fam_anchor[self.child_fam]
        age_years = rng.choice(
            np.arange(18), n, p=_normalise([10, 5, 5, 5, 5] + [5.5] * 5 + [6.5] * 6 + [5, 3])
        )
        dob = anchor - (age_years * 365.25 + rng.random(n) * 365).astype(np.int64)
        # Still a child (under 18) at the last contact.
        dob = np.maximum(dob, self.child_last - int(17.9 * 365.25))
        unborn = (rng.random(n) < 0.02) & (anchor + 180 < self.end)
        dob = np.where(unborn, anchor + rng.integers(10, 150, n), dob)
        expected = dob + rng.integers(-14, 15, n)
        self.dob = dob
        self.tables["ssd_person"] = {
            "pers_person_id": self.person_ids,
            "pers_sex": _cat(rng.choice(3, n, p=[0.51, 0.48, 0.01]), ["M", "F", "U"]),
            "pers_ethnicity": _cat(
                rng.choice(len(ETHNICITY[0]), n, p=_normalise(ETHNICITY[1])), ETHNICITY[0]
            ),  # fmt: skip
            "pers_dob": _dates(dob),
            "pers_expected_dob": _dates(expected, ~unborn),
            "pers_death_date": pa.nulls(n, pa.date32()),
        }
        self.tables["ssd_family"] = {
            "fami_table_id": _ids("FT", n),
            "fami_family_id": _take(_ids("FAM", self.n_fam, 6), self.child_fam),
            "fami_person_id": self.person_ids,
        }

    def assessments(self) -> None:
        rng, ev, end = self.rng, self.ev, self.end
        e = self.ce_ev
        single_sib = ev["sib_one_assessment"][e] & (self.ev_cnt[e] > 1) & (self.ce_rank > 0)
        m = ~ev["nfa"][e] & (ev["a_start"][e] <= end) & ~single_sib
        ce = np.flatnonzero(m)
        e = self.ce_ev[ce]
        auth = ev["auth"][e]
        seen = ev["child_seen"][e] & ~ev["never_seen"][e]
        self.as_ce = ce
        self.tables["ssd_cin_assessments"] = {
            "cina_assessment_id": _ids("A", ce.size),
            "cina_person_id": _take(self.person_ids, self.ce_child[ce]),
            "cina_referral_id": _take(self.ref_ids, ce),
            "cina_assessment_start_date": _dates(ev["a_start"][e]),
            "cina_assessment_child_seen": _flag(seen),
            "cina_assessment_auth_date": _dates(auth, auth > end),
            "cina_assessment_team": _cat(ev["team"][e], [t[0] for t in TEAMS]),
            "cina_assessment_worker_id": _take(self.w_ids, self.ev_assess_worker[e]),
            "cina_assessment_type": _cat(np.zeros(ce.size), ["single"], ev["blank_type"][e]),
        }
        # Information requests to partner agencies during the assessment.
        child_age = (ev["a_start"][e] - self.dob[self.ce_child[ce]]) / 365.25
        rows = []
        for i, (_name, share, knots, never) in enumerate(AGENCIES):
            if not self.weak:  # every agency prompt
                knots, never = self.k("agency_knots"), self.k("agency_never")
            asked = rng.random(ce.size) < share
            if AGENCIES[i][0] == "School":
                asked &= child_age >= 4
            idx = np.flatnonzero(asked)
            req = self.cal.add(ev["a_start"][e][idx], rng.integers(0, 4, idx.size))
            resp = self.cal.add(req, _q(rng, idx.size, knots))
            lost = rng.random(idx.size) < never
            rows.append((ce[idx], np.full(idx.size, i), req, np.where(lost, end + 1, resp)))
        r_ce, r_ag, r_req, r_resp = (np.concatenate([x[j] for x in rows]) for j in range(4))
        keep = r_req <= end
        r_ce, r_ag, r_req, r_resp = r_ce[keep], r_ag[keep], r_req[keep], r_resp[keep]
        order = np.lexsort((r_ag, r_ce, r_req))
        r_ce, r_ag, r_req, r_resp = r_ce[order], r_ag[order], r_req[order], r_resp[order]
        self.tables["info_requests"] = {
            "request_id": _ids("IR", r_ce.size),
            "person_id": _take(self.person_ids, self.ce_child[r_ce]),
            "referral_id": _take(self.ref_ids, r_ce),
            "agency": _cat(r_ag, [a[0] for a in AGENCIES]),
            "requested_date": _dates(r_req),
            "responded_date": _dates(r_resp, r_resp > end),
        }

    def child_protection(self) -> None:
        rng, ev, end, cal = self.rng, self.ev, self.end, self.cal
        e = self.ce_ev
        ce_team = ev["team"][e]
        # S47 enquiries.
        s47 = np.flatnonzero(ev["s47"][e] & (ev["s47_start"][e] <= end))
        s_e = e[s47]
        s47_ids = _ids("S", s47.size)
        s47_of = np.full(self.n_ce, -1)
        s47_of[s47] = np.arange(s47.size)
        ended = ev["s47_end"][s_e] <= end
        self.tables["ssd_s47_enquiry"] = {
            "s47e_s47_enquiry_id": s47_ids,
            "s47e_referral_id": _take(self.ref_ids, s47),
            "s47e_person_id": _take(self.person_ids, self.ce_child[s47]),
            "s47e_s47_start_date": _dates(ev["s47_start"][s_e]),
            "s47e_s47_end_date": _dates(ev["s47_end"][s_e], ~ended),
            "s47e_s47_nfa": _flag(ev["s47_nfa"][s_e], ~ended),
            "s47e_s47_completed_by_team": _cat(ce_team[s47], [t[0] for t in TEAMS]),
            "s47e_s47_completed_by_worker_id": _take(self.w_ids, self.ev_assess_worker[s_e]),
        }
        # CP plans (ids first: the conference names its plan).
        cp = np.flatnonzero(ev["cp"][e] & (ev["icpc"][e] <= end))
        p_e = e[cp]
        plan_ids = _ids("CPP", cp.size)
        plan_of = np.full(self.n_ce, -1)
        plan_of[cp] = np.arange(cp.size)
        # Initial child protection conferences.
        ic = np.flatnonzero(ev["icpc_flag"][e] & (ev["icpc"][e] <= end))
        i_e = e[ic]
        icpc_ids = _ids("ICPC", ic.size, 6)
        icpc_of = np.full(self.n_ce, -1)
        icpc_of[ic] = np.arange(ic.size)
        transfer = ev["transfer"][i_e]
        target = cal.add(ev["s47_start"][i_e], 15)
        self.tables["ssd_initial_cp_conference"] = {
            "icpc_icpc_id": icpc_ids,
            "icpc_s47_enquiry_id": _take(s47_ids, s47_of[ic], transfer),
            "icpc_person_id": _take(self.person_ids, self.ce_child[ic]),
            "icpc_cp_plan_id": _take(plan_ids, plan_of[ic], plan_of[ic] < 0),
            "icpc_referral_id": _take(self.ref_ids, ic),
            "icpc_icpc_transfer_in": _flag(transfer),
            "icpc_icpc_target_date": _dates(target, transfer | (target > end)),
            "icpc_icpc_date": _dates(ev["icpc"][i_e]),
            "icpc_icpc_outcome_cp_flag": _flag(ev["cp"][i_e]),
            "icpc_icpc_team": _cat(ce_team[ic], [t[0] for t in TEAMS]),
            "icpc_icpc_worker_id": _take(self.w_ids, self.ev_assess_worker[i_e]),
        }
        p_end = ev["cp_end"][p_e]
        self.tables["ssd_cp_plans"] = {
            "cppl_cp_plan_id": plan_ids,
            "cppl_referral_id": _take(self.ref_ids, cp),
            "cppl_icpc_id": _take(icpc_ids, icpc_of[cp]),
            "cppl_person_id": _take(self.person_ids, self.ce_child[cp]),
            "cppl_cp_plan_start_date": _dates(ev["icpc"][p_e]),
            "cppl_cp_plan_end_date": _dates(p_end, p_end > end),
            "cppl_cp_plan_initial_category": _cat(ev["cat0"][p_e], CP_CATEGORIES[0]),
            "cppl_cp_plan_latest_category": _cat(ev["cat1"][p_e], CP_CATEGORIES[0]),
        }
        self.plan_of = plan_of
        self.plan_ids = plan_ids
        # CP reviews, by event (siblings are reviewed together), then one row per child.
        cp_ev = np.flatnonzero(ev["cp"] & (ev["icpc"] <= end))
        prev = ev["icpc"][cp_ev]
        plan_end = ev["cp_end"][cp_ev]
        alive = np.ones(cp_ev.size, dtype=bool)
        rv_ev, rv_due, rv_date = [cp_ev[:0]], [prev[:0]], [prev[:0]]
        for i in range(40):
            due = _add_months(prev, 3 if i == 0 else 6)
            late = rng.random(cp_ev.size) < (0.08 if self.weak else self.k("p_late_review"))
            held = np.where(
                late,
                cal.roll(due + rng.integers(1, 31, cp_ev.size)),
                cal.day(cal.index(due - rng.integers(0, 15, cp_ev.size))),
            )
            held = np.maximum(held, prev + 1)
            alive &= (due < plan_end) & (held <= plan_end) & (held <= end)
            if not alive.any():
                break
            ok = alive & (due <= end)
            rv_ev.append(cp_ev[ok])
            rv_due.append(due[ok])
            rv_date.append(held[ok])
            prev = held
        rv_ev, rv_due, rv_date = (np.concatenate(x) for x in (rv_ev, rv_due, rv_date))
        order = np.lexsort((rv_ev, rv_date))
        rv_ev, rv_due, rv_date = rv_ev[order], rv_due[order], rv_date[order]
        row, ce = self.ev_to_ce(rv_ev)
        self.tables["ssd_cp_reviews"] = {
            "cppr_cp_review_id": _ids("CPR", row.size),
            "cppr_person_id": _take(self.person_ids, self.ce_child[ce]),
            "cppr_cp_plan_id": _take(plan_ids, plan_of[ce]),
            "cppr_cp_review_due": _dates(rv_due[row]),
            "cppr_cp_review_date": _dates(rv_date[row]),
            # The decision: the plan ends at a review held within two weeks of its end. How the
            # child took part: from the review date, so no random draw moves the rest.
            "cppr_cp_review_outcome_continue_cp": _flag(
                ev["cp_end"][rv_ev][row] - rv_date[row] > 14
            ),
            "cppr_cp_review_participation": _cat(rv_date[row] % len(PARTICIPATION), PARTICIPATION),
        }
        # CIN plans (after an assessment, or a step down from a CP plan).
        cin = ev["cin"][e] & (ev["cin_start"][e] <= end)
        sd = ev["step_down"][e] & (ev["cp_end"][e] <= end)
        c = np.flatnonzero(cin | sd)
        c_e = e[c]
        c_start = np.where(ev["cin"][c_e], ev["cin_start"][c_e], ev["cp_end"][c_e])
        c_end = np.where(ev["cin"][c_e], ev["cin_end"][c_e], ev["sd_end"][c_e])
        order = np.lexsort((c, c_start))
        c, c_e, c_start, c_end = c[order], c_e[order], c_start[order], c_end[order]
        moved = self.ev_cin_worker[c_e] >= 0
        self.tables["ssd_cin_plans"] = {
            "cinp_cin_plan_id": _ids("CINP", c.size),
            "cinp_referral_id": _take(self.ref_ids, c),
            "cinp_person_id": _take(self.person_ids, self.ce_child[c]),
            "cinp_cin_plan_start_date": _dates(c_start),
            "cinp_cin_plan_end_date": _dates(c_end, c_end > end),
            # Held by the assessing team's worker until the Children in Need team takes it.
            "cinp_cin_plan_team": _cat(
                np.where(moved, CIN, ev["team"][c_e]), [t[0] for t in TEAMS]
            ),
            "cinp_cin_plan_worker_id": _take(
                self.w_ids, np.where(moved, self.ev_cin_worker[c_e], self.ev_assess_worker[c_e])
            ),
        }

    def involvements(self) -> None:
        rng, seg, end = self.rng, self.seg, self.end
        row, ce = self.ev_to_ce(seg["ev"])
        start, stop = seg["start"][row], seg["stop"][row]
        order = np.lexsort((ce, start))
        row, ce, start, stop = row[order], ce[order], start[order], stop[order]
        worker = seg["worker"][row]
        n = row.size
        role = rng.choice(len(ROLE_VARIANTS[0]), n, p=ROLE_VARIANTS[1])
        blank_ref = rng.random(n) < 0.04
        self.tables["ssd_involvements"] = {
            "invo_involvements_id": _ids("I", n),
            "invo_professional_id": _take(self.w_ids, worker),
            "invo_professional_role_id": _cat(role, ROLE_VARIANTS[0]),
            "invo_professional_team": _cat(seg["team"][row], [t[0] for t in TEAMS]),
            "invo_involvement_start_date": _dates(start),
            "invo_involvement_end_date": _dates(stop, stop > end),
            "invo_person_id": _take(self.person_ids, self.ce_child[ce]),
            "invo_referral_id": _take(self.ref_ids, ce, blank_ref),
        }
        self.cs = dict(ce=ce, row=row, start=start, stop=stop, worker=worker)

    def visits(self) -> None:
        rng, cal, ev = self.rng, self.cal, self.ev
        e = self.ce_ev
        k_end = self.k_end
        idx_all = np.arange(self.n_ce)
        # Child in need visits, from the first visit after referral to a CP plan or the close.
        m = ~ev["nfa"][e] & ~ev["never_seen"][e]
        ce = idx_all[m]
        ee = e[m]
        k0 = cal.index(ev["r"][ee]) + ev["first_seen"][ee]
        pre_stop = np.where(ev["cp"][ee], cal.index(ev["icpc"][ee]) - 1, cal.index(ev["close"][ee]))
        i1, k1, j1 = _periodic(rng, k0, np.minimum(pre_stop, k_end), 15, 4)
        keep = (j1 == 0) | ~ev["drift"][ee][i1]
        i1, k1, j1 = i1[keep], k1[keep], j1[keep]
        v_ce = [ce[i1]]
        v_k = [k1]
        v_seen = [(j1 == 0) | (rng.random(i1.size) < 0.92)]
        # Late-seen children often had a visit where they were not seen first.
        att = np.flatnonzero(ev["late_seen"][ee] & (rng.random(ee.size) < 0.5))
        k_att = cal.index(ev["r"][ee][att]) + rng.integers(2, 9, att.size)
        ok = k_att <= np.minimum(pre_stop[att], k_end)
        v_ce.append(ce[att][ok])
        v_k.append(k_att[ok])
        v_seen.append(np.zeros(ok.sum(), dtype=bool))
        # Step-down CIN plan visits after a CP plan.
        m = ev["step_down"][e]
        ce = idx_all[m]
        ee = e[m]
        i2, k2, _ = _periodic(
            rng,
            cal.index(ev["cp_end"][ee]) + 5,
            np.minimum(cal.index(ev["close"][ee]), k_end),
            20,
            5,
        )
        v_ce.append(ce[i2])
        v_k.append(k2)
        v_seen.append(rng.random(i2.size) < 0.92)
        v_ce, v_k, v_seen = (np.concatenate(x) for x in (v_ce, v_k, v_seen))
        v_day = cal.day(v_k)
        order = np.lexsort((v_ce, v_day))
        v_ce, v_day, v_seen = v_ce[order], v_day[order], v_seen[order]
        alone = v_seen & self._alone(v_ce, v_day)
        self.tables["ssd_cin_visits"] = {
            "cinv_cin_visit_id": _ids("CV", v_ce.size),
            "cinv_person_id": _take(self.person_ids, self.ce_child[v_ce]),
            "cinv_cin_visit_date": _dates(v_day),
            "cinv_cin_visit_seen": _flag(v_seen),
            "cinv_cin_visit_seen_alone": _flag(alone),
        }
        # Child protection visits, about every 10 working days while the plan lasts.
        cp = np.flatnonzero(self.plan_of >= 0)
        ee = e[cp]
        i3, k3, _ = _periodic(
            rng,
            cal.index(ev["icpc"][ee]) + rng.integers(0, 4, cp.size),
            np.minimum(cal.index(ev["cp_end"][ee]), k_end),
            10,
            2,
        )
        p_ce = cp[i3]
        p_day = cal.day(k3)
        order = np.lexsort((p_ce, p_day))
        p_ce, p_day = p_ce[order], p_day[order]
        p_seen = rng.random(p_ce.size) < 0.93
        p_alone = p_seen & self._alone(p_ce, p_day)
        self.tables["ssd_cp_visits"] = {
            "cppv_cp_visit_id": _ids("PV", p_ce.size),
            "cppv_person_id": _take(self.person_ids, self.ce_child[p_ce]),
            "cppv_cp_plan_id": _take(self.plan_ids, self.plan_of[p_ce]),
            "cppv_cp_visit_date": _dates(p_day),
            "cppv_cp_visit_seen": _flag(p_seen),
            "cppv_cp_visit_seen_alone": _flag(p_alone),
        }
        self.visit_ce = np.concatenate([v_ce, p_ce])
        self.visit_day = np.concatenate([v_day, p_day])

    def factors_and_views(self) -> None:
        """The second round's tables: the factors recorded at the end of each authorised
        assessment (domestic abuse more often after a police referral), and the voice of the
        child for some assessed children (fewer in Team C). Drawn from the second stream."""
        rng2, ev, end = self.rng2, self.ev, self.end
        a_ce = self.as_ce
        a_e = self.ce_ev[a_ce]
        ids = self.tables["ssd_cin_assessments"]["cina_assessment_id"]
        done = np.flatnonzero(ev["auth"][a_e] <= end)
        n = done.size
        p_da = np.where(
            ev["source"][a_e[done]] == POLICE, P_DOMESTIC_ABUSE_POLICE, P_DOMESTIC_ABUSE
        )
        da = rng2.random(n) < p_da
        da_code = rng2.choice(3, n, p=DA_CODES[1])
        da_two = da & (rng2.random(n) < 0.15)
        n_other = rng2.choice(3, n, p=[0.35, 0.45, 0.2])
        other = rng2.integers(0, len(OTHER_FACTORS), (n, 2))
        texts = []
        for i in range(n):
            codes = []
            if da[i]:
                codes.append(DA_CODES[0][da_code[i]])
                if da_two[i]:
                    codes.append(DA_CODES[0][(da_code[i] + 1) % 3])
            for j in range(n_other[i]):
                code = OTHER_FACTORS[other[i, j]]
                if code not in codes:
                    codes.append(code)
            texts.append("[" + ", ".join(f'"{c}"' for c in codes or ["21"]) + "]")
        self.tables["ssd_assessment_factors"] = {
            "cinf_table_id": _ids("CINF", n),
            "cinf_assessment_id": _take(ids, done),
            "cinf_assessment_factors_json": pa.array(texts, pa.string()),
        }
        # The voice of the child: one record for some of the children with an authorised
        # assessment; the team of their latest decides how likely.
        child = self.ce_child[a_ce[done]]
        team = ev["team"][a_e[done]]
        order = np.lexsort((ev["auth"][a_e[done]], child))
        last = np.r_[child[order][1:] != child[order][:-1], True]
        kids, kid_team = child[order][last], team[order][last]
        p = np.where(kid_team == SHORT_TEAM, P_VOICE_SHORT, P_VOICE)
        if not self.weak:  # a well-run authority records nearly every child's views
            p = np.full(kids.size, self.k("p_voice"))
        has = rng2.random(kids.size) < p
        kids = kids[has]
        m = kids.size
        blank = rng2.random(m) < (P_VOICE_BLANK if self.weak else self.k("p_voice_blank"))
        voice = {
            "voch_table_id": _ids("VOCH", m),
            "voch_person_id": _take(self.person_ids, kids),
        }
        for column in VOICE_COLUMNS:
            answer = rng2.choice(len(VOICE_ANSWERS), m, p=[0.6, 0.15, 0.25])
            missing = blank | (rng2.random(m) < 0.2)
            voice[column] = _cat(answer, VOICE_ANSWERS, missing)
        self.tables["ssd_voice_of_child"] = voice

    def _alone(self, ce, day):
        age = (day - self.dob[self.ce_child[ce]]) / 365.25
        return (age >= 4) & (self.rng.random(ce.size) < 0.7)

    def case_notes(self) -> None:
        rng, cal, ev, end, cs = self.rng, self.cal, self.ev, self.end, self.cs
        k_end = self.k_end
        parts = []  # (ce, event day, type, worker)
        # Visit notes, by the worker allocated on the day (else the front door worker).
        v_ce, v_day = self.visit_ce, self.visit_day
        big = np.int64(1 << 20)
        seg_key = cs["ce"] * big + cs["start"]
        pos = np.searchsorted(seg_key, v_ce * big + v_day, side="right") - 1
        pos_c = np.clip(pos, 0, None)
        has = (pos >= 0) & (cs["ce"][pos_c] == v_ce)
        fd = self.ev_fd_worker[self.ce_ev[v_ce]]
        parts.append(
            (v_ce, v_day, np.full(v_ce.size, VISIT), np.where(has, cs["worker"][pos_c], fd))
        )
        # Assessment notes, on authorisation.
        a_ce = self.as_ce
        a_e = self.ce_ev[a_ce]
        auth = ev["auth"][a_e]
        done = auth <= end
        parts.append(
            (
                a_ce[done],
                auth[done],
                np.full(done.sum(), ASSESSMENT),
                self.ev_assess_worker[a_e][done],
            )
        )
        # A note of the referral decision by the front door.
        e = self.ce_ev
        parts.append(
            (np.arange(self.n_ce), ev["r"][e], np.full(self.n_ce, OTHER), self.ev_fd_worker[e])
        )
        # Management oversight and supervision by the team manager, except on neglected cases.
        managers = np.array([self.team_manager[t] for t in range(len(TEAMS))])
        overseen = ~ev["no_mo"][self.ce_ev[cs["ce"]]]
        s = np.flatnonzero(overseen)
        k0 = cal.index(cs["start"][s])
        k1 = np.minimum(cal.index(cs["stop"][s]), k_end)
        mgr = managers[self.seg["team"][cs["row"][s]]]
        mo_every, mo_jitter = (15, 5) if self.weak else self.k("oversight_every")
        for kind, first, every, jit in (
            (MO, (2, 10), mo_every, mo_jitter),
            (SUPERVISION, (10, 25), 30, 5),
        ):
            i, k, _ = _periodic(rng, k0 + rng.integers(*first, s.size), k1, every, jit)
            parts.append((cs["ce"][s][i], cal.day(k), np.full(i.size, kind), mgr[i]))
        # Other notes now and then on allocated cases.
        i, k, _ = _periodic(rng, k0 + rng.integers(5, 40, s.size), k1, 40, 15)
        parts.append((cs["ce"][s][i], cal.day(k), np.full(i.size, OTHER), cs["worker"][s][i]))
        n_ce, n_day, n_type, n_worker = (np.concatenate([p[j] for p in parts]) for j in range(4))
        lag = np.where(
            self.w_late[n_worker],
            rng.integers(10, 31, n_ce.size),
            _q(rng, n_ce.size, self.k("recording_lag")),
        )
        rec = cal.add(cal.roll(n_day), lag)
        keep = (rec <= end) & (n_day <= end)
        n_ce, n_day, n_type, n_worker, rec = (a[keep] for a in (n_ce, n_day, n_type, n_worker, rec))
        order = np.argsort((n_day << 24 | n_ce) << 3 | n_type, kind="stable")
        n_ce, n_day, n_type, n_worker, rec = (
            a[order] for a in (n_ce, n_day, n_type, n_worker, rec)
        )
        self.tables["case_notes"] = {
            "note_id": _ids("N", n_ce.size, 8),
            "person_id": _take(self.person_ids, self.ce_child[n_ce]),
            "referral_id": _take(self.ref_ids, n_ce),
            "note_type": _cat(n_type, NOTE_TYPES),
            "event_date": _dates(n_day),
            "recorded_date": _dates(rec),
            "worker_id": _take(self.w_ids, n_worker),
        }

    def build(self, progress: ProgressFn) -> dict[str, pa.Table]:
        steps = [
            ("families", self.families),
            ("referrals", self.referrals),
            ("children's episodes", self.child_episodes),
            ("allocations", self.segments),
            ("workforce", self.workforce),
            ("caseloads", self.assign_workers),
            ("contacts", self.contacts),
            ("persons", self.persons),
            ("episodes", self.episodes_table),
            ("assessments", self.assessments),
            ("child protection", self.child_protection),
            ("involvements", self.involvements),
            ("visits", self.visits),
            ("case notes", self.case_notes),
            ("factors and views", self.factors_and_views),
        ]
        self.person_ids = _ids("P", self.n_children, 6)
        for i, (label, step) in enumerate(steps):
            progress(0.6 * i / len(steps), f"building {label}")
            step()
        out = {}
        for name, spec in TABLES.items():
            cols = self.tables[name]
            arrays = []
            rows = len(next(iter(cols.values())))
            for col, kind in spec.columns.items():
                # A column only other sources carry (Annex A's stated counts): left empty.
                a = cols[col] if col in cols else pa.nulls(rows)
                if kind == DATE:
                    a = a.cast(pa.date32())
                elif kind == NUMBER:
                    a = a.cast(pa.float64())
                else:
                    a = a.cast(pa.string())
                arrays.append(a)
            out[name] = pa.Table.from_arrays(arrays, names=list(spec.columns))
        return out


def _normalise(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


_SOURCE_P = _normalise([s[2] for s in SOURCES])
_DEFAULTS: dict[str, object] = {
    "alloc_delay": ALLOC_DELAY,
    "assess_days": ASSESS_DAYS,
    "icpc_days": ICPC_DAYS,
    "first_seen_days": FIRST_SEEN_DAYS,
    "recording_lag": RECORDING_LAG,
    "contact_decision": CONTACT_DECISION,
    "caseload_target": CASELOAD_TARGET,
}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


# Tables whose text holds commas and quotes (the factors' JSON): their text is quoted.
QUOTED_TABLES = {"ssd_assessment_factors"}


def _write_csv(table: pa.Table, path: Path, quoted: bool = False) -> None:
    with open(path, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(
            table,
            fh,
            write_options=pacsv.WriteOptions(
                include_header=False, quoting_style="needed" if quoted else "none"
            ),
        )


def generate_extract(
    out: Path,
    *,
    seed: int,
    children: int,
    start: dt.date,
    end: dt.date,
    fmt: str = "csv",
    progress: ProgressFn = null_progress,
    weaknesses: bool = True,
) -> dict[str, int]:
    """Write a synthetic SSD extract into folder `out`: one `<table>.csv` (or `.parquet`) per table.

    `weaknesses=False` makes a well-run authority instead (see CLEAN). Returns the rows written
    per table. The same arguments give byte-identical files.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', got {fmt!r}")
    if children < 1:
        raise ValueError("children must be at least 1")
    if end <= start:
        raise ValueError("end must be after start")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rng2 = np.random.default_rng([seed, 13])
    tables = _Extract(rng, children, start, end, weaknesses, rng2).build(progress)
    counts: dict[str, int] = {}
    for i, (name, table) in enumerate(tables.items()):
        progress(0.6 + 0.4 * i / len(tables), f"writing {name}")
        if fmt == "csv":
            _write_csv(table, out / f"{name}.csv", quoted=name in QUOTED_TABLES)
        else:
            pq.write_table(table, out / f"{name}.parquet", compression="zstd")
        counts[name] = table.num_rows
    progress(1.0, "extract written")
    return counts
