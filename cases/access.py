"""Who may see and change which cases.

Inspectors and local assessors see only the cases allocated to them; leads, observers and admins
see every case of the inspection. Anyone else gets 404. Someone who may see but not change gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cases.models import Case
from inspections import policy
from inspections.access import get_inspection_for_user, is_admin
from inspections.models import Inspection, Membership

SEES_ALL = {Membership.Role.LEAD, Membership.Role.OBSERVER}
ASSESSES = {Membership.Role.INSPECTOR, Membership.Role.LOCAL_ASSESSOR, Membership.Role.LEAD}


@dataclass
class InspectionAccess:
    inspection: Inspection
    role: str | None
    admin: bool

    @property
    def is_lead(self) -> bool:
        """Leads and admins manage the inspection: sample, allocation, review."""
        return self.admin or self.role == Membership.Role.LEAD

    @property
    def sees_all_cases(self) -> bool:
        return self.admin or self.role in SEES_ALL

    def require_lead(self) -> None:
        if not self.is_lead:
            raise PermissionDenied("Only the lead inspector can do this.")


def inspection_access(user, slug: str) -> InspectionAccess:
    inspection, role = get_inspection_for_user(user, slug)
    return InspectionAccess(inspection, role, is_admin(user))


def visible_cases(user, access: InspectionAccess) -> QuerySet[Case]:
    cases = Case.objects.filter(inspection=access.inspection)
    if access.sees_all_cases:
        return cases
    return cases.filter(assessor=user)


def get_case_for_user(user, slug: str, case_ref: str) -> tuple[Case, InspectionAccess]:
    access = inspection_access(user, slug)
    case = visible_cases(user, access).select_related("assessor", "assessment").filter(case_ref=case_ref).first()
    # Someone who sees the case only by its pseudonym (an observer) cannot open it by its reference.
    if case is None or not policy.sees_case_ref(user, case, as_policy_access(user, access)):
        raise Http404("No such case")
    case.inspection = access.inspection
    return case, access


def as_policy_access(user, access: InspectionAccess) -> policy.Access:
    """The same standing as inspections.policy sees it, without asking the database again."""
    return policy.Access(access.inspection, user, access.role, access.admin)


def can_edit_answers(user, case: Case, access: InspectionAccess) -> bool:
    """The allocated assessor, and the lead (who may correct while moderating)."""
    return access.is_lead or (case.assessor_id == user.pk and access.role in ASSESSES)
