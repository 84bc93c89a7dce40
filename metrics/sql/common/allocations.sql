-- allocations: "allocated case worker" involvements started by as-of, each tied to a referral:
-- its invo_referral_id, else the person's referral open on the involvement's start date (the
-- latest such referral if several are open). An end after as-of is not yet known (end_date
-- NULL). The tie to a referral does not depend on the as-of date (a referral open on the start
-- date is known at any as-of after it), so the loader makes it once (fact_allocation).
-- own_referral_id: the referral id the involvement itself names (often blank); linked: it names
-- one, which is what lets an allocation starting before that referral's date still count for it
-- (first_allocation). allocation_rows is these rows without the referral look-up.
SELECT
    a.involvement_id,
    a.person_id,
    a.worker_id,
    a.team,
    a.start_date,
    CASE WHEN a.end_date <= $as_of THEN a.end_date END AS end_date,
    a.own_referral_id,
    a.referral_id,
    a.own_referral_id IS NOT NULL AS linked
FROM fact_allocation a
WHERE a.start_date <= $as_of
