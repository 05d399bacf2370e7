"""The IAOW report (2013-), part by part as the reference report structure §3 lists them (Merseyside 2013).

Contents come after the summary and recommendations; each outcome is a chapter (§3.2) whose
findings are numbered paragraphs, one sub-section per criterion in report order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports import assembly_common as common
from reports import charts
from reports.assembly_common import ReportData, part, table

APPENDICES = ["contextual", "sample", "acknowledgements", "scoring", "criteria", "glossary"]
SAMPLE_TITLES = {
    "gender": "Gender",
    "ethnicity": "Race and Ethnicity",
    "case_type": "Type of Case",
    "rosh": "OASys RoSH classification as recorded at the start of sentence or release on licence or transfer "
    "into this area",
    "principal_offence": "Principal Offence",
}
SAMPLE_ORDER = ("gender", "ethnicity", "case_type", "rosh", "principal_offence")
# The score sentence is worded per outcome in the published report (M44, M248, M466, M614, M788).
OUTCOME_PHRASES = {
    "o1": "work to assist sentencing",
    "o2": "the work to deliver the sentence of the court",
    "o3": "the work to reduce reoffending",
    "o4": "the work to protect the public by minimising the risk of harm to others",
    "o5": "the work to deliver effective services to victims",
}
# Where the service users' views appear: sentencers in outcome 1, offenders in 2, victims in 5.
SERVICE_USER_CHAPTERS = {
    "1": ("courts", "Comments from sentencers"),
    "2": ("offenders", "The views of offenders"),
    "5": ("victims", "Comments from victims"),
}
FACTORS_CHAPTER = "3"
DATA_NOTE = (
    "The following chart summarises data from the criteria assessed during the inspection of cases. [NB: {cases} cases "
    "were inspected. However, the total answers may not equal this, since some questions may not have been "
    "applicable to every case]."
)


def build_parts(data: ReportData) -> list[dict | None]:
    data.appendix_order = APPENDICES
    outcomes = [_outcome(data, index, section) for index, section in enumerate(data.case_sections())]

    def appendix(key: str, title: str) -> str:
        return f"Appendix {data.appendix_no(key)}: {title}"

    return [
        common.cover_part(data, programme_line="", led_by="HMI Probation"),
        common.text_part("foreword", "Foreword", data.rich_or_missing(data.narrative.get("foreword"))),
        summary_part(data, outcomes),
        common.recommendations_part(
            data, "Recommendations", "Post-inspection improvement work should focus particularly on ensuring that:"
        ),
        common.contents_part("Contents"),
        *[chapter_part(data, outcome) for outcome in outcomes],
        common.contextual_part(
            data, "appendix-contextual", appendix("contextual", "Contextual information about the area inspected")
        ),
        common.sample_part(
            data,
            "appendix-sample",
            appendix("sample", "Contextual information about the inspected case sample"),
            SAMPLE_TITLES,
            SAMPLE_ORDER,
        ),
        common.acknowledgements_part(
            data,
            "appendix-acknowledgements",
            appendix("acknowledgements", "Acknowledgements"),
            groups=common.team_groups_iaow(),
        ),
        common.scoring_approach_part(data, "appendix-scoring", appendix("scoring", "Scoring approach")),
        criteria_part(data, appendix("criteria", "Criteria")),
        common.abbreviations_part("appendix-glossary", appendix("glossary", "Glossary")),
    ]


def _outcome(data: ReportData, index: int, section: Mapping[str, Any]) -> dict:
    """The outcome's score: its headline (the i-th), else the section score."""
    headlines = data.framework.get("headlines", [])
    headline = headlines[index] if index < len(headlines) else None
    display = data.display("headline", headline["code"]) if headline else data.display("section", section["code"])
    phrase = OUTCOME_PHRASES.get(headline["code"] if headline else "", f"the work on {section['title'].lower()}")
    if display == "n/a":
        sentence = f"There is no score (n/a): no relevant cases were assessed for {phrase}."
    else:
        sentence = f"Overall, {display} of {phrase} was done well enough."
    return {"number": index + 1, "section": section, "display": display, "sentence": sentence}


