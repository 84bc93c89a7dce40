-- fact_referral_factor: every assessment factor record naming domestic abuse, one row each, with
-- the whole codes found (codes: a list, e.g. ['3A', '3B']), its assessment's child, referral and
-- authorisation date, and that referral's date (the referral must be in the extract). The
-- measures' referral_factors reads it with its as-of and period (an assessment authorised by
-- as-of, a referral dated in the period), so parsing the codes is done once, at load.
-- The factors are the CIN census codes recorded at the end of an assessment
-- (ssd_assessment_factors.cinf_assessment_factors_json): domestic abuse is 3A (child), 3B (parent
-- or carer) or 3C (another person). The SSD gives the codes as a JSON array (["3A", "4B"]) or,
-- planned, a JSON object ({"3A": "Yes", ...}, a code counting when its value is yes, y, true or
-- 1); a plain list of codes (commas, spaces, semicolons...) is read too. Codes are compared
-- trimmed and upper-cased, whole ("13A" is not 3A). A text with no "3" followed by A, B or C
-- cannot name one and is not read further; the codes of an array or a list are found by one
-- regular expression, without a JSON parse (only an object needs one).
WITH picked AS (
    SELECT
        a.cina_assessment_id AS assessment_id,
        a.cina_referral_id AS referral_id,
        a.cina_person_id AS person_id,
        a.cina_assessment_auth_date AS auth_date,
        e.cine_referral_date AS referral_date,
        f.v
    FROM (
        SELECT cinf_assessment_id, cinf_assessment_factors_json AS v
        FROM ssd_assessment_factors
        WHERE regexp_matches(cinf_assessment_factors_json, '3[ABCabc]')
    ) f
    JOIN ssd_cin_assessments a ON a.cina_assessment_id = f.cinf_assessment_id
    JOIN ssd_cin_episodes e ON e.cine_referral_id = a.cina_referral_id
    WHERE a.cina_assessment_auth_date IS NOT NULL
),
-- MATERIALIZED: the codes parsed once a record; inlined, DuckDB pushed `len(codes) > 0` below
-- the select and parsed every record twice (about 0.12 of 0.5 s of CPU at 1,000,000 children).
coded AS MATERIALIZED (
    SELECT
        p.* EXCLUDE (v),
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
SELECT *
FROM coded
WHERE len(codes) > 0
ORDER BY referral_date, referral_id, assessment_id
