-- scope_people: the children a restricted viewer may see at child level.
-- "teams": children with an allocation (allocated case worker) in one of the viewer's teams,
--          at any time up to the as-of date, an assessment by one of those teams, or a referral
--          made to one of those teams (cine_referral_team) up to the as-of date: a lead allocates
--          their team's new referrals, so must be able to open them before anyone is allocated.
-- "cp":    children with a child protection plan or an initial child protection conference.
SELECT i.invo_person_id AS person_id
FROM ssd_involvements i
WHERE $scope = 'teams'
  AND lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
  AND i.invo_involvement_start_date <= $as_of
  AND list_contains($scope_teams, i.invo_professional_team)
UNION
SELECT a.cina_person_id
FROM ssd_cin_assessments a
WHERE $scope = 'teams' AND list_contains($scope_teams, a.cina_assessment_team)
UNION
SELECT r.cine_person_id
FROM ssd_cin_episodes r
WHERE $scope = 'teams' AND r.cine_referral_date <= $as_of
  AND list_contains($scope_teams, r.cine_referral_team)
UNION
SELECT p.cppl_person_id FROM ssd_cp_plans p WHERE $scope = 'cp'
UNION
SELECT c.icpc_person_id FROM ssd_initial_cp_conference c WHERE $scope = 'cp'
