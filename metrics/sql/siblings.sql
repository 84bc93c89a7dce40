-- Siblings assessed in their own right (flow, by referral date; the product's own measure, for
-- the letter's "the needs of children in sibling groups are not always recorded separately"):
-- referrals in the period, not NFA, of a child referred on the same day as at least one brother
-- or sister (another child of the same ssd_family family, also referred that day and not NFA),
-- in a group where at least one child's referral has an assessment started by as-of. `assessed`
-- is whether this child's own referral has one (an assessment is the child's own when its
-- cina_referral_id is this referral). A group none of whose children has an assessment yet is
-- left out: nothing has been assessed for anyone, so no child has been left out of it.
-- A child with no family row, or a blank family id, has no siblings here.
-- Team and worker: the referral's owners (the worker allocated first, else the referral's own:
-- the referral_owner rule). Read from fact_referral alone, which carries each referral's family
-- and its earliest assessment start (found at load), with the as-of rules of the referrals
-- fragment.
WITH family_referrals AS (
    SELECT
        r.referral_id,
        r.person_id,
        r.referral_date,
        r.family_id,
        coalesce(r.first_assessment_date <= $as_of, FALSE) AS assessed,
        referral_owner(r.allocated_date, r.allocated_team, r.referral_team, $as_of) AS team,
        referral_owner(r.allocated_date, r.allocated_worker_id, r.referral_worker_id, $as_of)
            AS worker_id
    FROM fact_referral r
    WHERE r.referral_date BETWEEN $date_from AND $date_to
      AND r.referral_date <= $as_of
      AND NOT r.nfa
      AND r.family_id IS NOT NULL
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
    fr.team,
    fr.worker_id
FROM family_referrals fr
JOIN groups g USING (family_id, referral_date)
WHERE g.group_children >= 2
  AND g.group_assessed >= 1
