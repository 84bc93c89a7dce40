"""The findings' rules: one row per finding, in one table, so the letter a director reads can be
checked and changed in one place (docs/findings.md states each rule in words).

A row names the figure it judges (a measure of `metrics.catalog` and one of its aggregates), the
direction that is better, the words said under each of the letter's three headings, the words of
the figure itself, the number of children it affects now, and the measure whose rows are the
children behind it. Goals and England's figures are not here: goals are settings
(`metrics/goals.py`, `[goals.*]` in the settings file), England's figures are DfE's
(`metrics/benchmarks.py`), neighbours' the comparators file. How a figure is classified is the
same for every row (`metrics/findings.py`).

Placeholders in the words:
- `{value}`: the figure as said (a share "86%", working days, a number);
- `{miss}`: for a share, its complement ("14%"), used when the heading is an area for
  development and the rule has `says_miss`;
- `{target}` / `{days}`: the timescale the figure counts within (a settings target), and the
  words "working day(s)" agreeing with it;
- `{num}` / `{den}`: the share's numerator and denominator ("41 of 48");
- in `affected`: `{n}` and the words of `one` / `many` / `none`;
- in group rules: `{groups}` (each group's figure, said by the rule's `each` with its name, or
  the figures alone where groups are counted, not named), `{others}` (the other groups'
  median) and, in the heading's words, `{groups_named}` and `{do_not}`.
"""

from __future__ import annotations

from dataclasses import dataclass

# The letter's three headings, in the letter's order, with their JSON keys.
STRENGTH, SATISFACTORY, DEVELOPMENT = "strength", "satisfactory", "development"
HEADINGS: dict[str, str] = {
    STRENGTH: "Strengths",
    SATISFACTORY: "Satisfactory practice",
    DEVELOPMENT: "Areas for development",
}

# Group rules: a group (a team, worker or agency) stands out when its figure is worse than the
# median of the other groups' figures by more than this: percentage points for a share, per cent
# of the others' median for anything else. Groups smaller than `Rule.fewest` are not compared.
OUTLIER_PP = 15.0
OUTLIER_PCT = 50.0


@dataclass(frozen=True)
class Affected:
    """The children (or cases) a finding affects now: an aggregate, said in words."""

    measure: str
    figure: str
    one: str  # "{n} child is waiting now ..."
    many: str  # "{n} children are waiting now ..."
    none: str = ""  # said when there are none ("" = nothing said)
    target: str | None = None  # a settings target for {target} / {days}, if not the rule's


@dataclass(frozen=True)
class Rule:
    """One finding: which figure, which way is better, and the words under each heading."""

    key: str
    measure: str
    figure: str
    higher_is_better: bool
    subject: str  # what the figure is about, for "not assessed" and the page
    development: str
    satisfactory: str
    strength: str | None  # None: at best satisfactory (compliance, not excellence)
    says: str  # the figure in words: "{value} of referrals were allocated within {target} {days}"
    says_miss: str | None = None  # the same as a shortfall, said under areas for development
    says_none: str | None = None  # said instead of `says` when the figure is 0 (none of {den})
    target: str | None = None  # the settings target the figure counts within
    affected: Affected | None = None
    children: str | None = None  # the measure whose rows are the children behind the finding
    # The row column (a flag of the children measure's own rows) picking the children the
    # finding is about, "!" for its negation: e.g. "at_risk", "!assessed". None: every row.
    children_flag: str | None = None
    # Group rules (an outlier among teams, workers or agencies): compare by this breakdown.
    by: str | None = None  # "team", "worker" or a measure dimension such as "agency"
    size: str | None = None  # the aggregate giving a group's size (left out under `fewest`)
    fewest: int = 20
    name_groups: bool = True  # False: say how many (workers are not named in a briefing)
    # Months of data before the period the figure reads (a 12-month look-back, a 2-year plan):
    # with less, the figure is not assessed (and its year-earlier figure not used).
    history_months: int = 0
    group_words: tuple[str, str] = ("team", "teams")  # a group, groups: "the other {teams}"
    # A named group's figure in `{groups}`: "43.6% in Assessment Team C" (several joined by
    # "and", so each figure is said with its group's name).
    each: str = "{value} in {name}"
    size_words: tuple[str, str] = ("referral", "referrals")  # what a group's size counts


