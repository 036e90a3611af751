"""Synthetic status returns from the Community Plan 2019–22's lead partners.

One CSV per lead partner per financial year, pre-filled as the council sends the template
(plan, ref, financial year and the measure's wording, from the key success measure
catalogue seed) and filled in with a status, a commentary and who completed it.

The statuses and commentaries paraphrase the monitoring reports: 2019/20 (year 1 of 3:
mostly On target, S4 Not achieved because killed or seriously injured casualties on local
roads rose 26% in 2019, so 26 of 27 measures on target) and 2021/22 (the plan's last year:
everything Achieved except S4, for which Kent County Council sent nothing, so 25 of 26). No
2020/21 report is at hand: its commentaries are synthetic and use only what the 2021/22
report says about 2020/21. Kent County Council's road safety status is missing from
2020/21 on, as its casualty figures are: the 2021/22 report says KCC sent no data after the
2019/20 report. The plan ended in March 2022, so there are no later returns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sample_data import REPO_ROOT

PLAN = "community_plan_2019_22"
FINANCIAL_YEARS = ("2019/20", "2020/21", "2021/22")

PARTNER_FOLDERS = {
    "Sevenoaks District Community Safety Partnership": "community-safety-partnership",
    "Kent Police": "kent-police",
    "Kent County Council": "kent-county-council",
    "Sevenoaks District Council": "sevenoaks-district-council",
    "Sevenoaks Local Children's Partnership Group": "local-childrens-partnership-group",
    "Sevenoaks District Health Action Team": "health-action-team",
}
"""Each lead partner's folder under raw/status/, as the status return names its senders."""

COMPLETED_BY = {
    "S1": "Community Safety Manager",
    "S2": "District Commander, Sevenoaks",
    "S3": "District Commander, Sevenoaks",
    "S4": "Road Safety Team Leader",
    "S5": "Parking Services Manager",
    "C1": "Private Sector Housing Manager",
    "C2": "Health and Communities Manager",
    "C3": "Early Help Manager, West Kent",
    "C4": "Housing Advice Manager",
    "C5": "Housing Policy Manager",
    "C6": "Community Development Officer",
    "G1": "Planning Policy Manager",
    "G2": "Planning Policy Manager",
    "G3": "Direct Services Manager",
    "G4": "Direct Services Manager",
    "H1": "Health Action Team Lead",
    "H2": "Health Action Team Lead",
    "H3": "Health Action Team Lead",
    "H4": "Housing Policy Manager",
    "D1": "Economic Development Manager",
    "D2": "Economic Development Manager",
    "D3": "Customer Solutions Manager",
    "D4": "Economic Development Manager",
    "Sus1": "Infrastructure Delivery Officer",
    "Sus2": "Housing Policy Manager",
    "Sus3": "Planning Policy Manager",
    "Sus4": "Community Development Officer",
}
"""The officer who fills in each measure's row (a role, never a person)."""

