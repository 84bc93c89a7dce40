-- Unallocated referrals (snapshot at as-of): referrals open at as-of (no close date on or before
-- it), not NFA, with no allocation of them starting on or before as-of. An allocation counts as
-- for the allocation measure (first_allocation: starting on or after the referral date, or linked
-- by invo_referral_id and starting before it: allocated on the referral date), so a
-- referral waiting past target there is exactly one listed here past target. An allocation that
-- started and has since ended still means the referral was allocated (measures.md: "no allocation
-- starting on or before the as-of date"). Age = wd_between(referral date, as_of).
-- Team and worker: the referral's own cine_referral_team / cine_referral_worker_id.
-- Read from fact_referral (the first allocation found at load, known when allocated_date <=
-- as-of) as one interval test: known at as-of, not closed by it, not allocated by it; so a trend
-- over month ends reads each referral once; its age is counted once.
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.age_wd,
    wd_add(r.referral_date, $t_allocation_wd) AS due_date,
    r.age_wd > $t_allocation_wd AS past_target,
    r.referral_team AS team,
    r.referral_worker_id AS worker_id
FROM (
    SELECT f.*, wd_between(f.referral_date, $as_of) AS age_wd
    FROM fact_referral f
    WHERE f.referral_date <= $as_of
      AND coalesce(f.close_date, DATE '9999-12-31') > $as_of
      AND coalesce(f.allocated_date, DATE '9999-12-31') > $as_of
      AND NOT f.nfa
) r
