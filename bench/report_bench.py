"""Report benchmark: the full PDF report of a 150-case OMI inspection, against plain WeasyPrint.

Run it through `bash bench/run_report.sh` (throwaway PostgreSQL), or against a database of your
own (it creates, or reuses when complete, inspections `bench-report` and `bench-report-long`):

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://... .venv/bin/python bench/report_bench.py

How to read the output: bench/REPORT.md. Steps, each in a fresh Python process (so that each peak
RSS, ru_maxrss, is that run's own):

  seed       loads the frameworks; creates (or reuses, when already complete) two omi-2006
             inspections of BENCH_CASES (150) cases: realistic case attributes (demo.seed
             weights), cases allocated to two inspectors and a local assessor, an approved
             assessment per case answered on every applicable question (gates walked in framework
             order; 75 % sufficient, N/A 5 % where the scale allows it), written in bulk without
             history rows; the team (lead, 2 inspectors, local assessor); report narrative
             (foreword, summaries per section, strengths and areas for improvement for every
             criterion, 6 recommendations, 3 good-practice examples, contextual tables, service
             users, the area and prison parts); a conclusion per case criterion and a grade per
             leadership criterion (scoring.services.record_judgement); scores finalised
             (scoring.services.finalise_scores).
               bench-report       the ordinary report: 3-6 findings per list, a few paragraphs per summary
               bench-report-long  the same cases with far more narrative (longer findings, commentary
                                  per criterion), grown until its PDF has >= 50 pages (team rule:
                                  a 50-page report renders in < 600 MB RSS)
  html       writes report_html(inspection, for_pdf=True), the exact string the product gives
             WeasyPrint, to a scratch file, for the plain WeasyPrint runs.
  product    (1) reports.rendering.render_report_pdf(inspection) end to end: snapshot and assembly,
             template, WeasyPrint (pdf/ua-1), page count (pypdf). The inspection is loaded first,
             as the render task loads it (not timed).
  plain      (2) plain WeasyPrint on the SAME HTML string: weasyprint.HTML(string=html,
             base_url=BASE_DIR).write_pdf(pdf_variant="pdf/ua-1") -- the same PDF variant as the
             product (reports.pdf.PDF_VARIANT) -- in a process without Django; then, untimed in (2),
             what the product's page_count costs on its first call (import pypdf, parse the PDF).
             (2b) the same in a process where django.setup() has run (the GC walks a larger heap).
  assembly   (3) assembly + template alone: report_html(inspection, for_pdf=True), first call in the
             process (what (1) pays), then in-process repeats split into build_snapshot, assemble
             and render_to_string.
  phases     one render_report_pdf split into its phases (snapshot, assembly, template, HTML parse,
             layout, PDF writing, page count), with each phase's own peak RSS (VmHWM reset through
             /proc/self/clear_refs); with --profile (or when a target is missed) also cProfile of
             the product path, top functions by own and cumulative time.

Before the timed call, product and plain processes import WeasyPrint and render a one-line
document with the report's fonts (fontconfig and Pango set-up, ~0.7 s, paid once per worker);
this is reported separately. Timings are the median of BENCH_RUNS (5) runs after BENCH_WARMUP (1)
warm-up round, the kinds (1), (2), (2b: plain WeasyPrint in a process with Django set up) and (3)
run in turns. Settings (environment): BENCH_CASES=150,
BENCH_RUNS=5, BENCH_WARMUP=1, BENCH_SEED=2007, BENCH_RESEED=1 (drop and recreate the inspections).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import importlib
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = "omi-2006"
CASES = int(os.environ.get("BENCH_CASES", "150"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
SEED = int(os.environ.get("BENCH_SEED", "2007"))
RESEED = os.environ.get("BENCH_RESEED", "") not in ("", "0")
PDF_VARIANT = "pdf/ua-1"  # the product's (reports.pdf.PDF_VARIANT); checked in step_plain
SUFFICIENT_SHARE = 0.75
NA_WHEN_ALLOWED = 0.05
RESULT = "RESULT "  # prefix of the line a step prints for the parent process

# Targets: the and the team's.
TIME_TARGET_S = 10.0
RATIO_TARGET = 1.3
RSS_TARGET_MB = 600.0
LONG_PAGES = 50

VARIANTS = {
    # slug: (area, narrative density); the long one's density grows until it reaches LONG_PAGES.
    "bench-report": ("Benchshire", 1),
    "bench-report-long": ("Benchshire North", 3),
}
STANDARD, LONG = "bench-report", "bench-report-long"
TEAM = [
    # username suffix, first name, last name, role
    ("lead", "Kate", "Whitfield", "lead"),
    ("insp1", "Ben", "Clarke", "inspector"),
    ("insp2", "Priya", "Raman", "inspector"),
    ("la", "Amy", "Gilbert", "local_assessor"),
]

WARMUP_HTML = (
    '<html lang="en-GB"><head><title>warm-up</title><style>@page { size: A4; @bottom-center '
    '{ content: "Page " counter(page); font-family: "DejaVu Sans" } } html { font-family: "DejaVu Sans" }'
    "</style></head><body><h1>Warm-up</h1><p><b>Bold</b> <i>italic</i> text.</p></body></html>"
)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# ------------------------------------------------------------------------------------ helpers


def rss_now_mb() -> float:
    return _status_mb("VmRSS")


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> bool:
    """Reset VmHWM (the peak RSS) of this process, so that a phase's own peak can be read."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def warm_weasyprint() -> float:
    """Import WeasyPrint and render one line (fontconfig, Pango, the fonts): paid once per worker."""
    started = time.perf_counter()
    # reports.pdf first, as in the product: it sets weasyprint.progress to WARNING before WeasyPrint
    # is imported (its import logs at INFO, which Django's logging configuration prints).
    importlib.import_module("reports.pdf")
    from weasyprint import HTML

    HTML(string=WARMUP_HTML).write_pdf(pdf_variant=PDF_VARIANT)
    return time.perf_counter() - started


