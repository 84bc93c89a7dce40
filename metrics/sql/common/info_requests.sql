-- info_requests: partner agency information requests made on or before as-of. A response dated
-- after as-of has not happened yet (responded_date NULL: outstanding at as-of).
-- days: wd_between(requested, responded) for responses by as-of (a response dated before its
-- request is a data issue: days NULL, left out of the median and the share).
-- age_wd: for outstanding requests, wd_between(requested, as-of).
-- within_target ("shares within target", measures.md): TRUE for a response within the target;
-- FALSE for a late response or an outstanding request already past the target; NULL (left out)
-- for an outstanding request not yet past the target.
-- (Each count of working days is made once, in the inner select, and judged from it.)
SELECT
    w.request_id,
    w.person_id,
    w.referral_id,
    w.agency,
    w.requested_date,
    w.responded_date,
    w.outstanding,
    w.days,
    w.age_wd,
    w.due_date,
    CASE
        WHEN w.responded_date >= w.requested_date THEN w.days <= $t_agency_response_wd
        WHEN w.outstanding AND w.age_wd > $t_agency_response_wd THEN FALSE
    END AS within_target
FROM (
    SELECT
        q.request_id,
        q.person_id,
        q.referral_id,
        coalesce(nullif(trim(q.agency), ''), 'Not recorded') AS agency,
        q.requested_date,
        q.responded_date,
        q.responded_date IS NULL AS outstanding,
        CASE WHEN q.responded_date >= q.requested_date THEN q.span_wd END AS days,
        CASE WHEN q.responded_date IS NULL THEN q.span_wd END AS age_wd,
        wd_add(q.requested_date, $t_agency_response_wd) AS due_date
    FROM (
        -- A request has days (answered) or an age (outstanding), never both: one count of
        -- working days from the request to its response, else to as-of, gives either.
        SELECT a.*, wd_between(a.requested_date, a.span_end) AS span_wd
        FROM (
            SELECT
                r.request_id,
                r.person_id,
                r.referral_id,
                r.agency,
                r.requested_date,
                CASE WHEN r.responded_date <= $as_of THEN r.responded_date END AS responded_date,
                coalesce(CASE WHEN r.responded_date <= $as_of THEN r.responded_date END, $as_of)
                    AS span_end
            FROM info_requests r
            WHERE r.requested_date <= $as_of
        ) a
    ) q
) w
