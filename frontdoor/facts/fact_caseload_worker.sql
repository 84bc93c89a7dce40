-- fact_caseload_worker: each named worker's caseload (caseload_workers.sql's row of the worker,
-- but the worker's own facts) for every span of dates [valid_from, valid_to) in which it does not
-- change, from the rows of `family` below (a worker's pair spans, each counting its family or not).
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
-- allocations; the family pieces keep it). A day with nothing open ends the
-- worker's previous span and starts no row.
-- children_per_fte: children / the worker's FTE (ssd_professionals; NULL when blank or not
-- positive), as the rows show it, so a trend joins no worker to its month ends.
-- covers_month_end: whether the span holds the last day of a calendar month (most spans last a
-- few days): a trend's month ends but its last are such days, so it joins only these spans and
-- those holding its last date to its month ends.
-- Rows in order of covers_month_end, then of their end, the open ones last: a trend reads the
-- spans covering a month end in a year from the last row groups (3 of 9 at 1,000,000 children),
-- and an as-of date's rows are those ending after it in each part (the open ones last).
WITH pairs AS (
    SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, family_id
    FROM fact_caseload_pair
    WHERE worker_id IS NOT NULL
),
-- `family`: fact_caseload_pair's spans of the named workers' pairs, cut where the worker's open
-- children of the pair's family change, with how many they are (family_children) and whether the
-- pair is the one that counts the family (family_first: the family's least person id among
-- them): a worker's families at a day are then its open rows with family_first, its sibling
-- groups those with family_children >= 2. A pair without a family (no child id) is kept as it
-- is, counting no family. Built here and not stored (it was the fact fact_caseload_family, which
-- nothing else read: writing and sorting it was about 0.2 s of CPU at 200,000 children); the
-- cuts: a (worker, family)'s spans run from each start or end of its pairs' spans to the next,
-- and each pair span open at a cut span's start is one row for it.
-- Each worker and family's dates gathered as one sorted list of distinct days and the spans
-- read off it (a day and the next: unnest pads the shorter list with NULL, the open-ended last
-- span), not by a window over every day: the same spans without sorting them all (about 0.045 s
-- of CPU less at 200,000 children).
bounds AS (
    SELECT worker_id, family_id, list_sort(list(DISTINCT day)) AS days
    FROM (
        SELECT worker_id, family_id, valid_from AS day
        FROM pairs
        WHERE family_id IS NOT NULL
        UNION ALL
        SELECT worker_id, family_id, valid_to
        FROM pairs
        WHERE family_id IS NOT NULL AND valid_to IS NOT NULL
    )
    GROUP BY worker_id, family_id
),
cuts AS (
    SELECT worker_id, family_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
),
pieces AS (
    SELECT p.person_id, p.worker_id, s.family_id, s.valid_from, s.valid_to, p.allocated_date, p.team
    FROM cuts s
    JOIN pairs p
      ON p.worker_id = s.worker_id
     AND p.family_id = s.family_id
     AND p.valid_from <= s.valid_from
     AND coalesce(p.valid_to, DATE '9999-12-31') > s.valid_from
),
families AS (
    SELECT
        worker_id,
        family_id,
        valid_from,
        count(person_id) AS family_children,
        min(person_id) AS first_child
    FROM pieces
    GROUP BY worker_id, family_id, valid_from
),
family AS MATERIALIZED (
    SELECT
        p.person_id,
        p.worker_id,
        p.valid_from,
        p.valid_to,
        p.allocated_date,
        p.team,
        p.person_id = f.first_child AS family_first,
        f.family_children
    FROM pieces p
    JOIN families f
      ON f.worker_id = p.worker_id AND f.family_id = p.family_id AND f.valid_from = p.valid_from
    UNION ALL
    SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, FALSE, NULL
    FROM pairs
    WHERE family_id IS NULL
),
ev AS (
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
    FROM family
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
    FROM family
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
    JOIN family p
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
