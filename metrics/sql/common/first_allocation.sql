-- first_allocation: per referral, the earliest allocation starting on or after the referral
-- date (and by as-of), with its worker and team: the referral's "worker allocated first".
-- uses: referrals, allocations
SELECT
    r.referral_id,
    min(a.start_date) AS allocated_date,
    arg_min(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id,
    arg_min(a.team, (a.start_date, a.involvement_id)) AS team
FROM referrals r
JOIN allocations a
  ON a.referral_id = r.referral_id AND a.start_date >= r.referral_date
GROUP BY r.referral_id