def load_inspection(slug: str):
    from inspections.models import Inspection

    # As the render task loads it (select_related inspection__framework), plus the area.
    return Inspection.objects.select_related("framework", "area").get(slug=slug)


# ------------------------------------------------------------------------------------ narrative
# Realistic report text: sentences in the register of the published OMI reports, drawn at random.

STRENGTHS = [
    "PSRs were completed on time in {pct} of cases and the proposals in them were clear and realistic.",
    "Offender managers had a good knowledge of the offenders they supervised and of their circumstances.",
    "OASys assessments were completed within the required timescales in most cases.",
    "The initial sentence plan reflected the factors identified in the OASys assessment.",
    "Contact with offenders met the requirements of National Standards in the great majority of cases.",
    "Appropriate referrals were made to MAPPA and the level of management was correct.",
    "Victim contact work was timely and the victim liaison officers were well informed.",
    "Staff had ready access to substance misuse services and DRR assessments were prompt.",
    "Enforcement action was taken promptly when offenders failed to comply with their order or licence.",
    "Case records showed purposeful work on ETE, with good links to local providers.",
    "Offender managers responded quickly to significant changes in the offender's circumstances.",
    "Information was exchanged effectively with the police through the PPO scheme.",
    "Approved premises staff contributed well to the risk management of residents.",
    "Home visits were carried out where there were child safeguarding concerns.",
    "Sentencers told us that they valued the quality of reports and the advice of court staff.",
    "Risk of Harm screenings were completed in all relevant cases, {score} of the work being sufficient overall.",
    "Offenders told us that their offender manager listened to them and helped them to stay out of trouble.",
    "Accredited programmes started promptly and tutors reported attendance to offender managers.",
    "Unpaid work placements were matched to the offender's skills and were completed on time.",
    "Diversity factors were identified and taken into account when planning interventions.",
]
AREAS = [
    "The RoH analysis was not sufficiently thorough in {pct} of the cases where a full analysis was required.",
    "Sentence plans were not always reviewed when the offender's circumstances changed.",
    "Risk management plans did not always set out the action to be taken by each agency involved.",
    "The likelihood of reoffending was not reassessed at the required intervals in a substantial minority of cases.",
    "Management oversight of high RoH cases was not always evident in the case record.",
    "Information from other agencies was not routinely sought before the initial assessment.",
    "Offenders were not always involved in drawing up their sentence plan.",
    "Victim safety was not always addressed in domestic abuse cases.",
    "Interventions to address thinking and behaviour were not delivered in a planned sequence.",
    "The reasons for decisions not to take enforcement action were not always recorded.",
    "Case transfers between offices led to gaps in contact in some cases.",
    "Restrictive interventions were not consistently reviewed in line with the risk management plan.",
    "Referral to basic skills provision did not follow a full assessment where one was indicated.",
    "Offender managers did not always check whether offenders had complied with additional licence conditions.",
    "Contact with offenders in custody was limited before release, {score} of the work being sufficient.",
    "The outcome of home visits was not always recorded or acted upon.",
    "Child safeguarding concerns were not always referred to children's services promptly.",
    "Quality assurance of PSRs did not consistently identify weaknesses in the assessment of RoH.",
]
PARAGRAPH = [
    "In {area} we looked at {cases} cases supervised by offender managers across the three LDUs.",
    "The area had made good progress since the previous inspection, especially in the quality of its reports.",
    "Work to reduce the likelihood of reoffending was sound, but work to manage Risk of Harm was less consistent.",
    "Managers knew where the strengths and weaknesses lay and had begun to address them.",
    "Partnership arrangements with the police, the prisons and local authority services were well established.",
    "Staff were committed and well motivated, and told us that they felt supported by their managers.",
    "Caseloads had risen over the year, and some offender managers held more high RoH cases than was ideal.",
    "The quality of the initial assessment was good in most cases, {score} of the work being sufficient.",
    "Interventions were generally delivered as planned, and offenders engaged with them.",
    "More attention was needed to the review of plans when circumstances changed.",
    "Offenders we interviewed spoke positively about the help they had received with accommodation and ETE.",
    "Victim contact work was a strength, with statutory victim contact offered in every eligible case.",
    "Recording on the case management system was up to date and easy to follow in most cases.",
    "MAPPA arrangements were sound and the level of management was reviewed regularly.",
    "Where there were concerns about children, the links with children's services were effective.",
    "The overall score for this section was {section}, which is in line with the average of areas inspected so far.",
]
COMMENTARY = [
    "We found that in the cases where work was insufficient, the main reason was a lack of review rather than a "
    "lack of initial assessment: offender managers had identified the right issues at the start of the order, "
    "but plans were not updated when offenders moved, lost their jobs or formed new relationships.",
    "Senior managers were aware of this and had introduced a monthly case review by middle managers; it was too "
    "early to see its effect in the cases we inspected, but staff told us that it was helping them prioritise.",
    "In the better cases the offender manager had used the OASys assessment to agree objectives with the "
    "offender, sequenced the interventions sensibly and kept other workers informed of progress.",
    "Several offender managers commented that the pressure of court work left too little time for the "
    "supervision of their high RoH cases, and we saw the effect of this in the records of a number of cases.",
    "Partnership work was a strength: we saw good examples of joint work with the police, accommodation "
    "providers and drug services, and information was shared promptly when risks increased.",
]
PERFORMANCE = [
    ("Enforcement: breach taken where required within ten working days", "90%", "98%*", "92%*"),
    ("Offender compliance: appointments attended in the first 26 weeks", "85%", "83%*", "82%*"),
    ("Accredited programme completions: performance against target", "100%", "76%", "104%*"),
    ("Unpaid work completions: performance against target", "100%", "111%*", "106%*"),
    ("Sickness absence: average days absence", "9 days", "9.0*", "11.2"),
    ("Court report timeliness", "90%", "80%", "76%"),
]
RECOMMENDATIONS = [
    "A full RoH analysis is completed in every case where the screening indicates that one is required.",
    "Sentence plans and risk management plans are reviewed whenever there is a significant change in the case.",
    "Managers oversee the work with high and very high RoH cases and record their oversight in the case record.",
    "Victim safety is addressed in the plans of all domestic abuse cases.",
    "Offenders are involved in drawing up their sentence plan, and the plan is shared with them.",
    "The reasons for decisions not to take enforcement action are recorded.",
]
GOOD_PRACTICE = [
    (
        "Committed offender management",
        "2.1",
        "Julie was a 19 year old with a long history of offending linked to alcohol misuse. Her offender manager "
        "arranged an urgent assessment with the alcohol service, met her twice a week during the first month and "
        "worked closely with her hostel keyworker. When Julie lost her accommodation the offender manager "
        "secured a place in approved premises the same day. Julie completed her order without further offending.",
    ),
    (
        "Effective MAPPA work",
        "1.4",
        "Mark was assessed as a high RoH to his former partner. The offender manager referred the case to MAPPA "
        "before his release, agreed licence conditions with the prison and the police, and arranged for the "
        "victim liaison officer to keep the victim informed. The plan was reviewed at every meeting.",
    ),
    (
        "Sequenced interventions",
        "2.4",
        "Ahmed had a DRR and a requirement to attend an accredited programme. His offender manager arranged for "
        "him to start the programme only once his drug use had stabilised, and kept the programme tutors and the "
        "drug worker informed of his progress throughout.",
    ),
]


