"""The synthetic authority's reference values: teams, national proportions (referral sources,
needs, CP categories, ethnicity), the timescales' quantiles (the default authority's with its
weaknesses, and a well-run one's in CLEAN), and the shares of the model."""

from __future__ import annotations

import numpy as np

# Teams: index, id, name, parent id, parent name.
TEAMS = [
    ("T01", "Front Door (MASH)", "S01", "Referral and Assessment Service"),
    ("T02", "Assessment Team A", "S01", "Referral and Assessment Service"),
    ("T03", "Assessment Team B", "S01", "Referral and Assessment Service"),
    ("T04", "Assessment Team C", "S01", "Referral and Assessment Service"),
    ("T05", "Children in Need", "S02", "Safeguarding and Family Support"),
    ("T06", "Child Protection", "S02", "Safeguarding and Family Support"),
]
FD, TEAM_A, TEAM_B, TEAM_C, CIN, CP = range(6)
SHORT_TEAM = TEAM_C
# Children per case-holding worker the workforce is sized for (Team C is short of staff).
CASELOAD_TARGET = {TEAM_A: 16.0, TEAM_B: 16.0, TEAM_C: 28.0, CIN: 17.0, CP: 14.0}
UNQUALIFIED_SHARE = {FD: 0.1, TEAM_A: 0.06, TEAM_B: 0.06, TEAM_C: 0.2, CIN: 0.2, CP: 0.0}
AGENCY_SHARE = {FD: 0.1, TEAM_A: 0.12, TEAM_B: 0.12, TEAM_C: 0.35, CIN: 0.1, CP: 0.12}

# CIN census referral sources, England proportions (police ~28%, schools ~21%, health ~14%).
SOURCES = [
    ("1A", "Individual - family member/relative/carer", 3.5),
    ("1B", "Individual - acquaintance", 1.0),
    ("1C", "Individual - self", 1.0),
    ("1D", "Individual - other", 1.5),
    ("2A", "Schools", 20.0),
    ("2B", "Education services", 1.0),
    ("3A", "Health services - GP", 2.5),
    ("3B", "Health services - health visitor", 2.5),
    ("3C", "Health services - school nurse", 0.5),
    ("3D", "Health services - other primary health services", 1.5),
    ("3E", "Health services - A&E", 3.0),
    ("3F", "Health services - other", 4.0),
    ("4", "Housing", 1.5),
    ("5A", "LA services - social care", 5.0),
    ("5B", "LA services - other internal", 3.5),
    ("5C", "LA services - external", 2.0),
    ("5D", "LA services - early help", 3.0),
    ("6", "Police", 28.0),
    ("7", "Other legal agency", 3.0),
    ("8", "Other", 5.0),
    ("9", "Anonymous", 1.5),
    ("10", "Unknown", 1.5),
]
NEEDS = (
    ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"],
    [0.55, 0.10, 0.03, 0.09, 0.12, 0.02, 0.01, 0.04, 0.04],
)
CLOSE_REASONS = ["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8"]
# Reasons a plan-led episode closes (RC2 "died" is left out: no deaths are generated).
PLAN_CLOSE_P = [0.02, 0.0, 0.03, 0.03, 0.08, 0.04, 0.80, 0.0]
PARTICIPATION = ["Attended and spoke", "Views shared through an advocate", "Did not attend"]
CP_CATEGORIES = (
    ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple"],
    [0.50, 0.38, 0.065, 0.04, 0.015],
)
ETHNICITY = (
    "WBRI WOTH WIRI WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH "
    "REFU NOBT".split(),
    [66, 5, 0.3, 0.2, 0.3, 3, 1.5, 1.5, 3, 2, 3, 1, 1.5, 1, 4, 0.7, 0.3, 2, 1, 2.7],
)
ROLE_VARIANTS = (
    [
        "Allocated Case Worker",
        "allocated case worker ",
        "ALLOCATED CASE WORKER",
        " Allocated case worker",
    ],
    [0.9, 0.04, 0.03, 0.03],
)
NOTE_TYPES = ["management_oversight", "supervision", "visit", "assessment", "other"]
MO, SUPERVISION, VISIT, ASSESSMENT, OTHER = range(5)
# Agency, share of assessments asking it, response quantiles (working days), never answering.
AGENCIES = [
    ("Police", 0.60, [(0, 0), (0.5, 3), (0.9, 6.99), (1, 15)], 0.03),
    ("Health", 0.75, [(0, 2), (0.3, 7), (0.5, 12), (0.8, 20), (1, 45)], 0.22),
    ("School", 0.60, [(0, 0), (0.5, 3), (0.9, 7.99), (1, 15)], 0.04),
    ("Probation", 0.10, [(0, 1), (0.5, 3), (0.85, 7), (1, 20)], 0.06),
    ("Housing", 0.15, [(0, 1), (0.5, 4), (0.9, 9), (1, 20)], 0.06),
]
FIRST_NAMES = (
    "Amy Ben Chloe Daniel Emma Faisal Grace Harry Isla Jack Kate Liam Maya Noah Olivia Priya "
    "Ravi Sarah Tom Uma Victoria Will Yasmin Zoe Aisha Callum Dawn Gareth Helen Imran Joanne "
    "Kieran Laura Mark Nadia Owen Paula Rachel Simon Tariq".split()
)
SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Lewis Hughes Edwards Hill "
    "Moore Turner Ahmed Begum Cooper Ward Morris King Baker Harrison Morgan Allen Scott Young".split()
)

