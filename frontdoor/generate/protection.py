"""Child protection: S47 enquiries, initial conferences, CP plans and their reviews, and CIN
plans."""

from __future__ import annotations

import numpy as np

from frontdoor.generate.arrays import date_array, labelled, pick, yes_no
from frontdoor.generate.reference import CIN, CP_CATEGORIES, PARTICIPATION, TEAMS
from frontdoor.generate.workdays import add_months


class Protection:
    """ssd_s47_enquiry, ssd_initial_cp_conference, ssd_cp_plans, ssd_cp_reviews, ssd_cin_plans;
    part of `Extract`."""

    def child_protection(self) -> None:
        rng, ev, end, cal = self.rng, self.ev, self.end, self.cal
        e = self.ce_ev
        ce_team = ev["team"][e]
        # S47 enquiries.
        s47 = np.flatnonzero(ev["s47"][e] & (ev["s47_start"][e] <= end))
        s_e = e[s47]
        s47_ids = self.ids("S", s47.size)
        s47_of = np.full(self.n_ce, -1)
        s47_of[s47] = np.arange(s47.size)
        ended = ev["s47_end"][s_e] <= end
        self.tables["ssd_s47_enquiry"] = {
            "s47e_s47_enquiry_id": s47_ids,
            "s47e_referral_id": pick(self.ref_ids, s47),
            "s47e_person_id": pick(self.person_ids, self.ce_child[s47]),
            "s47e_s47_start_date": date_array(ev["s47_start"][s_e]),
            "s47e_s47_end_date": date_array(ev["s47_end"][s_e], ~ended),
            "s47e_s47_nfa": yes_no(ev["s47_nfa"][s_e], ~ended),
            "s47e_s47_completed_by_team": labelled(ce_team[s47], [t[0] for t in TEAMS]),
            "s47e_s47_completed_by_worker_id": pick(self.w_ids, self.ev_assess_worker[s_e]),
        }
        # CP plans (ids first: the conference names its plan).
        cp = np.flatnonzero(ev["cp"][e] & (ev["icpc"][e] <= end))
        p_e = e[cp]
        plan_ids = self.ids("CPP", cp.size)
        plan_of = np.full(self.n_ce, -1)
        plan_of[cp] = np.arange(cp.size)
        # Initial child protection conferences.
        ic = np.flatnonzero(ev["icpc_flag"][e] & (ev["icpc"][e] <= end))
        i_e = e[ic]
        icpc_ids = self.ids("ICPC", ic.size, 6)
        icpc_of = np.full(self.n_ce, -1)
        icpc_of[ic] = np.arange(ic.size)
        transfer = ev["transfer"][i_e]
        target = cal.add(ev["s47_start"][i_e], 15)
        self.tables["ssd_initial_cp_conference"] = {
            "icpc_icpc_id": icpc_ids,
            "icpc_s47_enquiry_id": pick(s47_ids, s47_of[ic], transfer),
            "icpc_person_id": pick(self.person_ids, self.ce_child[ic]),
            "icpc_cp_plan_id": pick(plan_ids, plan_of[ic], plan_of[ic] < 0),
            "icpc_referral_id": pick(self.ref_ids, ic),
            "icpc_icpc_transfer_in": yes_no(transfer),
            "icpc_icpc_target_date": date_array(target, transfer | (target > end)),
            "icpc_icpc_date": date_array(ev["icpc"][i_e]),
            "icpc_icpc_outcome_cp_flag": yes_no(ev["cp"][i_e]),
            "icpc_icpc_team": labelled(ce_team[ic], [t[0] for t in TEAMS]),
            "icpc_icpc_worker_id": pick(self.w_ids, self.ev_assess_worker[i_e]),
        }
        p_end = ev["cp_end"][p_e]
        self.tables["ssd_cp_plans"] = {
            "cppl_cp_plan_id": plan_ids,
            "cppl_referral_id": pick(self.ref_ids, cp),
            "cppl_icpc_id": pick(icpc_ids, icpc_of[cp]),
            "cppl_person_id": pick(self.person_ids, self.ce_child[cp]),
            "cppl_cp_plan_start_date": date_array(ev["icpc"][p_e]),
            "cppl_cp_plan_end_date": date_array(p_end, p_end > end),
            "cppl_cp_plan_initial_category": labelled(ev["cat0"][p_e], CP_CATEGORIES[0]),
            "cppl_cp_plan_latest_category": labelled(ev["cat1"][p_e], CP_CATEGORIES[0]),
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
            due = add_months(prev, 3 if i == 0 else 6)
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
            "cppr_cp_review_id": self.ids("CPR", row.size),
            "cppr_person_id": pick(self.person_ids, self.ce_child[ce]),
            "cppr_cp_plan_id": pick(plan_ids, plan_of[ce]),
            "cppr_cp_review_due": date_array(rv_due[row]),
            "cppr_cp_review_date": date_array(rv_date[row]),
            # The decision: the plan ends at a review held within two weeks of its end. How the
            # child took part: from the review date, so no random draw moves the rest.
            "cppr_cp_review_outcome_continue_cp": yes_no(
                ev["cp_end"][rv_ev][row] - rv_date[row] > 14
            ),
            "cppr_cp_review_participation": labelled(
                rv_date[row] % len(PARTICIPATION), PARTICIPATION
            ),
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
            "cinp_cin_plan_id": self.ids("CINP", c.size),
            "cinp_referral_id": pick(self.ref_ids, c),
            "cinp_person_id": pick(self.person_ids, self.ce_child[c]),
            "cinp_cin_plan_start_date": date_array(c_start),
            "cinp_cin_plan_end_date": date_array(c_end, c_end > end),
            # Held by the assessing team's worker until the Children in Need team takes it.
            "cinp_cin_plan_team": labelled(
                np.where(moved, CIN, ev["team"][c_e]), [t[0] for t in TEAMS]
            ),
            "cinp_cin_plan_worker_id": pick(
                self.w_ids, np.where(moved, self.ev_cin_worker[c_e], self.ev_assess_worker[c_e])
            ),
        }
