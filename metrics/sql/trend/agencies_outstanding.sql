-- Agency requests outstanding month by month (Engine.monthly): each month end's figures as
-- agencies_outstanding.sql's rows would give them at that date, each request read once rather
-- than once a month (month_ends: the requests grouped by their dates, joined to the month ends).
-- A request is outstanding at the month ends from its request date until its response (a
-- response before the request: at none). Its age at a month end is, as in the rows, the month
-- end's working-day index less its request date's (one calendar join per group of requests, one
-- per month end; a request date outside the calendar has no age): past target when that is over
-- the target; the oldest age is the largest.
-- Written for few expressions and joins: at 200,000 children the query's planning costs about
-- as much as its run (docs/performance.md, "Snapshot trends").
-- uses: month_ends
WITH spans AS (
    SELECT
        r.requested_date AS start_date,
        r.responded_date AS stop_date,
        count(*) AS n
    FROM info_requests r
    WHERE r.requested_date <= $grid[-1]
      AND coalesce(r.responded_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR r.person_id = $person)
    GROUP BY ALL
)
SELECT
    e.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - c.wd_index > $t_agency_response_wd), 0)
        AS past_target,
    max(e.wd_index - c.wd_index) AS oldest_wd
FROM month_ends e
LEFT JOIN spans p
  ON p.start_date <= e.day AND coalesce(p.stop_date, DATE '9999-12-31') > e.day
LEFT JOIN calendar c ON c.date = p.start_date
GROUP BY e.k
