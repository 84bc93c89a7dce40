-- ICPC timeliness (DfE C4): initial child protection conferences with icpc_icpc_date in the
-- period, transfer-in conferences left out (a blank transfer-in flag = not a transfer-in).
-- days = wd_between(S47 start, ICPC date), the S47 found through icpc_s47_enquiry_id.
-- An ICPC dated before its S47 (before_s47) is counted among ICPCs but left out of the days,
-- median and percentage (it is a data issue). An ICPC whose S47 is not found (s47_found false)
-- likewise has no days: counted, left out of the median and percentage.
-- within_target = days <= $t_icpc_wd (15). Team and worker: icpc_icpc_team / _worker_id.
SELECT
    c.icpc_icpc_id AS icpc_id,
    c.icpc_person_id AS person_id,
    c.icpc_cp_plan_id AS cp_plan_id,
    c.icpc_s47_enquiry_id AS s47_id,
    s.s47e_s47_start_date AS s47_start_date,
    c.icpc_icpc_date AS icpc_date,
    s.s47e_s47_start_date IS NOT NULL AS s47_found,
    coalesce(c.icpc_icpc_date < s.s47e_s47_start_date, FALSE) AS before_s47,
    CASE WHEN c.icpc_icpc_date >= s.s47e_s47_start_date
         THEN wd_between(s.s47e_s47_start_date, c.icpc_icpc_date) END AS days,
    CASE WHEN c.icpc_icpc_date >= s.s47e_s47_start_date
         THEN wd_between(s.s47e_s47_start_date, c.icpc_icpc_date) <= $t_icpc_wd END
        AS within_target,
    c.icpc_icpc_outcome_cp_flag AS outcome_cp,
    c.icpc_icpc_team AS team,
    c.icpc_icpc_worker_id AS worker_id
FROM ssd_initial_cp_conference c
LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = c.icpc_s47_enquiry_id
WHERE c.icpc_icpc_date BETWEEN $date_from AND $date_to
  AND coalesce(c.icpc_icpc_transfer_in, FALSE) = FALSE
