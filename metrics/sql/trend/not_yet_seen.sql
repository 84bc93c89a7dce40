-- Children not yet seen month by month (Engine.monthly): each month end's figures as
-- not_yet_seen.sql's rows would give them at that date, each referral read once rather than once
-- a month (month_grid: a span of dates as the bits of the month ends it covers). A referral (not
-- NFA) counts at the month ends from its referral date until it closes or its first seen visit,
-- whichever is first (least of the two: one span, its bits; a span ending before it starts has
-- none). Team and worker (the referral_owner rule): the referral's own at the month ends before
-- its first allocation starts, the allocated ones (each, else the referral's own) from then on;
-- a month counts when the filters keep the owner of that month. At risk at a month end when its
-- age there, as in the rows the month end's working-day index less its referral date's, is over
-- the target. The referrals are grouped by their months and referral-date index (a few hundred
-- groups) before the month ends are joined.
-- Written for few expressions and joins: at 200,000 children the query's planning costs more
-- than its run (docs/performance.md, "Snapshot trends"); so the span's bits are month_bits'
-- written with datediff('month', ...) (the same month numbers, fewer operators to bind; the stop
-- is after the first month end, by the WHERE), and the owner's months are worked out only under
-- a team or worker filter.
-- uses: month_grid
WITH patterns AS (
    -- the months unseen (from the first month end on or after the referral date, calendar
    -- months from the first end by datediff, to the last before the stop), kept where the
    -- filters keep the month's owner: the month ends before the first allocation (the bits below
    -- its bit) for the referral's own, from it on (its bit and above: -bit) for the allocated
    -- ones; without a team or worker filter, every month (folded to -1 when planned)
    SELECT
        greatest(
            (CAST(1 AS BIGINT) << CASE
                WHEN coalesce(least(f.close_date, f.first_seen_date), DATE '9999-12-31')
                    > $grid[-1] THEN len($grid)
                ELSE datediff('month', $grid[1], least(f.close_date, f.first_seen_date))
            END)
            - (CAST(1 AS BIGINT) << greatest(0, datediff('month', $grid[1], f.referral_date))),
            0
        ) & CASE
            WHEN $team IS NULL AND $worker IS NULL AND $teams IS NULL THEN -1
            ELSE (
                CASE
                    WHEN ($team IS NULL OR f.referral_team = $team)
                     AND ($worker IS NULL OR f.referral_worker_id = $worker)
                     AND ($teams IS NULL OR list_contains($teams, f.referral_team))
                    THEN month_bit(coalesce(f.allocated_date, DATE '9999-12-31'), $grid) - 1
                    ELSE 0
                END
                | CASE
                    WHEN ($team IS NULL OR coalesce(f.allocated_team, f.referral_team) = $team)
                     AND ($worker IS NULL
                          OR coalesce(f.allocated_worker_id, f.referral_worker_id) = $worker)
                     AND ($teams IS NULL
                          OR list_contains($teams, coalesce(f.allocated_team, f.referral_team)))
                    THEN -month_bit(coalesce(f.allocated_date, DATE '9999-12-31'), $grid)
                    ELSE 0
                END
            )
        END AS months,
        c.wd_index AS referral_index,
        count(*) AS n
    FROM fact_referral f
    LEFT JOIN calendar c ON c.date = f.referral_date
    WHERE f.referral_date <= $grid[-1]
      AND coalesce(f.close_date, DATE '9999-12-31') > $grid[1]
      AND coalesce(f.first_seen_date, DATE '9999-12-31') > $grid[1]
      AND NOT f.nfa
      AND ($person IS NULL OR f.person_id = $person)
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.referral_index > $t_seen_wd), 0) AS at_risk
FROM month_grid g
LEFT JOIN calendar e ON e.date = $grid[g.k + 1]
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
