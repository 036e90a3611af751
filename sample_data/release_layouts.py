"""The layouts of the published releases the sample imitates, copied from real releases.

Every header row, sheet name and note here was read out of a real file (named with each
layout) and is written back as it was, footnote digits, doubled spaces and all, so that the
sample's workbooks are read by the same code path as a real release. Nothing here comes from
the warehouse's parsers: a parser that misreads a real layout then fails on the sample too.
The tests compare these descriptions with the real files when those are at hand.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- MHCLG H-CLIC detailed local authority tables ------------------------------------------
# Copied from DetailedLA_201806.xlsx (April to June 2018: 2018-19's layout, its sheets named
# `A1 - Apr-Jun 18`), DetailedLA_201906_revised.xlsx (April to June 2019, the first layout) and
# Detailed_LA_202412.ods (October to December 2024: "Grand Total" header rows above the
# real ones, withdrawals split into their parts, two more kinds of initial assessment).
# Sheets other than A1, P1 and R1 are listed with the first line of their title.

_2018_SHEETS = [
    ("Contents", None),
    ("LA dropdown (A1-A11)", None),
    ("A1", None),
    (
        "A2",
        "Table A2 - Reason for loss of last settled home for households assessed as "
        "owed a prevention or relief duty by local authority",
    ),
    (
        "A3",
        "Table A3 – Support needs of households assessed as owed a prevention or "
        "relief duty by local authority",
    ),
    (
        "A4",
        "Table A4 - Accommodation at time of application for households assessed as "
        "owed a prevention or relief duty by local authority",
    ),
    (
        "A5P",
        "Table A5P - Household type at time of application for households assessed "
        "as owed a prevention duty by local authority",
    ),
    (
        "A5R",
        "Table A5R - Household type at time of application for households assessed "
        "as owed a relief duty by local authority",
    ),
    (
        "A6",
        "Table A6 – Age of main applicants assessed as owed a prevention or relief "
        "duty by local authority",
    ),
    (
        "A8",
        "Table A8 - Ethnicity of main applicants assessed as owed a prevention or "
        "relief duty by local authority",
    ),
    (
        "A9",
        "Table A9 - Nationality of main applicants assessed as owed a prevention or "
        "relief duty by local authority",
    ),
    (
        "A10",
        "Table A10 - Employment status of main applicants assessed as owed a "
        "prevention or relief duty by local authority",
    ),
    (
        "A11",
        "Table A11 - Reason for eligibility of main applicants assessed as owed a "
        "prevention or relief duty by local authority",
    ),
    ("LA dropdown (P1-P5)", None),
    ("P1", None),
    (
        "P2",
        "Table  P2 - Type of accommodation secured for households at end of "
        "prevention duty by local authority",
    ),
    (
        "P3",
        "Table P3 - Main prevention activity that resulted in accommodation secured "
        "for households at end of prevention duty by local authority",
    ),
    (
        "P4",
        "Table P4 - Destination of households with alternative accommodation secured "
        "at end of prevention duty",
    ),
    (
        "P5",
        "Table P5 - Household type of households with accommodation secured at end "
        "of prevention duty",
    ),
    ("LA dropdown (R1-R5)", None),
    ("R1", None),
    (
        "R2",
        "Table R2 - Type of accommodation secured for households at end of relief "
        "duty by local authority",
    ),
    (
        "R3",
        "Table R3 – Main relief activity that resulted in accommodation secured for "
        "households at end of relief duty by local authority",
    ),
    ("R4", "Table R4 - Destination of households with accommodation secured at end of relief duty"),
    (
        "R5",
        "Table R5 - Household type of households with accommodation secured at end of relief duty",
    ),
    ("LA dropdown (MD1-MD3)", None),
    (
        "MD1",
        "Table MD1 - Outcome of main duty decisions for eligible households by local authority",
    ),
    ("MD2", "Table MD2 - Outcome of households no longer owed a main duty"),
    ("MD3", "Table MD3 - Priority need category of households owed a main duty by local authority"),
    ("LA dropdown (TA1&TA2)", None),
    (
        "TA1",
        "Table TA1 - Households in temporary accommodation at end of quarter by local authority8",
    ),
    (
        "TA2",
        "Table TA2 - Household type of households in temporary accommodation at end "
        "of quarter by local authority",
    ),
]
_2018_A1_TITLE = (
    "Table A1 - Number of households assessed and owed a prevention or relief duty by "
    "local authority"
)
_2018_A1_HEADER = [
    {11: "Number of households"},
    {
        4: "Total initial assessments1,2",
        6: "Assessed as owed a duty",
        11: "Not threatened with homelessness within 56 days - no duty owed",
    },
    {
        6: "Total",
        7: "Threatened with homelessness - \nPrevention duty owed",
        8: "Of which:",
        9: "Homeless - \nRelief duty owed",
    },
    {8: "due to service of valid Section 21 Notice3"},
]
_2018_A1_NOTES = [
    {0: "Notes"},
    {0: "1", 1: "Only includes households assessed post the introduction of the HRA"},
    {
        0: "2",
        1: "Totals exclude 5 local authorities (Halton, Isles of Scilly, Luton, "
        "Stevenage, and Torbay) who have failed to provide accurate data since "
        "the introduction of the HRA in April 2018.",
    },
    {0: "3", 1: "Notice to end an Assured Shorthold Tenancy (AST) which expires within 56 days"},
    {
        1: "Totals may not equal the sum of components and percentages may not sum "
        "to 100% because of rounding."
    },
    {0: "..", 1: "incomplete or no data received from the local authority"},
    {},
    {0: "Source", 1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update: Dec 2019"},
    {1: "Next update: Spring 2020"},
]
_2018_P1_TITLE = "Table P1 - Reason for households' prevention duty ending by local authority"
_2018_P1_HEADER = [
    {17: "Number of households"},
    {
        4: "Total number of households where prevention duty ended1,2",
        6: "Secured accommodation for 6+ months",
        10: "Homeless (including intentionally homeless)",
        11: "Refused suitable accommodation offer",
        12: "Refused to cooperate",
        13: "Contact lost",
        14: "Withdrew application / applicant deceased",
        15: "56 days elapsed and no further action",
        16: "No longer eligible",
        17: "Not known3",
    },
    {6: "Total", 7: "Stayed in existing accommodation", 8: "Moved to alternative accommodation"},
]
_2018_P1_NOTES = [
    {0: "Notes"},
    {0: "1", 1: "Prevention duties as defined by the Homelessness reduction Act, 3rd April 2017"},
    {
        0: "2",
        1: "Totals exclude 10 local authorities (Halton, Isles of Scilly, Kensington "
        "& Chelsea, Luton, Portsmouth, Richmond upon Thames, Stevenage, Torbay, "
        "Watford, and Woking) who have failed to provide accurate prevention data "
        "since the introduction of the HRA in April 2018",
    },
    {0: "3", 1: "Not known is used to show where information was missing"},
    {
        0: "4",
        1: "Southwark's data for April to June includes upstream prevention activity "
        "reported in error so totals are higher than future quarters",
    },
    {
        1: "Totals may not equal the sum of components and percentages may not sum "
        "to 100% because of rounding."
    },
    {0: "..", 1: " incomplete or no data received from local authority"},
    {},
    {0: "Source"},
    {1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update:", 4: "2019-12-01 00:00:00"},
    {1: "Next update: ", 4: "Spring 2020"},
]
_2018_R1_TITLE = "Table R1 - Reason for households' relief duty ending by local authority"
_2018_R1_HEADER = [
    {14: "Number of households"},
    {
        4: "Total number of households \nwhere relief duty ended1,2 ",
        5: "Secured \naccommodation for 6+ months3",
        6: "56 days \nelapsed",
        7: "Local connection referral accepted by other LA",
        8: "Intentionally homeless from accommodation provided",
        9: "Refused final accommodation",
        10: "Notice served due to refusal to cooperate",
        11: "Contact lost",
        12: "Withdrew application / applicant deceased",
        13: "No longer eligible",
        14: "Not known4",
    },
]
_2018_R1_NOTES = [
    {0: "Notes:"},
    {0: "1", 1: "Relief duties as defined by the Homelessness reduction Act, 3rd April 2017"},
    {
        0: "2",
        1: "Totals exclude 11 local authorities (Halton, Isles of Scilly, Kensington "
        "& Chelsea, Kingston upon Thames, Luton, Portsmouth, Richmond upon "
        "Thames, Stevenage, Torbay, Watford, and Woking) who have failed to "
        "provide relief data since the introduction of the HRA in April 2018.",
    },
    {
        0: "3",
        1: "Aggregation of 'secured accommodation for 6 months' and 'secured "
        "accommodation12 months'",
    },
    {0: "4", 1: "Not known is used to show where information was missing"},
    {0: "..", 1: "incomplete or no data received from the local authority"},
    {1: "Total figures are presented rounded to the nearest 10 households."},
    {1: "Totals may not equal the sum of components because of rounding."},
    {},
    {0: "Source"},
    {1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update: Dec 2019"},
    {1: "Next update: Spring 2020"},
]

_FIRST_SHEETS = [
    ("Contents", None),
    ("Dropdown (A1-A11)", None),
    ("A1", None),
    (
        "A2",
        "Table A2 - Number of households owed a homelessness duty by reason for loss, or threat of "
        "loss, of last settled home",
    ),
    (
        "A3",
        "Table A3 – Number of households owed a homelessness duty by support needs of household",
    ),
    (
        "A4",
        "Table A4 - Number of households owed a homelessness duty by accommodation at time of "
        "application",
    ),
    ("A5P", "Table A5P - Number of households owed a prevention duty by household composition"),
    ("A5R", "Table A5R - Number of households owed a relief duty by household composition"),
    (
        "A7",
        "Table A7 – Number of households assessed as a result of a referral, including under the "
        "Duty to Refer",
    ),
    (
        "A11",
        "Table A11 - Number of households owed a homelessness duty by eligibility for homelessness "
        "assistance",
    ),
    ("Dropdown (P1-P2)", None),
    ("P1", None),
    (
        "P2",
        "Table  P2 - Number of households whose prevention duty ended by type of accommodation "
        "secured",
    ),
    ("Dropdown (R1-R2)", None),
    ("R1", None),
    (
        "R2",
        "Table R2 - Number of households whose relief duty ended by type of accommodation secured",
    ),
    ("Dropdown (MD1-MD3)", None),
    ("MD1", "Table MD1 - Number of households by decision on duty owed at end of relief duty"),
    ("MD2", "Table MD2 - Number of households whose main duty ended by reason for duty end"),
    ("MD3", "Table MD3 - Number of households owed a main duty by priority need"),
    ("Dropdown (TA1-TA2)", None),
    ("TA1", "Table TA1 - Number of households by type of temporary accommodation provided8"),
    ("TA2", "Table TA2 - Number of households in temporary accommodation by household composition"),
]
_FIRST_A1_TITLE = (
    "Table A1 - Number of households by initial assessment of homelessness circumstances and needs"
)
_FIRST_A1_HEADER = [
    {11: "Number of households"},
    {
        4: "Total initial assessments1,2",
        6: "Assessed as owed a duty",
        11: "Not homeless nor threatened with homelessness within 56 days - no duty owed",
        13: "Number of households\n in area4 (000s)",
        14: "Households assessed as threatened with homelessness\nper (000s)",
        15: "Households assessed as homeless\nper (000s)",
    },
    {
        6: "Total owed a prevention or relief duty",
        7: "Threatened with homelessness within 56 days - \nPrevention duty owed",
        8: "Of which:",
        9: "Homeless - \nRelief duty owed4",
    },
    {8: "due to service of valid Section 21 Notice3"},
]
_FIRST_A1_NOTES = [
    {0: "Notes"},
    {
        0: "1",
        1: "The outcome of the assessment whether the applicant is homeless or threatened with "
        "homelessness and what, if any, duty is owed to them by the local authority.",
    },
    {
        0: "2",
        1: "Totals include estimates for Brighton and Hove, Dartford, Ealing, Harrogate, "
        "Lancaster, Newcastle upon Tyne, Redbridge, and Somerset West and Taunton, who did "
        "not provide data this quarter but have provided figures in previous quarters. "
        "These values were used to derive estimates.",
    },
    {0: "3", 1: "Notice to end an Assured Shorthold Tenancy (AST) which expires within 56 days"},
    {
        0: "4",
        1: "Only includes households assessed as homeless on initial assessment. This excludes the "
        "number of relief duties owed to households who were homeless at the end of a prevention "
        "duty - found in table P1.",
    },
    {1: "Totals may not equal the sum of components because of rounding."},
    {0: "..", 1: "incomplete or no data received from the local authority"},
    {},
    {0: "Source", 1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update: Mar 2020"},
    {1: "Next update: Summer 2020"},
]
_FIRST_P1_TITLE = (
    "Table P1 - Number of households whose prevention duty ended by reason for duty end"
)
_FIRST_P1_HEADER = [
    {17: "Number of households"},
    {
        4: "Total number of households whose prevention duty ended1,2",
        6: "Secured accommodation for 6+ months",
        10: "Homeless (including intentionally homeless)4",
        11: "Refused suitable accommodation offer",
        12: "Refused to cooperate",
        13: "Contact lost",
        14: "Withdrew application / applicant deceased",
        15: "56 days elapsed and no further action",
        16: "No longer eligible",
        17: "Not known3",
    },
    {
        6: "Total secured accommodation",
        7: "Stayed in existing accommodation",
        8: "Moved to alternative accommodation",
    },
]
_FIRST_P1_NOTES = [
    {0: "Notes"},
    {0: "1", 1: "Prevention duties as defined by the Homelessness reduction Act, 3rd April 2017"},
    {
        0: "2",
        1: "Totals exclude 3 local authorities (Halton, Isles of Scilly, and Woking) who have "
        "failed to provide accurate prevention data since the introduction of the HRA in April "
        "2018. Totals include estimates for Birmingham, Brighton & Hove, Dartford, Ealing, "
        "Harrogate, Lancaster, Newcastle upon Tyne, Redbridge, and Somerset West and Taunton, "
        "who did not provide data this quarter but have provided figures in previous quarters.",
    },
    {0: "3", 1: "Where no reason was reported for the duty end."},
    {
        0: "4",
        1: "Those found to be homeless at the end of a prevention duty are consequently owed a "
        "relief duty. Those who refused suitable accommodation or refused to cooperate may also "
        "go on to relief. All other outcomes mean the case is closed.",
    },
    {
        1: "Totals may not equal the sum of components and percentages may not sum to 100% because "
        "of rounding."
    },
    {0: "..", 1: " incomplete or no data received from local authority"},
    {},
    {0: "Source"},
    {1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update:", 4: "2020-03-01 00:00:00"},
    {1: "Next update: ", 4: "Summer 2020"},
]
_FIRST_R1_TITLE = "Table R1 - Number of households whose relief duty ended by reason for duty end"
_FIRST_R1_HEADER = [
    {14: "Number of households"},
    {
        4: "Total number of households \nwhose relief duty ended1,2 ",
        5: "Secured \naccommodation for 6+ months",
        6: "56 days \nelapsed4",
        7: "Local connection referral accepted by other LA",
        8: "Intentionally homeless from accommodation provided",
        9: "Refused final accommodation",
        10: "Notice served due to refusal to cooperate",
        11: "Contact lost",
        12: "Withdrew application / applicant deceased",
        13: "No longer eligible",
        14: "Not known3",
    },
]
_FIRST_R1_NOTES = [
    {0: "Notes:"},
    {0: "1", 1: "Relief duties as defined by the Homelessness reduction Act, 3rd April 2017"},
    {
        0: "2",
        1: "Totals exclude 3 local authorities (Halton, Isles of Scilly, and Woking) who have "
        "failed to provide relief data since the introduction of the HRA in April 2018. Totals "
        "include estimates for Birmingham, Brighton & Hove, Dartford, Ealing, Harrogate, "
        "Lancaster, Newcastle upon Tyne, Redbridge, and Somerset West and Taunton, who did not "
        "provide data this quarter but have provided figures in previous quarters. These values "
        "were used to derive estimates.",
    },
    {0: "3", 1: "Where no reason was reported for the duty end."},
    {
        0: "4",
        1: "Those whose relief duty elapsed after 56 days are also provided a main duty decision, "
        "and may be owed a main duty. All other outcomes mean the case is ended without further "
        "legal duties.",
    },
    {0: "..", 1: "incomplete or no data received from the local authority"},
    {1: "Total figures are presented rounded to the nearest 10 households."},
    {1: "Totals may not equal the sum of components because of rounding."},
    {},
    {0: "Source"},
    {1: "MHCLG H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@communities.gov.uk"},
    {1: "Latest update: Mar 2020"},
    {1: "Next update: Summer 2020"},
]
_SPLIT_SHEETS = [
    ("Contents", None),
    ("LA_dropdown_(A1-A12)", None),
    ("A1", None),
    (
        "A2P",
        "Table A2P - Number of households owed a prevention duty by reason for loss, or threat of "
        "loss, of last settled home",
    ),
    (
        "A2R",
        "Table A2R - Number of households owed a relief duty by reason for loss, or threat "
        "of loss, of last settled home",
    ),
    (
        "A3",
        "Table A3 – Number of households owed a homelessness duty by support needs of household",
    ),
    (
        "A4P",
        "Table A4P - Number of households owed a prevention duty by accommodation at time of "
        "application",
    ),
    (
        "A4R",
        "Table A4R - Number of households owed a relief duty by accommodation at time of "
        "application",
    ),
    ("A5P", "Table A5P - Number of households owed a prevention duty by household composition"),
    ("A5R", "Table A5R - Number of households owed a relief duty by household composition"),
    (
        "A6",
        "Table A6 – Age of main applicants assessed as owed a prevention or relief duty by local "
        "authority",
    ),
    (
        "A7",
        "Table A7 – Number of households assessed as a result of a referral, including under the "
        "Duty to Refer",
    ),
    (
        "A8",
        "Table A8 - Ethnicity of main applicants assessed as owed a prevention or relief duty by "
        "local authority",
    ),
    (
        "A10",
        "Table A10 - Employment status of main applicants assessed as owed a prevention or relief "
        "duty by local authority",
    ),
    (
        "A12",
        "Table A12 – Number of households owed a homelessness duty by sexual identification "
        "of lead applicant",
    ),
    (
        "A13",
        "Table A13 – Number of households owed a homelessness duty by gender identity of lead "
        "applicant, ",
    ),
    ("LA_dropdown_(P1-P5)", None),
    ("P1", None),
    (
        "P2",
        "Table  P2 - Number of households whose prevention duty ended by type of accommodation "
        "secured",
    ),
    (
        "P3",
        "Table P3 - Main prevention activity that resulted in accommodation secured for households "
        "at end of prevention duty by local authority",
    ),
    (
        "P5",
        "Table P5 - Household type of households with accommodation secured at end of prevention "
        "duty",
    ),
    ("LA_dropdown_(R1-R5)", None),
    ("R1", None),
    (
        "R2",
        "Table R2 - Number of households whose relief duty ended by type of accommodation secured",
    ),
    (
        "R3",
        "Table R3 – Main relief activity that resulted in accommodation secured for households at "
        "end of relief duty by local authority",
    ),
    (
        "R5",
        "Table R5 - Household type of households with accommodation secured at end of relief duty",
    ),
    ("LA_dropdown_(MD1-MD3)", None),
    ("MD1", "Table MD1 - Number of households by decision on duty owed at end of relief duty"),
    ("MD2", "Table MD2 - Number of households whose main duty ended by reason for duty end"),
    ("MD3", "Table MD3 - Number of households owed a main duty by priority need"),
    ("LA_dropdown_(TA1-TA3)", None),
    ("TA1", "Table TA1 - Number of households by type of temporary accommodation provided"),
    ("TA2", "Table TA2 - Number of households in temporary accommodation by household composition"),
    (
        "TA3",
        "Table TA3 - Number of households by duty under which temporary accommodation is provided",
    ),
]
_SPLIT_A1_TITLE = (
    "Table A1 - Number of households by initial assessment of homelessness circumstances and needs"
)
_SPLIT_A1_HEADER = [
    {
        4: "Total number of households assessed1,2",
        6: "Total households assessed as owed a duty",
        7: "Threatened with homelessness - Prevention duty owed",
        8: "     Of which: due to service of valid Section 21 Notice",
        9: "Homeless - Relief duty owed",
        11: "Not threatened with homelessness within 56 days - no duty owed",
        12: "Withdrew application  before assessment - no duty owed",
        13: "Not eligible / no longer eligible - no duty owed",
    },
    {
        4: "Grand Total",
        7: "Threatened with homelessness – Prevention Duty owed",
        8: "Threatened with homelessness due to service of valid Section 21 Notice – Prevention "
        "Duty owed",
        9: "Already homeless – Relief Duty owed (include accepted local connection referrals)",
        11: "Not threatened with homelessness within 56 days",
        12: "Withdrew application  before assessment - no duty owed",
        13: "Not eligible / no longer eligible - no duty owed",
    },
    {11: "Number of households"},
    {
        4: "Total initial assessments1,2,6",
        6: "Assessed as owed a duty",
        11: "Not homeless nor threatened with homelessness within 56 days - no duty owed",
        12: "Withdrew application  before assessment - no duty owed",
        13: "Not eligible / no longer eligible - no duty owed",
        15: "Number of households\n in area5 (000s)",
        16: "Households assessed as threatened with homelessness\nper (000s)",
        17: "Households assessed as homeless\nper (000s)",
    },
    {
        6: "Total owed a prevention or relief duty",
        7: "Threatened with homelessness within 56 days - \nPrevention duty owed",
        8: "Of which:",
        9: "Homeless - \nRelief duty owed4",
    },
    {8: "due to service of valid Section 21 Notice3"},
]
_SPLIT_A1_NOTES = [
    {0: "Notes"},
    {
        0: "1",
        1: "The outcome of the assessment whether the applicant is homeless or threatened with "
        "homelessness and what, if any, duty is owed to them by the local authority.",
    },
    {
        0: "2",
        1: "Totals include estimates for authorities with missing data. Missing data for these "
        "local authorities has been accounted for, meaning that previously published data from "
        "the authority and data from similar areas are used to create estimates. These estimates "
        "are included in regional and national totals. Further information on authorites with "
        "missing data can be found on the contents page in this file and in our published "
        "quarterly technical note. ",
    },
    {0: "3", 1: "Notice to end an Assured Shorthold Tenancy (AST) which expires within 56 days"},
    {
        0: "4",
        1: "Only includes households assessed as homeless on initial assessment. This excludes the "
        "number of relief duties owed to households who were homeless at the end of a prevention "
        "duty - found in table P1.",
    },
    {
        0: "5",
        1: "The 2018-based household projections for 2021 can be found at: "
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationprojections/datalist",
    },
    {
        0: "6",
        1: 'Totals now include cases with an assessment of "Withdrew application  before '
        'assessment" and "Not eligible / no longer eligible". This might increase the total '
        "number of initial assessments for the reporting quarter. ",
    },
    {},
    {},
    {},
    {1: "Totals may not equal the sum of components because of rounding."},
    {
        0: "..",
        1: "Authority with missing data. Further information on authorities with missing data can "
        "be found on the contents page in this file and in our published quarterly technical "
        "note.",
    },
    {},
    {0: "Source", 1: "DLUHC H-CLIC Homelessness returns (quarterly)"},
    {1: "email: homelessnessstats@levellingup.gov.uk"},
    {1: "Latest update: April 2025"},
    {1: "Next update: Summer 2025"},
]
_SPLIT_P1_TITLE = (
    "Table P1 - Number of households whose prevention duty ended by reason for duty end"
)
_SPLIT_P1_HEADER = [
    {
        4: "Total number of households where prevention duty ended1,2",
        6: "Secured accommodation for 6+ months",
        7: "Stayed in existing accommodation",
        8: "Moved to alternative accommodation",
        10: "Homeless (including intentionally homeless)",
        11: "Refused suitable accommodation offer",
        12: "Refused to cooperate",
        13: "Contact lost",
        15: "Withdrew application / applicant deceased",
        20: "56 days elapsed and no further action",
        21: "No longer eligible",
        22: "Not known6",
    },
    {
        4: "Grand Total",
        7: "Secured existing accommodation",
        8: "Secured alternative accommodation",
        10: "Homeless (inc. intentionally)",
        11: "Refused suitable accommodation",
        12: "Refused to cooperate",
        13: "Contact lost",
        20: "56 days or more expired and no further action",
        21: "No longer eligible",
        22: "Not known",
    },
    {22: "Number of households"},
    {
        4: "Total number of households whose prevention duty ended1,2",
        6: "Secured accommodation for 6+ months",
        10: "Homeless (including intentionally homeless)3",
        11: "Refused suitable accommodation offer",
        12: "Refused to cooperate",
        13: "Contact lost",
        15: "Withdrew application / applicant deceased",
        20: "56 days elapsed and no further action",
        21: "No longer eligible",
        22: "Not known4",
    },
    {
        6: "Total secured accommodation",
        7: "Stayed in existing accommodation",
        8: "Moved to alternative accommodation",
        15: "Total withdrew /  deceased",
        16: "Withdrew application",
        17: "Applicant deceased",
        18: 'Retired "withdrew/ deceased" option',
    },
]
_SPLIT_P1_NOTES = [
    {0: "Notes"},
    {0: "1", 1: "Prevention duties as defined by the Homelessness reduction Act, 3rd May 2017"},
    {
        0: "2",
        1: "Totals include estimates for authorities with missing data. Missing data for these "
        "local authorities has been accounted for, meaning that previously published data from "
        "the authority and data from similar areas are used to create estimates. These estimates "
        "are included in regional and national totals. Further information on authorites with "
        "missing data can be found on the contents page in this file and in our published "
        "quarterly technical note.",
    },
    {
        0: "3",
        1: "Those found to be homeless at the end of a prevention duty are consequently owed a "
        "relief duty. Those who refused suitable accommodation or refused to cooperate may also "
        "go on to relief. All other outcomes mean the case is closed.",
    },
    {0: "4", 1: "Where no reason was reported for the duty end."},
    {
        1: "Totals may not equal the sum of components and percentages may not sum to 100% because "
        "of rounding."
    },
    {
        0: "..",
        1: "Authority with missing data. Further information on authorities with missing data can "
        "be found on the contents page in this file and in our published quarterly technical "
        "note.",
    },
    {},
    {0: "Source"},
    {1: "DLUHC  H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@levellingup.gov.uk"},
    {1: "Latest update: April 2025"},
    {1: "Next update: Summer 2025"},
]
_SPLIT_R1_TITLE = "Table R1 - Number of households whose relief duty ended by reason for duty end"
_SPLIT_R1_HEADER = [
    {
        4: "Total number of households where relief duty ended1,2",
        5: "Secured accommodation for 6+ months",
        6: "56 days elapsed",
        7: "Local connection referral accepted by other LA",
        8: "Intentionally homeless from accommodation provided",
        9: "Refused final accommodation",
        10: "Notice served due to refusal to cooperate",
        11: "Contact lost",
        13: "Withdrew application / applicant deceased",
        18: "No longer eligible",
        19: "Not known",
    },
    {
        4: "Grand Total",
        5: "Secured accommodation",
        6: "56 days elapsed",
        7: "Local connection referral accepted by other LA",
        8: "Intentionally homeless from accommodation provided",
        9: "Refused final accommodation or final part six offer",
        10: "Notice served due to refusal to cooperate",
        11: "Contact lost",
        18: "No longer eligible",
        19: "Not known",
    },
    {19: "Number of households"},
    {
        4: "Total number of households \nwhose relief duty ended1,2 ",
        5: "Secured \naccommodation for 6+ months",
        6: "56 days \nelapsed3",
        7: "Local connection referral accepted by other LA",
        8: "Intentionally homeless from accommodation provided",
        9: "Refused final accommodation",
        10: "Notice served due to refusal to cooperate",
        11: "Contact lost",
        13: "Withdrew application / applicant deceased",
    },
    {
        13: "Total withdrew /  deceased",
        14: "Withdrew application",
        15: "Applicant deceased",
        16: 'Retired "withdrew/ deceased" option',
        18: "No longer eligible",
        19: "Not known4",
    },
]
_SPLIT_R1_NOTES = [
    {0: "Notes:"},
    {0: "1", 1: "Relief duties as defined by the Homelessness reduction Act, 3rd May 2017"},
    {
        0: "2",
        1: "Totals include estimates for authorities with missing data. Missing data for these "
        "local authorities has been accounted for, meaning that previously published data from "
        "the authority and data from similar areas are used to create estimates. These estimates "
        "are included in regional and national totals. Further information on authorites with "
        "missing data can be found on the contents page in this file and in our published "
        "quarterly technical note. ",
    },
    {
        0: "3",
        1: "Those whose relief duty elapsed after 56 days are also provided a main duty decision, "
        "and may be owed a main duty. All other outcomes mean the case is ended without further "
        "legal duties.",
    },
    {0: "4", 1: "Where no reason was reported for the duty end."},
    {
        0: "..",
        1: "Authority with missing data. Further information on authorities with missing data can "
        "be found on the contents page in this file and in our published quarterly technical "
        "note.",
    },
    {1: "Total figures are presented rounded to the nearest 10 households."},
    {1: "Totals may not equal the sum of components because of rounding."},
    {},
    {0: "Source"},
    {1: "DLUHC  H-CLIC Homelessness returns (quarterly)"},
    {1: "Email: homelessnessstats@levellingup.gov.uk"},
    {1: "Latest update: April 2025"},
    {1: "Next update: Summer 2025"},
]


@dataclass(frozen=True)
class HclicTable:
    """One H-CLIC table as published: its title (before the quarter), the sheet rows between
    the title and the figures (row 2 first; each maps a 0-based column to its text), which
    of the sample's figures each column holds, the notes under the table, and how a South
    East authority's row names its region in columns C and D (None: left empty)."""

    title: str
    header: tuple[dict[int, str], ...]
    columns: dict[int, str]
    notes: tuple[dict[int, str], ...]
    region: tuple[str, str] | None = None


