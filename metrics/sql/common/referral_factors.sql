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
-- B or C cannot name one and is not read further; the codes of an array or a list are found by
-- one regular expression, without a JSON parse (only an object needs one).
-- (The assessments and referrals are read from ssd_cin_assessments and ssd_cin_episodes
-- themselves, not assessment_rows and referrals: only their ids and dates matter here, and
-- sharing those fragments with the measures that join this one cost every referral figure that
-- flags domestic abuse more than reading the two columns again. Nothing after as-of is read:
-- the period ends on or before it.)
WITH picked AS (
    SELECT a.cina_referral_id AS referral_id, a.cina_person_id AS person_id, f.v
    FROM (
        SELECT cinf_assessment_id, cinf_assessment_factors_json AS v
        FROM ssd_assessment_factors
        WHERE regexp_matches(cinf_assessment_factors_json, '3[ABCabc]')
    ) f
    JOIN ssd_cin_assessments a ON a.cina_assessment_id = f.cinf_assessment_id
    WHERE a.cina_assessment_auth_date <= $as_of
      AND a.cina_referral_id IN (
          SELECT e.cine_referral_id FROM ssd_cin_episodes e
          WHERE e.cine_referral_date BETWEEN $date_from AND $date_to
      )
),
coded AS (
    SELECT
        p.referral_id,
        p.person_id,
        CASE
            WHEN ltrim(p.v) LIKE '{%' AND json_valid(p.v) AND json_type(p.v) = 'OBJECT'
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
            -- every code, however separated, between two spaces: the whole codes 3A, 3B, 3C
            ELSE regexp_extract_all(
                ' ' || regexp_replace(upper(p.v), '[^0-9A-Z]+', '  ', 'g') || ' ',
                ' (3[ABC]) ',
                1
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
