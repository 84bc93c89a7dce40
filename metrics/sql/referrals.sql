-- Referrals in the period with the DfE C1 re-referral flag: another referral of the same person
-- dated in [d - 12 months, d) (previous_referral_date, found once at load: fact_referral).
-- domestic_abuse: the referral's assessment recorded domestic abuse (referral_factors).
-- A count the source states fills in what the extract's history cannot show (Annex A covers six
-- months): Annex A's "Number of Referrals in Last 12 Months" counts the referrals in the 12
-- months before the child's latest referral (Ofsted's guidance), so it makes that referral -
-- the child's latest one carrying a count (no later referral carries one: later_stated) - a
-- re-referral when it is 1 or more.
-- Team and worker: the first allocated worker's (allocated by as-of), else the referral's own
-- (the referral_owner rule). Every column is read from fact_referral, one row per referral,
-- with the as-of rules of the referrals fragment (a close after as-of is not yet known).
-- uses: referral_factors
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.source_code,
    r.nfa,
    CASE WHEN r.close_date <= $as_of THEN r.close_date END AS close_date,
    r.previous_referral_date,
    r.previous_referral_date IS NOT NULL
        OR (coalesce(r.stated_referrals_12m, 0) >= 1 AND NOT r.later_stated) AS rereferral,
    r.stated_referrals_12m,
    rf.referral_id IS NOT NULL AS domestic_abuse,
    referral_owner(r.allocated_date, r.allocated_team, r.referral_team, $as_of) AS team,
    referral_owner(r.allocated_date, r.allocated_worker_id, r.referral_worker_id, $as_of)
        AS worker_id
FROM fact_referral r
LEFT JOIN referral_factors rf ON rf.referral_id = r.referral_id AND rf.person_id = r.person_id
WHERE r.referral_date BETWEEN $date_from AND $date_to
  AND r.referral_date <= $as_of