def sentences(rng: random.Random, pool: list[str], count: int, values: dict) -> list[str]:
    return [rng.choice(pool).format(**values(rng)) for _ in range(count)]


def paragraphs(rng: random.Random, count: int, per: tuple[int, int], values) -> str:
    return "\n\n".join(" ".join(sentences(rng, PARAGRAPH, rng.randint(*per), values)) for _ in range(count))


def narrative(rng: random.Random, framework: dict, density: int) -> dict:
    """ReportContent fields and {criterion code: (strengths, areas, commentary)} for a density."""
    criteria = [criterion for section in framework["sections"] for criterion in section["criteria"]]
    case_codes = [c["code"] for c in criteria if c["kind"] == "case"]
    section_codes = [section["code"] for section in framework["sections"]]

    def values(r: random.Random) -> dict:
        code = r.choice(case_codes)
        return {
            "pct": f"{r.randint(55, 95)}%",
            "score": f"{{{{score:{code}}}}}",
            "section": f"{{{{section:{r.choice(section_codes[:3])}}}}}",
            "area": "{{area}}",
            "cases": "{{cases}}",
        }

    def findings(pool: list[str]) -> list[str]:
        count = rng.randint(3, 6) + 2 * (density - 1)
        # Longer variants join two or three sentences per item, as the fuller published reports do.
        return [" ".join(sentences(rng, pool, min(density, 3), values)) for _ in range(count)]

    per_criterion = {
        criterion["code"]: (
            findings(STRENGTHS),
            findings(AREAS),
            "\n\n".join(rng.sample(COMMENTARY, min(len(COMMENTARY), density - 1))) if density > 1 else "",
        )
        for criterion in criteria
    }
    summary_paragraphs = 2 + density
    content = {
        "foreword": paragraphs(rng, 3 + density, (3, 5), values),
        "acknowledgements": (
            "We would like to thank the chief officer, the managers and all the staff of {{area}} for their "
            "help and hospitality during the inspection, and the offenders, victims and sentencers who spoke "
            "to us. We are grateful to the area assessors who worked alongside our inspectors."
        ),
        "summaries": {code: paragraphs(rng, summary_paragraphs, (3, 5), values) for code in section_codes}
        | {headline["code"]: paragraphs(rng, 2, (3, 4), values) for headline in framework["headlines"]},
        "next_steps": "",
        "further_inspection": False,
        "service_users": {
            key: paragraphs(rng, 1 + density, (3, 4), values) for key in ("offenders", "victims", "courts")
        },
        "framework_parts": {
            "area": paragraphs(rng, 2 + density, (3, 5), values),
            "prison_name": "HMP Lincoln",
            "prison": paragraphs(rng, 1 + density, (3, 5), values),
        },
        "contextual": {
            "caseload": [
                ["Total caseload", "2,173"],
                ["% White", "91.2"],
                ["% Minority ethnic", "8.8"],
                ["% Male", "87"],
                ["% Female", "13"],
                ["Number of cases subject to MAPPA", "479"],
                ["Level 1", "412"],
                ["Level 2", "58"],
                ["Level 3", "9"],
                ["Number of PPO cases", "74"],
            ],
            "ppo_definition": [["Any individual assessed by the local PPO scheme as being a PPO"]],
            "budgets": [["Revenue budget 2006-07", "£18.4m"], ["Revenue budget 2007-08", "£18.9m"]],
            "approved_premises": [["Wordsworth House", "capacity = 18"]],
        },
    }
    return {"content": content, "criteria": per_criterion}


# ------------------------------------------------------------------------------------ seeding


