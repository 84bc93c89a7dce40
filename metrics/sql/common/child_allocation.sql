-- child_allocation: one row per child with an open allocation at as-of: the earliest still-open
-- allocation (ties by involvement id) gives the allocation date, worker and team. A child with two
-- open allocations is one case, owned by the earlier allocation's worker and team.
-- uses: open_allocations
SELECT
    a.person_id,
    min(a.start_date) AS allocated_date,
    arg_min(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id,
    arg_min(a.team, (a.start_date, a.involvement_id)) AS team,
    count(*) AS open_allocations
FROM open_allocations a
GROUP BY a.person_id
