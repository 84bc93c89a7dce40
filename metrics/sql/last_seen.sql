-- Time since the child was last seen (Annex A style snapshot): for each child with a "date
-- child last seen" on or before as-of, the weeks since, in bands 0-6, 6-12, 12-18, 18+ weeks.
-- Read from annex_a_last_seen (Annex A lists 6 and 7); a child listed twice keeps the latest.
-- Dates arrive as text from the workbook: an unreadable one leaves the child out.
WITH seen AS (
    SELECT person_id, max(TRY_CAST(last_seen_date AS DATE)) AS last_seen_date
    FROM annex_a_last_seen
    WHERE TRY_CAST(last_seen_date AS DATE) <= $as_of
    GROUP BY person_id
)
SELECT
    person_id,
    last_seen_date,
    CAST((CAST($as_of AS DATE) - last_seen_date) AS INTEGER) AS days_since,
    (CAST($as_of AS DATE) - last_seen_date) / 7.0 AS weeks_since,
    CASE
        WHEN CAST($as_of AS DATE) - last_seen_date < 42 THEN '0-6 weeks'
        WHEN CAST($as_of AS DATE) - last_seen_date < 84 THEN '6-12 weeks'
        WHEN CAST($as_of AS DATE) - last_seen_date < 126 THEN '12-18 weeks'
        ELSE '18+ weeks'
    END AS band,
    CASE
        WHEN CAST($as_of AS DATE) - last_seen_date < 42 THEN 1
        WHEN CAST($as_of AS DATE) - last_seen_date < 84 THEN 2
        WHEN CAST($as_of AS DATE) - last_seen_date < 126 THEN 3
        ELSE 4
    END AS band_order
FROM seen
