"""The front door's tables: referrals (ssd_cin_episodes), contacts, and the people and families
(ssd_person, ssd_family), dated from their families' first contact."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from frontdoor.generate.arrays import date_array, draw, labelled, pick, yes_no
from frontdoor.generate.reference import (
    CLOSE_REASONS,
    ETHNICITY,
    FD,
    NEEDS,
    P_POLICE_WEEKEND,
    P_WEEKEND_LATE,
    POLICE,
    SOURCE_P,
    SOURCES,
    TEAMS,
    normalise,
)


class FrontDoor:
    """ssd_cin_episodes, ssd_contacts, ssd_person, ssd_family; part of `Extract`."""

    def episodes_table(self) -> None:
        ev, end = self.ev, self.end
        e = self.ce_ev
        closed = ev["close"][e] <= end
        self.tables["ssd_cin_episodes"] = {
            "cine_referral_id": self.ref_ids,
            "cine_person_id": pick(self.person_ids, self.ce_child),
            "cine_referral_date": date_array(ev["r"][e]),
            "cine_referral_source_code": labelled(ev["source"][e], [s[0] for s in SOURCES]),
            "cine_referral_source_desc": labelled(ev["source"][e], [s[1] for s in SOURCES]),
            "cine_cin_primary_need_code": labelled(ev["need"][e], NEEDS[0]),
            "cine_referral_nfa": yes_no(ev["nfa"][e]),
            "cine_close_date": date_array(ev["close"][e], ~closed),
            "cine_close_reason": labelled(ev["reason"][e], CLOSE_REASONS, ~closed),
            "cine_referral_team": labelled(np.zeros(e.size), [TEAMS[FD][0]]),
            "cine_referral_worker_id": pick(self.w_ids, self.ev_fd_worker[e]),
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
        decide = draw(rng, fam.size, self.k("contact_decision"))
        src = rng.choice(len(SOURCES), fam.size, p=SOURCE_P)
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
            "cont_contact_id": self.ids("C", dates.size),
            "cont_person_id": pick(self.person_ids, child),
            "cont_contact_date": date_array(dates),
            "cont_contact_source_code": labelled(source, [s[0] for s in SOURCES]),
            "cont_contact_source_desc": labelled(source, [s[1] for s in SOURCES]),
            "cont_outcome_date": date_array(outcome, outcome > self.end),
        }

    def persons(self) -> None:
        rng, n = self.rng, self.n_children
        anchor = self.fam_anchor[self.child_fam]
        age_years = rng.choice(
            np.arange(18), n, p=normalise([10, 5, 5, 5, 5] + [5.5] * 5 + [6.5] * 6 + [5, 3])
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
            "pers_sex": labelled(rng.choice(3, n, p=[0.51, 0.48, 0.01]), ["M", "F", "U"]),
            "pers_ethnicity": labelled(
                rng.choice(len(ETHNICITY[0]), n, p=normalise(ETHNICITY[1])), ETHNICITY[0]
            ),  # fmt: skip
            "pers_dob": date_array(dob),
            "pers_expected_dob": date_array(expected, ~unborn),
            "pers_death_date": pa.nulls(n, pa.date32()),
        }
        self.tables["ssd_family"] = {
            "fami_table_id": self.ids("FT", n),
            "fami_family_id": pick(self.ids("FAM", self.n_fam, 6), self.child_fam),
            "fami_person_id": self.person_ids,
        }
