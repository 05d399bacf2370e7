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
