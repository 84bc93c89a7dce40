-- Unallocated referrals month by month (Engine.monthly): each month end's figures as
-- unallocated.sql's rows would give them at that date, each referral read once
-- (open_referral_months: the month ends it is open at, as bits) rather than once a month. It is
-- unallocated at the month ends before its first allocation starts; past target from the
-- working day its age passes the target (wd_add: the referral date's working-day index plus the
-- target plus one); the oldest age at a month end is the month end's index less the earliest
-- referral date's among those unallocated then. Team and worker: the referral's own, for the
-- filters.
-- uses: month_grid, open_referral_months
WITH months AS (
    SELECT
        r.referral_date,
        r.open_months
            & (month_bit(coalesce(r.allocated_date, DATE '9999-12-31'), $grid) - 1) AS months
    FROM open_referral_months r
    WHERE coalesce(r.allocated_date, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR r.referral_team = $team)
      AND ($worker IS NULL OR r.referral_worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, r.referral_team))
      AND ($person IS NULL OR r.person_id = $person)
),
dated AS (
    SELECT
        m.months,
        wd_index(m.referral_date) AS referral_index,
        wd_add(m.referral_date, $t_allocation_wd + 1) AS past_from
    FROM months m
    WHERE m.months <> 0
),
patterns AS (
    SELECT
        d.months,
        -- the months from the first month end on or after past_from (-(1 << i): bits i up)
        CASE WHEN d.past_from IS NOT NULL THEN d.months & -month_bit(d.past_from, $grid) ELSE 0 END
            AS past,
        count(*) AS n,
        min(d.referral_index) AS oldest_index
    FROM dated d
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
