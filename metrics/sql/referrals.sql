-- Referrals in the period with the DfE C1 re-referral flag: another referral of the same person
-- dated in [d - 12 months, d). The look-back reads referrals before the period.
-- domestic_abuse: the referral's assessment recorded domestic abuse (referral_factors).
-- A count the source states fills in what the extract's history cannot show (Annex A covers six
-- months): Annex A's "Number of Referrals in Last 12 Months" counts the referrals in the 12
-- months before the child's latest referral (Ofsted's guidance), so it makes that referral -
-- the child's latest one carrying a count - a re-referral when it is 1 or more.
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
    prev.previous_referral_date IS NOT NULL
        OR (
            coalesce(r.stated_referrals_12m, 0) >= 1
            AND NOT EXISTS (
                SELECT 1 FROM ssd_cin_episodes l
                WHERE l.cine_person_id = r.person_id
                  AND l.cine_referral_date > r.referral_date
                  AND l.cine_referrals_last_12_months IS NOT NULL
            )
        ) AS rereferral,
    r.stated_referrals_12m,
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
