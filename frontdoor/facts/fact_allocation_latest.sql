-- fact_allocation_latest: each of fact_child_allocation's spans (a child's allocation: its
-- allocation date, team and worker, for [valid_from, valid_to)) beside its child's monthly
-- latests (fact_activity's oversight_latest and activity_latest: each calendar month's latest
-- management oversight note, and latest note or visit), in order of the span's end (open spans
-- last). Oversight's monthly trend (trend/oversight.sql) reads it alone for its spans and the
-- dates that keep them within target: the spans that overlap a period are then a few row groups
-- together, and no span is joined to its child's lists in every query (the two were about a
-- sixth of the trend's CPU at 200,000 children, a quarter at 1,000,000). The headline reads
-- every note and visit up to its as-of date (oversight.sql), not these, so it is unchanged.
-- Ordered by the end alone (ties in any order; a second key cost about 0.1 s more at 1,000,000
-- children). Its cost at load is mostly writing the lists: about 0.3 s of CPU at 200,000
-- children, 1.6 s at 1,000,000 (one thread).
SELECT
    a.person_id,
    a.valid_from,
    a.valid_to,
    a.allocated_date,
    a.team,
    a.worker_id,
    f.oversight_latest,
    f.activity_latest
FROM fact_child_allocation a
LEFT JOIN fact_activity f ON f.person_id = a.person_id
ORDER BY a.valid_to NULLS LAST
