"""The demo inspection created by the run command: a fictional area, a realistic case sample
and a user for each role. Deterministic, so every demo looks the same."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cases.importing import import_answer_file
from cases.models import Assessment, Case
from cases.services import allocate, approve_assessment, return_assessment, save_answer
from inspections.lifecycle import move_to
from inspections.models import Inspection, Membership
from inspections.policy import ADMIN_GROUP
from inspections.services import create_inspection
from inspections.structure import structure_for

DEMO_SLUG = "northmoor-2007"
DEMO_AREA = "Northmoor"
DEMO_PASSWORD = "moorland-fieldwork-2007"
DEMO_CASES = 60

DEMO_USERS = [
    # username, first name, last name, role in the inspection (None: administrator)
    ("admin", "Alex", "Admin", None),
    ("lead", "Lena", "Lead", Membership.Role.LEAD),
    ("inspector", "Ian", "Inspector", Membership.Role.INSPECTOR),
    ("inspector2", "Isla", "Inspector", Membership.Role.INSPECTOR),
    ("assessor", "Asha", "Assessor", Membership.Role.LOCAL_ASSESSOR),
    ("observer", "Omar", "Observer", Membership.Role.OBSERVER),
]

# Realistic shares for the attributes whose meaning we know; anything else is drawn evenly.
WEIGHTS: dict[str, dict[Any, float]] = {
    "case_type": {"community": 0.6, "licence": 0.4, "custody": 0.1, "sso": 0.2},
    "rosh": {"low": 0.3, "medium": 0.5, "high": 0.17, "very_high": 0.03},
    "rosh_level": {"low": 0.3, "medium": 0.5, "high": 0.17, "very_high": 0.03},
    "gender": {"male": 0.88, "female": 0.12},
    "ethnicity": {"white": 0.85, "black": 0.05, "asian": 0.05, "mixed": 0.03, "chinese_other": 0.01},
    "tier": {"tier_1": 0.2, "tier_2": 0.3, "tier_3": 0.35, "tier_4": 0.15},
    "mappa_level": {"none": 0.85, "level_1": 0.1, "level_2": 0.04, "level_3": 0.01},
}
TRUE_SHARE = 0.25  # a yes/no attribute is "yes" for about a quarter of cases


def _draw(rng: random.Random, attribute: dict) -> Any:
    choices = attribute["choices"]
    if attribute.get("multiple"):
        picked = [choice for choice in choices if rng.random() < 0.3]
        return picked or [choices[0]]
    if set(choices) == {True, False}:
        return rng.random() < TRUE_SHARE
    weights = WEIGHTS.get(attribute["code"], {})
    return rng.choices(choices, weights=[weights.get(choice, 0.05 if weights else 1) for choice in choices])[0]


def demo_attributes(rng: random.Random, attribute_defs: list[dict]) -> dict:
    values: dict[str, Any] = {}
    for attribute in attribute_defs:
        if "choices" in attribute:
            values[attribute["code"]] = _draw(rng, attribute)
        elif attribute.get("type") == "integer":
            values[attribute["code"]] = rng.randint(1, 3)
    return values


def create_demo(framework_code: str = "omi-2006") -> tuple[Inspection, bool]:
    """Create the demo inspection if it is not there; returns it and whether it was created."""
    existing = Inspection.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        return existing, False
    with transaction.atomic():
        users = {}
        user_model = get_user_model()
        for username, first, last, role in DEMO_USERS:
            user, _ = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
            )
            user.set_password(DEMO_PASSWORD)
            # The administrator holds the admin role explicitly; is_staff only opens Django admin.
            user.is_staff = role is None
            user.save()
            if role is None:
                user.groups.add(Group.objects.get(name=ADMIN_GROUP))
            users[username] = (user, role)
        inspection = create_inspection(
            framework_code=framework_code,
            area_name=DEMO_AREA,
            slug=DEMO_SLUG,
            title="Offender Management Inspection of Northmoor Probation Area",
            fieldwork_start=datetime.date(2007, 3, 5),
            fieldwork_end=datetime.date(2007, 3, 9),
        )
        move_to(inspection, Inspection.Status.FIELDWORK, user=None, reason="Demo: fieldwork under way")
        Membership.objects.bulk_create(
            Membership(inspection=inspection, user=user, role=role) for user, role in users.values() if role
        )
        rng = random.Random(2007)
        attribute_defs = inspection.framework.definition["case_attributes"]
        cases = Case.objects.bulk_create(
            Case(inspection=inspection, case_ref=f"NM{number:04d}", attributes=demo_attributes(rng, attribute_defs))
            for number in range(1, DEMO_CASES + 1)
        )
        lead = users["lead"][0]
        plan = _work_plan(cases, {name: users[name][0] for name in ("inspector", "inspector2", "assessor")})
        for assessor, assigned in plan.items():
            allocate(user=lead, cases=assigned, assessor=assessor, reason="Demo allocation")
            for case in assigned:
                case.assessor = assessor
        _record_work(inspection, plan, lead, rng)
        _write_narrative(inspection, lead)
    return inspection, True


def _write_narrative(inspection: Inspection, lead) -> None:
    """A first draft of the report, as a lead might have it mid-way through writing."""
    from reports.models import CriterionNarrative, Recommendation, ReportContent

    ReportContent.objects.create(
        inspection=inspection,
        foreword=(
            "This inspection found offender management in Northmoor to be sound in most respects. "
            "The Risk of Harm thread scored {{headline:roh}} across the {{cases}} cases we inspected.\n\n"
            "We thank the staff of the area for their openness during the fieldwork week."
        ),
        summaries={
            "1": "Reports for the courts were of good quality ({{score:1.1}}). Assessment of risk of harm "
            "scored {{score:1.2}}: screenings were usually done, but full analyses were not always thorough.",
            "2": "Work to deliver the sentence plan scored {{score:2.1}}; contact levels were generally appropriate.",
        },
        acknowledgements="We are grateful to the area assessors who took part in the inspection.",
        updated_by=lead,
        version=1,
    )
    CriterionNarrative.objects.create(
        inspection=inspection,
        code="1.2",
        strengths=[
            "RoH screenings were completed at the start of sentence in most cases.",
            "MAPPA levels were shared.",
        ],
        areas_for_improvement=["Full RoH analyses did not always draw on previous convictions."],
        updated_by=lead,
    )
    Recommendation.objects.create(
        inspection=inspection,
        number=1,
        text="Full risk of harm analyses draw on all available information, including previous convictions.",
        criteria=["1.2"],
    )


# How far each person has got: approved, submitted, returned, in progress; the rest not started.
PROGRESS = {"inspector": (6, 3, 2, 3), "inspector2": (5, 3, 1, 3), "assessor": (2, 2, 1, 2)}
SHARES = {"inspector": 22, "inspector2": 22, "assessor": 10}  # the remaining 6 cases are unallocated


def _work_plan(cases: list[Case], people: dict) -> dict:
    plan, start = {}, 0
    for name, count in SHARES.items():
        plan[people[name]] = cases[start : start + count]
        start += count
    return plan


def _demo_answers(structure, case: Case, rng: random.Random, share: float = 1.0) -> list[tuple[str, str, str]]:
    """Answers to the questions that apply, mostly sufficient, for the first `share` of them."""
    answers: dict[str, str] = {}
    rows = []
    for code in structure.questions:
        if code not in structure.applicable(case.attributes, answers):
            continue
        question = structure.questions[code]
        good = [o.code for o in question.options if o.sufficient]
        bad = [o.code for o in question.options if not o.sufficient] or good
        answers[code] = rng.choice(good) if rng.random() < 0.74 else rng.choice(bad)
        note = "Seen on file and discussed with the offender manager." if rng.random() < 0.15 else ""
        rows.append((code, answers[code], note))
    return rows[: max(1, int(len(rows) * share))]


def _record_work(inspection: Inspection, plan: dict, lead, rng: random.Random) -> None:
    structure = structure_for(inspection.framework)
    lines = ["case_ref,question_code,answer,note,assessor"]
    finished: list[tuple[Case, str]] = []
    for assessor, assigned in plan.items():
        approved, submitted, returned, in_progress = PROGRESS[assessor.username]
        states = ["approved"] * approved + ["submitted"] * submitted + ["returned"] * returned
        for case, state in zip(assigned, states, strict=False):
            for code, value, note in _demo_answers(structure, case, rng):
                lines.append(",".join([case.case_ref, code, value, f'"{note}"' if note else "", assessor.username]))
            finished.append((case, state))
        for case in assigned[len(states) : len(states) + in_progress]:
            for code, value, note in _demo_answers(structure, case, rng, share=rng.uniform(0.2, 0.8)):
                save_answer(user=assessor, case=case, question_code=code, value=value, note=note, base_version=0)
    import_answer_file(inspection, "\n".join(lines).encode(), "demo-assessments.csv", user=lead)
    for case, state in finished:
        version = Assessment.objects.get(case=case).version
        if state == "approved":
            approve_assessment(user=lead, case=case, expected_version=version)
        elif state == "returned":
            criterion = structure.case_criteria()[1]
            return_assessment(
                user=lead,
                case=case,
                expected_version=version,
                reason="Please look again at the risk of harm assessment before I approve this.",
                comments={criterion.questions[0]: "The file shows a second victim: does this change your answer?"},
            )
