-- referral_factors: the referrals dated in the period whose assessment recorded domestic abuse,
-- one row each, with the codes found (text: '3A, 3B'). Referrals, allocation and seeing the
-- child join it to count their domestic abuse referrals apart; domestic_abuse lists them (each
-- reads referrals dated in the period only, joining by referral id).
-- The factors are the CIN census codes recorded at the end of an assessment
-- (ssd_assessment_factors.cinf_assessment_factors_json): domestic abuse is 3A (child), 3B (parent
-- or carer) or 3C (another person). Only an assessment of the same child, naming the referral
-- and authorised on or before as-of, counts (factors are known once it is signed off). The SSD
-- gives the codes as a JSON array (["3A", "4B"]) or, planned, a JSON object ({"3A": "Yes", ...},
-- a code counting when its value is yes, y, true or 1); a plain list of codes (commas, spaces,
-- semicolons...) is read too. Codes are compared trimmed and upper-cased, whole ("13A" is not
-- 3A). Speed: only the factors of those assessments are read; a text with no "3" followed by A,
-- B or C cannot name one and is not read further; an array or a list is split into its codes
-- without a JSON parse (only an object needs one).
-- uses: referrals, workers, assessment_rows
WITH picked AS (
    SELECT a.referral_id, a.person_id, f.cinf_assessment_factors_json AS v
    FROM assessment_rows a
    JOIN ssd_assessment_factors f ON f.cinf_assessment_id = a.assessment_id
    WHERE a.auth_date IS NOT NULL
      AND a.referral_id IN (
          SELECT r.referral_id FROM referrals r
          WHERE r.referral_date BETWEEN $date_from AND $date_to
      )
      AND regexp_matches(f.cinf_assessment_factors_json, '3[ABCabc]')
),
coded AS (
    SELECT
        p.referral_id,
        p.person_id,
        CASE
            WHEN json_valid(p.v) AND json_type(p.v) = 'OBJECT'
                THEN list_filter(
                    list_transform(
                        list_filter(
                            json_keys(p.v),
                            lambda k: lower(trim(json_extract_string(
                                p.v, '$."' || replace(k, '"', '\"') || '"'
                            ))) IN ('yes', 'y', 'true', '1')
                        ),
                        lambda k: upper(trim(k))
                    ),
                    lambda x: x IN ('3A', '3B', '3C')
                )
            ELSE list_filter(
                regexp_split_to_array(upper(p.v), '[^0-9A-Z]+'), lambda x: x IN ('3A', '3B', '3C')
            )
        END AS codes
    FROM picked p
)
SELECT
    c.referral_id,
    c.person_id,
    array_to_string(list_sort(list_distinct(flatten(list(c.codes)))), ', ') AS factors
FROM coded c
WHERE len(c.codes) > 0
GROUP BY c.referral_id, c.person_id
