-- Siblings assessed in their own right (flow, by referral date; the product's own measure, for
-- the letter's "the needs of children in sibling groups are not always recorded separately"):
-- referrals in the period, not NFA, of a child referred on the same day as at least one brother
-- or sister (another child of the same ssd_family family, also referred that day and not NFA),
-- in a group where at least one child's referral has an assessment started by as-of. `assessed`
-- is whether this child's own referral has one (an assessment is the child's own when its
-- cina_referral_id is this referral). A group none of whose children has an assessment yet is
-- left out: nothing has been assessed for anyone, so no child has been left out of it.
-- A child with no family row, or a blank family id, has no siblings here.
-- Team and worker: the referral's owners (the worker allocated first, else the referral's own).
-- uses: referrals, allocations, first_allocation, referral_owners
WITH family_referrals AS (
    SELECT
        r.referral_id,
        r.person_id,
        r.referral_date,
        trim(f.fami_family_id) AS family_id,
        EXISTS (
            SELECT 1 FROM ssd_cin_assessments a
            WHERE a.cina_referral_id = r.referral_id
              AND a.cina_assessment_start_date <= $as_of
        ) AS assessed
    FROM referrals r
    JOIN ssd_family f
      ON f.fami_person_id = r.person_id AND nullif(trim(f.fami_family_id), '') IS NOT NULL
    WHERE r.referral_date BETWEEN $date_from AND $date_to
      AND NOT r.nfa
),
groups AS (
    SELECT
        family_id,
        referral_date,
        count(DISTINCT person_id) AS group_children,
        count(DISTINCT person_id) FILTER (WHERE assessed) AS group_assessed
    FROM family_referrals
    GROUP BY family_id, referral_date
)
SELECT
    fr.referral_id,
    fr.person_id,
    fr.referral_date,
    fr.family_id,
    g.group_children,
    g.group_assessed,
    fr.assessed,
    o.team,
    o.worker_id
FROM family_referrals fr
JOIN groups g USING (family_id, referral_date)
JOIN referral_owners o USING (referral_id)
WHERE g.group_children >= 2
  AND g.group_assessed >= 1