# Working-day quantiles (piecewise linear inverse CDFs, floored to whole days).
ALLOC_DELAY = [(0, 0), (0.15, 0.99), (0.5, 2.5), (0.88, 5.99), (0.97, 9), (1, 15)]
ALLOC_DELAY_SHORT = [(0, 1), (0.2, 3), (0.4, 6), (0.7, 10), (0.9, 16), (1, 30)]
ASSESS_DAYS = [
    (0, 0), (0.02, 0.99), (0.10, 7), (0.25, 15), (0.5, 31), (0.75, 40), (0.90, 45.99),
    (0.97, 60), (1, 100),
]  # fmt: skip
ASSESS_DAYS_SHORT = [
    (0, 1), (0.10, 10), (0.25, 22), (0.5, 39), (0.70, 45.99), (0.86, 60), (0.95, 80), (1, 140),
]  # fmt: skip
ICPC_DAYS = [(0, 2), (0.1, 7), (0.3, 11), (0.5, 14), (0.79, 15.99), (0.9, 20), (0.97, 30), (1, 45)]
FIRST_SEEN_DAYS = [(0, 0), (0.3, 1), (0.6, 3), (0.85, 5.99), (0.95, 10), (1, 19)]
# Working days from an assessment to the Children in Need team taking the case (Team C is slow;
# capped below the shortest plan, 60 days, so a move always comes before the plan ends).
MOVE_DAYS = [(0, 0), (0.4, 1.99), (0.8, 6), (0.95, 10.99), (1, 14)]
MOVE_DAYS_SHORT = [(0, 3), (0.25, 9), (0.5, 16), (0.8, 26), (1, 38)]
RECORDING_LAG = [(0, 0), (0.45, 0.99), (0.65, 1.99), (0.9, 5.99), (0.97, 10), (1, 25)]
CONTACT_DECISION = [(0, 0), (0.55, 0.99), (0.85, 1.99), (0.93, 3), (0.97, 6), (1, 15)]

# A well-run authority (`generate_extract(..., weaknesses=False)`, `frontdoor generate --clean`):
# the weaknesses above are switched off and every timescale is met as a good authority meets it
# (about 97% on time, caseloads under England's average, every agency prompt, the weekend's
# police notifications decided on Monday, nearly every child's views on record), so the findings
# find no area for development in it. The default extract keeps its own draws byte for byte.
CLEAN: dict[str, object] = {
    "alloc_delay": [(0, 0), (0.3, 0.99), (0.7, 2.5), (0.98, 5.99), (1, 8)],
    "assess_days": [(0, 0), (0.03, 0.99), (0.15, 7), (0.4, 18), (0.7, 30), (0.97, 45.99), (1, 55)],
    "icpc_days": [(0, 2), (0.2, 7), (0.6, 11), (0.97, 15.99), (1, 20)],
    "first_seen_days": [(0, 0), (0.4, 1), (0.75, 3), (0.98, 5.99), (1, 8)],
    "recording_lag": [(0, 0), (0.55, 0.99), (0.8, 1.99), (0.98, 5.99), (1, 8)],
    "contact_decision": [(0, 0), (0.7, 0.99), (0.98, 1.99), (1, 3)],
    "caseload_target": {TEAM_A: 13.0, TEAM_B: 13.0, TEAM_C: 13.0, CIN: 13.0, CP: 12.0},
    "agency_knots": [(0, 0), (0.6, 2), (0.98, 5.99), (1, 9)],
    "agency_never": 0.005,
    "p_late_review": 0.005,
    "oversight_every": (10, 2),  # management oversight about every 10 working days, +-2
    "p_voice": 0.98,  # the child's views on record after assessment
    "p_voice_blank": 0.005,
}
# CP plan length bands in days (DfE D7: <3m, 3-6m, 6-12m, 1-2y, 2y+), weighted for truncation.
PLAN_BANDS = ([20, 92, 183, 366, 731], [91, 182, 365, 730, 1100], [0.16, 0.19, 0.35, 0.21, 0.09])

# Shares of the model.
P_REFERRED_FAMILY = 0.55
P_NFA = 0.07
P_S47 = 0.35
P_ICPC = 0.40
P_CP_OUTCOME = 0.85
P_TRANSFER_IN = 0.015
P_STEP_DOWN = 0.4
P_CIN_PLAN = 0.45
P_RE_REFER = 0.45
P_ALL_SIBLINGS = 0.75
# Second round: police notifications at the weekend and decided late; the child's views;
# domestic abuse among the factors recorded at the end of an assessment (England: about a third
# of assessments name it for a parent or carer).
POLICE = next(i for i, s in enumerate(SOURCES) if s[0] == "6")
P_POLICE_WEEKEND = 0.25
P_WEEKEND_LATE = 0.7
P_VOICE = 0.72
P_VOICE_SHORT = 0.45
P_VOICE_BLANK = 0.08
VOICE_ANSWERS = ["Yes", "No", "Not sure"]
VOICE_COLUMNS = [
    "voch_explained_worries",
    "voch_story_help_understand",
    "voch_agree_worker",
    "voch_plan_safe",
    "voch_tablet_help_explain",
]
P_DOMESTIC_ABUSE = 0.22
P_DOMESTIC_ABUSE_POLICE = 0.55
DA_CODES = (["3B", "3A", "3C"], [0.65, 0.23, 0.12])
OTHER_FACTORS = ["1B", "2B", "4B", "4A", "16A", "17A", "18C", "5A", "6A", "14A"]


def normalise(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


SOURCE_P = normalise([s[2] for s in SOURCES])
DEFAULTS: dict[str, object] = {
    "alloc_delay": ALLOC_DELAY,
    "assess_days": ASSESS_DAYS,
    "icpc_days": ICPC_DAYS,
    "first_seen_days": FIRST_SEEN_DAYS,
    "recording_lag": RECORDING_LAG,
    "contact_decision": CONTACT_DECISION,
    "caseload_target": CASELOAD_TARGET,
}
