"""The OMI report (2006-09), part by part as the reference report structure §1 lists them (Lincolnshire 2007).

Also the layout for a programme the application does not know yet.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from reports import assembly_common as common
from reports.assembly_common import ReportData, part, table

APPENDICES = ["contextual", "sample", "scoring"]
SAMPLE_TITLES = {
    "case_type": "Type of case",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "rosh": "RoSH classification",
}
SAMPLE_ORDER = ("case_type", "terminated", "gender", "ethnicity", "rosh")

CAVEAT = (
    "We advise readers of reports against attempting to compare scores area by area. Such comparisons are not "
    "entirely valid as the sizes of samples vary slightly, as does the profile of cases included in each area's "
    "sample. We believe the scoring is best seen as a simple summary of what we have found in an individual "
    "probation area and needs to be seen alongside the full findings and recommendations of any particular report."
)
IMPROVEMENT_PLAN = "An improvement plan addressing the recommendations above is needed four weeks after publication."
FURTHER_RULE = (
    "Further focused inspections will be carried out approximately 12 months after the original OMI when "
    "HMI Probation has a serious concern about an area's RoH work."
)


def build_parts(data: ReportData) -> list[dict | None]:
    data.appendix_order = APPENDICES
    sections = [common.section_part(data, section) for section in data.sections]
    return [
        common.cover_part(data, programme_line="OFFENDER MANAGEMENT INSPECTION", led_by="HM Inspectorate of Probation"),
        common.text_part("foreword", "FOREWORD", data.rich_or_missing(data.narrative.get("foreword"))),
        common.acknowledgements_part(data, "acknowledgements", "ACKNOWLEDGEMENTS"),
        common.contents_part(),
        common.abbreviations_part("abbreviations", "LIST OF ABBREVIATIONS/ACRONYMS"),
        summary_part(data),
        scores_part(data),
        common.recommendations_part(data, "RECOMMENDATIONS FOR IMPROVEMENT", "Improvements are necessary as follows:"),
        next_steps_part(data, IMPROVEMENT_PLAN, FURTHER_RULE),
        common.good_practice_part(data, "SHARING GOOD PRACTICE", "OMI Criterion"),
        *framework_parts(data),
        common.service_users_part(data),
        *sections,
        common.contextual_part(
            data, "appendix-contextual", f"APPENDIX {data.appendix_no('contextual')}: Contextual information"
        ),
        common.sample_part(
            data,
            "appendix-sample",
            f"APPENDIX {data.appendix_no('sample')}: Inspection model, methodology and sample",
            SAMPLE_TITLES,
            SAMPLE_ORDER,
        ),
        common.scoring_approach_part(
            data, "appendix-scoring", f"APPENDIX {data.appendix_no('scoring')}: Scoring Approach"
        ),
    ]


def summary_part(data: ReportData) -> dict:
    summaries = data.narrative.get("summaries", {})
    subsections = [
        {
            "id": f"summary-{section['code']}",
            "title": section["title"],
            "html": data.rich_or_missing(summaries.get(section["code"])),
        }
        for section in data.sections
    ]
    subsections += [
        {
            "id": f"summary-{headline['code']}",
            "title": headline["title"].removesuffix(" thread"),
            "html": data.rich_or_missing(summaries.get(headline["code"])),
        }
        for headline in data.framework.get("headlines", [])
    ]
    return part("summary", "text", "SUMMARY", html="", subsections=subsections)


def scores_part(data: ReportData) -> dict:
    line = data.framework["rules"].get("priority_line")
    case_codes = [section["code"] for section in data.case_sections()]
    span = f"{case_codes[0]}-{case_codes[-1]}" if case_codes else ""
    intro = f"Chart 1 shows the percentage score for each Offender Management Inspection criterion in sections {span}."
    if line is not None:
        intro += (
            " A line of priority for improvement is also indicated. The scores which fall below this line (which is "
            "not a line of 'sufficiency') indicate those criteria which form a primary focus for improvement."
        )
    if data.framework.get("headlines"):
        intro += (
            " Table 2 indicates a score drawn from a range of indicators specifically about Risk of Harm work. "
            "This score is significant in determining whether a further focused inspection will be carried out."
        )
    intro += f" Full details of our Scoring Approach are contained in Appendix {data.appendix_no('scoring')}."
    when = f" ({data.fieldwork_month_year})" if data.fieldwork_month_year else ""
    chart = data.criterion_chart("chart-1", f"Offender Management Inspection - {data.area}{when}", line=line)
    grades = [
        (
            data.criterion_heading(criterion),
            data.option_wording("leadership", data.grades.get(criterion["code"]), key="label") or "Not graded yet",
        )
        for section in data.leadership_sections()
        for criterion in data.criteria(section)
    ]
    headline_rows = [
        (headline.get("label") or f"Score for {headline['title']}", data.display("headline", headline["code"]))
        for headline in data.framework.get("headlines", [])
    ]
    leadership_span = ", ".join(section["code"] for section in data.leadership_sections())
    return part(
        "summary-of-scores",
        "scores_omi",
        "SUMMARY OF SCORES",
        intro=intro,
        chart_caption=f"Chart 1: Scoring of sections {span}",
        chart=chart,
        table1=table(f"Table 1: Scoring of section {leadership_span}", grades, ("General criterion", "Grade"))
        if grades
        else None,
        caveat=CAVEAT,
        table2=table(f"Table 2: {data.framework['headlines'][0]['title']}", headline_rows, ("Headline", "Score"))
        if headline_rows
        else None,
    )


def further_inspection_sentence(data: ReportData) -> SafeString:
    decision = data.narrative.get("further_inspection")
    if decision is True:
        return format_html("<p>There will be a further inspection in {}.</p>", data.area)
    if decision is False:
        return format_html("<p>There will <strong>not</strong> be a further inspection in {}.</p>", data.area)
    if data.draft:
        return format_html('<p class="missing">{}</p>', "The decision on a further inspection is not recorded yet.")
    return mark_safe("")


def next_steps_part(data: ReportData, plan: str, rule: str) -> dict:
    written = data.narrative.get("next_steps")
    html = data.rich(written) if written and written.strip() else data.rich(f"{plan}\n\n{rule}")
    return common.text_part(
        "next-steps", "NEXT STEPS", format_html("{}{}", html, further_inspection_sentence(data)), new_page=False
    )


def framework_parts(data: ReportData) -> list[dict | None]:
    """OMI's own parts: offender management in the area and in the prison visited."""
    texts = data.narrative.get("framework_parts", {})
    area = common.text_part(
        "om-area", f"OFFENDER MANAGEMENT IN {data.area.upper()}", data.rich_or_missing(texts.get("area"))
    )
    prison_name = (texts.get("prison_name") or "").strip()
    prison_text = texts.get("prison") or ""
    prison = None
    if prison_name or prison_text.strip() or data.draft:
        prison = common.text_part(
            "om-prison",
            f"OFFENDER MANAGEMENT IN {(prison_name or 'custody').upper()}",
            data.rich_or_missing(prison_text),
        )
    return [area, prison]
