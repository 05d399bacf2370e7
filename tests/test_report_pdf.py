"""Real PDFs of an OMI, an OMI2 and an IAOW report, read back as a reader (and a screen reader) would.

Set REPORT_PDF_DIR to keep the rendered files for looking at them.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import re
import shutil
import subprocess

import pikepdf
import pytest
from pypdf import PdfReader

from cases.models import Answer, Assessment, Case
from demo.seed import demo_attributes
from inspections.applicability import NA, question_applies
from inspections.models import Membership
from inspections.services import create_inspection
from inspections.structure import structure_for
from reports.assembly import assemble_report
from reports.models import CriterionNarrative, GoodPractice, PerformanceRow, Recommendation, ReportContent
from reports.pdf import page_count
from reports.rendering import render_report_pdf
from scoring.models import Judgement
from tests.factories import add_member, make_user


def make_real_cases(inspection, count: int, *, seed: int = 1, share: float = 0.75, state: str = "approved"):
    """`count` cases with realistic attributes, each answered in bulk on the real framework.

    Questions are walked in framework order so gated questions apply only behind the right answer;
    about `share` of the applicable answers are sufficient.
    """
    structure = structure_for(inspection.framework)
    rng = random.Random(seed)
    attribute_defs = inspection.framework.definition["case_attributes"]
    cases = Case.objects.bulk_create(
        Case(inspection=inspection, case_ref=f"R{index:04d}", attributes=demo_attributes(rng, attribute_defs))
        for index in range(count)
    )
    assessments = Assessment.objects.bulk_create(Assessment(case=case, state=state) for case in cases)
    answers = []
    for case, assessment in zip(cases, assessments, strict=True):
        given: dict[str, str] = {}
        for code, question in structure.questions.items():
            if not question_applies(question.as_rule(), case.attributes, given):
                given[code] = NA
                continue
            good = [option for option in question.options if option.sufficient]
            bad = [option for option in question.options if not option.sufficient] or good
            option = rng.choice(good) if rng.random() < share else rng.choice(bad)
            given[code] = option.code
            answers.append(
                Answer(
                    assessment=assessment,
                    question_id=structure.question_ids[code],
                    value=option.code,
                    sufficient=option.sufficient,
                    version=1,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=5000)
    return cases


def make_report_inspection(framework_code: str, *, slug: str, area: str, cases: int = 20, seed: int = 1):
    """An inspection of a real framework with a team, assessed cases, judgements and narrative."""
    inspection = create_inspection(
        framework_code=framework_code,
        area_name=area,
        slug=slug,
        fieldwork_start=datetime.date(2007, 3, 5),
        fieldwork_end=datetime.date(2007, 3, 9),
    )
    lead = add_member(
        inspection, make_user(f"{slug}-lead", first_name="Kate", last_name="White"), Membership.Role.LEAD
    ).user
    add_member(inspection, make_user(f"{slug}-insp", first_name="Ben", last_name="Clark"), Membership.Role.INSPECTOR)
    add_member(
        inspection, make_user(f"{slug}-la", first_name="Amy", last_name="Gilbert"), Membership.Role.LOCAL_ASSESSOR
    )
    if cases:
        make_real_cases(inspection, cases, seed=seed)
    definition = inspection.framework.definition
    criteria = [c for s in definition["sections"] for c in s["criteria"]]
    for criterion in criteria:
        if criterion["kind"] == "leadership" and definition["judgement_options"]["leadership"]:
            Judgement.objects.create(
                inspection=inspection,
                target="criterion",
                code=criterion["code"],
                kind="grade",
                value=definition["judgement_options"]["leadership"][0]["code"],
                updated_by=lead,
            )
    if definition.get("comment_scale"):
        for criterion in criteria:
            if criterion["kind"] == "case":
                Judgement.objects.create(
                    inspection=inspection,
                    target="criterion",
                    code=criterion["code"],
                    kind="comment",
                    value="substantial",
                    updated_by=lead,
                )
        for headline in definition["headlines"]:
            Judgement.objects.create(
                inspection=inspection,
                target="headline",
                code=headline["code"],
                kind="comment",
                value="moderate",
                updated_by=lead,
            )
    write_full_narrative(inspection, lead)
    return inspection


def write_full_narrative(inspection, lead) -> None:
    """Narrative for every part the framework's report declares, as a lead would have it at publication."""
    definition = inspection.framework.definition
    report = definition["report"]
    specs = {spec["part"]: spec for spec in report["parts"]}
    criteria = [c for s in definition["sections"] for c in s["criteria"]]
    first_case = next(c for c in criteria if c["kind"] == "case")
    section_codes = [s["code"] for s in definition["sections"]]
    headline = definition["headlines"][0]["code"] if definition["headlines"] else ""
    contextual = {}
    for table in specs.get("contextual", {}).get("tables", []):
        example = table.get("example") or ["Total caseload", "2,173"]
        contextual[table["key"]] = [example, [f"{example[0]} (previous year)", *example[1:]]]
    ippf_columns = len(specs.get("ippf", {}).get("columns", ["", ""]))
    ReportContent.objects.create(
        inspection=inspection,
        foreword=(
            f"In {{{{area}}}} we assessed {{{{cases}}}} cases. Risk of Harm work was done well enough "
            f"{{{{headline:{headline}}}}} of the time; criterion {first_case['code']} scored "
            f"{{{{score:{first_case['code']}}}}}. MAPPA arrangements were sound.\n\n"
            "ANDREW BRIDGES\nHM Chief Inspector of Probation"
        ),
        summaries={code: f"Summary of section {code}: work was {{{{section:{code}}}}} sound." for code in section_codes}
        | {headline: "Risk of Harm work was prioritised."},
        next_steps="",
        further_inspection=False,
        service_users={
            "offenders": "Offenders were positive.",
            "victims": "Victims felt informed.",
            "courts": "Sentencers were satisfied with PSRs.",
        },
        framework_parts={
            "area": "The offender management model was embedded.",
            "prison_name": "HMP Lincoln",
            "prison": "Custody work was sound.",
            "ofsted": "Learning needs were insufficiently met.",
            "ofsted_recommendations": ["Ensure that a range of provision is available."],
            "ippf": [["Public Protection"], ["Tier 4 OASys Assess", *["84%"] * (ippf_columns - 1)]],
            "offending_factors": [["thinking and behaviour (66)", "65%", "59%"]],
        },
        contextual=contextual,
    )
    for section in definition["sections"]:
        CriterionNarrative.objects.create(
            inspection=inspection,
            code=section["code"],
            strengths=["Key strength one."],
            areas_for_improvement=["Key area one."],
            commentary="Commentary on the section as a whole.",
        )
    for criterion in criteria:
        first = criterion["code"] == first_case["code"]
        CriterionNarrative.objects.create(
            inspection=inspection,
            code=criterion["code"],
            strengths=[
                "Reports were timely.",
                "Proposals were clear ({{score:" + first_case["code"] + "}}).",
                "Gatekeeping worked.",
            ]
            if first
            else [f"Work on {criterion['title'].lower()} was sound."],
            areas_for_improvement=["Victim information was thin."],
            commentary="Courts valued the work.\n\nThe protocol helped." if first else "Findings were mixed.",
        )
    Recommendation.objects.create(
        inspection=inspection, number=1, text="RoH screening is accurate.", criteria=[first_case["code"]]
    )
    Recommendation.objects.create(inspection=inspection, number=2, text="Plans are reviewed.", criteria=[])
    GoodPractice.objects.create(
        inspection=inspection,
        position=1,
        title="Committed offender management",
        criterion=first_case["code"],
        text="Julie was supported throughout.",
    )
    if any(spec.get("performance") for spec in report["parts"]):
        PerformanceRow.objects.bulk_create(
            [
                PerformanceRow(
                    inspection=inspection,
                    position=1,
                    group="NPS Performance Data",
                    measure="Enforcement: breach taken within ten working days",
                    target="90%",
                    area_figure="98%*",
                    national_figure="92%*",
                ),
                PerformanceRow(
                    inspection=inspection,
                    position=2,
                    group="NPS Performance Data",
                    measure="Sickness absence: average days absence",
                    target="9 days",
                    area_figure="9.0*",
                    national_figure="11.2",
                ),
            ]
        )


