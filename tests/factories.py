"""Small factories for tests: plain functions with sensible defaults."""

from django.contrib.auth import get_user_model

from cases.models import Case
from inspections.models import Membership
from inspections.services import create_inspection

PASSWORD = "correct-horse-battery"


def make_user(username: str, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return user


def make_inspection(slug: str = "testshire-2007", framework: str = "omi-2006", area: str = "Testshire", **extra):
    return create_inspection(framework_code=framework, area_name=area, slug=slug, **extra)


def add_member(inspection, user, role: str = Membership.Role.INSPECTOR):
    return Membership.objects.create(inspection=inspection, user=user, role=role)


def make_case(inspection, case_ref: str = "C001", assessor=None, **attributes):
    return Case.objects.create(inspection=inspection, case_ref=case_ref, attributes=attributes, assessor=assessor)


def answer_all(case, user, values: dict[str, str] | None = None):
    """Answer every mini-test question that applies (yes / correct unless given)."""
    from cases.services import save_answer

    defaults = {"1.1.01": "yes", "1.1.02": "yes", "1.1.03": "correct", "1.1.S": "yes"}
    for code, value in {**defaults, **(values or {})}.items():
        save_answer(user=user, case=case, question_code=code, value=value, note="", base_version=None)


def make_assessed_cases(inspection, count: int, state: str = "approved", values=None, prefix: str = "S"):
    """`count` cases with assessments in `state`, answered in bulk (mini-test framework).

    values(index) -> {question code: option code or "na"}; default answers everything sufficiently.
    """
    from cases.models import Answer, Assessment
    from inspections.structure import structure_for

    structure = structure_for(inspection.framework)
    cases = Case.objects.bulk_create(
        Case(inspection=inspection, case_ref=f"{prefix}{index:04d}", attributes={"case_type": "community"})
        for index in range(count)
    )
    assessments = Assessment.objects.bulk_create(Assessment(case=case, state=state) for case in cases)
    answers = []
    for index, assessment in enumerate(assessments):
        chosen = (values or (lambda i: {}))(index)
        for code, question in structure.questions.items():
            value = chosen.get(code, question.options[0].code)
            option = question.option(value)
            answers.append(
                Answer(
                    assessment=assessment,
                    question_id=structure.question_ids[code],
                    value=value,
                    sufficient=option.sufficient if option else None,
                    version=1,
                )
            )
    Answer.objects.bulk_create(answers)
    return cases
