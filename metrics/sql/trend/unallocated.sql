-- Unallocated referrals month by month (Engine.monthly): each month end's figures as
-- unallocated.sql's rows would give them at that date, each referral read once rather than once
-- a month (month_grid: a span of dates as the bits of the month ends it covers). A referral (not
-- NFA) is unallocated at the month ends from its referral date until it closes or its first
-- allocation starts, whichever is first (least of the two: one span, its bits; a span ending
-- before it starts has none). Its age at a month end is, as in the rows, the month end's
-- working-day index less its referral date's (one calendar join per referral, one per month
-- end): past target when that is over the target; the oldest age is the largest. The referrals
-- are grouped by their months and referral-date index (a few hundred groups) before the month
-- ends are joined. Team and worker: the referral's own, for the filters.
-- Written for few expressions and joins: at 200,000 children the query's planning costs more
-- than its run (docs/performance.md, "Snapshot trends"); so the span's bits are month_bits'
-- written with datediff('month', ...) (the same month numbers, fewer operators to bind; the
-- end is after the first month end, by the WHERE).
-- uses: month_grid
WITH patterns AS (
    SELECT
        greatest(
            (CAST(1 AS BIGINT) << CASE
                WHEN coalesce(least(f.close_date, f.allocated_date), DATE '9999-12-31')
                    > $grid[-1] THEN len($grid)
                ELSE datediff('month', $grid[1], least(f.close_date, f.allocated_date))
            END)
            - (CAST(1 AS BIGINT) << greatest(0, datediff('month', $grid[1], f.referral_date))),
            0
        ) AS months,
        c.wd_index AS referral_index,
        count(*) AS n
    FROM fact_referral f
    LEFT JOIN calendar c ON c.date = f.referral_date
    WHERE f.referral_date <= $grid[-1]
      AND coalesce(f.close_date, DATE '9999-12-31') > $grid[1]
      AND coalesce(f.allocated_date, DATE '9999-12-31') > $grid[1]
      AND NOT f.nfa
      AND ($team IS NULL OR f.referral_team = $team)
      AND ($worker IS NULL OR f.referral_worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, f.referral_team))
      AND ($person IS NULL OR f.person_id = $person)
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.referral_index > $t_allocation_wd), 0)
        AS past_target,
    max(e.wd_index - p.referral_index) AS oldest_wd
FROM month_grid g
LEFT JOIN calendar e ON e.date = $grid[g.k + 1]
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
