-- workers: each professional with the facts the measures read. A blank registration number
-- means unqualified; a blank FTE stays unknown (never 1).
SELECT
    p.prof_professional_id AS worker_id,
    p.prof_professional_name AS worker_name,
    nullif(trim(p.prof_social_worker_registration_no), '') IS NOT NULL AS qualified,
    p.prof_professional_job_title AS job_title,
    p.prof_full_time_equivalency AS fte,
    coalesce(p.prof_agency_worker_flag, FALSE) AS agency
FROM ssd_professionals p
