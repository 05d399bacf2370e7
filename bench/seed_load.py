"""Seed the load-test inspection `bench-load` into the database named by DATABASE_URL.

Run from the project root, either way:

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/seed_load.py
    .venv/bin/python manage.py shell -c "exec(open('bench/seed_load.py').read())"

Idempotent: the frameworks are (re)loaded (unchanged files change nothing), the inspection
`bench-load` is deleted with everything in it and created again, and the bench users are created
or have their password reset. Writes a manifest (users, case refs, criterion codes) that the
locustfile reads: bench/out/seed.json, or the path in BENCH_SEED.

Every case is half answered to begin with (BENCH_PREFILL, default 0.5: the first half of the
framework's questions that apply get a random option, at version 1), as in the middle of fieldwork:
the criterion page and the autosave load all of a case's answers, so their cost grows with them.

Environment: BENCH_PASSWORD (default "bench-password"), BENCH_INSPECTORS (default 30),
BENCH_CASES_EACH (default 4), BENCH_PREFILL (default 0.5; 0 = empty cases), BENCH_SEED.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from cases.models import Answer, Assessment, Case  # noqa: E402
from inspections.applicability import NA, applies_to_case, case_attribute_errors, question_applies  # noqa: E402
from inspections.lifecycle import move_to
from inspections.models import Inspection, Membership  # noqa: E402
from inspections.services import create_inspection  # noqa: E402
from inspections.structure import structure_for  # noqa: E402

SLUG = "bench-load"
FRAMEWORK = "omi-2006"
AREA = "Benchmark Area"
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password")
INSPECTORS = int(os.environ.get("BENCH_INSPECTORS", "30"))
CASES_EACH = int(os.environ.get("BENCH_CASES_EACH", "4"))
# Share of the framework's questions (in order) answered on every case before the run.
PREFILL = float(os.environ.get("BENCH_PREFILL", "0.5"))
LEAD = "benchlead"
SHARED_ASSESSOR = "benchshared"
SHARED_CASE = "BL-SHARED"
MANIFEST = Path(os.environ.get("BENCH_SEED", settings.BASE_DIR / "bench" / "out" / "seed.json"))

# A community case with high risk of harm and every "issue" flag set, so that nearly every
# omi-2006 question applies by the case's details. Only the licence-only questions (and the two
# asking for the opposite flag: oasys_required false, ap_referral false) are excluded.
ATTRIBUTES = {
    "case_type": "community",
    "gender": "male",
    "ethnicity": "white",
    "rosh": "high",
    "mappa_level": "level_2",
    "tier": "tier_4",
    "ppo": True,
    "requirements": ["supervision", "upw", "accredited_programme", "drr", "curfew", "exclusion"],
    "upw_standalone": False,
    "court_indicated_seriousness": True,
    "self_harm_risk": True,
    "identifiable_victim": True,
    "victim_safety_issue": True,
    "svc_case": True,
    "svc_contact_proceeded": True,
    "full_roh_analysis_indicated": True,
    "full_roh_analysis_done": True,
    "rmp_required": True,
    "child_safeguarding": True,
    "domestic_abuse": True,
    "ap_referral": True,
    "ap_resident": True,
    "transferred_in": True,
    "recalled": True,
    "significant_change": True,
    "licence_additional_conditions": True,
    "drug_related_offending": True,
    "restrictive_interventions": True,
    "multiple_workers": True,
    "other_assessments_available": True,
    "other_plans_exist": True,
    "oasys_required": True,
    "diversity_factors_identified": True,
    "basic_skills_full_assessment_indicated": True,
    "literacy_dyslexia": True,
    "disability": True,
    "singleton_placement": True,
    "absences": True,
    "breach_required": True,
    "breach_instigated": True,
    "offending_factors": ["accommodation", "drugs", "thinking_behaviour"],
    "main_offending_factor": "drugs",
    "om_count": 2,
    "om_grade": "po",
}


def _user(username: str, first: str, last: str, password_hash: str):
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"}
    )
    user.first_name, user.last_name = first, last
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.password = password_hash  # hashed once for all bench users: PBKDF2 costs ~0.5 s a hash
    user.save()
    return user


def _prefill(structure, cases: list[Case]) -> dict[str, list[str]]:
    """Answer the first PREFILL share of each case's questions (framework order), as if fieldwork
    were under way: the pages' cost grows with the answers a case already has. Rows are written
    with bulk_create at version 1 (no history rows); the assessments are in progress."""
    if PREFILL <= 0:
        return {}
    rng = random.Random(2007)
    codes = list(structure.questions)
    upto = round(PREFILL * len(codes))
    assessments = Assessment.objects.bulk_create(
        Assessment(case=case, state=Assessment.State.IN_PROGRESS, version=1) for case in cases
    )
    rows, prefilled = [], {}
    for case, assessment in zip(cases, assessments, strict=True):
        effective: dict[str, str] = {}  # as FrameworkStructure.applicable: a gate that does not apply counts as N/A
        for code in codes[:upto]:
            question = structure.questions[code]
            if not question_applies(question.as_rule(), case.attributes, effective):
                effective[code] = NA
                continue
            option = rng.choice(question.options)
            effective[code] = option.code
            rows.append(
                Answer(
                    assessment=assessment,
                    question_id=structure.question_ids[code],
                    value=option.code,
                    sufficient=option.sufficient,
                    note="prefill",
                    version=1,
                    updated_by_id=case.assessor_id,
                )
            )
            prefilled.setdefault(case.case_ref, []).append(code)
    Answer.objects.bulk_create(rows, batch_size=2000)
    return prefilled


def seed() -> dict:
    started = time.monotonic()
    call_command("load_frameworks", stdout=open(os.devnull, "w"))
    with transaction.atomic():
        # Cascades to memberships, cases, assessments, answers and review comments.
        Inspection.objects.filter(slug=SLUG).delete()
        inspection = create_inspection(
            framework_code=FRAMEWORK,
            area_name=AREA,
            slug=SLUG,
            title="Load test inspection",
            fieldwork_start=datetime.date(2007, 3, 5),
            fieldwork_end=datetime.date(2007, 3, 9),
        )
        move_to(inspection, Inspection.Status.FIELDWORK, user=None, reason="Load benchmark: fieldwork under way")

        attribute_defs = inspection.framework.definition["case_attributes"]
        errors = case_attribute_errors(attribute_defs, ATTRIBUTES)
        if errors:
            raise SystemExit(f"bench case attributes do not fit {FRAMEWORK}: {errors}")

        hashed = make_password(PASSWORD)
        lead = _user(LEAD, "Bench", "Lead", hashed)
        shared = _user(SHARED_ASSESSOR, "Shared", "Assessor", hashed)
        inspectors = [_user(f"bench{n:02d}", "Bench", f"Inspector {n:02d}", hashed) for n in range(1, INSPECTORS + 1)]
        Membership.objects.bulk_create(
            [Membership(inspection=inspection, user=lead, role=Membership.Role.LEAD)]
            + [
                Membership(inspection=inspection, user=user, role=Membership.Role.INSPECTOR)
                for user in [shared, *inspectors]
            ]
        )
        cases = [
            Case(inspection=inspection, case_ref=f"BL{n:02d}-{k}", attributes=ATTRIBUTES, assessor=user)
            for n, user in enumerate(inspectors, start=1)
            for k in range(1, CASES_EACH + 1)
        ]
        cases.append(Case(inspection=inspection, case_ref=SHARED_CASE, attributes=ATTRIBUTES, assessor=shared))
        Case.objects.bulk_create(cases)
        structure = structure_for(inspection.framework)
        prefilled = _prefill(structure, cases)

    criteria = [criterion.code for criterion in structure.case_criteria()]
    by_attributes = [code for code, q in structure.questions.items() if applies_to_case(q.applies_to, ATTRIBUTES)]
    manifest = {
        "slug": SLUG,
        "framework": FRAMEWORK,
        "password": PASSWORD,
        "database": f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}:"
        f"{settings.DATABASES['default']['NAME']}",
        "inspectors": [
            {"username": user.username, "cases": [f"BL{n:02d}-{k}" for k in range(1, CASES_EACH + 1)]}
            for n, user in enumerate(inspectors, start=1)
        ],
        "shared": {"case": SHARED_CASE, "users": [LEAD, SHARED_ASSESSOR]},
        "criteria": criteria,
        "prefill": PREFILL,
        # Answers stored at version 1 by the seed, per case: the lost-update check starts from these.
        "prefilled": prefilled,
        "questions_total": len(structure.questions),
        "questions_applying_by_attributes": len(by_attributes),
    }
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text(json.dumps(manifest, indent=1))
    print(
        f"seeded {SLUG} ({FRAMEWORK}, {connection.vendor}): {len(inspectors)} inspectors x {CASES_EACH} cases, "
        f"lead {LEAD}, shared case {SHARED_CASE} ({LEAD} + {SHARED_ASSESSOR}); "
        f"{len(by_attributes)} of {len(structure.questions)} questions apply by the case details; "
        f"{len(criteria)} criteria; {sum(map(len, prefilled.values()))} answers prefilled; "
        f"manifest {MANIFEST}; {time.monotonic() - started:.1f} s"
    )
    return manifest


# Run as a script, or exec'd by `manage.py shell -c` (whose globals are the shell module's).
if __name__ in ("__main__", "django.core.management.commands.shell"):
    seed()
