"""The OMI2 report (2009-12), part by part as the reference report structure §2 lists them (Hertfordshire 2010)."""

from __future__ import annotations

from django.utils.html import format_html

from reports import assembly_common as common
from reports import charts
from reports.assembly_common import ReportData, part, table
from reports.assembly_omi import further_inspection_sentence

APPENDICES = ["criterion_scores", "sample", "contextual", "ippf", "scoring", "glossary"]
SAMPLE_TITLES = {
    "case_type": "Case types",
    "terminated": "Terminations",
    "gender": "Gender",
    "ethnicity": "Race and ethnic origin",
    "rosh": "RoSH classification",
}
SAMPLE_ORDER = ("case_type", "terminated", "gender", "ethnicity", "rosh")

CAVEAT = (
    "We advise readers of reports not to attempt close comparisons of scores between individual areas. Such "
    "comparisons are not necessarily valid as the sizes of samples vary slightly, as does the profile of cases "
    "included in each area's sample. We believe the scoring is best seen as a headline summary of what we have found "
    "in an individual area, and providing a focus for future improvement work within that area."
)
NEXT_STEPS = (
    "An improvement plan addressing the recommendations above is needed four weeks after publication. Once finalised, "
    "the plan will be forwarded to the Director of Offender Management in the region to monitor its implementation."
)
IPPF_INTRO = (
    "IPPF is the performance framework operated by NOMS. Under this, for each probation area, a score is assigned for "
    "each of four 'domains', based on results for the metrics specified. Using these scores, an overall score for the "
    "probation area is also assigned."
)


def build_parts(data: ReportData) -> list[dict | None]:
    texts = data.narrative.get("framework_parts", {})
    # An appendix without content is left out of a published report, and the others renumbered.
    data.appendix_order = [key for key in APPENDICES if key != "ippf" or texts.get("ippf") or data.draft]

    def appendix(key: str, title: str) -> str:
        return f"APPENDIX {data.appendix_no(key)}: {title}"

    return [
        common.cover_part(data, programme_line="", led_by="HM Inspectorate of Probation"),
        common.text_part("foreword", "FOREWORD", data.rich_or_missing(data.narrative.get("foreword"))),
        common.acknowledgements_part(data, "acknowledgements", "ACKNOWLEDGEMENTS"),
        common.contents_part(),
        scoring_table_part(data),
        summary_part(data),
        common.recommendations_part(
            data,
            "RECOMMENDATIONS FOR IMPROVEMENT",
            "Changes are necessary to ensure that, in a higher proportion of cases:",
        ),
        ofsted_recommendations_part(data, texts.get("ofsted_recommendations")),
        next_steps_part(data),
        common.good_practice_part(data, "SHARING GOOD PRACTICE", "OMI 2 Criterion"),
        common.service_users_part(data),
        *[common.section_part(data, section, commentary=section["kind"] == "case") for section in data.sections],
        part(
            "appendix-criterion-scores",
            "charts",
            appendix("criterion_scores", "Scoring of sections " + _span(data)),
            paragraphs=[],
            charts=[
                data.criterion_chart(
                    "chart-criteria",
                    f"OMI2 {data.area}: General Criterion Scores"
                    + (f" - {data.fieldwork_month_year}" if data.fieldwork_month_year else ""),
                    line=None,
                )
            ],
        ),
        common.sample_part(
            data,
            "appendix-sample",
            appendix("sample", f"{data.area} inspection sample data"),
            {code: f"OMI2 {data.area}: {title}" for code, title in SAMPLE_TITLES.items()},
            SAMPLE_ORDER,
        ),
        common.contextual_part(
            data, "appendix-contextual", appendix("contextual", f"{data.area} contextual information")
        ),
        ippf_part(data, appendix("ippf", "Integrated Probation Performance Framework"), texts.get("ippf"))
        if "ippf" in data.appendix_order
        else None,
        common.scoring_approach_part(data, "appendix-scoring", appendix("scoring", "Scoring approach")),
        common.abbreviations_part("appendix-glossary", appendix("glossary", "Glossary")),
    ]


def _span(data: ReportData) -> str:
    codes = [section["code"] for section in data.case_sections()]
    return f"{codes[0]}-{codes[-1]}" if codes else ""


