-- month_ends: the month ends of a trend read by month bits (metrics/sql/trend), as month_grid
-- numbers them (k = 0, 1, ... for each date of $grid, the last maybe the as-of date), each with
-- its date and working-day index (none outside the calendar). For a trend whose rows are spans
-- of dates with a start date (an age in working days from it) and a stop: the spans grouped by
-- their two dates (a few thousand groups) are joined to the month ends by the span's test,
-- start_date <= day < stop (no stop: open), and each month end's ages are its index less the
-- start's, as the rows' wd_between gives them. Cheaper than writing each span's months as bits
-- (datediff per span and per stop: about a third of such a trend's CPU at 1,000,000 children)
-- and no limit on the number of months.
SELECT g.k, g.day, c.wd_index
FROM (SELECT unnest($grid_k) AS k, unnest($grid) AS day) g
LEFT JOIN calendar c ON c.date = g.day