STATUS_RETURNS: dict[str, dict[str, tuple[str, str]]] = {
    "2019/20": {
        "S1": (
            "On target",
            "The Community Safety Action Plan is 98% on target. The CSU carried out 600 daily "
            "taskings and followed up with residents who reported concerns.",
        ),
        "S2": (
            "On target",
            "The district remains the second lowest in Kent for recorded crime: 7,769 "
            "victim-based crimes, 24 more than last year.",
        ),
        "S3": (
            "On target",
            "Anti-social behaviour remains the second lowest in Kent with 1,602 reports, 175 "
            "more than last year.",
        ),
        "S4": (
            "Not achieved",
            "59 people were killed or seriously injured on local roads in 2019 (one fatal), 26% "
            "more than the 47 in 2018. The LSP has invited the Kent Road Safety Partnership to "
            "discuss this target.",
        ),
        "S5": (
            "On target",
            "Parking teams have continued to take enforcement action against dangerously or "
            "illegally parked cars.",
        ),
        "C1": (
            "On target",
            "81 Disabled Facilities Grants, 6 Hospital Discharge Grants and 12 Safe and Secure "
            "Grants completed; Kent Fire and Rescue completed over 600 safe and well visits.",
        ),
        "C2": (
            "On target",
            "One You Your Home advisers worked with 217 clients, who set 253 goals, 60% of them "
            "achieved.",
        ),
        "C3": (
            "On target",
            "Grants awarded against the group's priorities. NEET 2.7% (second lowest in Kent), "
            "EYFS good level of development 76.8% against a target of 75, youth re-offending "
            "18.8 against a target of 35.",
        ),
        "C4": (
            "Achieved",
            "Positive outcomes where homelessness was prevented or relieved exceeded the target "
            "of 120 for the year.",
        ),
        "C5": (
            "On target",
            "Affordable homes completed include 107 at Oakley Park, Edenbridge; all meet the "
            "Lifetime Homes Standard.",
        ),
        "C6": (
            "On target",
            "The Community Grant Scheme supported 25 organisations with grants totalling £54,800.",
        ),
        "G1": (
            "On target",
            "Officers work with the AONB units and countryside partners; no open space was lost "
            "on allocated sites. The emerging Local Plan remains at examination.",
        ),
        "G2": (
            "On target",
            "The emerging Local Plan includes design policies; five updated Conservation Area "
            "Appraisals were adopted in July 2019.",
        ),
        "G3": (
            "On target",
            "The weekly refuse and dry recycling collection was maintained; in quarter 4 every "
            "justified missed collection was put right by the next working day.",
        ),
        "G4": (
            "On target",
            "Missed collections were 5.7 per 100,000, better than the target of 10. Recycling "
            "campaigns were promoted on social media.",
        ),
        "H1": (
            "Achieved",
            "The 2019-2022 Health Inequalities Action Plan has been produced. There were 642 "
            "referrals to One You Kent.",
        ),
        "H2": (
            "On target",
            "The ten-point Health Deal is being delivered and is now monitored as part of H1 and "
            "H3.",
        ),
        "H3": (
            "On target",
            "Health Walks developed with the Greensands Commons project (paused for "
            "coronavirus); 1,447 care navigation interventions accepted in GP practices, an 85% "
            "acceptance rate.",
        ),
        "H4": (
            "On target",
            "As Caring 5: affordable homes completed at Oakley Park meet the Lifetime Homes "
            "Standard and support independence.",
        ),
        "D1": (
            "On target",
            "First year of the Economic Development Strategy: 86% of actions green, 14% amber, "
            "none red.",
        ),
        "D2": (
            "On target",
            "Job hubs opened in Swanley and Sevenoaks, a Pop Up Business School ran in Swanley, "
            "and the council's first supported internship programme started.",
        ),
        "D3": (
            "On target",
            "A review of digital inclusion support has started. The council's new web chat "
            "handled 686 chats.",
        ),
        "D4": (
            "On target",
            "West Kent business support continued; 4 businesses supported through Scale Up West "
            "Kent; West Kent LEADER funded rural businesses before the programme closed.",
        ),
        "Sus1": (
            "On target",
            "CIL allocated to projects including the White Oak Leisure Centre and Swanley "
            "Station improvements; several funded projects completed.",
        ),
        "Sus2": (
            "On target",
            "206 affordable homes completed in the year, 95 of them genuinely affordable.",
        ),
        "Sus3": (
            "On target",
            "A new Transport Assessment for the district was produced to support the Local Plan.",
        ),
        "Sus4": (
            "On target",
            "Community representatives, interest groups and parish councils took part in the "
            "Local Plan examination hearings.",
        ),
    },
    "2020/21": {
        "S1": (
            "Achieved",
            "97% of the Community Safety Partnership's action plan achieved in 2020/21, against "
            "a target of 85%.",
        ),
        "S2": (
            "On target",
            "6,791 victim-based crimes, fewer than last year during the lockdowns; the district "
            "stays amongst the lowest in Kent.",
        ),
        "S3": (
            "On target",
            "2,690 anti-social behaviour reports, up sharply with reports of lockdown breaches; "
            "still amongst the lowest in Kent.",
        ),
        "S5": (
            "On target",
            "Parking enforcement continued, adapted to the lockdowns.",
        ),
        "C1": (
            "On target",
            "Disabled Facilities, Hospital Discharge and Safe and Secure Grants continued "
            "through the pandemic.",
        ),
        "C2": (
            "On target",
            "The Better Care Fund provided around £100,000 for One You Your Home support for "
            "older people in Edenbridge and Swanley.",
        ),
        "C3": (
            "On target",
            "The group's 2020/21 priorities: additional needs, emotional well-being and healthy "
            "lifestyles.",
        ),
        "C4": (
            "On target",
            "The Housing Advice Team continued to prevent and relieve homelessness during the "
            "pandemic.",
        ),
        "C5": (
            "On target",
            "Housing Strategy actions for vulnerable households continued.",
        ),
        "C6": (
            "On target",
            "Community Grant Scheme projects supported vulnerable residents through the pandemic.",
        ),
        "G1": (
            "On target",
            "Local Plan policies continued to protect green spaces.",
        ),
        "G2": (
            "On target",
            "Design policies applied to planning decisions.",
        ),
        "G3": (
            "On target",
            "The weekly collection was maintained throughout the pandemic despite much heavier "
            "waste weights.",
        ),
        "G4": (
            "On target",
            "98% of the district's waste was recycled or reused; recycling campaigns ran with "
            "the Kent Resource Partnership.",
        ),
        "H1": (
            "On target",
            "Health Inequalities Action Plan delivery continued, much of it online.",
        ),
        "H2": (
            "On target",
            "District Deal measures on target.",
        ),
        "H3": (
            "On target",
            "Services adapted to the pandemic through a health in all policies approach.",
        ),
        "H4": (
            "On target",
            "Housing Strategy actions supporting independence continued.",
        ),
        "D1": (
            "On target",
            "Economic Development Strategy actions on track to the end of the strategy period.",
        ),
        "D2": (
            "On target",
            "Partnership skills projects moved online during the pandemic.",
        ),
        "D3": (
            "On target",
            "Digital inclusion provision by partners mapped.",
        ),
        "D4": (
            "On target",
            "The council became the Gateway for Kickstart West Kent.",
        ),
        "Sus1": (
            "On target",
            "CIL-funded projects continued.",
        ),
        "Sus2": (
            "On target",
            "Affordable homes delivery continued.",
        ),
        "Sus3": (
            "On target",
            "Transport evidence kept up to date for the Local Plan.",
        ),
        "Sus4": (
            "On target",
            "The Care for our Community scheme helped residents support each other.",
        ),
    },
    "2021/22": {
        "S1": (
            "Achieved",
            "97% of actions achieved in 2020/21. The CSU carried out 626 daily taskings; the "
            "partnership has over 35 projects in its action plan.",
        ),
        "S2": (
            "Achieved",
            "7,056 victim-based crimes, 265 more than last year; the second lowest number in the "
            "county.",
        ),
        "S3": (
            "Achieved",
            "1,513 anti-social behaviour incidents, a 44% decrease; third lowest in the county, "
            "and no higher than second lowest over the last three years.",
        ),
        "S5": (
            "Achieved",
            "Over 5,000 enforcement actions against vehicles parked in contravention of "
            "restrictions.",
        ),
        "C1": (
            "Achieved",
            "52 Disabled Facilities Grants, 31 Safe and Secure Grants and 15 Hospital Discharge "
            "Grants given out.",
        ),
        "C2": (
            "Achieved",
            "Your Home advisers held appointments with 180 clients during 2021/22 despite the "
            "pandemic. Over the last year Your Home Advisors have held appointments with over "
            "300 clients.",
        ),
        "C3": (
            "Achieved",
            "Priorities: school attendance, emotional resilience, domestic abuse and healthy "
            "lifestyles; Early Help continued to support families.",
        ),
        "C4": (
            "Achieved",
            "245 people supported with a positive outcome where homelessness was prevented or "
            "relieved.",
        ),
        "C5": (
            "Achieved",
            "S106 funding awarded to refurbish a property in Sevenoaks Town with 7 bed spaces "
            "for people with mental health needs.",
        ),
        "C6": (
            "Achieved",
            "Over 85% of Community Grant Scheme targets met or exceeded.",
        ),
        "G1": (
            "Achieved",
            "Local Plan policies protected open and green spaces; key developments contributed "
            "to open space.",
        ),
        "G2": (
            "Achieved",
            "Design training delivered to officers and members on the National Design Guide and "
            "the High Weald AONB Colour Assessment.",
        ),
        "G3": (
            "Achieved",
            "Weekly collection maintained; 6.8 missed collections per 100,000 against a target "
            "of 10.",
        ),
        "G4": (
            "Achieved",
            "98% of the district's waste recycled or reused, the same as last year, helped by "
            "recycling campaigns.",
        ),
        "H1": (
            "Achieved",
            "The Health Inequalities Action Plan became the Health and Wellbeing Plan, now "
            "monitored by a multi-agency partnership.",
        ),
        "H2": (
            "Achieved",
            "95% of District Deal measures on target.",
        ),
        "H3": (
            "Achieved",
            "One You services reinstated face to face; Our Parks funding delivered across the "
            "district.",
        ),
        "H4": (
            "Achieved",
            "Planning permissions determined for new accessible affordable homes.",
        ),
        "D1": (
            "Achieved",
            "All Economic Development Strategy actions on track; a new strategy is being drafted.",
        ),
        "D3": (
            "Achieved",
            "Good digital inclusion provision by partners; working with KCC on Community Wi-Fi.",
        ),
        "D4": (
            "Achieved",
            "Over 100 Kickstart placements approved by the end of March; the scheme has ended.",
        ),
        "Sus1": (
            "Achieved",
            "CIL training delivered to town and parish councils; no CIL Boards while "
            "developments were few.",
        ),
        "Sus2": (
            "Achieved",
            "20 affordable homes delivered; sites at Broom Hill and Sevenoaks will deliver 39 "
            "more.",
        ),
        "Sus3": (
            "Achieved",
            "Developments continue in accordance with the transport evidence and adopted policy.",
        ),
        "Sus4": (
            "Achieved",
            "Care for our Community ran until August 2021; a volunteer group set up for the "
            "Ukraine scheme.",
        ),
    },
}
"""Status and commentary per financial year and ref, paraphrasing the monitoring reports."""

