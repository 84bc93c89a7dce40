-- first_allocation: per referral, the earliest allocation starting on or after the referral
-- date (and by as-of), with its worker and team: the referral's "worker allocated first"
-- (involvement_id: that allocation's, for the child's chronology).
-- Only referrals dated in the period or open at as-of have a row: those are the only ones its
-- users read (referrals, allocation, and through referral_owners seen and seen_closed_unseen:
-- dated in the period; unallocated, and through referral_owners not_yet_seen: open at as-of),
-- each joining it by referral id, so leaving the others out changes no figure and spares
-- resolving the allocations of every referral in the history.
-- uses: referrals, allocations
SELECT
    r.referral_id,
    min(a.start_date) AS allocated_date,
    arg_min(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id,
    arg_min(a.team, (a.start_date, a.involvement_id)) AS team,
    arg_min(a.involvement_id, (a.start_date, a.involvement_id)) AS involvement_id
FROM referrals r
JOIN allocations a
  ON a.referral_id = r.referral_id AND a.start_date >= r.referral_date
WHERE r.referral_date BETWEEN $date_from AND $date_to OR r.close_date IS NULL
GROUP BY r.referral_id