def drop_inspection(slug: str) -> bool:
    """Delete a bench inspection. Raw SQL for the bulk rows: the ORM's cascade would load every
    answer and write a history row for each."""
    from django.db import connection, transaction

    from inspections.models import Inspection

    inspection = Inspection.objects.filter(slug=slug).first()
    if inspection is None:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (
            "DELETE FROM cases_answer a USING cases_assessment s, cases_case c"
            " WHERE a.assessment_id = s.id AND s.case_id = c.id AND c.inspection_id = %s",
            "DELETE FROM cases_reviewcomment r USING cases_assessment s, cases_case c"
            " WHERE r.assessment_id = s.id AND s.case_id = c.id AND c.inspection_id = %s",
            "DELETE FROM cases_assessment s USING cases_case c WHERE s.case_id = c.id AND c.inspection_id = %s",
            "DELETE FROM scoring_judgement_linked_cases l USING scoring_judgement j"
            " WHERE l.judgement_id = j.id AND j.inspection_id = %s",
            "DELETE FROM cases_case WHERE inspection_id = %s",
        ):
            cursor.execute(sql, [inspection.pk])
        Inspection.objects.filter(pk=inspection.pk).delete()  # memberships, judgements, narrative: few rows
    return True


def is_complete(slug: str, density: int) -> bool:
    from inspections.models import Inspection
    from reports.models import ReportContent

    inspection = Inspection.objects.filter(slug=slug).first()
    if inspection is None or inspection.status != Inspection.Status.FINALISED:
        return False
    content = ReportContent.objects.filter(inspection=inspection).first()
    stamp = (content.framework_parts or {}).get("bench") if content else None
    return inspection.cases.count() == CASES and stamp == {"density": density, "seed": SEED, "cases": CASES}


