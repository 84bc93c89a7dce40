-- Agency requests outstanding month by month (Engine.monthly): each month end's figures as
-- agencies_outstanding.sql's rows would give them at that date, each request read once rather
-- than once a month (month_grid: a span of dates as the bits of the month ends it covers).
-- A request is outstanding at the month ends from its request date until its response (a
-- response before the request: at none). Its age at a month end is, as in the rows, the month
-- end's working-day index less its request date's (one calendar join per request, one per month
-- end; a request date outside the calendar has no age): past target when that is over the
-- target; the oldest age is the largest. The requests are grouped by their months and
-- request-date index (a few hundred groups) before the month ends are joined.
-- Written for few expressions and joins: at 200,000 children the query's planning costs more
-- than its run (docs/performance.md, "Snapshot trends"); so the span's bits are month_bits'
-- written with datediff('month', ...) (the same month numbers, fewer operators to bind; the
-- end is after the first month end, by the WHERE).
-- uses: month_grid
WITH patterns AS (
    SELECT
        greatest(
            (CAST(1 AS BIGINT) << CASE
                WHEN coalesce(r.responded_date, DATE '9999-12-31') > $grid[-1] THEN len($grid)
                ELSE datediff('month', $grid[1], r.responded_date)
            END)
            - (CAST(1 AS BIGINT) << greatest(0, datediff('month', $grid[1], r.requested_date))),
            0
        ) AS months,
        c.wd_index AS requested_index,
        count(*) AS n
    FROM info_requests r
    LEFT JOIN calendar c ON c.date = r.requested_date
    WHERE r.requested_date <= $grid[-1]
      AND coalesce(r.responded_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR r.person_id = $person)
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.requested_index > $t_agency_response_wd), 0)
        AS past_target,
    max(e.wd_index - p.requested_index) AS oldest_wd
FROM month_grid g
LEFT JOIN calendar e ON e.date = $grid[g.k + 1]
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
