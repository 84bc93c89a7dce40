-- Domestic abuse referrals (flow, by referral date; measures.md "More of the letter"): referrals
-- dated in the period whose assessment recorded a domestic abuse factor (referral_factors: an
-- assessment of the same child naming the referral, authorised by as-of, with 3A, 3B or 3C).
-- factors: the domestic abuse codes found.
-- Their allocation and seeing timeliness are the allocation and seen measures' own rows
-- (allocation_cohort, seen_cohort): allocation_within_target / seen_within_target are NULL for a
-- referral outside that cohort (NFA, closed unallocated or unseen, or not yet past target), so the
-- shares are over the same cohorts as the authority's. (The summary reads the same figures off the
-- referrals and allocation measures, which flag these referrals: cheaper, and equal.)
-- Team and worker: the first allocated worker's (allocated by as-of), else the referral's own
-- (the referral_owner rule, read from fact_referral as referral_owners reads it).
-- uses: allocation_cohort, seen_cohort, referral_factors
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.nfa,
    d.factors,
    al.status AS allocation_status,
    al.allocated_date,
    al.days AS allocation_days,
    al.within_target AS allocation_within_target,
    se.status AS seen_status,
    se.first_seen_date,
    se.days AS seen_days,
    se.within_target AS seen_within_target,
    referral_owner(r.allocated_date, r.allocated_team, r.referral_team, $as_of) AS team,
    referral_owner(r.allocated_date, r.allocated_worker_id, r.referral_worker_id, $as_of)
        AS worker_id
FROM fact_referral r
JOIN referral_factors d ON d.referral_id = r.referral_id AND d.person_id = r.person_id
LEFT JOIN allocation_cohort al ON al.referral_id = r.referral_id
LEFT JOIN seen_cohort se ON se.referral_id = r.referral_id
WHERE r.referral_date BETWEEN $date_from AND $date_to
  AND r.referral_date <= $as_of