def team_users() -> dict[str, object]:
    from django.contrib.auth import get_user_model

    users = {}
    for suffix, first, last, _ in TEAM:
        user, created = get_user_model().objects.get_or_create(
            username=f"bench-report-{suffix}",
            defaults={"first_name": first, "last_name": last, "email": f"bench-report-{suffix}@example.invalid"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[suffix] = user
    return users


def seed_inspection(slug: str, area: str, density: int) -> dict:
    """One finalised OMI inspection of CASES cases with its team, answers, judgements and narrative."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Answer, Assessment, Case
    from demo.seed import demo_attributes
    from inspections.applicability import NA, question_applies
    from inspections.models import Membership
    from inspections.seen import seen_token
    from inspections.services import create_inspection
    from inspections.structure import structure_for
    from reports.models import CriterionNarrative, GoodPractice, PerformanceRow, Recommendation, ReportContent
    from scoring.models import Judgement
    from scoring.scores import compute_scores
    from scoring.services import finalise_scores, finalise_summary, record_judgement

    started = time.perf_counter()
    drop_inspection(slug)
    users = team_users()
    lead = users["lead"]
    rng = random.Random(f"{SEED}-{slug}-{density}")
    with transaction.atomic():
        inspection = create_inspection(
            framework_code=FRAMEWORK,
            area_name=area,
            slug=slug,
            title=f"Offender Management Inspection of {area} 2007",
            fieldwork_start=datetime.date(2007, 3, 5),
            fieldwork_end=datetime.date(2007, 3, 9),
        )
        for suffix, _, _, role in TEAM:
            Membership.objects.create(inspection=inspection, user=users[suffix], role=role)
        definition = inspection.framework.definition
        structure = structure_for(inspection.framework)
        assessors = [users["insp1"], users["insp2"], users["la"]]
        cases = Case.objects.bulk_create(
            Case(
                inspection=inspection,
                case_ref=f"BR{index:04d}",
                attributes=demo_attributes(rng, definition["case_attributes"]),
                assessor=assessors[index % len(assessors)],
            )
            for index in range(1, CASES + 1)
        )
        now = timezone.now()
        assessments = Assessment.objects.bulk_create(
            Assessment(
                case=case,
                state=Assessment.State.APPROVED,
                version=3,
                submitted_at=now - datetime.timedelta(days=2),
                submitted_by=case.assessor,
                reviewed_at=now - datetime.timedelta(days=1),
                reviewed_by=lead,
            )
            for case in cases
        )
        answers = []
        for case, assessment in zip(cases, assessments, strict=True):
            given: dict[str, str] = {}
            for code, question in structure.questions.items():
                if not question_applies(question.as_rule(), case.attributes, given):
                    given[code] = NA  # gated off or not for this case: no answer stored
                    continue
                if question.allows_na and rng.random() < NA_WHEN_ALLOWED:
                    value, sufficient = NA, None
                else:
                    want = rng.random() < SUFFICIENT_SHARE
                    options = [o for o in question.options if o.sufficient == want] or list(question.options)
                    option = rng.choice(options)
                    value, sufficient = option.code, option.sufficient
                given[code] = value
                answers.append(
                    Answer(
                        assessment=assessment,
                        question_id=structure.question_ids[code],
                        value=value,
                        sufficient=sufficient,
                        version=1,
                        updated_by=case.assessor,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)

        text = narrative(rng, definition, density)
        content = dict(text["content"])
        content["framework_parts"] = content["framework_parts"] | {
            "bench": {"density": density, "seed": SEED, "cases": CASES}  # marks a complete seed; not printed
        }
        ReportContent.objects.create(inspection=inspection, updated_by=lead, version=1, **content)
        CriterionNarrative.objects.bulk_create(
            CriterionNarrative(
                inspection=inspection,
                code=code,
                strengths=strengths,
                areas_for_improvement=areas,
                commentary=commentary,
                updated_by=lead,
            )
            for code, (strengths, areas, commentary) in text["criteria"].items()
        )
        case_codes = [c["code"] for s in definition["sections"] for c in s["criteria"] if c["kind"] == "case"]
        Recommendation.objects.bulk_create(
            Recommendation(inspection=inspection, number=number, text=body, criteria=rng.sample(case_codes, 2))
            for number, body in enumerate(RECOMMENDATIONS, start=1)
        )
        GoodPractice.objects.bulk_create(
            GoodPractice(inspection=inspection, position=position, title=title, criterion=criterion, text=body)
            for position, (title, criterion, body) in enumerate(GOOD_PRACTICE, start=1)
        )
        PerformanceRow.objects.bulk_create(
            PerformanceRow(
                inspection=inspection,
                position=position,
                group="NPS Performance Data",
                measure=measure,
                target=target,
                area_figure=area,
                national_figure=national,
            )
            for position, (measure, target, area, national) in enumerate(PERFORMANCE, start=1)
        )
    # Judgements as the lead records them: the suggested conclusion, one overridden with a reason.
    scores = compute_scores(inspection)
    options = {o["code"] for o in definition["judgement_options"]["criterion"]}
    for index, code in enumerate(case_codes):
        suggested = scores.criteria[code].suggested_judgement if code in scores.criteria else None
        value = suggested or "good"
        reason = ""
        if index == 3:
            value = next(option for option in sorted(options) if option != value)
            reason = (
                "The cases with insufficient work were concentrated in one office, which has since been restructured."
            )
        record_judgement(
            user=lead,
            inspection=inspection,
            target=Judgement.Target.CRITERION,
            code=code,
            kind=Judgement.Kind.CONCLUSION,
            value=value,
            reason=reason,
            evidence="Case records and interviews with offender managers.",
        )
    grades = [o["code"] for o in definition["judgement_options"]["leadership"]]
    for section in definition["sections"]:
        for criterion in section["criteria"]:
            if criterion["kind"] == "leadership":
                record_judgement(
                    user=lead,
                    inspection=inspection,
                    target=Judgement.Target.CRITERION,
                    code=criterion["code"],
                    kind=Judgement.Kind.GRADE,
                    value=rng.choice(grades[:3]),
                    evidence="Interviews with managers and partners; the area's self-assessment.",
                )
    finalise_scores(user=lead, inspection=inspection, seen=seen_token(finalise_summary(inspection)))
    return {
        "slug": slug,
        "cases": len(cases),
        "answers": len(answers),
        "criteria_narratives": len(text["criteria"]),
        "findings": sum(len(s) + len(a) for s, a, _ in text["criteria"].values()),
        "seconds": time.perf_counter() - started,
        "seeded": True,
    }


def step_seed(slug: str, density: int) -> dict:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("load_frameworks", stdout=open(os.devnull, "w"))
    area = VARIANTS[slug][0]
    if not RESEED and is_complete(slug, density):
        return {"slug": slug, "seeded": False, "seconds": time.perf_counter() - started, "density": density}
    result = seed_inspection(slug, area, density)
    result["density"] = density
    result["peak_rss_mb"] = rss_peak_mb()
    return result


# ------------------------------------------------------------------------------------ measuring


def step_html(slug: str, path: str) -> dict:
    from reports.rendering import report_html

    html = report_html(load_inspection(slug), for_pdf=True)
    Path(path).write_text(html, encoding="utf-8")
    return {"bytes": len(html.encode())}


def step_product(slug: str) -> dict:
    """(1) render_report_pdf end to end, as the render task calls it."""
    from reports import pdf as product_pdf
    from reports.pdf import page_count
    from reports.rendering import render_report_pdf

    if product_pdf.PDF_VARIANT != PDF_VARIANT:
        raise SystemExit(f"the product renders {product_pdf.PDF_VARIANT}, the bench assumes {PDF_VARIANT}")
    warm = warm_weasyprint()
    inspection = load_inspection(slug)
    baseline = rss_now_mb()
    started = time.perf_counter()
    pdf, pages = render_report_pdf(inspection)
    elapsed = time.perf_counter() - started
    peak = rss_peak_mb()
    count_started = time.perf_counter()
    page_count(pdf)
    return {
        "time": elapsed,
        "pages": pages,
        "bytes": len(pdf),
        "page_count_time": time.perf_counter() - count_started,
        "warm": warm,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }


def step_plain(html_path: str, where: str = "bare") -> dict:
    """(2) plain WeasyPrint on the same HTML string, in a process without Django ("bare"), or
    (2b) in a process where django.setup() has run ("django": the product's heap, for the GC)."""
    import logging

    # The product's logger set-up (reports.pdf), before the import: with Django's logging config the
    # root logger prints INFO, and WeasyPrint reports its progress at INFO (also while importing).
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    started = time.perf_counter()
    from weasyprint import HTML

    HTML(string=WARMUP_HTML).write_pdf(pdf_variant=PDF_VARIANT)
    warm = time.perf_counter() - started
    html = Path(html_path).read_text(encoding="utf-8")
    baseline = rss_now_mb()
    started = time.perf_counter()
    pdf = HTML(string=html, base_url=str(ROOT)).write_pdf(pdf_variant=PDF_VARIANT)
    elapsed = time.perf_counter() - started
    peak = rss_peak_mb()
    # What the product's page_count costs the first time in a process: importing pypdf and parsing.
    started = time.perf_counter()
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "time": elapsed,
        "pages": pages,
        "bytes": len(pdf),
        "page_count_first": time.perf_counter() - started,
        "warm": warm,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }


def step_assembly(slug: str) -> dict:
    """(3) assembly + template alone: the first call in a process, then warm repeats split up."""
    from django.template.loader import render_to_string

    from reports.assembly import assemble, build_snapshot
    from reports.rendering import report_html

    inspection = load_inspection(slug)
    baseline = rss_now_mb()
    started = time.perf_counter()
    html = report_html(inspection, for_pdf=True)
    first = time.perf_counter() - started
    peak = rss_peak_mb()
    splits: dict[str, list[float]] = {"snapshot": [], "assemble": [], "template": [], "total": []}
    for _ in range(3):
        inspection = load_inspection(slug)
        t0 = time.perf_counter()
        snapshot = build_snapshot(inspection)
        t1 = time.perf_counter()
        context = assemble(snapshot, draft=True)
        context["for_pdf"] = True
        t2 = time.perf_counter()
        render_to_string("reports/report.html", context)
        t3 = time.perf_counter()
        for key, value in (("snapshot", t1 - t0), ("assemble", t2 - t1), ("template", t3 - t2), ("total", t3 - t0)):
            splits[key].append(value)
    return {
        "time": first,
        "html_bytes": len(html.encode()),
        "warm": {key: statistics.median(values) for key, values in splits.items()},
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }


def step_phases(slug: str, profile: bool) -> dict:
    """One product render split into its phases, each with its own peak RSS; cProfile on request."""
    warm_weasyprint()  # first: imports reports.pdf (logger levels) before WeasyPrint
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from reports.assembly import assemble, build_snapshot
    from reports.pdf import page_count
    from reports.pdf_tags import fix_tags
    from reports.rendering import render_report_pdf

    inspection = load_inspection(slug)
    can_reset = reset_peak()
    phases: list[dict] = []

    def phase(name: str, function):
        reset_peak()
        before = rss_now_mb()
        started = time.perf_counter()
        value = function()
        phases.append(
            {
                "name": name,
                "time": time.perf_counter() - started,
                "rss_before_mb": before,
                "rss_after_mb": rss_now_mb(),
                "peak_mb": _status_mb("VmHWM") if can_reset else float("nan"),
            }
        )
        return value

    # The same calls as render_report_pdf -> report_html + render_pdf + page_count, one at a time.
    snapshot = phase("snapshot (build_snapshot: scores, narrative, team, sample)", lambda: build_snapshot(inspection))
    context = phase("assembly (assemble: parts, charts, abbreviations)", lambda: assemble(snapshot, draft=True))
    context["for_pdf"] = True
    html = phase("template (render_to_string)", lambda: render_to_string("reports/report.html", context))
    parsed = phase("WeasyPrint: parse HTML", lambda: HTML(string=html, base_url=str(settings.BASE_DIR)))
    document = phase("WeasyPrint: style + layout (render)", lambda: parsed.render(pdf_variant=PDF_VARIANT))
    pdf = phase("WeasyPrint: write PDF (tags, fonts)", lambda: document.write_pdf(pdf_variant=PDF_VARIANT))
    pdf = phase(
        "PDF/UA tag corrections (pikepdf: artifacts, TOC, links)",
        lambda: fix_tags(pdf, link_titles=context["link_titles"]),
    )
    phase("page count (pikepdf)", lambda: page_count(pdf))
    result: dict = {"phases": phases, "pages": len(document.pages), "peak_reset": can_reset}

    if profile:
        inspection = load_inspection(slug)
        profiler = cProfile.Profile()
        profiler.enable()
        render_report_pdf(inspection)
        profiler.disable()
        result["profile"] = profile_tables(profiler)
    return result


def profile_tables(profiler: cProfile.Profile, limit: int = 25) -> dict:
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        where = _short_path(filename)
        rows.append({"function": f"{where}:{line}({name})", "calls": calls, "own": own, "cumulative": cumulative})
    by_own = sorted(rows, key=lambda row: row["own"], reverse=True)[:limit]
    by_cumulative = sorted(rows, key=lambda row: row["cumulative"], reverse=True)[: limit + 10]
    # Own time per package: which library (or part of the product) the time is spent in.
    packages: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        key = _package(filename)
        packages[key] = packages.get(key, 0.0) + own
    return {
        "total": total,
        "by_own": by_own,
        "by_cumulative": by_cumulative,
        "packages": sorted(packages.items(), key=lambda item: item[1], reverse=True)[:15],
    }


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _package(filename: str) -> str:
    """weasyprint/layout, pydyf, django/template, project:reports, stdlib ... for own-time totals."""
    if "site-packages/" in filename:
        parts = filename.split("site-packages/", 1)[1].split("/")
        if parts[0] in ("weasyprint", "django") and len(parts) > 2:
            return f"{parts[0]}/{parts[1]}"
        return parts[0].removesuffix(".py")
    if filename.startswith(str(ROOT)):
        return "project:" + filename[len(str(ROOT)) + 1 :].split("/", 1)[0]
    if filename.startswith(("~", "<")):
        return "builtins (C)"
    return "stdlib"


# ---------------------------------------------------------------------------------- the parent

STEPS = ("seed", "html", "product", "plain", "assembly", "phases")


def run_step(name: str, *args: str, quiet: bool = False) -> dict:
    """Run one step in a fresh Python process (its own peak RSS) and return what it reported."""
    if not quiet:
        log(f"step {name} {' '.join(args)} ...")
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, __file__, "--step", name, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT, check=False
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT)]
    if process.returncode or not lines:
        sys.stdout.write(process.stdout)
        raise SystemExit(f"step {name} failed (exit status {process.returncode})")
    result = json.loads(lines[-1][len(RESULT) :])
    result["process_seconds"] = time.perf_counter() - started
    return result


