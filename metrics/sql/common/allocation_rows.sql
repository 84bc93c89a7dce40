-- allocation_rows: "allocated case worker" involvements (role trimmed, any case) started by as-of,
-- with the referral id the involvement itself names (own_referral_id, often blank). An end after
-- as-of is not yet known (end_date NULL). allocations ties each to a referral; measures that need
-- no referral (open_allocations, recording's team) read these rows and skip that look-up.
SELECT
    i.invo_involvements_id AS involvement_id,
    i.invo_person_id AS person_id,
    i.invo_professional_id AS worker_id,
    i.invo_professional_team AS team,
    i.invo_involvement_start_date AS start_date,
    CASE WHEN i.invo_involvement_end_date <= $as_of THEN i.invo_involvement_end_date END
        AS end_date,
    i.invo_referral_id AS own_referral_id
FROM ssd_involvements i
WHERE lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
  AND i.invo_involvement_start_date <= $as_of
