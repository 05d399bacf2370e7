"""Small factories for tests: plain functions with sensible defaults."""

from django.contrib.auth import get_user_model

from cases.models import Case
from inspections.models import Membership
from inspections.services import create_inspection

PASSWORD = "correct-horse-battery"


def make_user(username: str, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return user


def make_admin(username: str = "admin", **extra):
    """A user holding the site-wide admin role (the Administrators group), not a superuser."""
    from django.contrib.auth.models import Group

    from inspections.policy import ADMIN_GROUP

    user = make_user(username, is_staff=True, **extra)
    user.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
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
        save_answer(
            user=user, case=case, question_code=code, value=value, note="", base_version=answer_version(case, code)
        )


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


def version_of(case) -> int:
    """The case's assessment version as a page showing it now would carry (0 before it exists)."""
    from cases.models import Assessment

    return Assessment.objects.filter(case=case).values_list("version", flat=True).first() or 0


def answer_version(case, code: str) -> int:
    """An answer's version as a page showing it now would carry (0 when never saved)."""
    from cases.models import Answer

    return (
        Answer.objects.filter(assessment__case=case, question__code=code).values_list("version", flat=True).first() or 0
    )


def seen_scores(inspection) -> str:
    """The token a scores page loaded now would carry in its finalise form."""
    from inspections.seen import seen_token
    from scoring.services import finalise_summary

    return seen_token(finalise_summary(inspection))


def seen_report(inspection) -> str:
    """The token a report page loaded now would carry in its publish form."""
    from inspections.seen import seen_token
    from reports.publishing import publish_summary

    return seen_token(publish_summary(inspection))


def current_snapshot_number(inspection) -> int | None:
    from scoring.scores import current_snapshot

    snapshot = current_snapshot(inspection)
    return snapshot.number if snapshot else None


def second_answer_version(marking, code: str) -> int:
    """A second-marking answer's version as a page showing it now would carry (0 when never saved)."""
    from cases.models import SecondAnswer

    return (
        SecondAnswer.objects.filter(second_marking=marking, question__code=code)
        .values_list("version", flat=True)
        .first()
        or 0
    )


def marking_version(marking) -> int:
    """A second marking's version as a page showing it now would carry."""
    from cases.models import SecondMarking

    return SecondMarking.objects.filter(pk=marking.pk).values_list("version", flat=True).first() or 0