def summary_part(data: ReportData, outcomes: list[dict]) -> dict:
    summaries = data.narrative.get("summaries", {})
    rows = [(outcome["section"]["title"], outcome["display"]) for outcome in outcomes]
    outcome_table = table(
        "The five outcome scores" if len(rows) == 5 else "Outcome scores",
        rows,
        ("Outcomes", "The proportion of work judged to have been done well enough"),
    )
    chart = charts.score_bars(
        [(title, None if value == "n/a" else int(value.rstrip("%"))) for title, value in rows],
        axis_labels=[f"Outcome {outcome['number']}" for outcome in outcomes],
        title=f"{data.area}: outcome scores",
        chart_id="chart-outcomes",
        label_header="Outcome",
    )
    subsections = [
        {
            "id": f"summary-{outcome['section']['code']}",
            "title": f"Outcome {outcome['number']}: {outcome['section']['title']}",
            "intro": outcome["sentence"],
            "html": data.rich_or_missing(summaries.get(outcome["section"]["code"])),
        }
        for outcome in outcomes
    ]
    note = ""
    if data.narrative.get("good_practice"):
        note = (
            "Please note – all names referred to in the practice examples have been amended to protect the "
            "individual's identity."
        )
    return part(
        "summary", "summary_iaow", "Summary", table=outcome_table, chart=chart, subsections=subsections, note=note
    )


def _in_section(code: str, section_code: str) -> bool:
    return code == section_code or code.startswith(f"{section_code}.")


def _paragraphs(data: ReportData, text: str, number: int) -> list[dict]:
    blocks = [block for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [{"number": f"{number}.{index}.", "html": data.rich(block)} for index, block in enumerate(blocks, 1)]


def chapter_part(data: ReportData, outcome: dict) -> dict:
    section = outcome["section"]
    code = section["code"]
    findings = []
    for number, criterion in enumerate(data.criteria(section), start=1):
        narrative = data.findings(criterion["code"], style="numbers")
        findings.append(
            {
                "id": "criterion-" + criterion["code"].replace(".", "-"),
                "title": f"{number}. {criterion['title']}",
                "paragraphs": _paragraphs(data, data.narrative_for(criterion["code"]).get("commentary", ""), number),
                "strengths": narrative["strengths"],
                "areas": narrative["areas"],
            }
        )
    key = data.findings(code, style="numbers")
    recommendations = [
        {"number": item["number"], "html": data.rich(item["text"])}
        for item in data.narrative.get("recommendations", [])
        if any(_in_section(criterion, code) for criterion in item.get("criteria", []))
    ]
    illustrations = [
        {"title": f"Practice illustration – {item['title']}", "html": data.rich(item["text"])}
        for item in data.narrative.get("good_practice", [])
        if _in_section(item["criterion"], code)
    ]
    views = None
    if code in SERVICE_USER_CHAPTERS:
        source, title = SERVICE_USER_CHAPTERS[code]
        text = data.narrative.get("service_users", {}).get(source)
        if (text and text.strip()) or data.draft:
            views = {"title": title, "html": data.rich_or_missing(text)}
    factors = None
    if code == FACTORS_CHAPTER:
        rows = data.narrative.get("framework_parts", {}).get("offending_factors") or []
        if rows:
            factors = table("Prevalent offending-related factors", rows, ("Offending-related factor", "Cases"))
    scored = [criterion for criterion in data.criteria(section) if criterion["code"] in data.criterion_scores]
    chart = (
        charts.score_bars(
            [(f"{c['code']} {c['short_title']}", _published(data.display("score", c["code"]))) for c in scored],
            axis_labels=[c["code"] for c in scored],
            title=f"Outcome {outcome['number']}: {section['title']} – criterion scores",
            chart_id=f"chart-outcome-{code}",
            label_header="Criterion",
        )
        if scored
        else None
    )
    return part(
        f"outcome-{code}",
        "outcome",
        f"Outcome {outcome['number']}: {section['title']}",
        number=outcome["number"],
        expect=section.get("descriptor", ""),
        score_sentence=outcome["sentence"],
        key_strengths=key["strengths"],
        key_areas=key["areas"],
        findings=findings,
        illustrations=illustrations,
        views=views,
        factors=factors,
        recommendations=recommendations,
        summary_link=f"summary-{code}",
        data_note=DATA_NOTE.format(cases=data.values["cases"]),
        chart=chart,
    )


def _published(display: str) -> int | None:
    return None if display in ("", "n/a") else int(display.rstrip("%"))


def criteria_part(data: ReportData, title: str) -> dict:
    rows = [
        (f"Outcome {index}: {section['title']}", "; ".join(f"{c['code']} {c['title']}" for c in data.criteria(section)))
        for index, section in enumerate(data.case_sections(), start=1)
    ]
    return part(
        "appendix-criteria",
        "tables",
        title,
        tables=[table("Outcomes and their criteria", rows, ("Outcome", "Criteria"))],
        html="",
    )
