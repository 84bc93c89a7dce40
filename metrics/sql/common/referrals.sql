-- referrals: every referral known at the as-of date. A close date after as-of is not yet known,
-- so the referral counts as open. One row per cine_referral_id.
SELECT
    e.cine_referral_id AS referral_id,
    e.cine_person_id AS person_id,
    e.cine_referral_date AS referral_date,
    e.cine_referral_source_code AS source_code,
    coalesce(e.cine_referral_nfa, FALSE) AS nfa,
    CASE WHEN e.cine_close_date <= $as_of THEN e.cine_close_date END AS close_date,
    e.cine_referral_team AS referral_team,
    e.cine_referral_worker_id AS referral_worker_id,
    e.cine_referrals_last_12_months AS stated_referrals_12m
FROM ssd_cin_episodes e
WHERE e.cine_referral_date <= $as_of
