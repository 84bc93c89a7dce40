-- cp_child_allocation: child_allocation (the child's open allocation at as-of: the earliest
-- still-open one's date, worker and team) for the children with a CP plan, for the CP measures
-- that look up a plan's child at an as-of date on or after the plan's start (known_cp_plans,
-- cp_review_chain). It reads fact_cp_child_allocation, the children's spans from their first
-- plan's start on, which hold that row for any such date: the same rows as child_allocation's
-- for these children, from about a sixth of the spans.
SELECT
    c.person_id,
    c.allocated_date,
    c.worker_id,
    c.team,
    c.open_allocations,
    c.sole_team
FROM fact_cp_child_allocation c
WHERE c.valid_from <= $as_of
  AND coalesce(c.valid_to, DATE '9999-12-31') > $as_of
