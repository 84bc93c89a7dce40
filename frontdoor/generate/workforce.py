"""The workforce: the allocations of each referral (segments), the teams sized to their
caseloads, and the workers given the cases (ssd_professionals, ssd_department)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from frontdoor.generate.arrays import labelled, yes_no
from frontdoor.generate.reference import (
    AGENCY_SHARE,
    CIN,
    CP,
    FD,
    FIRST_NAMES,
    SHORT_TEAM,
    SURNAMES,
    TEAM_B,
    TEAMS,
    UNQUALIFIED_SHARE,
)


class Workforce:
    """Allocations, workers and who holds which case; part of `Extract`."""

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
        self.w_ids = self.ids("W", nw, 4)
        names = [
            f"{FIRST_NAMES[a]} {SURNAMES[b]}"
            for a, b in zip(
                rng.integers(0, len(FIRST_NAMES), nw),
                rng.integers(0, len(SURNAMES), nw),
                strict=True,
            )
        ]
        # Registration numbers: six digits in the first part, a million apart in each later one
        # (unique across the parts of a large extract too).
        reg = rng.choice(900_000, nw, replace=False) + 100_000 + 1_000_000 * self.part
        reg_txt = [f"SW{x}" if q else None for x, q in zip(reg, qualified, strict=True)]
        self.tables["ssd_professionals"] = {
            "prof_professional_id": self.w_ids,
            "prof_professional_name": pa.array(names, pa.string()),
            "prof_social_worker_registration_no": pa.array(reg_txt, pa.string()),
            "prof_professional_job_title": pa.array(title, pa.string()),
            "prof_professional_department": labelled(team, [t[0] for t in TEAMS]),
            "prof_full_time_equivalency": pa.array(fte, pa.float64()),
            "prof_agency_worker_flag": yes_no(agency),
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
