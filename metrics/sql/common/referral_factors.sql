-- referral_factors: the referrals whose assessment recorded domestic abuse (factor 3A, 3B or
-- 3C; assessment_factors reads the codes), one row each, with the codes found (text: '3A, 3B').
-- The factors are those "as understood at the end of the assessment", so only an assessment of
-- the same child, naming the referral and authorised on or before as-of, counts (one
-- authorised later is not known yet). Referrals, allocation and seeing the child join it to
-- count their domestic abuse referrals apart; domestic_abuse lists them.
-- uses: workers, assessment_rows, assessment_factors
SELECT
    a.referral_id,
    a.person_id,
    array_to_string(list_sort(list_distinct(flatten(list(
        list_filter(f.factors, lambda x: x IN ('3A', '3B', '3C'))
    )))), ', ') AS factors
FROM assessment_rows a
JOIN assessment_factors f ON f.assessment_id = a.assessment_id
WHERE a.auth_date IS NOT NULL AND f.domestic_abuse AND a.referral_id IS NOT NULL
GROUP BY a.referral_id, a.person_id