def pdf_text(pdf: bytes) -> str:
    """The text in reading order, pages separated by form feeds (pdftotext; pypdf without poppler).

    Not -layout: that interleaves the lines of neighbouring table cells.
    """
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return result.stdout.decode()
    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def keep(pdf: bytes, name: str) -> None:
    folder = os.environ.get("REPORT_PDF_DIR")
    if folder:
        with open(os.path.join(folder, name), "wb") as file:
            file.write(pdf)


def assert_in_order(text: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing (or out of order) after position {position}"
        position = found + len(needle)


def assert_every_page_marked(text: str) -> None:
    pages = [page for page in text.split("\f") if page.strip()]
    total = len(pages)
    assert total > 5
    for number, page in enumerate(pages, start=1):
        assert "DRAFT" in page, f"page {number} is not marked DRAFT"
        assert f"Page {number} of {total}" in page


@pytest.mark.django_db
def test_omi_report(frameworks):
    inspection = make_report_inspection("omi-2006", slug="lincolnshire-2007", area="Lincolnshire", cases=24)
    context = assemble_report(inspection)
    pdf, _ = render_report_pdf(inspection)
    keep(pdf, "omi.pdf")
    text = pdf_text(pdf)
    assert_every_page_marked(text)
    body = " ".join(text.split("CONTENTS", 2)[-1].split())  # after the contents page, which repeats the headings
    assert_in_order(
        body,
        [
            "LIST OF ABBREVIATIONS/ACRONYMS",
            "SUMMARY",
            "SUMMARY OF SCORES",
            "Chart 1: Scoring of sections 1-3",
            "Table 1: Scoring of section 4",
            "Table 2: Risk of Harm thread",
            "RECOMMENDATIONS FOR IMPROVEMENT",
            "NEXT STEPS",
            "SHARING GOOD PRACTICE",
            "OFFENDER MANAGEMENT IN LINCOLNSHIRE",
            "OFFENDER MANAGEMENT IN HMP LINCOLN",
            "SERVICE USERS' PERSPECTIVE",
            "1. ASSESSMENT AND SENTENCE PLANNING",
            "1.1 General Criterion: PREPARING FOR SENTENCE",
            "2. IMPLEMENTATION OF INTERVENTIONS",
            "3. ACHIEVEMENT AND MONITORING OF OUTCOMES",
            "4. LEADERSHIP AND STRATEGIC MANAGEMENT",
            "APPENDIX 1 Contextual information",
            "APPENDIX 2 Inspection model, methodology and publication arrangements",
            "APPENDIX 3 Scoring Approach",
            "APPENDIX 4 Role of HMI Probation",
        ],
    )
    assert_tagged_for_pdfua(pdf, context)
    scores = context["values"]["score"]
    flat = " ".join(text.split())
    for code, display in scores.items():
        assert f"Score: {display}" in flat or display == "n/a"
        assert re.search(rf"{re.escape(code)} .*? {re.escape(display)}", flat), code
    assert "ANDREW BRIDGES\nHM Chief Inspector of Probation" in text  # the signature keeps its lines
    assert "Performance against national and regional targets" in flat and "98%*" in flat
    assert "In Lincolnshire we assessed 24 cases." in flat
    assert f"criterion 1.1 scored {scores['1.1']}" in flat
    assert "There will not be a further inspection in Lincolnshire." in flat
    assert "{{" not in text
    assert "Well met" in flat and "Conclusion:" in flat
    assert "(a) Reports were timely." in flat and "Area for Improvement:" in flat
    assert page_count(pdf) == len([page for page in text.split("\f") if page.strip()])


@pytest.mark.django_db
def test_omi2_report(frameworks):
    inspection = make_report_inspection("omi2-2009", slug="hertfordshire-2010", area="Hertfordshire", cases=20)
    context = assemble_report(inspection)
    pdf, _ = render_report_pdf(inspection)
    keep(pdf, "omi2.pdf")
    text = pdf_text(pdf)
    assert_every_page_marked(text)
    flat = " ".join(text.split())
    body = " ".join(text.split("CONTENTS", 2)[-1].split())
    assert_in_order(
        body,
        [
            "SCORING AND SUMMARY TABLE",
            "SUMMARY",
            "Ofsted: overall effectiveness",
            "RECOMMENDATIONS FOR IMPROVEMENT",
            "NEXT STEPS",
            "SHARING GOOD PRACTICE",
            "SERVICE USERS' PERSPECTIVE",
            "1. ASSESSMENT AND SENTENCE PLANNING",
            "COMMENTARY on Assessment and sentence planning as a whole:",
            "4. LEADERSHIP AND STRATEGIC MANAGEMENT",
            "APPENDIX 1: Scoring of sections 1-3",
            "APPENDIX 2: Hertfordshire inspection sample data",
            "APPENDIX 3: Hertfordshire contextual information",
            "APPENDIX 4: Integrated Probation Performance",
            "APPENDIX 5: Inspection model and arrangements",
            "APPENDIX 6: Scoring approach",
            "APPENDIX 7: Role of HMI Probation and Code of Practice",
            "APPENDIX 8: Glossary",
        ],
    )
    for display in context["values"]["section"].values():
        assert f"{{Overall Score = {display}}}" in flat
    # Scores and comments sit under their column headings, not repeated in every cell.
    assert "Score: " not in flat and "Comment: MODERATE" not in flat
    assert "SUBSTANTIAL improvement required." in flat and "MODERATE improvement required" in flat
    assert_tagged_for_pdfua(pdf, context)
    assert "VERY effective in making good quality offender management more likely." in flat
    assert "OMI 2 Criterion: 1.1" in flat


@pytest.mark.django_db
def test_iaow_report(frameworks):
    inspection = make_report_inspection("iaow-2013", slug="merseyside-2013", area="Merseyside", cases=16)
    context = assemble_report(inspection)
    pdf, _ = render_report_pdf(inspection)
    keep(pdf, "iaow.pdf")
    text = pdf_text(pdf)
    assert_every_page_marked(text)
    flat = " ".join(text.split())
    assert_in_order(
        flat,
        [
            "Inspection of Adult Offending Work in Merseyside",
            "Foreword",
            "Summary",
            "Recommendations",
            "Contents",
            "Outcome 1: Assisting sentencing",
            "What we expect to see",
            "Case assessment score",
            "Explanation of findings",
            "Outcome 5: Delivering effective work for victims",
            "Appendix 1: Contextual information about the area",
            "Appendix 2: Contextual information about the inspected case sample",
            "Appendix 3: Acknowledgements",
            "Appendix 4: Inspection arrangements",
            "Appendix 5: Scoring approach",
            "Appendix 6: Criteria",
            "Appendix 7: Glossary",
            "Appendix 8: Role of HMI Probation and Code of Practice",
        ],
    )
    assert "In Merseyside we inspected a total of 16 cases." in flat
    assert "Pre Sentence Reports" in flat and "Engaging people at the start of sentence" in flat
    assert_tagged_for_pdfua(pdf, context)
    for display in context["values"]["headline"].values():
        assert re.search(rf"Overall, {re.escape(display)} of (the )?work to", flat)
    assert "1.1. Courts valued the work." in flat and "1.2. The protocol helped." in flat
    assert "[NB: 16 cases were inspected." in flat
    assert "Practice illustration – Committed offender management" in flat


@pytest.mark.django_db
def test_pdf_is_tagged_for_screen_readers(frameworks):
    inspection = make_report_inspection("omi-2006", slug="tagged-2007", area="Tagshire", cases=3)
    pdf, _ = render_report_pdf(inspection)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert bool(root.MarkInfo.Marked)
        assert str(document.docinfo["/Title"]) == "DRAFT – A report on Offender Management in Tagshire"
        assert "pdfuaid" in str(document.open_metadata())
        figures = [element for element in _structure(root.StructTreeRoot) if element.get("/S") == "/Figure"]
        assert figures and all(str(figure.get("/Alt", "")) for figure in figures)


def assert_tagged_for_pdfua(pdf: bytes, context) -> None:
    """Header and footer as artifacts, the contents as TOC/TOCI with described links, figures with
    alternative text that states their figures."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.StructTreeRoot
        elements = list(_structure(tree))
        reachable = {element.objgen for element in elements}
        nums = tree.ParentTree.Nums
        for index in range(1, len(nums), 2):
            if not isinstance(nums[index], pikepdf.Array):
                continue  # an annotation's entry, not a page's marked content
            for element in nums[index]:
                # Marked content belongs to an element of the tree, or to none (an artifact).
                assert element is None or element.objgen in reachable
        for number, page in enumerate(document.pages, start=1):
            marks = pikepdf.parse_content_stream(page, "BDC")
            pagination = [
                mark
                for mark in marks
                if mark.operands[0] == pikepdf.Name.Artifact
                and isinstance(mark.operands[1], pikepdf.Dictionary)
                and mark.operands[1].get("/Type") == pikepdf.Name.Pagination
            ]
            assert pagination, f"page {number} has no header or footer artifact"
        entries = [(entry["id"], entry["title"]) for entry in context["contents"]]
        entries += [(child["id"], child["title"]) for entry in context["contents"] for child in entry["children"]]
        items = [element for element in elements if element.S == pikepdf.Name.TOCI]
        assert [element for element in elements if element.S == pikepdf.Name.TOC]
        assert len(items) == len(entries)
        described = set()
        for item in items:
            links = [element for element in _own_structure(item) if element.S == pikepdf.Name.Link]
            # One link per entry (an entry wrapped over two lines has one annotation per line, both
            # described alike), never links nested in links.
            descriptions = {
                str(kid.Obj.Contents) for link in links for kid in link.K if isinstance(kid, pikepdf.Dictionary)
            }
            assert len(descriptions) == 1
            assert not any(element.S == pikepdf.Name.Link for link in links for element in _structure(link))
            described |= descriptions
        for _, title in entries:
            assert any(re.fullmatch(rf"{re.escape(title)}, page \d+", text) for text in described), title
        figures = [element for element in elements if element.S == pikepdf.Name.Figure]
        assert figures
        for figure in figures:
            alt = str(figure.get("/Alt", ""))
            assert re.search(r"\d", alt), f"figure alternative text states no figure: {alt!r}"


def _own_structure(node):
    """The structure elements under node, not descending into a nested TOC."""
    for element in _structure(node):
        if element.S == pikepdf.Name.TOC:
            continue
        parents, parent = [], element.get("/P")
        while parent is not None and parent.objgen != node.objgen and len(parents) < 60:
            parents.append(parent)
            parent = parent.get("/P")
        if not any(p.get("/S") == pikepdf.Name.TOC for p in parents):
            yield element


def _structure(node, depth: int = 0):
    """Every structure element under node (dictionaries with /S)."""
    if depth > 60:
        return
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _structure(kid, depth + 1)
