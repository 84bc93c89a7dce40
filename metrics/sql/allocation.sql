-- Allocation delay (flow, by referral date): referrals dated in the period, not NFA, with the
-- working days from referral to the first allocation starting on or after the referral date and
-- by as-of (first_allocation). Cohort, per "shares within target" in measures.md:
--   * 'allocated': allocated by as-of; days = wd_between(referral date, first allocation start);
--     within target when days <= target.
--   * 'waiting': open at as-of, never allocated, and already past the target
--     (wd_between(referral date, as_of) > target): they can no longer be on time, so they count
--     in the denominator and never as within target. days = their age so far at as-of (for the
--     drill-down only; medians and percentiles read allocated rows alone).
--   * left out: open and unallocated but not yet past target; closed without ever being allocated.
-- Team and worker: the first allocated worker's (invo_professional_team); a waiting referral
-- has its cine_referral_team and no worker. involvement_id: the first allocation's.
-- uses: referrals, allocations, first_allocation
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    fa.allocated_date,
    CASE WHEN fa.allocated_date IS NOT NULL
         THEN wd_between(r.referral_date, fa.allocated_date)
         ELSE wd_between(r.referral_date, $as_of) END AS days,
    CASE WHEN fa.allocated_date IS NOT NULL THEN 'allocated' ELSE 'waiting' END AS status,
    wd_add(r.referral_date, $t_allocation_wd) AS due_date,
    fa.allocated_date IS NOT NULL
        AND wd_between(r.referral_date, fa.allocated_date) <= $t_allocation_wd AS within_target,
    CASE WHEN fa.allocated_date IS NOT NULL THEN fa.team ELSE r.referral_team END AS team,
    fa.worker_id,
    fa.involvement_id
FROM referrals r
LEFT JOIN first_allocation fa USING (referral_id)
WHERE r.referral_date BETWEEN $date_from AND $date_to
  AND NOT r.nfa
  AND (
      fa.allocated_date IS NOT NULL
      OR (r.close_date IS NULL AND wd_between(r.referral_date, $as_of) > $t_allocation_wd)
  )