@dataclass(frozen=True)
class HclicEdition:
    """A layout of the whole workbook, from the quarter it was first used in the sample.
    `sheets` are the sheet names in order (with `{quarter}` where the name carries the
    quarter, `Apr-Jun 18`) and the first line of the title of those the sample leaves
    empty; `tables` are keyed by the table's id (A1, P1, R1)."""

    name: str
    first_quarter: tuple[int, int]
    sheets: tuple[tuple[str, str | None], ...]
    tables: dict[str, HclicTable]


SOUTH_EAST = ("South East", "E12000008")

HCLIC_2018 = HclicEdition(
    name="DetailedLA_201806.xlsx",
    first_quarter=(2018, 4),
    sheets=tuple(
        (name if name.startswith(("Contents", "LA dropdown")) else f"{name} - {{quarter}}", title)
        for name, title in _2018_SHEETS
    ),
    tables={
        "A1": HclicTable(
            _2018_A1_TITLE,
            tuple(_2018_A1_HEADER),
            {
                4: "total_initial_assessments",
                6: "owed_a_duty",
                7: "owed_prevention_duty",
                8: "owed_prevention_duty_section_21",
                9: "owed_relief_duty",
                11: "no_duty_owed",
            },
            tuple(_2018_A1_NOTES),
            SOUTH_EAST,
        ),
        "P1": HclicTable(
            _2018_P1_TITLE,
            tuple(_2018_P1_HEADER),
            {
                4: "prevention_ended",
                6: "prevention_secured",
                7: "prevention_stayed",
                8: "prevention_moved",
                10: "prevention_homeless",
                11: "prevention_refused_offer",
                12: "prevention_refused_to_cooperate",
                13: "prevention_contact_lost",
                14: "prevention_withdrew",
                15: "prevention_56_days",
                16: "prevention_no_longer_eligible",
                17: "prevention_not_known",
            },
            tuple(_2018_P1_NOTES),
            ("SE", "E12000008"),
        ),
        "R1": HclicTable(
            _2018_R1_TITLE,
            tuple(_2018_R1_HEADER),
            {
                4: "relief_ended",
                5: "relief_secured",
                6: "relief_56_days",
                7: "relief_local_connection_referral",
                8: "relief_intentionally_homeless",
                9: "relief_refused_final_accommodation",
                10: "relief_refused_to_cooperate",
                11: "relief_contact_lost",
                12: "relief_withdrew",
                13: "relief_no_longer_eligible",
                14: "relief_not_known",
            },
            tuple(_2018_R1_NOTES),
            ("SE", "E12000008"),
        ),
    },
)

