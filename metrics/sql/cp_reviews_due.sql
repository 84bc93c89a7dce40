-- CP reviews coming up: plans open at as-of whose next review (see cp_review_chain) is due between
-- as-of and as-of + $horizon_weeks weeks, both inclusive. Overdue reviews (next due before as-of)
-- are not here: cp_reviews lists them as out of timescale. Includes plans whose first review is
-- due in the horizon. Team and worker: the child's open allocation at as-of, else NULL.
-- uses: cp_review_chain
SELECT
    c.cp_plan_id,
    c.person_id,
    c.start_date,
    c.reviews_held,
    c.last_review_date,
    c.next_due,
    c.next_due - CAST($as_of AS DATE) AS days_until_due,
    c.team,
    c.worker_id
FROM cp_review_chain c
WHERE c.next_due BETWEEN $as_of AND CAST($as_of AS DATE) + 7 * $horizon_weeks
