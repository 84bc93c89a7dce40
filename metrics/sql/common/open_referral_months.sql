-- open_referral_months: for a trend read by month bits (month_grid), each referral that is not
-- NFA and open at one of the month ends of $grid (known by it, not closed on or before it),
-- with those month ends as bits (open_months, bit k for $grid[k + 1]). Unallocated referrals
-- and children not yet seen are both "a referral open at the as-of date, not yet stopped" (by
-- its first allocation, by its first seen visit): each reads this and keeps the months before
-- its own stop date, (1 << the month ends before it) - 1.
SELECT
    f.*,
    month_bits(f.referral_date, f.close_date, $grid)
        AS open_months
FROM fact_referral f
WHERE f.referral_date <= $grid[-1]
  AND coalesce(f.close_date, DATE '9999-12-31') > $grid[1]
  AND NOT f.nfa
