-- fact_allocation_latest: each of fact_child_allocation's spans (a child's allocation: its
-- allocation date, team and worker, for [valid_from, valid_to)) beside its child's monthly
-- latests (fact_activity's oversight_latest and activity_latest: each calendar month's latest
-- management oversight note, and latest note or visit), in order of the span's end (open spans
-- last). Oversight's monthly trend (trend/oversight.sql) reads it alone for its spans and the
-- dates that keep them within target: the spans that overlap a period are then a few row groups
-- together, and no span is joined to its child's lists in every query (the two were about a
-- sixth of the trend's CPU at 200,000 children, a quarter at 1,000,000). The headline reads
-- every note and visit up to its as-of date (oversight.sql), not these, so it is unchanged.
-- Each span's lists hold only the dates from its allocation date to its end: a date before the
-- allocation date is before the cut of every month end at which the span is past its target
-- (the cut being after the allocation date then), and one on or after the span's end is after
-- each of its month ends, so neither keeps a month end the trend counts for the span, whatever
-- the targets. That leaves about a third of the dates (3.3 of 12 notes and visits a span at
-- 200,000 children) to sort and write, and to read in the trend.
-- Ordered by the end alone (ties in any order; a second key cost about 0.1 s more at 1,000,000
-- children). Its cost at load is mostly sorting and writing the lists: about 0.3 s of CPU at
-- 200,000 children with the whole lists, 1.6 s at 1,000,000 (one thread).
SELECT
    a.person_id,
    a.valid_from,
    a.valid_to,
    a.allocated_date,
    a.team,
    a.worker_id,
    list_filter(
        f.oversight_latest,
        lambda x: x >= a.allocated_date AND x < coalesce(a.valid_to, DATE '9999-12-31')
    ) AS oversight_latest,
    list_filter(
        f.activity_latest,
        lambda x: x >= a.allocated_date AND x < coalesce(a.valid_to, DATE '9999-12-31')
    ) AS activity_latest
FROM fact_child_allocation a
LEFT JOIN fact_activity f ON f.person_id = a.person_id
ORDER BY a.valid_to NULLS LAST
