-- fact_referral: one row per referral with what is known of it at any as-of date:
-- * its first allocation, the "worker allocated first" (measures.md "Allocation delay"): among
--   the allocations tied to it (fact_allocation.referral_id) that start on or after the
--   referral date, or that name it themselves (linked) and start before it, the earliest by
--   greatest(start, referral date), then start, then involvement id. An allocation linked to the
--   referral but starting before it counts as allocated on the referral date
--   (linked_before_referral; a data issue). At an as-of date this allocation is known exactly
--   when allocated_date <= as-of: if it has started by then, it is the earliest of those started
--   by then; if not, none of them has (any earlier-started one would come first).
-- * its first seen visit: the earliest CIN or CP visit of the child with the child seen, on or
--   after the referral date and on or before the recorded close date. At an as-of date it is
--   the first seen visit known when first_seen_date <= as-of (a close date after as-of is not
--   known then, and the window [referral date, as-of] holds a seen visit exactly when this one
--   is in it).
-- * its look-back for re-referrals (DfE C1; measures.md "Re-referrals"): previous_referral_date,
--   the latest other referral of the same child dated in [referral date - 12 months, referral
--   date); and later_stated, whether a later referral of the child carries Annex A's "Number of
--   Referrals in Last 12 Months" (stated_referrals_12m: only the child's latest referral carrying
--   a count is read for it). Neither depends on an as-of date: every referral read is dated
--   before this one (at or before any as-of that knows this one), or, for later_stated, read
--   whatever its date, as the measure always read it.
-- * for siblings: the child's family (family_id, trimmed; NULL when the child has no family row
--   or a blank id) and the earliest start date of an assessment naming the referral
--   (first_assessment_date: the referral has an assessment started by as-of exactly when it is
--   dated on or before as-of).
-- close_date is the recorded close date: readers hide a close after their as-of.
-- referral_wd, allocated_wd: the working-day index (calendar) of the referral date and of the
-- first allocation's date (NULL for a date the calendar does not reach, as wd_index gives it), so
-- a delay to allocation is a subtraction, not two calendar look-ups a referral per query.
WITH first_allocation AS (
    -- The first allocation's worker, team, involvement id and whether it started before the
    -- referral, taken together as one struct by one arg_min_null (one ordering of a referral's
    -- allocations, not four; about 0.06 s of CPU less at 200,000 children): the earliest row's
    -- values, a NULL worker or team included. The involvement id is ssd_involvements' key and
    -- the start its defining date, never NULL in a loaded extract (such rows are rejected), so
    -- arg_min's skipping of a NULL value, which the id and the flag were taken with before, never
    -- applied to them.
    SELECT
        e.cine_referral_id AS referral_id,
        min(greatest(a.start_date, e.cine_referral_date)) AS allocated_date,
        arg_min_null(
            {
                'worker_id': a.worker_id,
                'team': a.team,
                'involvement_id': a.involvement_id,
                'linked_before_referral': a.start_date < e.cine_referral_date
            },
            (greatest(a.start_date, e.cine_referral_date), a.start_date, a.involvement_id)
        ) AS earliest
    FROM ssd_cin_episodes e
    JOIN fact_allocation a
      ON a.referral_id = e.cine_referral_id
     AND (a.start_date >= e.cine_referral_date OR a.own_referral_id IS NOT NULL)
    GROUP BY e.cine_referral_id
),
seen AS (
    SELECT cinv_person_id AS person_id, cinv_cin_visit_date AS visit_date
    FROM ssd_cin_visits
    WHERE cinv_cin_visit_seen
    UNION ALL
    SELECT cppv_person_id, cppv_cp_visit_date
    FROM ssd_cp_visits
    WHERE cppv_cp_visit_seen
),
-- Each child's seen visit dates as one list (in no order), from which each referral's first
-- seen visit is the least date in its window (list_min of list_filter, in the select below): not
-- a join of every referral to every seen visit of its child grouped by referral again (about 5
-- million joined rows at 1,000,000 children: 1.17 -> 0.79 s of CPU for the first seen dates
-- alone there, 0.18 -> 0.14 s at 200,000). A referral's window holds its child's visits only
-- (the child is the join key), and the list of a child with no seen visit is NULL: NULL then.
first_seen AS (
    SELECT person_id, list(visit_date) AS dates
    FROM seen
    GROUP BY person_id
),
-- The look-back and the later stated count as joins grouped by referral (left-joined below),
-- not a lateral subquery and an EXISTS over every referral's columns (about 0.03 s of CPU less
-- at 200,000 children): the same rows read for each referral (its id is the key: one row each).
prev AS (
    SELECT e.cine_referral_id AS referral_id, max(p.cine_referral_date) AS previous_referral_date
    FROM ssd_cin_episodes e
    JOIN ssd_cin_episodes p
      ON p.cine_person_id = e.cine_person_id
     AND p.cine_referral_id <> e.cine_referral_id
     AND p.cine_referral_date >= e.cine_referral_date - INTERVAL 12 MONTH
     AND p.cine_referral_date < e.cine_referral_date
    GROUP BY e.cine_referral_id
),
later AS (
    SELECT DISTINCT e.cine_referral_id AS referral_id
    FROM ssd_cin_episodes e
    JOIN ssd_cin_episodes l
      ON l.cine_person_id = e.cine_person_id
     AND l.cine_referral_date > e.cine_referral_date
     AND l.cine_referrals_last_12_months IS NOT NULL
)
SELECT
    e.cine_referral_id AS referral_id,
    e.cine_person_id AS person_id,
    e.cine_referral_date AS referral_date,
    e.cine_close_date AS close_date,
    coalesce(e.cine_referral_nfa, FALSE) AS nfa,
    e.cine_referral_source_code AS source_code,
    e.cine_referral_team AS referral_team,
    e.cine_referral_worker_id AS referral_worker_id,
    fa.allocated_date,
    fa.earliest.worker_id AS allocated_worker_id,
    fa.earliest.team AS allocated_team,
    fa.earliest.involvement_id AS allocation_involvement_id,
    fa.earliest.linked_before_referral AS linked_before_referral,
    list_min(list_filter(
        fs.dates,
        lambda d: d >= e.cine_referral_date
            AND d <= coalesce(e.cine_close_date, DATE '9999-12-31')
    )) AS first_seen_date,
    e.cine_referrals_last_12_months AS stated_referrals_12m,
    prev.previous_referral_date,
    lt.referral_id IS NOT NULL AS later_stated,
    nullif(trim(fam.fami_family_id), '') AS family_id,
    fas.first_assessment_date,
    cr.wd_index AS referral_wd,
    ca.wd_index AS allocated_wd
FROM ssd_cin_episodes e
LEFT JOIN ssd_family fam ON fam.fami_person_id = e.cine_person_id
LEFT JOIN (
    SELECT cina_referral_id AS referral_id, min(cina_assessment_start_date) AS first_assessment_date
    FROM ssd_cin_assessments
    GROUP BY cina_referral_id
) fas ON fas.referral_id = e.cine_referral_id
LEFT JOIN first_allocation fa ON fa.referral_id = e.cine_referral_id
LEFT JOIN first_seen fs ON fs.person_id = e.cine_person_id
LEFT JOIN prev ON prev.referral_id = e.cine_referral_id
LEFT JOIN later lt ON lt.referral_id = e.cine_referral_id
LEFT JOIN calendar cr ON cr.date = e.cine_referral_date
LEFT JOIN calendar ca ON ca.date = fa.allocated_date
ORDER BY e.cine_referral_date, e.cine_referral_id
