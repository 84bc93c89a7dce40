-- allocations: "allocated case worker" involvements started by as-of, each tied to a referral:
-- its invo_referral_id, else the person's referral open on the involvement's start date
-- (the latest such referral if several are open). An end after as-of is not yet known.
-- Speed: the look-up of the open referral depends only on (person, start date), so it is made
-- once per such pair among the involvements WITHOUT a referral id (`resolved`), and joined back
-- to those alone; an involvement with a referral id never reads it (coalesce would discard it).
-- Same rows and values as the correlated form coalesce(invo_referral_id, (SELECT arg_max(...)
-- FROM referrals WHERE person and dates match)): a pair with no open referral has no `resolved`
-- row, so the LEFT JOIN gives NULL as the subquery did; a NULL person or start date matches
-- nothing either way.
-- uses: referrals
SELECT
    i.invo_involvements_id AS involvement_id,
    i.invo_person_id AS person_id,
    i.invo_professional_id AS worker_id,
    i.invo_professional_team AS team,
    i.invo_involvement_start_date AS start_date,
    CASE WHEN i.invo_involvement_end_date <= $as_of THEN i.invo_involvement_end_date END
        AS end_date,
    coalesce(i.invo_referral_id, resolved.referral_id) AS referral_id
FROM ssd_involvements i
LEFT JOIN (
    SELECT
        u.person_id,
        u.start_date,
        arg_max(r.referral_id, r.referral_date) AS referral_id
    FROM (
        SELECT DISTINCT
            j.invo_person_id AS person_id,
            j.invo_involvement_start_date AS start_date
        FROM ssd_involvements j
        WHERE j.invo_referral_id IS NULL
          AND lower(trim(j.invo_professional_role_id)) = 'allocated case worker'
          AND j.invo_involvement_start_date <= $as_of
    ) u
    JOIN referrals r
      ON r.person_id = u.person_id
     AND r.referral_date <= u.start_date
     AND (r.close_date IS NULL OR r.close_date >= u.start_date)
    GROUP BY u.person_id, u.start_date
) resolved
  ON i.invo_referral_id IS NULL
 AND resolved.person_id = i.invo_person_id
 AND resolved.start_date = i.invo_involvement_start_date
WHERE lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
  AND i.invo_involvement_start_date <= $as_of
