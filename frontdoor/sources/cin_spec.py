"""The CIN census specification's facts the reader checks files against, without any XSD.

DfE publishes the children in need census as a specification (elements, which are required, how
often each may occur, and the code lists) and as XSD files. These are the same facts, kept in the
product so that a census file is checked the same way wherever frontdoor runs. Collection years
2022-23 to 2025-26: `GenderCurrent` (1/2/0/9) until 2023-24, `Sex` (M/F/U) from 2024-25; the
pre-proceedings and FGDM module from 2025-26. A folder of DfE XSDs can still be named (see
`frontdoor.sources.cin_census`); then the XSD of the file's year is used instead of these rules.
"""

from __future__ import annotations

# How often an element may occur in its container: (at least, at most); None = no limit.
ONE, OPTIONAL, MANY, SOME = (1, 1), (0, 1), (0, None), (1, None)

# Either of two elements, exactly once: the child's sex under its pre-2024-25 or later name.
SEX_GROUP = "Sex|GenderCurrent"

# Container -> its elements, in the specification's order, with how often each may occur.
STRUCTURE: dict[str, dict[str, tuple[int, int | None]]] = {
    "Message": {"Header": OPTIONAL, "Children": ONE},
    "Header": {"CollectionDetails": OPTIONAL, "Source": MANY},
    "CollectionDetails": {"Collection": OPTIONAL, "Year": OPTIONAL, "ReferenceDate": OPTIONAL},
    "Source": {
        "SourceLevel": OPTIONAL,
        "LEA": ONE,
        "SoftwareCode": OPTIONAL,
        "Release": OPTIONAL,
        "SerialNo": OPTIONAL,
        "DateTime": OPTIONAL,
    },
    "Children": {"Child": SOME},
    "Child": {
        "ChildIdentifiers": ONE,
        "ChildCharacteristics": ONE,
        "CINdetails": SOME,
        "PreProceedingsandFGDM": MANY,
    },
    "ChildIdentifiers": {
        "LAchildID": ONE,
        "UPN": OPTIONAL,
        "FormerUPN": OPTIONAL,
        "UPNunknown": OPTIONAL,
        "PersonBirthDate": OPTIONAL,
        "ExpectedPersonBirthDate": OPTIONAL,
        SEX_GROUP: ONE,
        "PersonDeathDate": OPTIONAL,
    },
    "ChildCharacteristics": {"Ethnicity": ONE, "Disabilities": OPTIONAL},
    "Disabilities": {"Disability": SOME},
    "CINdetails": {
        "CINreferralDate": ONE,
        "ReferralSource": ONE,
        "PrimaryNeedCode": OPTIONAL,
        "CINclosureDate": OPTIONAL,
        "ReasonForClosure": OPTIONAL,
        "DateOfInitialCPC": OPTIONAL,
        "Assessments": MANY,
        "CINPlanDates": MANY,
        "Section47": MANY,
        "ReferralNFA": ONE,
        "ChildProtectionPlans": MANY,
        "PreProceedingsandFGDM": MANY,
    },
    "Assessments": {
        "AssessmentActualStartDate": ONE,
        "AssessmentInternalReviewDate": OPTIONAL,
        "AssessmentAuthorisationDate": OPTIONAL,
        "FactorsIdentifiedAtAssessment": OPTIONAL,
    },
    "FactorsIdentifiedAtAssessment": {"AssessmentFactors": SOME},
    "CINPlanDates": {"CINPlanStartDate": ONE, "CINPlanEndDate": OPTIONAL},
    "Section47": {
        "S47ActualStartDate": ONE,
        "InitialCPCtarget": OPTIONAL,
        "DateOfInitialCPC": OPTIONAL,
        "ICPCnotRequired": ONE,
    },
    "ChildProtectionPlans": {
        "CPPstartDate": ONE,
        "CPPendDate": OPTIONAL,
        "InitialCategoryOfAbuse": ONE,
        "LatestCategoryOfAbuse": ONE,
        "NumberOfPreviousCPP": ONE,
        "Reviews": OPTIONAL,
    },
    "Reviews": {"CPPreviewDate": SOME},
    # 2025-26: in no XSD we know of; its elements are read, dates and the count checked.
    "PreProceedingsandFGDM": {
        "PPStartDate": OPTIONAL,
        "LBPSentDate": OPTIONAL,
        "FGDMMeetingOffer": OPTIONAL,
        "FGDMMeetingFac": OPTIONAL,
        "InitialPPMeetingDate": OPTIONAL,
        "ReviewMeetingsCount": OPTIONAL,
        "StepDecisionDate": OPTIONAL,
        "PPOutcome": OPTIONAL,
        "CourtAppDate": OPTIONAL,
        "LetterInitCPDate": OPTIONAL,
    },
}


def members(container: str) -> set[str]:
    """The element names a container may hold (both names of the sex group)."""
    out: set[str] = set()
    for name in STRUCTURE.get(container, {}):
        out.update(name.split("|"))
    return out