HCLIC_FIRST = HclicEdition(
    name="DetailedLA_201906_revised.xlsx",
    first_quarter=(2019, 4),
    sheets=tuple(_FIRST_SHEETS),
    tables={
        "A1": HclicTable(
            _FIRST_A1_TITLE,
            tuple(_FIRST_A1_HEADER),
            {
                4: "total_initial_assessments",
                6: "owed_a_duty",
                7: "owed_prevention_duty",
                8: "owed_prevention_duty_section_21",
                9: "owed_relief_duty",
                11: "no_duty_owed",
                13: "households_in_area_000s",
                14: "threatened_per_000_households",
                15: "homeless_per_000_households",
            },
            tuple(_FIRST_A1_NOTES),
            SOUTH_EAST,
        ),
        "P1": HclicTable(
            _FIRST_P1_TITLE,
            tuple(_FIRST_P1_HEADER),
            {
                4: "prevention_ended",
                6: "prevention_secured",
                7: "prevention_stayed",
                8: "prevention_moved",
                10: "prevention_homeless",
                11: "prevention_refused_offer",
                12: "prevention_refused_to_cooperate",
                13: "prevention_contact_lost",
                14: "prevention_withdrew",
                15: "prevention_56_days",
                16: "prevention_no_longer_eligible",
                17: "prevention_not_known",
            },
            tuple(_FIRST_P1_NOTES),
            SOUTH_EAST,
        ),
        "R1": HclicTable(
            _FIRST_R1_TITLE,
            tuple(_FIRST_R1_HEADER),
            {
                4: "relief_ended",
                5: "relief_secured",
                6: "relief_56_days",
                7: "relief_local_connection_referral",
                8: "relief_intentionally_homeless",
                9: "relief_refused_final_accommodation",
                10: "relief_refused_to_cooperate",
                11: "relief_contact_lost",
                12: "relief_withdrew",
                13: "relief_no_longer_eligible",
                14: "relief_not_known",
            },
            tuple(_FIRST_R1_NOTES),
            SOUTH_EAST,
        ),
    },
)

