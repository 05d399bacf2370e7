"""The cases of an inspection: "My cases" for people who assess, every case for leads and observers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.access import visible_cases
from cases.forms import CaseFilterForm, assessing_members, with_state
from cases.models import Answer
from cases.pseudonyms import label_cases
from cases.views.allocation import attribute_labels, key_attributes
from inspections.policy import access_for

# An answer counts once it holds an option: "" is not answered yet, "na" was set because the
# question does not apply.
ANSWERED = Count(
    "assessment__answers",
    filter=Q(assessment__answers__value__gt="") & ~Q(assessment__answers__value=Answer.NA),
)


@login_required
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    inspection = access.inspection
    cases = with_state(visible_cases(access)).annotate(answered=ANSWERED)
    filters = None
    if access.sees_all_cases:
        filters = CaseFilterForm(request.GET, people=list(assessing_members(inspection)))
        cases = filters.apply(cases)
    cases = list(cases.select_related("assessor").order_by("case_ref"))
    label_cases(cases, request.user, access)
    attributes = key_attributes(inspection)
    for case in cases:
        case.key_labels = attribute_labels(case, attributes)
    return render(
        request,
        "cases/case_list.html",
        {
            "inspection": inspection,
            "access": access,
            "cases": cases,
            "attributes": attributes,
            "filters": filters,
            "query": request.GET.urlencode() if filters else "",
        },
    )
