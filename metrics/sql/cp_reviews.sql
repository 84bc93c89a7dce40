-- CP review timeliness (measures.md): plans open at as-of whose first review was due on or before
-- as-of (a plan whose first review is not yet due is not in the cohort). The chain of due dates
-- is in cp_review_chain. in_timescale: every review due on or before as-of was held on or before
-- its due date, i.e. no review was held late and the next review is not yet overdue
-- (next_due > as-of; a review due ON the as-of date and not held by then is overdue).
-- first_late_due_date: the due date of the first review held late, else of the overdue next one.
-- Team and worker: the child's open allocation at as-of, else NULL.
-- uses: cp_review_chain
SELECT
    c.cp_plan_id,
    c.person_id,
    c.start_date,
    c.category,
    c.first_due,
    c.reviews_held,
    c.last_review_date,
    c.next_due,
    c.first_late_held_due IS NULL AND c.next_due > $as_of AS in_timescale,
    coalesce(c.first_late_held_due, CASE WHEN c.next_due <= $as_of THEN c.next_due END)
        AS first_late_due_date,
    c.team,
    c.worker_id
FROM cp_review_chain c
WHERE c.first_due <= $as_of
