"""Finding the case a request names, for the person asking (the decisions are inspections.policy's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.models import Case
from inspections.policy import Access, Action, access_for, sees_case_ref


def visible_cases(access: Access) -> QuerySet[Case]:
    """Every case for those who see all of them; otherwise the cases allocated to the person."""
    cases = Case.objects.filter(inspection=access.inspection)
    if access.may(Action.SEE_ALL_CASES):
        return cases
    return cases.filter(assessor=access.user)


def get_case_for_user(user, slug: str, case_ref: str) -> tuple[Case, Access]:
    """The case and the person's access; 404 for a case they may not see."""
    access = access_for(user, slug)
    case = visible_cases(access).select_related("assessor", "assessment").filter(case_ref=case_ref).first()
    # Someone who sees the case only by its pseudonym (an observer) cannot open it by its reference.
    if case is None or not sees_case_ref(user, case, access):
        raise Http404("No such case")
    case.inspection = access.inspection
    return case, access
