-- open_allocations: allocations (allocation_rows) open at as-of: started on or before as-of with
-- no end, or an end after as-of (allocation_rows already hides an end after as-of, so an
-- allocation ending later is still open here). An allocation ending ON the as-of date is closed.
-- Its users (child_allocation, caseload_pairs) need no referral, so none is looked up.
-- uses: allocation_rows
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date
FROM allocation_rows a
WHERE a.end_date IS NULL