HCLIC_SPLIT_WITHDRAWALS = HclicEdition(
    name="Detailed_LA_202412.ods",
    first_quarter=(2024, 10),
    sheets=tuple(_SPLIT_SHEETS),
    tables={
        "A1": HclicTable(
            _SPLIT_A1_TITLE,
            tuple(_SPLIT_A1_HEADER),
            {
                4: "total_initial_assessments",
                6: "owed_a_duty",
                7: "owed_prevention_duty",
                8: "owed_prevention_duty_section_21",
                9: "owed_relief_duty",
                11: "no_duty_owed",
                12: "withdrew_before_assessment",
                13: "not_eligible",
                15: "households_in_area_000s",
                16: "threatened_per_000_households",
                17: "homeless_per_000_households",
            },
            tuple(_SPLIT_A1_NOTES),
        ),
        "P1": HclicTable(
            _SPLIT_P1_TITLE,
            tuple(_SPLIT_P1_HEADER),
            {
                4: "prevention_ended",
                6: "prevention_secured",
                7: "prevention_stayed",
                8: "prevention_moved",
                10: "prevention_homeless",
                11: "prevention_refused_offer",
                12: "prevention_refused_to_cooperate",
                13: "prevention_contact_lost",
                15: "prevention_withdrew",
                16: "prevention_withdrew_application",
                17: "prevention_applicant_deceased",
                18: "prevention_withdrew_retired_option",
                20: "prevention_56_days",
                21: "prevention_no_longer_eligible",
                22: "prevention_not_known",
            },
            tuple(_SPLIT_P1_NOTES),
        ),
        "R1": HclicTable(
            _SPLIT_R1_TITLE,
            tuple(_SPLIT_R1_HEADER),
            {
                4: "relief_ended",
                5: "relief_secured",
                6: "relief_56_days",
                7: "relief_local_connection_referral",
                8: "relief_intentionally_homeless",
                9: "relief_refused_final_accommodation",
                10: "relief_refused_to_cooperate",
                11: "relief_contact_lost",
                13: "relief_withdrew",
                14: "relief_withdrew_application",
                15: "relief_applicant_deceased",
                16: "relief_withdrew_retired_option",
                18: "relief_no_longer_eligible",
                19: "relief_not_known",
            },
            tuple(_SPLIT_R1_NOTES),
        ),
    },
)

