-- info_requests: partner agency information requests made on or before as-of. A response dated
-- after as-of has not happened yet (responded_date NULL: outstanding at as-of).
-- days: wd_between(requested, responded) for responses by as-of (a response dated before its
-- request is a data issue: days NULL, left out of the median and the share).
-- age_wd: for outstanding requests, wd_between(requested, as-of).
-- within_target ("shares within target", measures.md): TRUE for a response within the target;
-- FALSE for a late response or an outstanding request already past the target; NULL (left out)
-- for an outstanding request not yet past the target.
SELECT
    q.request_id,
    q.person_id,
    q.referral_id,
    coalesce(nullif(trim(q.agency), ''), 'Not recorded') AS agency,
    q.requested_date,
    q.responded_date,
    q.responded_date IS NULL AS outstanding,
    CASE WHEN q.responded_date >= q.requested_date
         THEN wd_between(q.requested_date, q.responded_date) END AS days,
    CASE WHEN q.responded_date IS NULL THEN wd_between(q.requested_date, $as_of) END AS age_wd,
    wd_add(q.requested_date, $t_agency_response_wd) AS due_date,
    CASE
        WHEN q.responded_date >= q.requested_date
            THEN wd_between(q.requested_date, q.responded_date) <= $t_agency_response_wd
        WHEN q.responded_date IS NULL AND wd_between(q.requested_date, $as_of) > $t_agency_response_wd
            THEN FALSE
    END AS within_target
FROM (
    SELECT
        r.request_id,
        r.person_id,
        r.referral_id,
        r.agency,
        r.requested_date,
        CASE WHEN r.responded_date <= $as_of THEN r.responded_date END AS responded_date
    FROM info_requests r
    WHERE r.requested_date <= $as_of
) q
