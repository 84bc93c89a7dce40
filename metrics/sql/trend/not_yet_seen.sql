-- Children not yet seen month by month (Engine.monthly): each month end's figures as
-- not_yet_seen.sql's rows would give them at that date, each referral read once rather than once
-- a month (month_ends: the referrals grouped by their dates, joined to the month ends). A
-- referral (not NFA) counts at the month ends from its referral date until it closes or its
-- first seen visit, whichever is first (least of the two: one span; a span ending before it
-- starts covers none). Team and worker (the referral_owner rule): the referral's own at the
-- month ends before its first allocation starts, the allocated ones (each, else the referral's
-- own) from then on; a month counts when the filters keep the owner of that month. At risk at a
-- month end when its age there, as in the rows the month end's working-day index less its
-- referral date's, is over the target.
-- Written for few expressions and joins: at 200,000 children the query's planning costs about
-- as much as its run (docs/performance.md, "Snapshot trends"); so the owner's months are worked
-- out only under a team or worker filter (without one, both owners are kept, the allocation
-- date is not a group key: folded when planned).
-- uses: month_ends
WITH spans AS (
    SELECT
        f.referral_date AS start_date,
        least(f.close_date, f.first_seen_date) AS stop_date,
        CASE
            WHEN $team IS NULL AND $worker IS NULL AND $teams IS NULL THEN NULL
            ELSE f.allocated_date
        END AS allocated_date,
        ($team IS NULL OR f.referral_team = $team)
            AND ($worker IS NULL OR f.referral_worker_id = $worker)
            AND ($teams IS NULL OR list_contains($teams, f.referral_team)) AS own_kept,
        ($team IS NULL OR coalesce(f.allocated_team, f.referral_team) = $team)
            AND ($worker IS NULL
                 OR coalesce(f.allocated_worker_id, f.referral_worker_id) = $worker)
            AND ($teams IS NULL
                 OR list_contains($teams, coalesce(f.allocated_team, f.referral_team)))
            AS allocated_kept,
        count(*) AS n
    FROM fact_referral f
    WHERE f.referral_date <= $grid[-1]
      AND coalesce(f.close_date, DATE '9999-12-31') > $grid[1]
      AND coalesce(f.first_seen_date, DATE '9999-12-31') > $grid[1]
      AND NOT f.nfa
      AND ($person IS NULL OR f.person_id = $person)
    GROUP BY ALL
)
SELECT
    e.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - c.wd_index > $t_seen_wd), 0) AS at_risk
FROM month_ends e
LEFT JOIN spans p
  ON p.start_date <= e.day
 AND coalesce(p.stop_date, DATE '9999-12-31') > e.day
 AND CASE WHEN coalesce(p.allocated_date, DATE '9999-12-31') > e.day THEN p.own_kept
     ELSE p.allocated_kept END
LEFT JOIN calendar c ON c.date = p.start_date
GROUP BY e.k