HCLIC_EDITIONS = (HCLIC_2018, HCLIC_FIRST, HCLIC_SPLIT_WITHDRAWALS)

HCLIC_SHEET_QUARTERS = {1: "Jan-Mar", 4: "Apr-Jun", 7: "Jul-Sep", 10: "Oct-Dec"}
"""How 2018-19's sheet names carry the quarter, `A1 - Apr-Jun 18`, by its first month."""

HCLIC_TOTAL_ROWS = (("E92000001", "ENGLAND"), ("E12000007", "London"), ("-", "Rest of England"))
"""The rows above the regions in every release: England, London and the rest of England,
which has no ONS code and is written `-`."""

HCLIC_REGIONS = (
    ("E12000001", "North East"),
    ("E12000002", "North West"),
    ("E12000003", "Yorkshire and The Humber"),
    ("E12000004", "East Midlands"),
    ("E12000005", "West Midlands"),
    ("E12000006", "East of England"),
    ("E12000007", "London"),
    ("E12000008", "South East"),
    ("E12000009", "South West"),
)
"""The regions, after a blank row, in the releases' order (London again among them); then a
blank row and the authorities in alphabetical order."""

HCLIC_FILE_NAMES = (
    ((2018, 4), "Detailed_LA_{end}.xlsx"),
    ((2024, 10), "Detailed_LA_{end}.ods"),
    ((2025, 1), "Statutory_Homelessness_Detailed_Local_Authority_Data_{end}.ods"),
)
"""The names MHCLG gave the workbooks, from the quarter each was first used in the sample
(`{end}` is the quarter's last month, 202412): ODS from late 2024, renamed in 2025."""


