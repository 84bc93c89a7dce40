-- allocation_rows: "allocated case worker" involvements (role trimmed, any case) started by as-of,
-- with the referral id the involvement itself names (own_referral_id, often blank): the
-- allocations rows (one as-of rule: an end after as-of is not yet known, end_date NULL) for
-- readers that do not tie an allocation to a referral.
-- uses: allocations
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    a.end_date,
    a.own_referral_id
FROM allocations a
