-- first_allocation: per referral known at as-of, its first allocation if it has one by as-of:
-- the earliest allocation starting on or after the referral date (and by as-of), with its worker
-- and team: the referral's "worker allocated first" (involvement_id: that allocation's, for the
-- child's chronology).
-- Ruling (measures.md "Allocation delay"): an allocation linked to the referral by
-- invo_referral_id but starting BEFORE the referral date counts as allocated on the referral
-- date (0 working days) and is a data issue (linked_before_referral; the loader lists it too).
-- So allocated_date = the earliest greatest(start, referral date) over the referral's linked
-- allocations and its allocations starting on or after the referral date; ties go to the
-- earlier start, then the involvement id. An allocation tied by the open-referral look-up can
-- never start before its referral (the referral was open on its start date).
-- The loader finds each referral's first allocation once (fact_referral); at as-of it is known
-- exactly when allocated_date <= as-of. Users join it by referral id.
SELECT
    r.referral_id,
    r.allocated_date,
    r.allocated_worker_id AS worker_id,
    r.allocated_team AS team,
    r.allocation_involvement_id AS involvement_id,
    r.linked_before_referral
FROM fact_referral r
WHERE r.allocated_date <= $as_of
  AND r.referral_date <= $as_of
