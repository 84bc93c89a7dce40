-- fact_allocation: every "allocated case worker" involvement (role trimmed, any case), whatever
-- its dates, with the referral it is for: its own invo_referral_id, else the person's referral
-- open on the involvement's start date (referral date on or before it, no close date before it;
-- the latest such referral if several are open). The look-up needs no as-of date: a referral
-- open on the start date is known at any as-of on or after the start, and an allocation is
-- only ever read at an as-of on or after its start (allocation_rows). end_date is the recorded
-- end: readers hide an end after their as-of.
-- linked: the involvement names its referral itself.
-- `rows` inlined where it is read (NOT MATERIALIZED: the involvements scanned twice), not
-- buffered for its two readers: about 0.07-0.1 s of CPU less at 1,000,000 children.
WITH rows AS NOT MATERIALIZED (
    SELECT
        i.invo_involvements_id AS involvement_id,
        i.invo_person_id AS person_id,
        i.invo_professional_id AS worker_id,
        i.invo_professional_team AS team,
        i.invo_involvement_start_date AS start_date,
        i.invo_involvement_end_date AS end_date,
        i.invo_referral_id AS own_referral_id
    FROM ssd_involvements i
    WHERE lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
),
resolved AS (
    SELECT
        u.person_id,
        u.start_date,
        arg_max(e.cine_referral_id, e.cine_referral_date) AS referral_id
    FROM (SELECT DISTINCT person_id, start_date FROM rows WHERE own_referral_id IS NULL) u
    JOIN ssd_cin_episodes e
      ON e.cine_person_id = u.person_id
     AND e.cine_referral_date <= u.start_date
     AND (e.cine_close_date IS NULL OR e.cine_close_date >= u.start_date)
    GROUP BY u.person_id, u.start_date
)
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    a.end_date,
    a.own_referral_id,
    coalesce(a.own_referral_id, r.referral_id) AS referral_id
FROM rows a
LEFT JOIN resolved r
  ON a.own_referral_id IS NULL AND r.person_id = a.person_id AND r.start_date = a.start_date
ORDER BY a.start_date, a.person_id
