-- S47 enquiries (DfE): ssd_s47_enquiry rows with s47e_s47_start_date in the period. Team and
-- worker: the enquiry's completed-by team and worker. An end date after as-of is not yet known.
SELECT
    s.s47e_s47_enquiry_id AS s47_id,
    s.s47e_person_id AS person_id,
    s.s47e_referral_id AS referral_id,
    s.s47e_s47_start_date AS start_date,
    CASE WHEN s.s47e_s47_end_date <= $as_of THEN s.s47e_s47_end_date END AS end_date,
    CASE WHEN s.s47e_s47_end_date <= $as_of THEN s.s47e_s47_nfa END AS nfa,
    s.s47e_s47_completed_by_team AS team,
    s.s47e_s47_completed_by_worker_id AS worker_id
FROM ssd_s47_enquiry s
WHERE s.s47e_s47_start_date BETWEEN $date_from AND $date_to