def scoring_table_part(data: ReportData) -> dict:
    options = (data.framework.get("comment_scale") or {}).get("options", [])
    bands = [option["label"].split(" ")[0] for option in options]
    band_text = ", ".join(bands[:-1]) + f" or {bands[-1]}" if len(bands) > 1 else "".join(bands)
    paragraphs = [
        "This report provides percentage scores for each of the 'practice criteria', essentially indicating how often "
        "each aspect of work met the level of quality we were looking for.",
        "Accordingly, we are able to provide a score that represents how often the Risk of Harm to others and "
        "Likelihood of Reoffending aspects of the cases we assessed met the level of quality we were looking for, "
        "which we summarise here. We also provide a score for how often compliance and enforcement was done well "
        "enough.",
    ]
    if band_text:
        paragraphs.append(
            "Additionally, we give a headline 'Comment' by each score, to indicate whether we consider that this "
            f"aspect of work now requires {band_text} improvement in the immediate future."
        )
    headlines = []
    for headline in data.framework.get("headlines", []):
        score = data.headline_scores.get(headline["code"], {})
        comment = data.comment_label(score.get("comment"))
        headlines.append(
            {
                "id": f"headline-{headline['code']}",
                "label": headline.get("label") or headline["title"],
                "descriptor": headline.get("descriptor", ""),
                "score": score.get("display", "n/a"),
                "comment": comment or "Not recorded yet",
            }
        )
    chart = charts.score_bars(
        [(item["label"], _published(item["score"])) for item in headlines],
        axis_labels=[headline["title"] for headline in data.framework.get("headlines", [])],
        title=f"OMI2 {data.area}: headline scores",
        chart_id="chart-headlines",
        label_header="Headline score",
    )
    return part(
        "scoring-table",
        "scoring_table",
        "SCORING AND SUMMARY TABLE",
        paragraphs=paragraphs,
        headlines=headlines,
        chart=chart,
        caveat=CAVEAT,
        children=[{"id": item["id"], "title": item["label"]} for item in headlines],
    )


def _published(display: str) -> int | None:
    return None if display in ("", "n/a") else int(display.rstrip("%"))


def summary_part(data: ReportData) -> dict:
    summaries = data.narrative.get("summaries", {})
    subsections = []
    for section in data.sections:
        sub = {"id": f"summary-{section['code']}", "html": data.rich_or_missing(summaries.get(section["code"]))}
        if section["kind"] == "case":
            sub["title"] = f"{section['title']} {{Overall Score = {data.display('section', section['code'])}}}"
            rows = [
                (f"{block['code']} {criterion['short_title']}", block["score"], block["comment"])
                for criterion in data.criteria(section)
                if criterion["kind"] == "case"
                for block in [data.criterion_block(criterion)]
            ]
            sub["table"] = table(
                f"{section['title']}: criterion scores", rows, ("General Criterion", "Score", "Comment")
            )
        else:
            sub["title"] = section["title"]
            rows = [
                (
                    f"{criterion['code']} {criterion['title'].upper()}",
                    data.option_wording("leadership", data.grades.get(criterion["code"]), key="label")
                    or "Not graded yet",
                )
                for criterion in data.criteria(section)
            ]
            sub["table_intro"] = (
                f"Each of the criteria in the {section['title']} section has been graded below, according to the "
                f"four-point scale described in Appendix {data.appendix_no('scoring')}."
            )
            sub["table"] = table(f"{section['title']}: grades", rows, ("General Criterion", "Score"))
        subsections.append(sub)
    ofsted = data.narrative.get("framework_parts", {}).get("ofsted")
    if (ofsted and ofsted.strip()) or data.draft:
        subsections.append(
            {
                "id": "summary-ofsted",
                "title": "Ofsted: overall effectiveness including capacity to improve",
                "html": data.rich_or_missing(ofsted),
            }
        )
    return part("summary", "text", "SUMMARY", html="", subsections=subsections)


def ofsted_recommendations_part(data: ReportData, value) -> dict | None:
    items = [value] if isinstance(value, str) else list(value or [])
    items = [item for item in items if item and item.strip()]
    if not items:
        return None
    return part(
        "ofsted-recommendations",
        "recommendations",
        "Ofsted recommendations",
        new_page=False,
        intro="To improve, the area needs to:",
        items=[{"number": index, "html": data.rich(text), "criteria": []} for index, text in enumerate(items, 1)],
    )


def next_steps_part(data: ReportData) -> dict:
    written = data.narrative.get("next_steps")
    html = data.rich(written if written and written.strip() else NEXT_STEPS)
    return common.text_part(
        "next-steps", "NEXT STEPS", format_html("{}{}", html, further_inspection_sentence(data)), new_page=False
    )


def ippf_part(data: ReportData, title: str, rows) -> dict:
    rows = [row if isinstance(row, (list, tuple)) else [row] for row in rows or []]
    tables = [table("Integrated Probation Performance Framework", rows, ("Measure", "Result"))] if rows else []
    html = format_html("{}{}", data.rich(IPPF_INTRO), data.rich_or_missing("") if not rows else "")
    return part("appendix-ippf", "tables", title, tables=tables, html=html)
