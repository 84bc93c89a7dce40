-- referral_owners: whose a referral is, for the team and worker filters: the worker allocated
-- first (fact_referral's first allocation, known when it has started by as-of), else the
-- referral's own cine_referral_team / _worker_id, column by column, as referrals.sql does. This
-- is the one place the rule is written: every referral figure that goes by it reads these rows.
-- Rows for referrals dated in the period or open at as-of only (its users, seen, not_yet_seen,
-- seen_closed_unseen, siblings and domestic abuse, read no others), with what not_yet_seen reads
-- of them as known at as-of: close_date (NULL: open at as-of) and first_seen_date (the first seen
-- visit since the referral, by as-of; NULL: not seen by then).
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.nfa,
    CASE WHEN r.close_date <= $as_of THEN r.close_date END AS close_date,
    CASE WHEN r.first_seen_date <= $as_of THEN r.first_seen_date END AS first_seen_date,
    CASE WHEN r.allocated_date <= $as_of THEN r.allocated_date END AS allocated_date,
    coalesce(CASE WHEN r.allocated_date <= $as_of THEN r.allocated_team END, r.referral_team)
        AS team,
    coalesce(
        CASE WHEN r.allocated_date <= $as_of THEN r.allocated_worker_id END, r.referral_worker_id
    ) AS worker_id
FROM fact_referral r
WHERE r.referral_date <= $as_of
  AND (
      r.referral_date BETWEEN $date_from AND $date_to
      OR coalesce(r.close_date, DATE '9999-12-31') > $as_of
  )
