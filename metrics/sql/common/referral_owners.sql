-- referral_owners: whose a referral is, for the team and worker filters: the worker allocated
-- first (first_allocation), else the referral's own cine_referral_team / _worker_id, column by
-- column, as referrals.sql does. Allocations after as-of are not yet known.
-- Rows for referrals dated in the period or open at as-of only (first_allocation has no others;
-- its users, seen, not_yet_seen and seen_closed_unseen, read no others).
-- uses: referrals, allocations, first_allocation
SELECT
    r.referral_id,
    fa.allocated_date,
    coalesce(fa.team, r.referral_team) AS team,
    coalesce(fa.worker_id, r.referral_worker_id) AS worker_id
FROM referrals r
LEFT JOIN first_allocation fa USING (referral_id)
WHERE r.referral_date BETWEEN $date_from AND $date_to OR r.close_date IS NULL
