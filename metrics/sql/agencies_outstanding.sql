-- Agency requests outstanding at as-of (snapshot): every request made on or before as-of with no
-- response by as-of, whatever its request date, with its age in working days and due date.
-- Agency as info_requests (trimmed; blank is 'Not recorded'). One interval test on the table
-- (requested by as-of, responded after it or never), so a trend over month ends reads each
-- request once; its age is counted once (each count looks two dates up in the calendar).
SELECT
    q.request_id,
    q.person_id,
    q.referral_id,
    coalesce(nullif(trim(q.agency), ''), 'Not recorded') AS agency,
    q.requested_date,
    q.age_wd,
    wd_add(q.requested_date, $t_agency_response_wd) AS due_date,
    q.age_wd > $t_agency_response_wd AS past_target
FROM (
    SELECT r.*, wd_between(r.requested_date, $as_of) AS age_wd
    FROM info_requests r
    WHERE r.requested_date <= $as_of
      AND coalesce(r.responded_date, DATE '9999-12-31') > $as_of
) q
