-- Referrals in the period with the DfE C1 re-referral flag: another referral of the same person
-- dated in [d - 12 months, d). The look-back reads referrals before the period.
-- domestic_abuse: the referral's assessment recorded domestic abuse (referral_factors).
-- Team and worker: the first allocated worker's, else the referral's own.
-- uses: referrals, allocations, first_allocation, referral_factors
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.source_code,
    r.nfa,
    r.close_date,
    prev.previous_referral_date,
    prev.previous_referral_date IS NOT NULL AS rereferral,
    rf.referral_id IS NOT NULL AS domestic_abuse,
    coalesce(fa.team, r.referral_team) AS team,
    coalesce(fa.worker_id, r.referral_worker_id) AS worker_id
FROM referrals r
LEFT JOIN first_allocation fa USING (referral_id)
LEFT JOIN referral_factors rf ON rf.referral_id = r.referral_id AND rf.person_id = r.person_id
LEFT JOIN LATERAL (
    SELECT max(p.cine_referral_date) AS previous_referral_date
    FROM ssd_cin_episodes p
    WHERE p.cine_person_id = r.person_id
      AND p.cine_referral_id <> r.referral_id
      AND p.cine_referral_date >= r.referral_date - INTERVAL 12 MONTH
      AND p.cine_referral_date < r.referral_date
) prev ON TRUE
WHERE r.referral_date BETWEEN $date_from AND $date_to
