-- Children not yet seen month by month (Engine.monthly): each month end's figures as
-- not_yet_seen.sql's rows would give them at that date, each referral read once
-- (open_referral_months: the month ends it is open at, as bits) rather than once a month. It
-- counts at the month ends before its first seen visit; at risk from the working day its age
-- passes the target (wd_add: the referral date's working-day index plus the target plus one).
-- Team and worker (the referral_owner rule): the referral's own at the month ends before its
-- first allocation starts, the allocated ones (each, else the referral's own) from then on; a
-- month counts when the filters keep the owner of that month.
-- uses: month_grid, open_referral_months
WITH owned AS (
    SELECT
        r.referral_date,
        r.open_months
            & (month_bit(coalesce(r.first_seen_date, DATE '9999-12-31'), $grid) - 1) AS unseen,
        month_bit(coalesce(r.allocated_date, DATE '9999-12-31'), $grid) - 1 AS before_allocation,
        ($team IS NULL OR r.referral_team = $team)
            AND ($worker IS NULL OR r.referral_worker_id = $worker)
            AND ($teams IS NULL OR list_contains($teams, r.referral_team)) AS own_kept,
        ($team IS NULL OR coalesce(r.allocated_team, r.referral_team) = $team)
            AND ($worker IS NULL OR coalesce(r.allocated_worker_id, r.referral_worker_id) = $worker)
            AND ($teams IS NULL OR list_contains($teams, coalesce(r.allocated_team, r.referral_team)))
            AS allocated_kept
    FROM open_referral_months r
    WHERE coalesce(r.first_seen_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR r.person_id = $person)
),
months AS (
    SELECT
        o.referral_date,
        o.unseen & (
            CASE WHEN o.own_kept THEN o.before_allocation ELSE 0 END
            | CASE WHEN o.allocated_kept THEN ~o.before_allocation ELSE 0 END
        ) AS months
    FROM owned o
),
dated AS (
    SELECT m.months, wd_add(m.referral_date, $t_seen_wd + 1) AS past_from
    FROM months m
    WHERE m.months <> 0
),
patterns AS (
    SELECT
        d.months,
        -- the months from the first month end on or after past_from (-(1 << i): bits i up)
        CASE WHEN d.past_from IS NOT NULL THEN d.months & -month_bit(d.past_from, $grid) ELSE 0 END
            AS at_risk,
        count(*) AS n
    FROM dated d
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE (p.at_risk >> g.k) & 1 = 1), 0) AS at_risk
FROM month_grid g
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
