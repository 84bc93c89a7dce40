"""Families and referrals: who is in each family, and the whole timeline of every referral
(allocation, assessment, S47, conference, plans, closure), round after round of re-referrals."""

from __future__ import annotations

import numpy as np

from frontdoor.generate.arrays import draw
from frontdoor.generate.reference import (
    ALLOC_DELAY_SHORT,
    ASSESS_DAYS_SHORT,
    CP_CATEGORIES,
    MOVE_DAYS,
    MOVE_DAYS_SHORT,
    NEEDS,
    P_ALL_SIBLINGS,
    P_CIN_PLAN,
    P_CP_OUTCOME,
    P_ICPC,
    P_NFA,
    P_RE_REFER,
    P_REFERRED_FAMILY,
    P_S47,
    P_STEP_DOWN,
    P_TRANSFER_IN,
    PLAN_BANDS,
    PLAN_CLOSE_P,
    SHORT_TEAM,
    SOURCE_P,
    SOURCES,
    TEAM_A,
    TEAM_B,
    TEAM_C,
)


class Episodes:
    """The event model: `families`, `referrals` (`self.ev`, one entry per family referral) and
    `child_episodes` (one row per child of each referral); part of `Extract`."""

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
        delay = np.where(
            short, draw(rng, n, ALLOC_DELAY_SHORT), draw(rng, n, self.k("alloc_delay"))
        )
        alloc = cal.add(r, delay)
        extra = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 4, n))
        a_start = cal.add(alloc, extra)
        dur = np.where(short, draw(rng, n, ASSESS_DAYS_SHORT), draw(rng, n, self.k("assess_days")))
        auth = cal.add(a_start, dur)

        # A child back after a CP plan is more likely to need another enquiry and plan.
        s47 = ~nfa & (rng.random(n) < np.where(prior_cp, 0.6, P_S47))
        s47_start = cal.add(a_start, rng.integers(0, 6, n))
        icpc_flag = s47 & (rng.random(n) < np.where(prior_cp, 0.6, P_ICPC))
        icpc = cal.add(s47_start, draw(rng, n, self.k("icpc_days")))
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
        move = np.where(short, draw(self.rng2, n, MOVE_DAYS_SHORT), draw(self.rng2, n, MOVE_DAYS))
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
            late_seen, rng.integers(20, 46, n), draw(rng, n, self.k("first_seen_days"))
        )
        no_mo = ~nfa & (rng.random(n) < np.where(short, 0.35, 0.10)) & weak
        # Some of those drift: after the first visit nothing happens on the case.
        drift = no_mo & ~cp & (rng.random(n) < 0.4)
        sib_one_assessment = (rng.random(n) < 0.25) & weak
        child_seen = rng.random(n) < 0.9
        blank_type = rng.random(n) < 0.05
        source = rng.choice(len(SOURCES), n, p=SOURCE_P)
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
        self.ref_ids = self.ids("R", self.n_ce)

    def ev_to_ce(self, rows_ev: np.ndarray):
        """Expand event-level rows to one row per child of the event: (row index, child episode)."""
        cnt = self.ev_cnt[rows_ev]
        row = np.repeat(np.arange(rows_ev.size), cnt)
        within = np.arange(row.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        return row, self.ev_ce_off[rows_ev[row]] + within

    # ---- allocations and the workforce -----------------------------------------------------