def median_of(results: list[dict], key: str) -> float:
    return statistics.median(result[key] for result in results)


def measure(slug: str, scratch: Path) -> dict:
    """Warm-up round(s), then RUNS rounds of (1), (2), (3), each in a fresh process, in turns."""
    html_path = scratch / f"{slug}.html"
    html = run_step("html", slug, str(html_path))
    runs: dict[str, list[dict]] = {"product": [], "plain": [], "plain_django": [], "assembly": []}
    for index in range(WARMUP + RUNS):
        label = "warm-up" if index < WARMUP else f"run {index - WARMUP + 1}/{RUNS}"
        round_results = {
            "product": run_step("product", slug, quiet=True),
            "plain": run_step("plain", str(html_path), quiet=True),
            "plain_django": run_step("plain", str(html_path), "django", quiet=True),
            "assembly": run_step("assembly", slug, quiet=True),
        }
        log(
            f"{slug} {label}: product {round_results['product']['time']:.2f} s "
            f"({round_results['product']['pages']} pages, {round_results['product']['peak_rss_mb']:.0f} MB), "
            f"plain {round_results['plain']['time']:.2f} s ({round_results['plain']['peak_rss_mb']:.0f} MB), "
            f"assembly {round_results['assembly']['time']:.2f} s"
        )
        if index >= WARMUP:
            for kind, result in round_results.items():
                runs[kind].append(result)
    return {"slug": slug, "html_bytes": html["bytes"], "runs": runs}


