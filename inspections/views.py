from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from inspections.describe import (
    describe_applies_to,
    describe_applies_when,
    describe_criterion_rule,
    describe_section_rule,
    value_text,
)
from inspections.models import Criterion, Framework, Membership, Question
from inspections.policy import Action, access_for, is_admin, visible_inspections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    inspections = visible_inspections(request.user).annotate(case_count=Count("cases", distinct=True))
    roles = dict(Membership.objects.filter(user=request.user).values_list("inspection_id", "role"))
    rows = [
        {
            "inspection": inspection,
            "role": Membership.Role(roles[inspection.pk]).label if inspection.pk in roles else None,
        }
        for inspection in inspections
    ]
    return render(request, "inspections/home.html", {"rows": rows, "is_admin": is_admin(request.user)})


@login_required
def inspection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    inspection, role = access.inspection, access.role
    members = inspection.memberships.select_related("user").order_by("role", "user__last_name", "user__username")
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "role": Membership.Role(role).label if role else None,
            "members": members,
            "case_count": inspection.cases.count(),
            "access": access,
            "is_lead": access.is_lead,
            "sees_all_cases": access.may(Action.SEE_ALL_CASES),
            # Cases this person second-marks (blind: a link to their own list, never to the first assessment).
            "second_markings": request.user.second_markings.filter(case__inspection=inspection).count(),
        },
    )


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.annotate(
        criterion_count=Count("criteria", distinct=True),
        question_count=Count("questions", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    ).defer("definition")
    return render(request, "inspections/framework_list.html", {"frameworks": frameworks})


def _framework(code: str, version: str) -> Framework:
    return get_object_or_404(Framework, code=code, version=version)


@login_required
def framework_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    framework = _framework(code, version)
    sections = framework.sections.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.annotate(question_count=Count("questions")))
    )
    definition = framework.definition
    attributes = [
        {**attribute, "choice_text": value_text(attribute, attribute.get("choices", []))}
        for attribute in definition["case_attributes"]
    ]
    return render(
        request,
        "inspections/framework_detail.html",
        {
            "framework": framework,
            "sections": sections,
            "headlines": framework.headlines.annotate(question_count=Count("questions")),
            "attributes": attributes,
            "scales": framework.scales.prefetch_related("options"),
            "rules": definition["rules"],
            "criterion_rule": describe_criterion_rule(definition["rules"]),
            "section_rule": describe_section_rule(definition["rules"]),
            "judgement_options": definition.get("judgement_options", {}),
            "comment_scale": definition.get("comment_scale"),
            "sample": definition["sample"],
        },
    )


@login_required
def criterion_detail(request: HttpRequest, code: str, version: str, criterion: str) -> HttpResponse:
    framework = _framework(code, version)
    criterion_obj = get_object_or_404(Criterion.objects.select_related("section"), framework=framework, code=criterion)
    questions = list(
        Question.objects.filter(criterion=criterion_obj)
        .select_related("scale", "criterion")
        .prefetch_related("scale__options", "headlines", "also_in")
    )
    shared = list(
        criterion_obj.shared_questions.select_related("criterion", "scale").prefetch_related(
            "scale__options", "headlines"
        )
    )
    definition = framework.definition
    attributes = {attribute["code"]: attribute for attribute in definition["case_attributes"]}
    all_questions = {
        question["code"]: question
        for section in definition["sections"]
        for crit in section["criteria"]
        for question in crit["questions"]
    }
    for question in questions + shared:
        question.applies_to_text = describe_applies_to(question.applies_to, attributes)
        question.applies_when_text = describe_applies_when(question.applies_when, all_questions, definition["scales"])
    neighbours = list(framework.criteria.values_list("code", flat=True))
    index = neighbours.index(criterion_obj.code)
    return render(
        request,
        "inspections/criterion_detail.html",
        {
            "framework": framework,
            "criterion": criterion_obj,
            "questions": questions,
            "shared": shared,
            "previous_code": neighbours[index - 1] if index > 0 else None,
            "next_code": neighbours[index + 1] if index + 1 < len(neighbours) else None,
        },
    )
