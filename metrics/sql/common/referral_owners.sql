-- referral_owners: whose a referral is, for the team and worker filters: the worker allocated
-- first (fact_referral's first allocation, known when it has started by as-of), else the
-- referral's own cine_referral_team / _worker_id, column by column, as referrals.sql does (the
-- rule is the referral_owner macro, stored with the facts; not_yet_seen calls it too).
-- Rows for referrals dated in the period or open at as-of only (its users, seen,
-- seen_closed_unseen, siblings and domestic abuse, read no others).
SELECT
    r.referral_id,
    CASE WHEN r.allocated_date <= $as_of THEN r.allocated_date END AS allocated_date,
    referral_owner(r.allocated_date, r.allocated_team, r.referral_team, $as_of) AS team,
    referral_owner(r.allocated_date, r.allocated_worker_id, r.referral_worker_id, $as_of)
        AS worker_id
FROM fact_referral r
WHERE r.referral_date <= $as_of
  AND (
      r.referral_date BETWEEN $date_from AND $date_to
      OR coalesce(r.close_date, DATE '9999-12-31') > $as_of
  )
