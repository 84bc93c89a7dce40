-- Agency requests outstanding at as-of (snapshot): every request made on or before as-of with no
-- response by as-of, whatever its request date, with its age in working days and due date.
-- uses: info_requests
SELECT
    q.request_id,
    q.person_id,
    q.referral_id,
    q.agency,
    q.requested_date,
    q.age_wd,
    q.due_date,
    q.age_wd > $t_agency_response_wd AS past_target
FROM info_requests q
WHERE q.outstanding
