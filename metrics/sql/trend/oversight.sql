-- Management oversight and drift month by month (Engine.monthly): each month end's figures as
-- oversight.sql's rows would give them at that date, each allocation span and each child's
-- months of notes and visits read once (month_grid: the month ends as bits) rather than every
-- child's notes searched again for every month end. The spans and their child's months are
-- read together (fact_allocation_latest: stored by the span's end, so a period's spans are a
-- few row groups, and no join to fact_activity: 1.8 -> 1.5 times the headline's CPU at 200,000
-- children, 1.8 -> 1.3 at 1,000,000).
-- A case is without oversight at month end m when wd_between(greatest(last note, allocated),
-- m) > target. Working days are counted by index (wd_between(a, m) = index(m) - index(a)), so
-- with cut(m) the working day whose index is index(m) - target (none when that is below 1:
-- then nothing is past the target at m, read as the earliest date), a date a is past the target
-- at m exactly when a < cut(m), and a note n on or before m keeps m within target exactly when
-- n >= cut(m). So the case is without oversight at m when its allocation date is before cut(m)
-- and no oversight note is dated in [cut(m), m]; a note before the allocation date is before
-- cut(m) already, so "notes following allocation" needs no test of its own. The cuts rise with
-- m: an allocation is past the target from the first month end whose cut is after it on, and
-- a note keeps the month ends from the first on or after it to the last whose cut is not after
-- it (`days`: both counts for every day the trend can meet). Drift is the same with its own
-- target and every note and visit (seen or not).
-- Only each month's latest oversight note (note or visit) can be a month end's latest, and its
-- run of month ends holds those of the month's earlier ones, so a child's months
-- (fact_activity's oversight_latest, activity_latest) are read, not its notes; the last month's
-- end may be a date mid-month (the period's end), before that month's latest: for a child with
-- anything dated after it, that month's own dates up to it are read too (`late`, apart from the
-- spans, so that its lists are not read beside every span when the last month end is a
-- calendar one: then DuckDB leaves it out, its test being of the parameters alone: about 2-3 ms
-- of 60 at 200,000 children). Each child's kept months are the OR over its dates, each day's
-- months worked out once (`bits`, a list from the first day) and the OR taken over the
-- child's lists where they are, in each span's row
-- (list_transform, list_bit_or), not unnested and grouped by child (most of the trend's time
-- when it was: about 3.2 million dates at 1,000,000 children); each allocation span
-- (fact_child_allocation's: a month end is in one span of a child at most) counts at the month
-- ends it covers, past the target and not kept; a span past the target at none of its month
-- ends (a quarter of them at 200,000 children) has its child's lists not read at all, as what
-- they keep would change nothing (about 4 ms of 60 at 200,000 children). The team, worker and
-- person filters are applied to the spans (the row's team and worker are its allocation's), as
-- the engine applies them to oversight.sql's rows.
-- uses: month_grid
WITH cuts AS MATERIALIZED (
    SELECT
        list(coalesce(o.date, DATE '0001-01-01') ORDER BY g.k) AS oversight_cuts,
        list(coalesce(d.date, DATE '0001-01-01') ORDER BY g.k) AS drift_cuts
    FROM month_grid g
    LEFT JOIN calendar m ON m.date = $grid[g.k + 1]
    LEFT JOIN calendar o ON o.wd_index = m.wd_index - $t_oversight_wd AND o.is_working_day
    LEFT JOIN calendar d ON d.wd_index = m.wd_index - $t_drift_wd AND d.is_working_day
),
days AS MATERIALIZED (
    -- every day from the first cut (or the calendar's first day) to the last month end: how
    -- many cuts are not after it, and the first month end on or after it
    SELECT
        x.day,
        len(list_filter(c.oversight_cuts, lambda y: y <= x.day)) AS oversight_n,
        len(list_filter(c.drift_cuts, lambda y: y <= x.day)) AS drift_n,
        month_index(x.day, $grid) AS first_k
    FROM cuts c
    CROSS JOIN (
        SELECT CAST(unnest(range(
            greatest(
                least(c.oversight_cuts[1], c.drift_cuts[1]),
                (SELECT min(date) FROM calendar)
            ),
            $grid[-1] + INTERVAL 1 DAY,
            INTERVAL 1 DAY
        )) AS DATE) AS day
        FROM cuts c
    ) x
),
bits AS MATERIALIZED (
    -- each day's month ends kept within target by a note (oversight) or anything (drift) dated
    -- that day, as a list from the first day: from the first month end on or after the day to
    -- the last whose cut is not after it
    SELECT
        min(day) AS first_day,
        list(
            CASE WHEN oversight_n > first_k
                THEN (CAST(1 AS BIGINT) << oversight_n) - (CAST(1 AS BIGINT) << first_k)
                ELSE 0 END
            ORDER BY day
        ) AS oversight_bits,
        list(
            CASE WHEN drift_n > first_k
                THEN (CAST(1 AS BIGINT) << drift_n) - (CAST(1 AS BIGINT) << first_k)
                ELSE 0 END
            ORDER BY day
        ) AS drift_bits,
        CAST(date_trunc('month', $grid[-1]) AS DATE) AS month_start
    FROM days
),
spans AS (
    -- not materialised: it carries the child's lists, which DuckDB would copy once more (about
    -- 2 ms at 200,000 children, 13 at 1,000,000)
    SELECT
        a.person_id,
        a.oversight_latest,
        a.activity_latest,
        month_bits(a.valid_from, a.valid_to, $grid) AS months,
        -- past the target from the first month end whose cut is after the allocation date
        -(CAST(1 AS BIGINT) << coalesce(d.oversight_n, 0)) AS oversight_due,
        -(CAST(1 AS BIGINT) << coalesce(d.drift_n, 0)) AS drift_due
    FROM fact_allocation_latest a
    LEFT JOIN days d ON d.day = a.allocated_date
    WHERE a.valid_from <= $grid[-1]
      AND coalesce(a.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
      AND ($person IS NULL OR a.person_id = $person)
),
late AS (
    -- a mid-month last month end's own month: each child with something dated after it, the
    -- month ends its dates of that month up to it keep
    SELECT
        f.person_id,
        coalesce(list_bit_or(list_transform(
            list_filter(f.oversight_dates, lambda x: x BETWEEN b.month_start AND $grid[-1]),
            lambda x: CASE WHEN x >= b.first_day THEN b.oversight_bits[x - b.first_day + 1] END
        )), 0) AS oversight_kept,
        coalesce(list_bit_or(list_transform(
            list_filter(
                coalesce(f.note_dates, []) || coalesce(f.visit_dates, []),
                lambda x: x BETWEEN b.month_start AND $grid[-1]
            ),
            lambda x: CASE WHEN x >= b.first_day THEN b.drift_bits[x - b.first_day + 1] END
        )), 0) AS drift_kept
    FROM fact_activity f
    CROSS JOIN bits b
    WHERE $grid[-1] < last_day($grid[-1]) AND list_max(f.activity_latest) > $grid[-1]
),
kept AS (
    -- each span with the month ends its child's dates keep within target (the child's lists
    -- read in the span's row, no grouping by child): the OR of its days' bits (a day
    -- before the first or after the last month end keeps none); drift reads only each
    -- month's latest note or visit, on or after its latest oversight note, so keeping all the
    -- month ends that one keeps. With something dated after a mid-month last month end (that
    -- month's latest is after it), that month's own dates up to it are read too (`late`: a
    -- join DuckDB leaves out when the last month end is a calendar one, the test being of the
    -- parameters alone).
    SELECT
        a.months, a.oversight_due, a.drift_due,
        CASE WHEN a.months & a.oversight_due <> 0 THEN coalesce(list_bit_or(list_transform(
            a.oversight_latest,
            lambda x: CASE WHEN x >= b.first_day THEN b.oversight_bits[x - b.first_day + 1] END
        )), 0) | coalesce(a.late_oversight, 0) ELSE 0 END AS oversight_kept,
        CASE WHEN a.months & a.drift_due <> 0 THEN coalesce(list_bit_or(list_transform(
            a.activity_latest,
            lambda x: CASE WHEN x >= b.first_day THEN b.drift_bits[x - b.first_day + 1] END
        )), 0) | coalesce(a.late_drift, 0) ELSE 0 END AS drift_kept
    FROM (
        SELECT
            s.months, s.oversight_due, s.drift_due, s.oversight_latest, s.activity_latest,
            l.oversight_kept AS late_oversight, l.drift_kept AS late_drift
        FROM spans s
        LEFT JOIN late l ON l.person_id = s.person_id
        WHERE s.months <> 0
    ) a
    CROSS JOIN bits b
),
patterns AS (
    SELECT
        s.months,
        s.months & s.oversight_due & ~s.oversight_kept AS without_oversight,
        s.months & s.drift_due & ~s.drift_kept AS drift,
        count(*) AS n
    FROM kept s
    GROUP BY ALL
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(p.n), 0) AS open_allocated,
        coalesce(sum(p.n) FILTER (WHERE (p.without_oversight >> g.k) & 1 = 1), 0)
            AS without_oversight,
        coalesce(sum(p.n) FILTER (WHERE (p.drift >> g.k) & 1 = 1), 0) AS drift
    FROM month_grid g
    LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
    GROUP BY g.k
)
SELECT
    c.k,
    c.open_allocated,
    c.without_oversight,
    100.0 * c.without_oversight / nullif(c.open_allocated, 0) AS without_oversight_pct,
    c.drift,
    c.without_oversight AS without_oversight_pct_numerator,
    c.open_allocated AS without_oversight_pct_denominator
FROM counts c
