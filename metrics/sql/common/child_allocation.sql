-- child_allocation: one row per child with an open allocation at as-of (open_allocations: started
-- on or before as-of, no end or an end after it): the earliest still-open allocation (ties by
-- involvement id) gives the allocation date, worker and team. A child with two open allocations
-- is one case, owned by the earlier allocation's worker and team. sole_team: the team of every
-- open allocation when they all name the same one (NULL when one names none or they differ).
-- The loader works this out once for every span of dates in which the child's open allocations
-- do not change (fact_child_allocation), so at as-of it is one interval test on the spans.
SELECT
    c.person_id,
    c.allocated_date,
    c.worker_id,
    c.team,
    c.open_allocations,
    c.sole_team
FROM fact_child_allocation c
WHERE c.valid_from <= $as_of
  AND coalesce(c.valid_to, DATE '9999-12-31') > $as_of
