-- fact_caseload_worker: each named worker's caseload (caseload_workers.sql's row of the worker,
-- but the worker's own facts) for every span of dates [valid_from, valid_to) in which it does not
-- change, from fact_caseload_pair's spans of the worker's pairs (its rows below).
-- At an as-of date a worker's row is the one with valid_from <= as-of < valid_to, so the caseload
-- per worker reads one row per worker, and its trend one per worker and month end, instead of
-- grouping every open pair at each date (the trend grouped 307,729 spans by worker, team and
-- month at 1,000,000 children: 8 times its headline's CPU).
-- The counts are read off the rows' starts and ends: a worker's pairs and children at a day are
-- the running sums of +1 at each row's valid_from and -1 at its valid_to, its families and
-- sibling groups those of +1 and -1 on the days a family's open pairs of the worker rise to 1 or
-- 2 and fall back (family_open), taken at each day on which any of the worker's rows starts or
-- ends. The family's own changes are counted by worker and family and not stored (they were
-- the fact fact_caseload_family, each pair span cut where its family's children change, which
-- nothing else read: the cut spans, their write and their counting at every start and end cost
-- about 0.25 s of CPU more at 200,000 children).
-- The four counts are summed as one HUGEINT, 32 bits each (pairs, children, families, sibling
-- groups from the lowest): one running sum instead of four (each about 0.06 s of CPU at 200,000
-- children; a HUGEINT costs no more than a BIGINT of 16-bit counts, which a placeholder worker
-- holding 32,768 children would overflow), exact below 2^31 pairs of a worker. The team is the
-- worker's only team when it has one (every worker of the bench's data: no running sums by team
-- then); a worker with two or more (a NULL team counting as one) has its pairs run by team at
-- each of its days, and its team is the team of most pairs (ties: the latest allocation date
-- among the team's open pairs, then the greater team, as the maximum of (pairs, latest date,
-- team) over the teams would be; the latest dates are looked up among the open rows only at the
-- days on which two teams have pairs). Those runs read only those workers' pairs (their +1 and -1
-- by team and day), not every worker's events grouped by team first: the workers' counts are
-- grouped by day straight from the events, and a database whose workers each have one team
-- builds no hash table of every event or pair for the runs (about 0.7 s of CPU less at
-- 1,000,000 children, 3.7 -> 3.0 s, one thread: docs/performance.md, s12-alloc).
-- oldest_allocation_date, the least allocation date among the open rows, is the least among the
-- rows ending after the day (or never): a row's allocation date is on or before its valid_from,
-- and a row not yet started whose allocation date is on or before the day is a later piece of an
-- allocation of the same pair open at the day, so an open row of the pair has that date or an
-- earlier one (fact_caseload_pair's allocated_date is the least start of the pair's open
-- allocations). A day with nothing open ends the worker's previous span and starts no row.
-- children_per_fte: children / the worker's FTE (ssd_professionals; NULL when blank or not
-- positive), as the rows show it, so a trend joins no worker to its month ends.
-- covers_month_end: whether the span holds the last day of a calendar month (most spans last a
-- few days): a trend's month ends but its last are such days, so it joins only these spans and
-- those holding its last date to its month ends.
-- Rows in order of covers_month_end, then of their end, the open ones last: a trend reads the
-- spans covering a month end in a year from the last row groups (3 of 9 at 1,000,000 children),
-- and an as-of date's rows are those ending after it in each part (the open ones last).
-- `pairs` read again by each of its readers, not materialised (about 0.03 s of CPU less at
-- 200,000 children: the scans are of a stored fact, which the copy costs more than).
WITH pairs AS NOT MATERIALIZED (
    SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, family_id
    FROM fact_caseload_pair
    WHERE worker_id IS NOT NULL
),
-- Each worker and family's open pairs counted at every day on which one starts or ends (a
-- running sum of +1 and -1 by worker and family): the family joins the worker's families on a
-- day its count rises from 0, a sibling group on a day it reaches 2, and leaves them as it falls
-- back; those changes are events of the worker beside its pairs' (of no team: the team of most
-- pairs is chosen by the pairs' counts alone, from the pairs themselves).
family_days AS (
    SELECT worker_id, family_id, day, sum(step) AS step
    FROM (
        SELECT worker_id, family_id, valid_from AS day, 1 AS step
        FROM pairs
        WHERE family_id IS NOT NULL
        UNION ALL
        SELECT worker_id, family_id, valid_to, -1
        FROM pairs
        WHERE family_id IS NOT NULL AND valid_to IS NOT NULL
    )
    GROUP BY worker_id, family_id, day
),
family_open AS (
    SELECT
        worker_id,
        day,
        CAST(open_pairs >= 1 AS INTEGER) - CAST(open_pairs - step >= 1 AS INTEGER) AS families,
        CAST(open_pairs >= 2 AS INTEGER) - CAST(open_pairs - step >= 2 AS INTEGER) AS groups
    FROM (
        SELECT
            worker_id,
            day,
            step,
            sum(step) OVER (
                PARTITION BY worker_id, family_id ORDER BY day ROWS UNBOUNDED PRECEDING
            ) AS open_pairs
        FROM family_days
    )
),
ev AS (
    SELECT
        worker_id,
        valid_from AS day,
        1 + CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END AS counts,
        CASE WHEN valid_to IS NULL THEN allocated_date END AS open_allocated,
        CAST(NULL AS DATE) AS ended_allocated
    FROM pairs
    UNION ALL
    SELECT
        worker_id,
        valid_to,
        -1 - CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END,
        NULL,
        allocated_date
    FROM pairs
    WHERE valid_to IS NOT NULL
    UNION ALL
    SELECT
        worker_id,
        day,
        families * (CAST(1 AS HUGEINT) << 64) + groups * (CAST(1 AS HUGEINT) << 96),
        NULL,
        NULL
    FROM family_open
    WHERE families <> 0 OR groups <> 0
),
-- Each worker's counts at every day on which one of its rows starts or ends (its days).
by_worker AS (
    SELECT
        worker_id,
        day,
        CAST(sum(counts) AS HUGEINT) AS counts,
        min(open_allocated) AS open_allocated,
        min(ended_allocated) AS ended_allocated
    FROM ev
    GROUP BY worker_id, day
),
-- The worker's teams: a worker with one team (as every worker of the bench's data) has it on
-- every day; only a worker with two or more (or pairs of no team beside pairs of one) has its
-- pairs run by team at each of its days, to find the team of most pairs: only those workers'
-- pairs are read for it (`multi_pairs`; the team of most pairs is chosen by the pairs' counts
-- alone, and a worker's days are its pairs' starts and ends), not every worker's events.
worker_teams AS (
    SELECT
        worker_id,
        min(team) AS team,
        count(DISTINCT team) + max(CAST(team IS NULL AS INTEGER)) AS n
    FROM pairs
    GROUP BY worker_id
),
multi_pairs AS (
    SELECT *
    FROM pairs
    WHERE worker_id IN (SELECT worker_id FROM worker_teams WHERE n >= 2)
),
deltas AS (
    SELECT worker_id, team, day, sum(step) AS pairs
    FROM (
        SELECT worker_id, team, valid_from AS day, 1 AS step
        FROM multi_pairs
        UNION ALL
        SELECT worker_id, team, valid_to, -1
        FROM multi_pairs
        WHERE valid_to IS NOT NULL
    )
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
        sum(coalesce(x.pairs, 0)) OVER w AS pairs
    FROM days d
    JOIN teams t ON t.worker_id = d.worker_id
    LEFT JOIN deltas x
      ON x.worker_id = d.worker_id AND x.team IS NOT DISTINCT FROM t.team AND x.day = d.day
    WINDOW w AS (PARTITION BY d.worker_id, t.team ORDER BY d.day ROWS UNBOUNDED PRECEDING)
),
shared AS (
    SELECT worker_id, day
    FROM state
    WHERE pairs > 0
    GROUP BY worker_id, day
    HAVING count(*) >= 2
),
latest AS (
    SELECT s.worker_id, s.day, p.team, max(p.allocated_date) AS latest_allocation_date
    FROM shared s
    JOIN multi_pairs p
      ON p.worker_id = s.worker_id
     AND p.valid_from <= s.day
     AND coalesce(p.valid_to, DATE '9999-12-31') > s.day
    GROUP BY ALL
),
day_teams AS (
    SELECT
        s.worker_id,
        s.day,
        arg_max(s.team, (s.pairs, l.latest_allocation_date, s.team)) FILTER (WHERE s.pairs > 0)
            AS team
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
        CAST(sum(counts) OVER (PARTITION BY worker_id ORDER BY day ROWS UNBOUNDED PRECEDING)
            AS HUGEINT) AS counts,
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
    CASE WHEN t.n >= 2 THEN d.team ELSE t.team END AS team,
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
JOIN worker_teams t ON t.worker_id = s.worker_id
LEFT JOIN day_teams d ON d.worker_id = s.worker_id AND d.day = s.valid_from
LEFT JOIN ssd_professionals w ON w.prof_professional_id = s.worker_id
WHERE s.counts & 4294967295 > 0
ORDER BY covers_month_end, s.valid_to NULLS LAST, s.valid_from, s.worker_id
