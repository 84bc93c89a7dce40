-- month_grid: the months of a trend read by month bits (metrics/sql/trend): k = 0, 1, ... for
-- each month end of $grid (the month ends in order; the last may be the as-of date). A span of
-- dates [valid_from, valid_to) covers the month ends from the first on or after valid_from to
-- the last before valid_to; a trend file writes them as the bits of an integer, bit k for
-- $grid[k + 1]: 1 << (month ends before valid_to) minus 1 << (month ends before valid_from),
-- counted as calendar months from the first month end, 12 * years + months (the arithmetic is
-- cheaper than datediff; $grid holds one end per month from it;
-- a date after the last end is after all of them).
SELECT CAST(unnest(range(len($grid))) AS INTEGER) AS k
