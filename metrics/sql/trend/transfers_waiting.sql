-- Waiting for transfer month by month (Engine.monthly): each month end's figures as
-- transfers_waiting.sql's rows would give them at that date, each span of fact_transfer_wait
-- read once rather than once a month. The spans are the dates in which a child is waiting with
-- the same row (the child's latest assessment with an open episode, open allocations all in its
-- team, an open plan that followed it: frontdoor/facts/fact_transfer_wait.sql), and a child's
-- spans do not overlap, so the children waiting at a month end are the spans covering it; the
-- worker filter is on each span's worker (the allocation's then), the team filter on the
-- assessing team, as the engine applies them to the rows. The spans are grouped by their dates
-- and the authorisation's working-day index (month_ends: joined to the month ends by the span's
-- test, no month bits per span: the month bits macro was about a third of this query's
-- planning); the age at a month end is the month end's index less it, as in the rows, past the
-- target above $t_transfer_wd; the oldest is the largest.
-- uses: month_ends
WITH spans AS (
    SELECT f.valid_from, f.valid_to, f.auth_wd, count(*) AS n
    FROM fact_transfer_wait f
    WHERE f.valid_from <= $grid[-1]
      AND coalesce(f.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR f.team = $team)
      AND ($worker IS NULL OR f.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, f.team))
      AND ($person IS NULL OR f.person_id = $person)
    GROUP BY ALL
)
SELECT
    e.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.auth_wd > $t_transfer_wd), 0) AS past_target,
    max(e.wd_index - p.auth_wd) AS oldest_wd
FROM month_ends e
LEFT JOIN spans p
  ON p.valid_from <= e.day AND coalesce(p.valid_to, DATE '9999-12-31') > e.day
GROUP BY e.k
