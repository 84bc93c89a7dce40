-- open_allocations: allocations open at as-of: started on or before as-of with no end, or an
-- end after as-of. An allocation ending ON the as-of date is closed. Written as one interval
-- test on fact_allocation (start <= as-of < end), so that a trend over many month ends reads
-- each allocation once (a range join), not once per month end.
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date
FROM fact_allocation a
WHERE a.start_date <= $as_of
  AND coalesce(a.end_date, DATE '9999-12-31') > $as_of