# fmt: off
RULES: tuple[Rule, ...] = (
    Rule(
        key="contacts_decided",
        measure="contacts", figure="decided_within_target_pct", higher_is_better=True,
        subject="Decisions on contacts",
        development="Decisions on some contacts are not made within timescale",
        satisfactory="Most decisions on contacts are made within timescale",
        strength="Decisions on contacts are made promptly",
        says="{value} of contacts were decided within {target} {days}",
        says_miss="{miss} of contacts were not decided within {target} {days}",
        target="contact_decision_wd",
        children="contacts", children_flag="!within_target",
    ),
    Rule(
        key="police_by_day",
        measure="police", figure="decided_within_target_pct", higher_is_better=True,
        subject="Decisions on police notifications, day by day",
        development="Police notifications made on {groups_named} are not decided promptly",
        satisfactory="", strength=None,
        says="the share decided within {target} {days} was {groups}, against {others} on the "
             "other days",
        each="{value} on {name}",
        target="contact_decision_wd",
        children="police", children_flag="!within_target",
        by="contact_day", size="contacts", group_words=("day", "days"),
        size_words=("notification", "notifications"),
    ),
    Rule(
        key="rereferrals",
        measure="referrals", figure="rereferral_12m_pct", higher_is_better=False,
        subject="Re-referrals within 12 months",
        development="Too many children are referred again within a year",
        satisfactory="Re-referrals within a year are at an expected level",
        strength="Few children are referred again within a year",
        says="{value} of referrals were of a child referred in the previous 12 months",
        children="referrals", children_flag="rereferral",
        history_months=12,
    ),
    Rule(
        key="allocation",
        measure="allocation", figure="within_target_pct", higher_is_better=True,
        subject="Allocation after referral",
        development="There are delays in the allocation of some cases",
        satisfactory="Most referrals are allocated to a worker within timescale",
        strength="Referrals are allocated to a worker promptly",
        says="{value} of referrals were allocated within {target} {days}",
        says_miss="{miss} of referrals were not allocated within {target} {days}",
        target="allocation_wd",
        affected=Affected(
            "unallocated", "past_target",
            "{n} referral is waiting for a worker now, past {target} {days}",
            "{n} referrals are waiting for a worker now, past {target} {days}",
            "none is waiting for a worker now past {target} {days}",
        ),
        children="unallocated", children_flag="past_target",
    ),
    Rule(
        key="allocation_by_team",
        measure="allocation", figure="within_target_pct", higher_is_better=True,
        subject="Allocation after referral, team by team",
        development="Cases wait longer for allocation in {groups_named}",
        satisfactory="", strength=None,
        says="the share of referrals allocated within {target} {days} was {groups}, against "
             "{others} in the other teams",
        target="allocation_wd",
        affected=Affected(
            "unallocated", "past_target",
            "{n} of {its} referrals is waiting for a worker now, past {target} {days}",
            "{n} of {its} referrals are waiting for a worker now, past {target} {days}",
        ),
        children="unallocated", children_flag="past_target",
        by="team", size="cohort",
    ),
    Rule(
        key="capacity_by_team",
        measure="caseload_workers", figure="children_per_fte_mean", higher_is_better=False,
        subject="Caseloads, team by team",
        development="There is insufficient capacity in {groups_named}",
        satisfactory="", strength=None,
        says="there are {groups}, against {others} in the other teams",
        each="{value} children per full-time worker in {name}",
        children="caseload",
        by="team", size="workers", fewest=2, size_words=("worker", "workers"),
    ),
    Rule(
        key="caseloads",
        measure="caseload_workers", figure="children_per_fte_mean", higher_is_better=False,
        subject="Caseloads",
        development="Caseloads are high",
        satisfactory="Caseloads are broadly manageable",
        strength="Caseloads are manageable",
        says="workers hold {value} children per full-time post on average",
        children="caseload",
    ),
    Rule(
        key="assessments",
        measure="assessments", figure="within_target_pct", higher_is_better=True,
        subject="Assessments completed within timescale",
        development="There are delays in the completion of some assessments",
        satisfactory="Most assessments are completed within timescale",
        strength="Assessments are completed within timescale",
        says="{value} of assessments were completed within {target} {days}",
        says_miss="{miss} of assessments took longer than {target} {days}",
        target="assessment_wd",
        affected=Affected(
            "assessments_overdue", "count",
            "{n} open assessment is past its timescale now",
            "{n} open assessments are past their timescale now",
            "no open assessment is past its timescale now",
        ),
        children="assessments_overdue",
    ),
    Rule(
        key="unqualified",
        measure="assessments", figure="unqualified_pct", higher_is_better=False,
        subject="Assessments by qualified social workers",
        development="Some assessments of children in need are undertaken by unqualified staff",
        satisfactory="Assessments are undertaken by registered social workers",
        strength=None,
        says="{value} of assessments completed ({num} of {den}) were by workers with no social "
             "work registration",
        says_none="none of the {den} assessments completed was by a worker with no social work "
                  "registration",
        children="assessments", children_flag="!qualified",
    ),
    Rule(
        key="siblings",
        measure="siblings", figure="not_assessed_pct", higher_is_better=False,
        subject="Children in sibling groups assessed in their own right",
        development="The needs of children in sibling groups are not always assessed separately",
        satisfactory="Children referred with their brothers and sisters are assessed in their "
                     "own right",
        strength=None,
        says="{value} of children referred with a brother or sister ({num} of {den}) had no "
             "assessment of their own when a sibling was assessed",
        says_none="none of the {den} children referred with a brother or sister was left "
                  "without an assessment of their own",
        children="siblings", children_flag="!assessed",
    ),
    Rule(
        key="seen",
        measure="seen", figure="within_target_pct", higher_is_better=True,
        subject="Children seen after referral",
        development="There are delays in seeing some children in need",
        satisfactory="Most children are seen within timescale after referral",
        strength="Children are seen promptly after referral",
        says="{value} of children referred were seen within {target} {days} of referral",
        says_miss="{miss} of children referred were not seen within {target} {days} of referral",
        target="seen_wd",
        affected=Affected(
            "not_yet_seen", "at_risk",
            "{n} child is waiting now, unseen past {target} {days}",
            "{n} children are waiting now, unseen past {target} {days}",
            "none is waiting now unseen past {target} {days}",
        ),
        children="not_yet_seen", children_flag="at_risk",
    ),
    Rule(
        key="transfers",
        measure="transfers", figure="within_target_pct", higher_is_better=True,
        subject="Moving to the long-term team after assessment",
        development="There are delays in moving children to the long-term team after assessment",
        satisfactory="Most children move to the long-term team promptly after assessment",
        strength="Children move to the long-term team promptly after assessment",
        says="{value} of children with a plan after assessment moved to the long-term team "
             "within {target} {days}",
        says_miss="{miss} of children with a plan after assessment waited more than {target} "
                  "{days} to move to the long-term team",
        target="transfer_wd",
        affected=Affected(
            "transfers_waiting", "past_target",
            "{n} child is waiting to move now, past {target} {days}",
            "{n} children are waiting to move now, past {target} {days}",
            "none is waiting to move now past {target} {days}",
        ),
        children="transfers_waiting", children_flag="past_target",
    ),
    Rule(
        key="transfers_by_team",
        measure="transfers", figure="within_target_pct", higher_is_better=True,
        subject="Moving to the long-term team, team by team",
        development="Children assessed by {groups_named} wait longer to move to the long-term "
                    "team",
        satisfactory="", strength=None,
        says="the share moving within {target} {days} was {groups}, against {others} for the "
             "other teams",
        target="transfer_wd",
        children="transfers", children_flag="!within_target",
        by="team", size="count", size_words=("child", "children"),
    ),
    Rule(
        key="views",
        measure="views", figure="views_recorded_pct", higher_is_better=True,
        subject="The child's views recorded during assessment",
        development="The views of children are not always recorded during assessment",
        satisfactory="The views of most children are recorded during assessment",
        strength="The views of children are recorded during assessment",
        says="{value} of assessments completed ({num} of {den}) have the child's views on "
             "record",
        says_miss="{miss} of assessments completed have no record of the child's views",
        children="views", children_flag="!views_recorded",
    ),
    Rule(
        key="icpc",
        measure="icpc", figure="within_15wd_pct", higher_is_better=True,
        subject="Initial child protection conferences within timescale",
        development="There are delays in holding some initial child protection conferences",
        satisfactory="Most initial child protection conferences are held within timescale",
        strength="Initial child protection conferences are held promptly",
        says="{value} of initial child protection conferences were held within {target} {days} "
             "of the section 47 enquiry starting",
        says_miss="{miss} of initial child protection conferences were not held within {target} "
                  "{days} of the section 47 enquiry starting",
        target="icpc_wd",
        children="icpc", children_flag="!within_target",
    ),
    Rule(
        key="cp_reviews",
        measure="cp_reviews", figure="in_timescale_pct", higher_is_better=True,
        subject="Child protection reviews within timescale",
        development="Some child protection plans are not reviewed within timescale",
        satisfactory="Most child protection plans are reviewed within timescale",
        strength="Child protection plans are reviewed within timescale",
        says="{value} of child protection plans had every review held on time",
        says_miss="{miss} of child protection plans had a review held late or not yet held",
        children="cp_reviews", children_flag="!in_timescale",
    ),
    Rule(
        key="cp_long_plans",
        measure="cp_plans", figure="ended_2y_plus_pct", higher_is_better=False,
        subject="Child protection plans lasting two years or more",
        development="Too many children remain on child protection plans for two years or more",
        satisfactory="The length of child protection plans is in line with England",
        strength="Few children remain on child protection plans for two years or more",
        says="{value} of the plans that ended had lasted two years or more",
        children="cp_plans", children_flag="ended_in_period",
        history_months=24,
    ),
    Rule(
        key="oversight",
        measure="oversight", figure="without_oversight_pct", higher_is_better=False,
        subject="Management oversight of allocated cases",
        development="Some cases lack management oversight following allocation",
        satisfactory="Most allocated cases have regular management oversight",
        strength="Allocated cases have regular management oversight",
        says="{value} of open allocated cases ({num} of {den}) had no management oversight "
             "in the last {target} {days}",
        says_none="none of the {den} open allocated cases had gone without management "
                  "oversight for more than {target} {days}",
        target="oversight_wd",
        affected=Affected(
            "oversight", "drift",
            "{n} case shows no activity for more than {target} {days}",
            "{n} cases show no activity for more than {target} {days}",
            target="drift_wd",
        ),
        children="oversight", children_flag="without_oversight",
    ),
    Rule(
        key="recording",
        measure="recording", figure="within_target_pct", higher_is_better=True,
        subject="Case recording up to date",
        development="Case recording is not sufficiently up to date in too many cases",
        satisfactory="Most case notes are recorded within timescale",
        strength="Case recording is up to date",
        says="{value} of case notes were recorded within {target} {days} of the event",
        says_miss="{miss} of case notes were not recorded within {target} {days} of the event",
        target="recording_wd",
        children="recording", children_flag="!within_target",
    ),
    Rule(
        key="recording_by_worker",
        measure="recording", figure="within_target_pct", higher_is_better=True,
        subject="Case recording, worker by worker",
        development="Case recording by {groups_named} is significantly delayed",
        satisfactory="", strength=None,
        says="they recorded {groups} of their case notes within {target} {days}, against "
             "{others} for the other workers",
        target="recording_wd",
        children="recording", children_flag="!within_target",
        by="worker", size="notes", name_groups=False, group_words=("worker", "workers"),
        size_words=("case note", "case notes"),
    ),
    Rule(
        key="agencies",
        measure="agencies", figure="within_target_pct", higher_is_better=True,
        subject="Partner agencies' responses to requests for information",
        development="Some agencies do not always respond promptly to requests for information",
        satisfactory="Most requests for information are answered within timescale",
        strength="Partner agencies respond promptly to requests for information",
        says="{value} of requests for information were answered within {target} {days}",
        says_miss="{miss} of requests for information were not answered within {target} {days}",
        target="agency_response_wd",
        affected=Affected(
            "agencies_outstanding", "past_target",
            "{n} request is still unanswered past {target} {days}",
            "{n} requests are still unanswered past {target} {days}",
        ),
        children="agencies_outstanding", children_flag="past_target",
    ),
    Rule(
        key="agencies_by_agency",
        measure="agencies", figure="within_target_pct", higher_is_better=True,
        subject="Requests for information, agency by agency",
        development="{groups_named} {do_not} respond promptly to requests for information",
        satisfactory="", strength=None,
        says="the share of requests answered within {target} {days} was {groups}, against "
             "{others} for the other agencies",
        each="{value} for {name}",
        target="agency_response_wd",
        affected=Affected(
            "agencies_outstanding", "past_target",
            "{n} of {its} requests is still unanswered past {target} {days}",
            "{n} of {its} requests are still unanswered past {target} {days}",
        ),
        children="agencies_outstanding", children_flag="past_target",
        by="agency", size="requests", group_words=("agency", "agencies"),
        size_words=("request", "requests"),
    ),
)
# fmt: on


def rule(key: str) -> Rule:
    """The rule named `key`."""
    for r in RULES:
        if r.key == key:
            return r
    raise KeyError(f"no finding rule {key!r}")
