-- assessment_factors: per assessment (cinf_assessment_id), the CIN census factor codes recorded
-- at its end (ssd_assessment_factors.cinf_assessment_factors_json), upper-cased and trimmed, and
-- whether one is domestic abuse (3A child, 3B parent or carer, 3C another person). The SSD gives
-- the codes as a JSON array (["3A", "4B"]) or, planned, a JSON object ({"3A": "Yes", ...}, a
-- code counting when its value is yes, y, true or 1); anything else is read as a list of codes
-- separated by commas, semicolons, bars or spaces.
SELECT
    f.cinf_assessment_id AS assessment_id,
    f.factors,
    list_has_any(f.factors, ['3A', '3B', '3C']) AS domestic_abuse
FROM (
    SELECT
        t.cinf_assessment_id,
        CASE
            WHEN json_valid(t.v) AND json_type(t.v) = 'ARRAY'
                THEN list_transform(json_extract_string(t.v, '$[*]'), lambda x: upper(trim(x)))
            WHEN json_valid(t.v) AND json_type(t.v) = 'OBJECT'
                THEN list_transform(
                    list_filter(
                        json_keys(t.v),
                        lambda k: lower(trim(json_extract_string(
                            t.v, '$."' || replace(k, '"', '\"') || '"'
                        ))) IN ('yes', 'y', 'true', '1')
                    ),
                    lambda k: upper(trim(k))
                )
            ELSE list_filter(
                list_transform(regexp_split_to_array(t.v, '[,;|\s\[\]"]+'), lambda x: upper(trim(x))),
                lambda x: x <> ''
            )
        END AS factors
    FROM (
        SELECT cinf_assessment_id, cinf_assessment_factors_json AS v
        FROM ssd_assessment_factors
        WHERE cinf_assessment_factors_json IS NOT NULL
    ) t
) f