# --- Defra ENV18 local authority collected waste -------------------------------------------
# Copied from LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods (2014-15 to 2022-23):
# its sheets (with the first cell of each but Table_1), and in Table_1 the rows above the
# header (title, a warning, the group of each column), the header (hyphens for slashes, a
# pointer to the notes after the rejects heading, a trailing space) and the notes under the
# figures, some indented into the second column.

ENV18_SHEETS = [
    ("Metadata", "Title:"),
    ("Index", "Local Authority Collected Waste Statistics"),
    ("Notes", "Notes for tables"),
    ("Data_Revisions", "Revisions to some of the figures in these datasets"),
    ("Table_1", None),
    ("Table_1a", "Table 1: Local Authority Collected Waste Generation from 2000-01 to 2022-23"),
    (
        "Table_2",
        "Table 2: Management of Local Authority Collected Waste, England, 2014-15 to 2022-23",
    ),
    (
        "Table_2_2021-22_Revisions",
        "Table 2: Management of Local Authority Collected Waste, England",
    ),
    ("Table_2a", "Table 2a: Management of Local Authority Collected Waste 2000-01 to 2022-23"),
    (
        "Table_2a_2021-22_Revisions",
        "Table 2a: Management of Local Authority Collected Waste 2000-01 to 2021-22",
    ),
    ("Table_3", "Table 3: Selected Waste Indicators 2010-11 to 2022-23"),
    (
        "Table_3_2021-22_Revisions",
        "Revisions to Table 3a Regional Selected waste indicators : - Residual "
        "household waste per household",
    ),
    (
        "Table_3a",
        "Table 3a: Selected Waste Indicators 2000-01 to 2022-23 - England and the Regions",
    ),
    ("Table_3a_2021-22_Revisions", "Revisions to Regional Selected waste indicators"),
    ("Table_3b", "Table 3b: Overall household recycling Rates 2000-01 to 2022-23"),
    ("Table_4", "Largest increases in Recycling (2022-23)"),
    (
        "Figure_1",
        'Map of "household waste" recycling rates for individual local authorities, '
        "England 2022/23",
    ),
    (
        "Figure_2",
        'Map of change in "household waste" recycling rates for individual local '
        "authorities, England, 2022/23 compared to 2021/22",
    ),
]
ENV18_TABLE_ABOVE = [
    {
        0: "Table 1: Local Authority Collected and Household Waste Statistics "
        "2014-15 to 2022-23, England"
    },
    {
        0: "For correct totals, you should only sum values for unitary and disposal "
        "authorities. Summing values for unitary, collection and disposal "
        "authorities will result in double counting."
    },
    {
        6: "Local authority collected",
        7: "Households",
        8: "Households",
        9: "Households",
        10: "Households",
        11: "Households",
        12: "Households",
        13: "Households",
        14: "Households",
        15: "Households",
        16: "Non-households",
        17: "Non-households",
        18: "Non-households",
        19: "Non-households",
        20: "Local authority collected",
        21: "Local authority collected",
        22: "Local authority collected",
    },
]
ENV18_TABLE_HEADER = (
    "Financial Year",
    "Region",
    "ONS Code",
    "JPP order",
    "Local Authority",
    "Authority type",
    "Total local authority collected waste (tonnes)",
    "Household - total waste (tonnes)",
    "Household - waste sent for recycling-composting-reuse (tonnes)",
    "Household dry recycling-reuse (tonnes)",
    "Household green recycling-reuse (tonnes)",
    "Household - waste not sent for recycling (tonnes)",
    "Household - regular collection (not recycled) (tonnes)",
    "Household - civic amenity sites (not recycled) (tonnes)",
    "Household - other sources (not recycled) (tonnes)",
    'Household - estimated rejects (tonnes) - See "Notes" sheet for detail on rejects calculation.',
    "Non-household - total waste (tonnes)",
    "Non-household - waste sent for recycling-composting-reuse (tonnes)",
    "Non-household - waste not sent for recycling (tonnes) ",
    "Non-household - estimated rejects (tonnes)",
    "Local authority collected waste - sent for recycling-composting-reuse (tonnes)",
    "Local authority collected waste - not sent for recycling (tonnes)",
    "Local authority collected - estimated rejects (tonnes)",
)
ENV18_TABLE_BELOW = [
    {},
    {0: "Notes:"},
    {
        0: "A total for England cannot be obtained by summing data from all local "
        "authorities - data for waste collection authorities must be excluded to "
        "avoid double counting.  "
    },
    {},
    {
        0: "Household waste sent for recycling-composting-reuse  includes  organic "
        "recycling following mechanical biological treatment  hence total "
        "recycled for some authorities may not match with dry and green "
        "recycling"
    },
    {
        0: "Total non-household estimated rejects for 2015-16 includes a high "
        "tonnage of rubbles rejected from reuse."
    },
    {},
    {
        0: "Chiltern District Council jointly reports their waste data with Wycombe "
        "District Council as of 2015-16"
    },
    {},
    {
        0: "In April 2018, Shepway district council changed it's name to Folkestone "
        "and Hythe District Council. For ease of comparison, in this dataset the "
        "name has also been adjusted for past years."
    },
    {},
    {
        0: "From 2017-18, 6 local authorities started reporting as Somerset Waste "
        "Partnership. These are Somerset County Council, Mendip, Sedgmoor, South "
        "Somerset, Taunton Deane, West Somerset."
    },
    {},
    {
        0: "From 2018-19, 6 local authorities started reporting as the 'Dorset waste "
        "Partnership',  these were: Christchurch Borough council, East Dorset "
        "District Council, North Dorset District council, Purbeck District "
        "Council, West Dorset district council and Weymouth and Portland Borough "
        "Council."
    },
    {},
    {0: "From 2019-20 there were several mergers and changes to local authorities:-"},
    {
        1: "5 of the local authorities reporting as the 'Dorset waste Partnership': "
        "East Dorset District Council, North Dorset District council, Purbeck "
        "District Council, West Dorset district council and Weymouth and Portland "
        "Borough Council merged to become 'Dorset Council'."
    },
    {
        1: "Christchurch Borough Council formerly part of the 'Dorset Waste "
        "Partnership', merged with Bounemouth Borough Council and Poole Borough "
        "Council to become 'Bournemouth, Poole and Christchurch Council'. "
    },
    {
        1: "Suffolk Coastal District Council and Waveney District Council merged to "
        "become 'East Suffolk Council'."
    },
    {
        1: "Forest Heath district Council and St Edmundsbury Borough Council merged "
        "to become 'West Suffolk council'."
    },
    {
        1: "Corby Borough Council and Kettering Borough Council now report together "
        "as 'Corby and Kettering Shared Service'"
    },
    {},
    {
        0: "From 2020-21 'Buckinhamshire County Council' disposal authority was "
        "replaced by the new 'Buckinhgamshire council' unitary authority.  "
        "Ayelsbury Vale district Council, South Bucks District Council and "
        "Wycombe District Council were absorbed into this UA and no longer "
        "report. "
    },
    {},
    {
        0: "From 2021-22 'Northamptonshire County Council' disposal authority was "
        "replaced by two new unitary authorities:- "
    },
    {
        1: "'North Northamptonshire' , absorbed the waste collection authorities "
        "previously reporting as 'Corby & Kettering  shared service', 'East "
        "Northamptonshire Council' and 'Wellingborough Borough Council'."
    },
    {
        1: "'West Northamptonshire' absorbed the waste collection authorities "
        "previously reporting as 'Daventry District Council', 'Northampton "
        "Borough Council' and 'South Northamptonshire District Council'."
    },
    {},
    {
        0: "From 2022-23 'Mid Suffolk District Council' has been renamed  'Mid "
        "Suffolk and Babergh District Council'.  For ease of comparison, in this "
        "dataset the name has also been changed for previous years.  There are no "
        "revisions to historical figures as a result of this change."
    },
    {},
    {0: "Source: Department for Environment, Food & Rural Affairs "},
]

ENV18_FILE_NAME = "LA_and_Regional_Spreadsheet_{last_year}_for_Web.ods"
"""The release's name, by the last financial year it covers (`2024-25`)."""
