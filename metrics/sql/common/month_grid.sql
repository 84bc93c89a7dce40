-- month_grid: the months of a trend read by month bits (metrics/sql/trend): k = 0, 1, ... for
-- each month end of $grid (the month ends in order, one a calendar month; the last may be the
-- as-of date), with that date (month_end). A span of dates [valid_from, valid_to) covers the
-- month ends from the first on or after valid_from to the last before valid_to; a trend file
-- writes them as the bits of an integer, bit k for $grid[k + 1], with the macros stored with
-- the facts (frontdoor/facts): month_number (calendar months from the first end), month_index
-- (how many ends come before a date), month_bit (1 << that) and month_bits(valid_from,
-- valid_to) (an open end: NULL). $grid_k is 0, 1, ... as a list (trend_queries.month_bits):
-- unnested as it is, it costs DuckDB less to plan than a range over len($grid) cast to INTEGER.
SELECT unnest($grid_k) AS k, unnest($grid) AS month_end
