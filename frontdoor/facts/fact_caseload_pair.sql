-- fact_caseload_pair: each (worker, child) pair's open allocations at any as-of date
-- (caseload_pairs), as intervals: one row per pair and span [valid_from, valid_to) in which the
-- pair's open allocations do not change, with the earliest of them (its start date, and its
-- team; ties by involvement id). As fact_child_allocation, per worker: the spans run from each
-- start or end date of the pair's allocations to the next (valid_to NULL: the last), a span with
-- nothing open has no row, and at an as-of date the pair is open exactly when a row has
-- valid_from <= as-of < valid_to.
-- family_id: the child's family (ssd_family, keyed by person: a blank family id is no family
-- row), else 'solo:<person id>' (a family of one); no as-of date changes it, so a caseload reads
-- it here rather than joining every pair to ssd_family again in every query.
-- A pair whose allocations each end after they start (or not at all) and follow one another
-- without overlapping has one row per allocation, [start, end), taken straight from it (the
-- second part of `pairs`, as fact_child_allocation's `plain`: nearly every pair of the bench's
-- data has one allocation); only the other pairs (`tangled`) go through the spans below: at
-- 1,000,000 children about 0.8 s of CPU less (2.0 -> 1.2 s: docs/performance.md, s12-alloc).
-- Their dates are gathered as one sorted list of distinct days and the spans read off it
-- (a day and the next: unnest pads the shorter list with NULL, the open-ended last span), not
-- by a window over every day: the same spans, without sorting all of them by pair and date
-- (about 0.08 s of CPU less at 200,000 children).
WITH ordered AS (
    -- each allocation with whether its pair must go through the spans (fact_child_allocation's
    -- test, by worker and child)
    SELECT
        person_id,
        worker_id,
        start_date,
        end_date,
        team,
        allocation_clash(start_date, end_date, lag(end_date) OVER w, row_number() OVER w)
            AS clash
    FROM fact_allocation
    WHERE start_date IS NOT NULL
    WINDOW w AS (PARTITION BY person_id, worker_id ORDER BY start_date)
),
tangled AS (
    SELECT DISTINCT person_id, worker_id FROM ordered WHERE clash
),
general AS (
    SELECT a.*
    FROM fact_allocation a
    SEMI JOIN tangled t
      ON a.person_id IS NOT DISTINCT FROM t.person_id
     AND a.worker_id IS NOT DISTINCT FROM t.worker_id
),
bounds AS (
    SELECT person_id, worker_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, worker_id, start_date AS d
        FROM general
        WHERE start_date IS NOT NULL
        UNION ALL
        SELECT person_id, worker_id, end_date
        FROM general
        WHERE start_date IS NOT NULL AND end_date IS NOT NULL
    )
    GROUP BY person_id, worker_id
),
spans AS (
    SELECT person_id, worker_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
),
pairs AS (
    SELECT
        s.person_id,
        s.worker_id,
        s.valid_from,
        s.valid_to,
        min(a.start_date) AS allocated_date,
        arg_min_null(a.team, (a.start_date, a.involvement_id)) AS team
    FROM spans s
    JOIN general a
      ON a.person_id IS NOT DISTINCT FROM s.person_id
     AND a.worker_id IS NOT DISTINCT FROM s.worker_id
     AND a.start_date <= s.valid_from
     AND coalesce(a.end_date, DATE '9999-12-31') > s.valid_from
    GROUP BY s.person_id, s.worker_id, s.valid_from, s.valid_to
    UNION ALL
    SELECT o.person_id, o.worker_id, o.start_date, o.end_date, o.start_date, o.team
    FROM ordered o
    ANTI JOIN tangled t
      ON o.person_id IS NOT DISTINCT FROM t.person_id
     AND o.worker_id IS NOT DISTINCT FROM t.worker_id
)
SELECT p.*, coalesce(f.fami_family_id, 'solo:' || p.person_id) AS family_id
FROM pairs p
LEFT JOIN ssd_family f
  ON f.fami_person_id = p.person_id AND nullif(trim(f.fami_family_id), '') IS NOT NULL
ORDER BY p.valid_from, p.person_id, p.worker_id
