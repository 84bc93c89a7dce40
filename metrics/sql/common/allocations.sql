-- allocations: "allocated case worker" involvements started by as-of, each tied to a referral:
-- its invo_referral_id, else the person's referral open on the involvement's start date
-- (the latest such referral if several are open). An end after as-of is not yet known.
-- uses: referrals
SELECT
    i.invo_involvements_id AS involvement_id,
    i.invo_person_id AS person_id,
    i.invo_professional_id AS worker_id,
    i.invo_professional_team AS team,
    i.invo_involvement_start_date AS start_date,
    CASE WHEN i.invo_involvement_end_date <= $as_of THEN i.invo_involvement_end_date END
        AS end_date,
    coalesce(
        i.invo_referral_id,
        (
            SELECT arg_max(r.referral_id, r.referral_date)
            FROM referrals r
            WHERE r.person_id = i.invo_person_id
              AND r.referral_date <= i.invo_involvement_start_date
              AND (r.close_date IS NULL OR r.close_date >= i.invo_involvement_start_date)
        )
    ) AS referral_id
FROM ssd_involvements i
WHERE lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
  AND i.invo_involvement_start_date <= $as_of
