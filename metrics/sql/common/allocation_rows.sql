-- allocation_rows: "allocated case worker" involvements (role trimmed, any case) started by as-of,
-- with the referral id the involvement itself names (own_referral_id, often blank). An end after
-- as-of is not yet known (end_date NULL). Read from fact_allocation (built at load).
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    CASE WHEN a.end_date <= $as_of THEN a.end_date END AS end_date,
    a.own_referral_id
FROM fact_allocation a
WHERE a.start_date <= $as_of
