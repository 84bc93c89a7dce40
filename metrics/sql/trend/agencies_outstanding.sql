-- Agency requests outstanding month by month (Engine.monthly): each month end's figures as
-- agencies_outstanding.sql's rows would give them at that date, each request read once rather
-- than once a month (month_grid: a span of dates as the bits of the month ends it covers).
-- A request is outstanding from its request date until its response. Past target: its age in
-- working days (wd_between: the difference of the calendar's working-day indexes) is over the
-- target from the working day whose index is the request date's plus the target plus one
-- (wd_add), so that span's bits are its months past target. The oldest age at a month end is
-- the month end's index less the smallest request-date index among those outstanding then
-- (a request date outside the calendar has no age, as in the rows).
-- uses: month_grid
WITH spans AS (
    -- each request's months outstanding; one outstanding at no month end (answered within
    -- the month) is left out before its dates are looked up in the calendar
    SELECT *
    FROM (
        SELECT
            r.requested_date,
            month_bit(coalesce(r.responded_date, DATE '9999-12-31'), $grid) AS until,
            (CAST(1 AS BIGINT) << greatest(0, month_number(r.requested_date, $grid)))
                AS since
        FROM info_requests r
        WHERE r.requested_date <= $grid[-1]
          AND coalesce(r.responded_date, DATE '9999-12-31') > $grid[1]
          AND ($person IS NULL OR r.person_id = $person)
    )
    WHERE until > since
),
q AS (
    SELECT
        s.until,
        s.since,
        wd_index(s.requested_date) AS requested_index,
        wd_add(s.requested_date, $t_agency_response_wd + 1) AS past_from
    FROM spans s
),
patterns AS (
    SELECT
        until - since AS months,
        coalesce(greatest(until - month_bit(past_from, $grid), 0), 0) AS past,
        count(*) AS n,
        min(requested_index) AS oldest_index
    FROM q
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE (p.past >> g.k) & 1 = 1), 0) AS past_target,
    wd_index($grid[g.k + 1]) - min(p.oldest_index) AS oldest_wd
FROM month_grid g
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
