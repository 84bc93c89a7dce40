-- Unallocated referrals month by month (Engine.monthly): each month end's figures as
-- unallocated.sql's rows would give them at that date, each referral read once rather than once
-- a month (month_ends: the referrals grouped by their dates, joined to the month ends). A
-- referral (not NFA) is unallocated at the month ends from its referral date until it closes or
-- its first allocation starts, whichever is first (least of the two: one span; a span ending
-- before it starts covers none). Its age at a month end is, as in the rows, the month end's
-- working-day index less its referral date's (one calendar join per group of referrals, one per
-- month end): past target when that is over the target; the oldest age is the largest. Team and
-- worker: the referral's own, for the filters.
-- Written for few expressions and joins: at 200,000 children the query's planning costs about
-- as much as its run (docs/performance.md, "Snapshot trends"). The interval filters are two
-- coalesce(...) > $grid[1], not one on the least of the stops: those are pushed into the scan.
-- uses: month_ends
WITH spans AS (
    SELECT
        f.referral_date AS start_date,
        least(f.close_date, f.allocated_date) AS stop_date,
        count(*) AS n
    FROM fact_referral f
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
    e.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - c.wd_index > $t_allocation_wd), 0) AS past_target,
    max(e.wd_index - c.wd_index) AS oldest_wd
FROM month_ends e
LEFT JOIN spans p
  ON p.start_date <= e.day AND coalesce(p.stop_date, DATE '9999-12-31') > e.day
LEFT JOIN calendar c ON c.date = p.start_date
GROUP BY e.k
