-- cp_review_held: one row per CP review held, for every CP plan started on or before as-of (open
-- or ended), with the date it was due (measures.md "CP review timeliness"). Reviews are
-- ssd_cp_reviews rows of the plan (cppr_cp_plan_id) held on or before as-of and not before the
-- plan start; several on one day are one review, numbered 1, 2, ... by date (fact_cp_review,
-- built at load). The k-th review held is due:
--   k = 1: plan start + $t_first_cp_review_months calendar months;
--   k > 1: the (k-1)-th review's date + $t_later_cp_review_months calendar months
-- (a late review restarts the clock from the day it was held). Calendar months as DuckDB:
-- 31 Jan + 3 months = 30 Apr. on_time: held on or before its due date.
-- The extract's own cppr_cp_review_due is not used: the chain above is the definition.
-- uses: cp_review_due
SELECT
    h.cp_plan_id,
    h.start_date,
    h.review_number,
    h.review_date,
    h.due_date,
    h.on_time
FROM cp_review_due h
WHERE h.review_date <= $as_of
