-- worker_teams: each professional's own team (prof_professional_department), for rows that name
-- a worker but no team.
SELECT
    p.prof_professional_id AS worker_id,
    nullif(trim(p.prof_professional_department), '') AS team
FROM ssd_professionals p