TEMPLATE_HEADER = (
    "Plan",
    "Ref",
    "Key success measure",
    "Financial year",
    "Status",
    "Commentary",
    "Completed by",
)


def _catalogue() -> list[dict[str, str]]:
    """The key success measures seed: it decides which partner leads which measure."""
    path = REPO_ROOT / "dbt_project" / "seeds" / "key_success_measures.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["plan"] == PLAN]


def _applies(measure: dict[str, str], year: str) -> bool:
    return measure["first_year"] <= year <= measure["last_year"]


def write_sample(raw_dir: Path) -> list[Path]:
    """Write each lead partner's status return for each year it returned one."""
    catalogue = _catalogue()
    written: list[Path] = []
    for year in FINANCIAL_YEARS:
        returned = STATUS_RETURNS[year]
        for partner, folder in PARTNER_FOLDERS.items():
            measures = [
                m
                for m in catalogue
                if m["lead_partner"] == partner and _applies(m, year) and m["ref"] in returned
            ]
            if not measures:
                continue
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(TEMPLATE_HEADER)
            for measure in measures:
                status, commentary = returned[measure["ref"]]
                writer.writerow(
                    (
                        PLAN,
                        measure["ref"],
                        measure["key_success_measure"],
                        year,
                        status,
                        commentary,
                        COMPLETED_BY[measure["ref"]],
                    )
                )
            file_name = f"{year.replace('/', '-')}-key-success-measures.csv"
            path = raw_dir / "status" / folder / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
            written.append(path)
    return written
