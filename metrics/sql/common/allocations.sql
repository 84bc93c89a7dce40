-- allocations: "allocated case worker" involvements started by as-of (allocation_rows), each tied
-- to a referral: its invo_referral_id, else the person's referral open on the involvement's start
-- date (the latest such referral if several are open). An end after as-of is not yet known.
-- Speed: the look-up of the open referral depends only on (person, start date), so it is made
-- once per such pair among the involvements WITHOUT a referral id (`resolved`), and joined back
-- to those alone; an involvement with a referral id never reads it (coalesce would discard it).
-- Same rows and values as the correlated form coalesce(invo_referral_id, (SELECT arg_max(...)
-- FROM referrals WHERE person and dates match)): a pair with no open referral has no `resolved`
-- row, so the LEFT JOIN gives NULL as the subquery did; a NULL person or start date matches
-- nothing either way.
-- linked: the involvement names its referral itself (invo_referral_id), which is what lets an
-- allocation starting before that referral's date still count for it (first_allocation).
-- uses: referrals, allocation_rows
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    a.end_date,
    coalesce(a.own_referral_id, resolved.referral_id) AS referral_id,
    a.own_referral_id IS NOT NULL AS linked
FROM allocation_rows a
LEFT JOIN (
    SELECT
        u.person_id,
        u.start_date,
        arg_max(r.referral_id, r.referral_date) AS referral_id
    FROM (
        SELECT DISTINCT person_id, start_date
        FROM allocation_rows
        WHERE own_referral_id IS NULL
    ) u
    JOIN referrals r
      ON r.person_id = u.person_id
     AND r.referral_date <= u.start_date
     AND (r.close_date IS NULL OR r.close_date >= u.start_date)
    GROUP BY u.person_id, u.start_date
) resolved
  ON a.own_referral_id IS NULL
 AND resolved.person_id = a.person_id
 AND resolved.start_date = a.start_date
