"""Assessments and what follows from them: ssd_cin_assessments, the agencies' information
requests, and the second round's factors and voice of the child."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from frontdoor.generate.arrays import date_array, draw, labelled, pick, yes_no
from frontdoor.generate.reference import (
    AGENCIES,
    DA_CODES,
    OTHER_FACTORS,
    P_DOMESTIC_ABUSE,
    P_DOMESTIC_ABUSE_POLICE,
    P_VOICE,
    P_VOICE_BLANK,
    P_VOICE_SHORT,
    POLICE,
    SHORT_TEAM,
    TEAMS,
    VOICE_ANSWERS,
    VOICE_COLUMNS,
)


class Assessments:
    """ssd_cin_assessments, info_requests, ssd_assessment_factors, ssd_voice_of_child; part of
    `Extract`."""

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
            "cina_assessment_id": self.ids("A", ce.size),
            "cina_person_id": pick(self.person_ids, self.ce_child[ce]),
            "cina_referral_id": pick(self.ref_ids, ce),
            "cina_assessment_start_date": date_array(ev["a_start"][e]),
            "cina_assessment_child_seen": yes_no(seen),
            "cina_assessment_auth_date": date_array(auth, auth > end),
            "cina_assessment_team": labelled(ev["team"][e], [t[0] for t in TEAMS]),
            "cina_assessment_worker_id": pick(self.w_ids, self.ev_assess_worker[e]),
            "cina_assessment_type": labelled(np.zeros(ce.size), ["single"], ev["blank_type"][e]),
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
            resp = self.cal.add(req, draw(rng, idx.size, knots))
            lost = rng.random(idx.size) < never
            rows.append((ce[idx], np.full(idx.size, i), req, np.where(lost, end + 1, resp)))
        r_ce, r_ag, r_req, r_resp = (np.concatenate([x[j] for x in rows]) for j in range(4))
        keep = r_req <= end
        r_ce, r_ag, r_req, r_resp = r_ce[keep], r_ag[keep], r_req[keep], r_resp[keep]
        order = np.lexsort((r_ag, r_ce, r_req))
        r_ce, r_ag, r_req, r_resp = r_ce[order], r_ag[order], r_req[order], r_resp[order]
        self.tables["info_requests"] = {
            "request_id": self.ids("IR", r_ce.size),
            "person_id": pick(self.person_ids, self.ce_child[r_ce]),
            "referral_id": pick(self.ref_ids, r_ce),
            "agency": labelled(r_ag, [a[0] for a in AGENCIES]),
            "requested_date": date_array(r_req),
            "responded_date": date_array(r_resp, r_resp > end),
        }

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
            "cinf_table_id": self.ids("CINF", n),
            "cinf_assessment_id": pick(ids, done),
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
            "voch_table_id": self.ids("VOCH", m),
            "voch_person_id": pick(self.person_ids, kids),
        }
        for column in VOICE_COLUMNS:
            answer = rng2.choice(len(VOICE_ANSWERS), m, p=[0.6, 0.15, 0.25])
            missing = blank | (rng2.random(m) < 0.2)
            voice[column] = labelled(answer, VOICE_ANSWERS, missing)
        self.tables["ssd_voice_of_child"] = voice
