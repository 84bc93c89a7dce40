-- open_allocations: allocations (see allocations) open at as-of: started on or before as-of with
-- no end, or an end after as-of (allocations already hides an end after as-of, so an allocation
-- ending later is still open here). An allocation ending ON the as-of date is closed.
-- uses: allocations
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    a.referral_id
FROM allocations a
WHERE a.end_date IS NULL
