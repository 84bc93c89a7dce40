-- Partner agency responses (measures.md): information requests with requested_date in the
-- period, by agency; days, within_target and outstanding come from info_requests (responses
-- after as-of not yet known; an outstanding request past the target counts against the share).
-- No team or worker is recorded on a request.
-- uses: info_requests
SELECT
    q.request_id,
    q.person_id,
    q.referral_id,
    q.agency,
    q.requested_date,
    q.responded_date,
    q.outstanding,
    q.days,
    q.age_wd,
    q.due_date,
    q.within_target
FROM info_requests q
WHERE q.requested_date BETWEEN $date_from AND $date_to
