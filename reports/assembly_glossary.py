"""The built-in list of abbreviations; a report lists only those its own text uses.

Meanings follow the glossaries of the published reports (Lincolnshire 2007, Hertfordshire 2010,
Merseyside 2013). Terms are matched case-sensitively as whole words, so "OM" never matches
inside "OMI" and "RoH" never matches "ROH" in a shouted heading by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ABBREVIATIONS: dict[str, str] = {
    "ACO": "Assistant chief officer",
    "AP": "Approved premises",
    "ATR": "Alcohol treatment requirement",
    "BME": "Black and minority ethnic",
    "CALM": "Controlling Anger and Learning to Manage it programme",
    "CDRP": "Crime and Disorder Reduction Partnership",
    "CDVP": "Community Domestic Violence Programme",
    "CEO": "Chief executive officer",
    "CJB": "Criminal Justice Board",
    "CO": "Chief officer",
    "CPS": "Crown Prosecution Service",
    "DOM": "Director of Offender Management",
    "DRR": "Drug rehabilitation requirement",
    "DTTO": "Drug treatment and testing order",
    "ETE": "Employment, training and education",
    "ETS": "Enhanced Thinking Skills programme",
    "FDR": "Fast delivery report",
    "HMI Prisons": "Her Majesty's Inspectorate of Prisons",
    "HMI Probation": "Her Majesty's Inspectorate of Probation",
    "HMIC": "Her Majesty's Inspectorate of Constabulary",
    "HMP": "Her Majesty's Prison",
    "IAOW": "Inspection of Adult Offending Work",
    "IDAP": "Integrated Domestic Abuse Programme",
    "IOM": "Integrated Offender Management",
    "IPPF": "Integrated Probation Performance Framework",
    "ISP": "Initial sentence plan",
    "LCJB": "Local Criminal Justice Board",
    "LDU": "Local delivery unit",
    "LoR": "Likelihood of reoffending",
    "LSCB": "Local Safeguarding Children Board",
    "MAPPA": "Multi-Agency Public Protection Arrangements",
    "MARAC": "Multi-agency risk assessment conference",
    "NOMS": "National Offender Management Service",
    "NPS": "National Probation Service",
    "OASys": "Offender Assessment System",
    "OGRS": "Offender Group Reconviction Score",
    "OM": "Offender manager",
    "OMI": "Offender Management Inspection",
    "OMI2": "Offender Management Inspection 2",
    "OMU": "Offender Management Unit",
    "PO": "Probation officer",
    "PPO": "Prolific and other priority offender",
    "PSO": "Probation services officer",
    "PSR": "Pre-sentence report",
    "REM": "Race and ethnic monitoring",
    "RJ": "Restorative justice",
    "RMP": "Risk management plan",
    "ROM": "Regional offender manager",
    "RoH": "Risk of Harm to others",
    "RoSH": "Risk of Serious Harm",
    "SDR": "Standard delivery report",
    "SFO": "Serious further offence",
    "SLA": "Service level agreement",
    "SMB": "Strategic Management Board",
    "SMT": "Senior management team",
    "SPO": "Senior probation officer",
    "SSO": "Suspended sentence order",
    "TPO": "Trainee probation officer",
    "TSP": "Thinking Skills Programme",
    "UPW": "Unpaid work",
    "ViSOR": "Violent and Sexual Offender Register",
    "VLO": "Victim liaison officer",
    "YOI": "Young offender institution",
    "YOS": "Youth Offending Service",
    "YOT": "Youth Offending Team",
}

_PATTERNS = {term: re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}s?(?![A-Za-z0-9])") for term in ABBREVIATIONS}
_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    return _TAG.sub(" ", html)


def used_abbreviations(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(term, meaning) for every listed abbreviation the texts use, alphabetically."""
    text = "\n".join(plain_text(text) for text in texts)
    found = [term for term, pattern in _PATTERNS.items() if pattern.search(text)]
    return [(term, ABBREVIATIONS[term]) for term in sorted(found, key=str.casefold)]
