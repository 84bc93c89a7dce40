"""Casework: allocated workers' involvements, visits (CIN and CP) and case notes."""

from __future__ import annotations

import numpy as np

from frontdoor.generate.arrays import date_array, draw, labelled, periodic, pick, yes_no
from frontdoor.generate.reference import (
    ASSESSMENT,
    MO,
    NOTE_TYPES,
    OTHER,
    ROLE_VARIANTS,
    SUPERVISION,
    TEAMS,
    VISIT,
)


class Casework:
    """ssd_involvements, ssd_cin_visits, ssd_cp_visits, case_notes; part of `Extract`."""

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
            "invo_involvements_id": self.ids("I", n),
            "invo_professional_id": pick(self.w_ids, worker),
            "invo_professional_role_id": labelled(role, ROLE_VARIANTS[0]),
            "invo_professional_team": labelled(seg["team"][row], [t[0] for t in TEAMS]),
            "invo_involvement_start_date": date_array(start),
            "invo_involvement_end_date": date_array(stop, stop > end),
            "invo_person_id": pick(self.person_ids, self.ce_child[ce]),
            "invo_referral_id": pick(self.ref_ids, ce, blank_ref),
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
        i1, k1, j1 = periodic(rng, k0, np.minimum(pre_stop, k_end), 15, 4)
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
        i2, k2, _ = periodic(
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
            "cinv_cin_visit_id": self.ids("CV", v_ce.size),
            "cinv_person_id": pick(self.person_ids, self.ce_child[v_ce]),
            "cinv_cin_visit_date": date_array(v_day),
            "cinv_cin_visit_seen": yes_no(v_seen),
            "cinv_cin_visit_seen_alone": yes_no(alone),
        }
        # Child protection visits, about every 10 working days while the plan lasts.
        cp = np.flatnonzero(self.plan_of >= 0)
        ee = e[cp]
        i3, k3, _ = periodic(
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
            "cppv_cp_visit_id": self.ids("PV", p_ce.size),
            "cppv_person_id": pick(self.person_ids, self.ce_child[p_ce]),
            "cppv_cp_plan_id": pick(self.plan_ids, self.plan_of[p_ce]),
            "cppv_cp_visit_date": date_array(p_day),
            "cppv_cp_visit_seen": yes_no(p_seen),
            "cppv_cp_visit_seen_alone": yes_no(p_alone),
        }
        self.visit_ce = np.concatenate([v_ce, p_ce])
        self.visit_day = np.concatenate([v_day, p_day])

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
            i, k, _ = periodic(rng, k0 + rng.integers(*first, s.size), k1, every, jit)
            parts.append((cs["ce"][s][i], cal.day(k), np.full(i.size, kind), mgr[i]))
        # Other notes now and then on allocated cases.
        i, k, _ = periodic(rng, k0 + rng.integers(5, 40, s.size), k1, 40, 15)
        parts.append((cs["ce"][s][i], cal.day(k), np.full(i.size, OTHER), cs["worker"][s][i]))
        n_ce, n_day, n_type, n_worker = (np.concatenate([p[j] for p in parts]) for j in range(4))
        lag = np.where(
            self.w_late[n_worker],
            rng.integers(10, 31, n_ce.size),
            draw(rng, n_ce.size, self.k("recording_lag")),
        )
        rec = cal.add(cal.roll(n_day), lag)
        keep = (rec <= end) & (n_day <= end)
        n_ce, n_day, n_type, n_worker, rec = (a[keep] for a in (n_ce, n_day, n_type, n_worker, rec))
        order = np.argsort((n_day << 24 | n_ce) << 3 | n_type, kind="stable")
        n_ce, n_day, n_type, n_worker, rec = (
            a[order] for a in (n_ce, n_day, n_type, n_worker, rec)
        )
        self.tables["case_notes"] = {
            "note_id": self.ids("N", n_ce.size, 8),
            "person_id": pick(self.person_ids, self.ce_child[n_ce]),
            "referral_id": pick(self.ref_ids, n_ce),
            "note_type": labelled(n_type, NOTE_TYPES),
            "event_date": date_array(n_day),
            "recorded_date": date_array(rec),
            "worker_id": pick(self.w_ids, n_worker),
        }
