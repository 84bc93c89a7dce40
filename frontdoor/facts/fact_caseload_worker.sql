-- fact_caseload_worker: each named worker's caseload (caseload_workers.sql's row of the worker,
-- but the worker's own facts) for every span of dates [valid_from, valid_to) in which it does not
-- change, from fact_caseload_family's rows (a worker's pairs, each counting its family or not).
-- At an as-of date a worker's row is the one with valid_from <= as-of < valid_to, so the caseload
-- per worker reads one row per worker, and its trend one per worker and month end, instead of
-- grouping every open pair at each date (the trend grouped 307,729 spans by worker, team and
-- month at 1,000,000 children: 8 times its headline's CPU).
-- The counts are read off the rows' starts and ends: each (worker, team)'s pairs, children,
-- families and sibling groups at a day are the running sums of +1 at each row's valid_from and
-- -1 at its valid_to, taken at each day on which any of the worker's rows starts or ends (every
-- team of the worker at each such day, so a worker in two teams at once has both teams' counts).
-- The four counts are summed as one HUGEINT, 32 bits each (pairs, children, families, sibling
-- groups from the lowest): one running sum instead of four (each about 0.06 s of CPU at 200,000
-- children; a HUGEINT costs no more than a BIGINT of 16-bit counts, which a placeholder worker
-- holding 32,768 children would overflow), exact below 2^31 pairs of a worker in a team. The
-- worker's children, families and sibling groups are the sums over its teams, and its team the
-- team of most pairs (ties: the latest allocation date among the team's open pairs, then the
-- greater team, as the maximum of (pairs, latest date, team) over the teams would be; the
-- latest dates are looked up among the open rows only at the days on which two teams have
-- pairs).
-- oldest_allocation_date, the least allocation date among the open rows, is the least among the
-- rows ending after the day (or never): a row's allocation date is on or before its valid_from,
-- and a row not yet started whose allocation date is on or before the day is a later piece of an
-- allocation of the same pair open at the day, so an open row of the pair has that date or an
-- earlier one (fact_caseload_pair's allocated_date is the least start of the pair's open
-- allocations; fact_caseload_family's pieces keep it). A day with nothing open ends the
-- worker's previous span and starts no row.
-- children_per_fte: children / the worker's FTE (ssd_professionals; NULL when blank or not
-- positive), as the rows show it, so a trend joins no worker to its month ends.
-- covers_month_end: whether the span holds the last day of a calendar month (most spans last a
-- few days): a trend's month ends but its last are such days, so it joins only these spans and
-- those holding its last date to its month ends.
-- Rows in order of covers_month_end, then of their end, the open ones last: a trend reads the
-- spans covering a month end in a year from the last row groups (3 of 9 at 1,000,000 children),
-- and an as-of date's rows are those ending after it in each part (the open ones last).
WITH ev AS (
    SELECT
        worker_id,
        team,
        valid_from AS day,
        1
            + CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END
            + CASE WHEN family_first THEN (CAST(1 AS HUGEINT) << 64) ELSE 0 END
            + CASE
                WHEN family_first AND family_children >= 2 THEN (CAST(1 AS HUGEINT) << 96) ELSE 0
            END
            AS counts,
        CASE WHEN valid_to IS NULL THEN allocated_date END AS open_allocated,
        CAST(NULL AS DATE) AS ended_allocated
    FROM fact_caseload_family
    UNION ALL
    SELECT
        worker_id,
        team,
        valid_to,
        -1
            - CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END
            - CASE WHEN family_first THEN (CAST(1 AS HUGEINT) << 64) ELSE 0 END
            - CASE
                WHEN family_first AND family_children >= 2 THEN (CAST(1 AS HUGEINT) << 96) ELSE 0
            END,
        NULL,
        allocated_date
    FROM fact_caseload_family
    WHERE valid_to IS NOT NULL
),
deltas AS (
    SELECT
        worker_id,
        team,
        day,
        CAST(sum(counts) AS HUGEINT) AS counts,
        min(open_allocated) AS open_allocated,
        min(ended_allocated) AS ended_allocated
    FROM ev
    GROUP BY worker_id, team, day
),
days AS (
    SELECT DISTINCT worker_id, day FROM deltas
),
teams AS (
    SELECT DISTINCT worker_id, team FROM deltas
),
state AS (
    SELECT
        d.worker_id,
        d.day,
        t.team,
        CAST(sum(coalesce(x.counts, 0)) OVER w AS HUGEINT) AS counts,
        x.open_allocated,
        x.ended_allocated
    FROM days d
    JOIN teams t ON t.worker_id = d.worker_id
    LEFT JOIN deltas x
      ON x.worker_id = d.worker_id AND x.team IS NOT DISTINCT FROM t.team AND x.day = d.day
    WINDOW w AS (PARTITION BY d.worker_id, t.team ORDER BY d.day ROWS UNBOUNDED PRECEDING)
),
shared AS (
    SELECT worker_id, day
    FROM state
    WHERE counts & 4294967295 > 0
    GROUP BY worker_id, day
    HAVING count(*) >= 2
),
latest AS (
    SELECT s.worker_id, s.day, p.team, max(p.allocated_date) AS latest_allocation_date
    FROM shared s
    JOIN fact_caseload_family p
      ON p.worker_id = s.worker_id
     AND p.valid_from <= s.day
     AND coalesce(p.valid_to, DATE '9999-12-31') > s.day
    GROUP BY ALL
),
by_worker AS (
    SELECT
        s.worker_id,
        s.day,
        arg_max(s.team, (s.counts & 4294967295, l.latest_allocation_date, s.team))
            FILTER (WHERE s.counts & 4294967295 > 0) AS team,
        CAST(sum(s.counts) AS HUGEINT) AS counts,
        min(s.open_allocated) AS open_allocated,
        min(s.ended_allocated) AS ended_allocated
    FROM state s
    LEFT JOIN latest l
      ON l.worker_id = s.worker_id AND l.day = s.day AND l.team IS NOT DISTINCT FROM s.team
    GROUP BY s.worker_id, s.day
),
spans AS (
    SELECT
        worker_id,
        day AS valid_from,
        lead(day) OVER (PARTITION BY worker_id ORDER BY day) AS valid_to,
        team,
        counts,
        least(
            min(ended_allocated) OVER (
                PARTITION BY worker_id ORDER BY day
                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
            ),
            min(open_allocated) OVER (PARTITION BY worker_id)
        ) AS oldest_allocation_date
    FROM by_worker
)
SELECT
    s.worker_id,
    s.valid_from,
    s.valid_to,
    s.team,
    CAST((s.counts >> 32) & 4294967295 AS BIGINT) AS children,
    CAST((s.counts >> 64) & 4294967295 AS BIGINT) AS families,
    CAST(s.counts >> 96 AS BIGINT) AS sibling_groups,
    CASE
        WHEN w.prof_full_time_equivalency > 0
            THEN (CAST((s.counts >> 32) & 4294967295 AS BIGINT)) / w.prof_full_time_equivalency
    END AS children_per_fte,
    s.oldest_allocation_date,
    last_day(s.valid_from) < coalesce(s.valid_to, DATE '9999-12-31') AS covers_month_end
FROM spans s
LEFT JOIN ssd_professionals w ON w.prof_professional_id = s.worker_id
WHERE s.counts & 4294967295 > 0
ORDER BY covers_month_end, s.valid_to NULLS LAST, s.valid_from, s.worker_id