def summarise(measured: dict) -> dict:
    runs = measured["runs"]
    product, plain, assembly = runs["product"], runs["plain"], runs["assembly"]
    ratios = [p["time"] / q["time"] for p, q in zip(product, plain, strict=True)]
    return {
        "slug": measured["slug"],
        "html_bytes": measured["html_bytes"],
        "product": median_of(product, "time"),
        "product_range": (min(r["time"] for r in product), max(r["time"] for r in product)),
        "pages": product[0]["pages"],
        "pdf_bytes": product[0]["bytes"],
        "product_peak": max(r["peak_rss_mb"] for r in product),
        "product_baseline": median_of(product, "baseline_rss_mb"),
        "page_count_first": median_of(plain, "page_count_first"),
        "page_count_again": median_of(product, "page_count_time"),
        "plain": median_of(plain, "time"),
        "plain_range": (min(r["time"] for r in plain), max(r["time"] for r in plain)),
        "plain_pages": plain[0]["pages"],
        "plain_peak": max(r["peak_rss_mb"] for r in plain),
        "plain_baseline": median_of(plain, "baseline_rss_mb"),
        "plain_django": median_of(runs["plain_django"], "time"),
        "plain_django_peak": max(r["peak_rss_mb"] for r in runs["plain_django"]),
        "ratio": median_of(product, "time") / median_of(plain, "time"),
        "ratio_runs": ratios,
        "ratio_paired": statistics.median(ratios),
        "assembly": median_of(assembly, "time"),
        "assembly_warm": {key: statistics.median(r["warm"][key] for r in assembly) for key in assembly[0]["warm"]},
        "assembly_peak": max(r["peak_rss_mb"] for r in assembly),
        "assembly_baseline": median_of(assembly, "baseline_rss_mb"),
        "warm_product": median_of(product, "warm"),
        "warm_plain": median_of(plain, "warm"),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(seeds: list[dict], figures: dict[str, dict], phases: dict[str, dict]) -> bool:
    standard = figures[STANDARD]
    long = figures.get(LONG)
    time_ok = standard["product"] < TIME_TARGET_S
    ratio_ok = standard["ratio"] <= RATIO_TARGET
    rss_ok = standard["product_peak"] < RSS_TARGET_MB
    long_ok = long is None or (long["product_peak"] < RSS_TARGET_MB and long["pages"] >= LONG_PAGES)
    print()
    print(f"Report benchmark: {FRAMEWORK}, {CASES} cases, approved and finalised; PDF variant {PDF_VARIANT}")
    for seed in seeds:
        if seed.get("seeded"):
            print(
                f"  {seed['slug']}: seeded in {seed['seconds']:.1f} s -- {seed['cases']} cases, "
                f"{seed['answers']:,} answers, {seed['criteria_narratives']} criterion narratives with "
                f"{seed['findings']} findings (density {seed['density']})"
            )
        else:
            print(f"  {seed['slug']}: reused (complete, density {seed['density']})")
    print(
        f"Median of {RUNS} runs after {WARMUP} warm-up round(s); every run in a fresh process; peak RSS = "
        f"ru_maxrss of that process (largest over the runs); {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(
            f"  the machine was busy (load average {load:.2f} on {os.cpu_count()} CPUs): timings are inflated "
            "and the ratio is noisier; run again when it is idle"
        )
    rows: list[tuple[str, ...]] = []
    for slug, figure in figures.items():
        name = "150-case report" if slug == STANDARD else f"long variant ({slug})"
        pages = f"{figure['pages']}"
        rows += [
            (
                f"{name}: HTML {figure['html_bytes'] / 1024:,.0f} KiB, PDF {figure['pdf_bytes'] / 1024:,.0f} KiB",
                "",
                "",
                "",
                "",
            ),
            (
                "(1) product: render_report_pdf",
                f"{figure['product']:.2f} s",
                pages,
                f"{figure['product_peak']:.0f} MB",
                f"< {TIME_TARGET_S:.0f} s {verdict(figure['product'] < TIME_TARGET_S)}; "
                f"< {RSS_TARGET_MB:.0f} MB {verdict(figure['product_peak'] < RSS_TARGET_MB)}"
                + (f"; >= {LONG_PAGES} pages {verdict(figure['pages'] >= LONG_PAGES)}" if slug == LONG else ""),
            ),
            (
                f"(2) plain WeasyPrint, same HTML ({PDF_VARIANT})",
                f"{figure['plain']:.2f} s",
                f"{figure['plain_pages']}",
                f"{figure['plain_peak']:.0f} MB",
                "",
            ),
            (
                "(2b) the same in a process with Django set up",
                f"{figure['plain_django']:.2f} s",
                "",
                f"{figure['plain_django_peak']:.0f} MB",
                "",
            ),
            (
                "ratio (1) / (2) (of the medians; median of per-run ratios)",
                f"{figure['ratio']:.2f}x; {figure['ratio_paired']:.2f}x",
                "",
                "",
                f"<= {RATIO_TARGET}x {verdict(figure['ratio'] <= RATIO_TARGET)}" if slug == STANDARD else "",
            ),
            (
                "(3) assembly + template (first call)",
                f"{figure['assembly']:.2f} s",
                "",
                f"{figure['assembly_peak']:.0f} MB",
                "",
            ),
            (
                "    warm: snapshot / assemble / template",
                " / ".join(f"{figure['assembly_warm'][k] * 1000:.0f}" for k in ("snapshot", "assemble", "template"))
                + " ms",
                "",
                "",
                "",
            ),
        ]
        overhead = figure["product"] - figure["plain"]
        django_gc = figure["plain_django"] - figure["plain"]
        explained = figure["assembly"] + figure["page_count_first"] + django_gc
        rows += [
            ("(1) - (2): the product's overhead", f"{overhead:.2f} s", "", "", ""),
            ("    of which (3) assembly + template", f"{figure['assembly']:.2f} s", "", "", ""),
            (
                "    of which page_count: import pypdf + parse the PDF",
                f"{figure['page_count_first']:.2f} s",
                "",
                "",
                "",
            ),
            ("        (pypdf already imported: parse only)", f"{figure['page_count_again']:.2f} s", "", "", ""),
            ("    of which Django in the process: (2b) - (2)", f"{django_gc:+.2f} s", "", "", ""),
            ("    rest (GC, timing noise)", f"{overhead - explained:+.2f} s", "", "", ""),
        ]
    header = ("step", "time", "pages", "peak RSS", "target")
    widths = [max(len(row[i]) for row in [*rows, header]) for i in range(5)]
    print()
    for row in [header, tuple("-" * width for width in widths), *rows]:
        if not any(row[1:]):
            print(row[0])
            continue
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}  {row[4]}")
    print()
    for slug, figure in figures.items():
        ratios = ", ".join(f"{ratio:.2f}x" for ratio in figure["ratio_runs"])
        print(f"{slug}:")
        print(
            f"  ranges: (1) {figure['product_range'][0]:.2f}-{figure['product_range'][1]:.2f} s, "
            f"(2) {figure['plain_range'][0]:.2f}-{figure['plain_range'][1]:.2f} s; ratio per run: {ratios}"
        )
        print(
            f"  RSS before the timed call: (1) {figure['product_baseline']:.0f} MB, "
            f"(2) {figure['plain_baseline']:.0f} MB (no Django), (3) {figure['assembly_baseline']:.0f} MB"
        )
        print(
            f"  untimed warm-up per process (imports + a one-line PDF): (1) {figure['warm_product']:.2f} s, "
            f"(2) {figure['warm_plain']:.2f} s"
        )
    for slug, result in phases.items():
        print(f"\nPhases of one render, {slug} ({result['pages']} pages); peak = VmHWM during the phase:")
        total = sum(item["time"] for item in result["phases"])
        for item in result["phases"]:
            print(
                f"  {item['name']:<58} {item['time']:7.2f} s {item['time'] / total:6.1%}   "
                f"RSS {item['rss_before_mb']:5.0f} -> {item['rss_after_mb']:5.0f} MB, peak {item['peak_mb']:5.0f} MB"
            )
        print(f"  {'total':<58} {total:7.2f} s")
        if "profile" in result:
            print_profile(slug, result["profile"])
    return time_ok and ratio_ok and rss_ok and long_ok


