-- S47 to ICPC conversion (flow, by S47 start; measures.md "More of the letter"): S47 enquiries
-- started in the period, and whether an initial child protection conference (held on or before
-- as-of) names the enquiry through icpc_s47_enquiry_id. Of several, the earliest is shown.
-- Team and worker: the enquiry's completed-by team and worker (as s47).
SELECT
    s.s47e_s47_enquiry_id AS s47_id,
    s.s47e_person_id AS person_id,
    s.s47e_referral_id AS referral_id,
    s.s47e_s47_start_date AS start_date,
    c.icpc_id,
    c.icpc_date,
    c.icpc_id IS NOT NULL AS led_to_icpc,
    s.s47e_s47_completed_by_team AS team,
    s.s47e_s47_completed_by_worker_id AS worker_id
FROM ssd_s47_enquiry s
LEFT JOIN (
    SELECT
        i.icpc_s47_enquiry_id AS s47_id,
        arg_min(i.icpc_icpc_id, (i.icpc_icpc_date, i.icpc_icpc_id)) AS icpc_id,
        min(i.icpc_icpc_date) AS icpc_date
    FROM ssd_initial_cp_conference i
    WHERE i.icpc_icpc_date <= $as_of AND i.icpc_s47_enquiry_id IS NOT NULL
      -- only the conferences of the period's enquiries, not every one's earliest (the same rows)
      AND i.icpc_s47_enquiry_id IN (
          SELECT e.s47e_s47_enquiry_id
          FROM ssd_s47_enquiry e
          WHERE e.s47e_s47_start_date BETWEEN $date_from AND $date_to
      )
    GROUP BY i.icpc_s47_enquiry_id
) c ON c.s47_id = s.s47e_s47_enquiry_id
WHERE s.s47e_s47_start_date BETWEEN $date_from AND $date_to
