-- allocation_cohort: the allocation measure's rows (flow, by referral date): referrals dated in
-- the period, not NFA, with the working days from referral to the first allocation starting on
-- or after the referral date and by as-of (first_allocation). Cohort, per "shares within
-- target" in measures.md:
--   * 'allocated': allocated by as-of; days = wd_between(referral date, first allocation start);
--     within target when days <= target.
--   * 'waiting': open at as-of, never allocated, and already past the target
--     (wd_between(referral date, as_of) > target): they can no longer be on time, so they count
--     in the denominator and never as within target. days = their age so far at as-of (for the
--     drill-down only; medians and percentiles read allocated rows alone).
--   * left out: open and unallocated but not yet past target; closed without ever being allocated.
-- An allocation linked by invo_referral_id but starting before the referral counts as allocated
-- on the referral date, 0 working days (first_allocation), flagged linked_before_referral (a data
-- issue).
-- Team and worker (ruling: every referral figure alike, under the team and the worker filter):
-- the first allocated worker's (invo_professional_team / invo_professional_id), else the
-- referral's own cine_referral_team / cine_referral_worker_id, column by column as
-- referral_owners; so a referral still waiting at as-of is its own row's team's and worker's,
-- as it is in unallocated. involvement_id: the first allocation's.
-- domestic_abuse: the referral's assessment recorded domestic abuse (referral_factors).
-- Read from fact_referral alone (each referral with its first allocation, found at load) with
-- the as-of rules of the referrals and first_allocation fragments: a first allocation is known
-- when it has started by as-of, a close when it is dated on or before as-of. Working days are
-- the fact's indexes of the referral and allocation dates (wd_between(a, b) is wd_index(b) -
-- wd_index(a)), so only as-of's index is looked up, once.
-- uses: referral_factors
SELECT
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.allocated_date,
    CASE WHEN r.allocated_date IS NOT NULL
         THEN r.allocated_wd - r.referral_wd
         ELSE wd_index($as_of) - r.referral_wd END AS days,
    CASE WHEN r.allocated_date IS NOT NULL THEN 'allocated' ELSE 'waiting' END AS status,
    wd_add(r.referral_date, $t_allocation_wd) AS due_date,
    r.allocated_date IS NOT NULL
        AND r.allocated_wd - r.referral_wd <= $t_allocation_wd AS within_target,
    coalesce(r.linked_before_referral, FALSE) AS linked_before_referral,
    coalesce(r.team, r.referral_team) AS team,
    coalesce(r.worker_id, r.referral_worker_id) AS worker_id,
    r.involvement_id,
    rf.referral_id IS NOT NULL AS domestic_abuse
FROM (
    -- the first allocation as known at as-of (started by then), else none
    SELECT
        f.referral_id,
        f.person_id,
        f.referral_date,
        f.referral_team,
        f.referral_worker_id,
        CASE WHEN f.close_date <= $as_of THEN f.close_date END AS close_date,
        CASE WHEN f.allocated_date <= $as_of THEN f.allocated_date END AS allocated_date,
        f.referral_wd,
        CASE WHEN f.allocated_date <= $as_of THEN f.allocated_wd END AS allocated_wd,
        CASE WHEN f.allocated_date <= $as_of THEN f.allocated_team END AS team,
        CASE WHEN f.allocated_date <= $as_of THEN f.allocated_worker_id END AS worker_id,
        CASE WHEN f.allocated_date <= $as_of THEN f.allocation_involvement_id END AS involvement_id,
        CASE WHEN f.allocated_date <= $as_of THEN f.linked_before_referral END
            AS linked_before_referral
    FROM fact_referral f
    WHERE f.referral_date BETWEEN $date_from AND $date_to
      AND f.referral_date <= $as_of
      AND NOT f.nfa
) r
LEFT JOIN referral_factors rf ON rf.referral_id = r.referral_id AND rf.person_id = r.person_id
WHERE r.allocated_date IS NOT NULL
   OR (r.close_date IS NULL AND wd_index($as_of) - r.referral_wd > $t_allocation_wd)