def print_profile(slug: str, profile: dict) -> None:
    print(f"\ncProfile of render_report_pdf, {slug}: {profile['total']:.2f} s under the profiler")
    print("  own time by package:")
    for name, own in profile["packages"]:
        print(f"    {name:<40} {own:7.2f} s {own / profile['total']:6.1%}")
    print("  top functions by own time:")
    for row in profile["by_own"]:
        print(f"    {row['own']:7.2f} s {row['calls']:>9,}  {row['function']}")
    print("  top functions by cumulative time:")
    for row in profile["by_cumulative"]:
        print(f"    {row['cumulative']:7.2f} s {row['calls']:>9,}  {row['function']}")


def run_all(args: argparse.Namespace, scratch: Path) -> bool:
    """Seed, measure, report; True when every target is met."""
    seeds = [run_step("seed", STANDARD, str(VARIANTS[STANDARD][1]))]
    figures = {STANDARD: summarise(measure(STANDARD, scratch))}
    if not args.skip_long:
        density = VARIANTS[LONG][1]
        while True:
            seeds.append(run_step("seed", LONG, str(density)))
            probe = run_step("product", LONG)
            if probe["pages"] >= LONG_PAGES or density >= 8:
                break
            log(f"{LONG} has {probe['pages']} pages at density {density}: more narrative")
            seeds.pop()
            density += 1
        figures[LONG] = summarise(measure(LONG, scratch))
    standard = figures[STANDARD]
    missed = (
        standard["product"] >= TIME_TARGET_S
        or standard["ratio"] > RATIO_TARGET
        or any(figure["product_peak"] >= RSS_TARGET_MB for figure in figures.values())
    )
    profile = args.profile or missed
    # cProfile of the 150-case report only (the long one spends its time in the same places).
    phases = {slug: run_step("phases", slug, "1" if profile and slug == STANDARD else "0") for slug in figures}
    return report(seeds, figures, phases)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="print cProfile of the product path")
    parser.add_argument("--skip-long", action="store_true", help="measure the 150-case report only")
    args = parser.parse_args()
    if args.step:
        if args.step != "plain" or args.args[1:] == ["django"]:
            setup_django()
        if args.step == "seed":
            result = step_seed(args.args[0], int(args.args[1]))
        elif args.step == "html":
            result = step_html(*args.args)
        elif args.step == "product":
            result = step_product(*args.args)
        elif args.step == "plain":
            result = step_plain(*args.args)
        elif args.step == "assembly":
            result = step_assembly(*args.args)
        else:
            result = step_phases(args.args[0], args.args[1] == "1")
        print(RESULT + json.dumps(result, default=str), flush=True)
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="report-bench-"))
    try:
        met = run_all(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("\nall targets met" if met else "\nTARGET MISSED: see bench/REPORT.md, 'When a target is missed'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