# Code lists, code -> label as the specification words it (shortened where it shouts).
REFERRAL_SOURCES = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: general practitioner (GP)",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E (accident and emergency department)",
    "3F": "Health services: other (for example hospice)",
    "4": "Housing: local authority housing or housing association",
    "5A": "LA services: social care, for example adults social care services",
    "5B": "LA services: other internal (for example youth offending, excluding housing)",
    "5C": "LA services: external, for example another local authority's adult social care",
    "5D": "LA services: early help",
    "6": "Police",
    "7": "Other legal agency (courts, probation, immigration, CAFCASS or prison)",
    "8": "Other (children's centres, independent agency providers, voluntary organisations)",
    "9": "Anonymous",
    "10": "Unknown",
}
PRIMARY_NEEDS = {
    "N0": "Not stated",
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
}
CLOSURE_REASONS = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
ABUSE_CATEGORIES = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple/not recommended",
}
ETHNICITIES = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
DISABILITIES = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism",
    "DDA": "Other",
}
ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse: the child",
    "1B": "Alcohol misuse: parent(s)/carer(s)",
    "1C": "Alcohol misuse: another person in the household",
    "2A": "Drug misuse: the child",
    "2B": "Drug misuse: parent(s)/carer(s)",
    "2C": "Drug misuse: another person in the household",
    "3A": "Domestic abuse: the child",
    "3B": "Domestic abuse: parent(s)/carer(s)",
    "3C": "Domestic abuse: another person in the household",
    "4A": "Mental health: the child",
    "4B": "Mental health: parent(s)/carer(s)",
    "4C": "Mental health: another person in the family/household",
    "5A": "Learning disability: the child",
    "5B": "Learning disability: parent(s)/carer(s)",
    "5C": "Learning disability: another person in the family/household",
    "6A": "Physical disability or illness: the child",
    "6B": "Physical disability or illness: parent(s)/carer(s)",
    "6C": "Physical disability or illness: another person in the family/household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas children who intend to return",
    "8C": "Privately fostered: overseas children who intend to stay",
    "8D": "Privately fostered: UK children in educational placements",
    "8E": "Privately fostered: UK children making alternative family arrangements",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going/being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Abuse or neglect: neglect",
    "17A": "Abuse or neglect: emotional abuse",
    "18A": "Abuse or neglect: physical abuse",
    "18B": "Abuse or neglect: physical abuse (child on child)",
    "18C": "Abuse or neglect: physical abuse (adult on child)",
    "19A": "Abuse or neglect: sexual abuse",
    "19B": "Abuse or neglect: sexual abuse (child on child)",
    "19C": "Abuse or neglect: sexual abuse (adult on child)",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation (FGM)",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
SEXES = {"M": "Male", "F": "Female", "U": "Unknown"}
GENDERS = {"1": "Male", "2": "Female", "0": "Not recorded or unborn", "9": "Indeterminate"}
UPN_UNKNOWN = {f"UN{i}": f"UPN unknown reason {i}" for i in range(1, 8)}
YES_NO = {"0": "False", "1": "True"}
COLLECTIONS = {"CIN": "Children in need census"}
SOURCE_LEVELS = {"L": "Local authority"}

# Value kinds that are not code lists.
DATE, DATETIME, YEAR, COUNT, TEXT, LEA, SERIAL = (
    "date",
    "datetime",
    "year",
    "count",
    "text",
    "lea",
    "serial",
)

# Element -> what its value must be: a code list (dict) or one of the kinds above.
VALUES: dict[str, dict[str, str] | str] = {
    "Collection": COLLECTIONS,
    "Year": YEAR,
    "ReferenceDate": DATE,
    "SourceLevel": SOURCE_LEVELS,
    "LEA": LEA,
    "SerialNo": SERIAL,
    "DateTime": DATETIME,
    "LAchildID": TEXT,
    "UPN": TEXT,  # personal: never read, so not checked either
    "FormerUPN": TEXT,
    "UPNunknown": UPN_UNKNOWN,
    "PersonBirthDate": DATE,
    "ExpectedPersonBirthDate": DATE,
    "Sex": SEXES,
    "GenderCurrent": GENDERS,
    "PersonDeathDate": DATE,
    "Ethnicity": ETHNICITIES,
    "Disability": DISABILITIES,
    "CINreferralDate": DATE,
    "ReferralSource": REFERRAL_SOURCES,
    "PrimaryNeedCode": PRIMARY_NEEDS,
    "CINclosureDate": DATE,
    "ReasonForClosure": CLOSURE_REASONS,
    "DateOfInitialCPC": DATE,
    "ReferralNFA": YES_NO,
    "AssessmentActualStartDate": DATE,
    "AssessmentInternalReviewDate": DATE,
    "AssessmentAuthorisationDate": DATE,
    "AssessmentFactors": ASSESSMENT_FACTORS,
    "CINPlanStartDate": DATE,
    "CINPlanEndDate": DATE,
    "S47ActualStartDate": DATE,
    "InitialCPCtarget": DATE,
    "ICPCnotRequired": YES_NO,
    "CPPstartDate": DATE,
    "CPPendDate": DATE,
    "InitialCategoryOfAbuse": ABUSE_CATEGORIES,
    "LatestCategoryOfAbuse": ABUSE_CATEGORIES,
    "NumberOfPreviousCPP": COUNT,
    "CPPreviewDate": DATE,
    "PPStartDate": DATE,
    "LBPSentDate": DATE,
    "InitialPPMeetingDate": DATE,
    "ReviewMeetingsCount": COUNT,
    "StepDecisionDate": DATE,
    "CourtAppDate": DATE,
    "LetterInitCPDate": DATE,
}
DATE_ELEMENTS = frozenset(name for name, kind in VALUES.items() if kind == DATE)
