"""Who may do what to an inspection: the one module that answers it; views, services, commands
and Django admin all ask here.

A person's role comes from their membership of the inspection (lead, inspector, local assessor,
observer) or from the site-wide admin role: the `inspections.administer` permission, held through
the Administrators group (or by a superuser). Django's `is_staff` flag only lets someone sign in to
Django admin; it grants nothing here. When the inspection's lifecycle also matters, use
`inspections.lifecycle.authorise`, which asks this module first.

Outsiders get 404 (an inspection's existence is not revealed); members who may read but not act
get 403 with the reason.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from inspections.errors import NotAllowed
from inspections.models import Inspection, Membership

Role = Membership.Role
ADMIN = "admin"
ADMIN_PERMISSION = "inspections.administer"
ADMIN_GROUP = "Administrators"


class Action(StrEnum):
    """Something a person does to an inspection."""

    VIEW = "view"  # the inspection page, its sample, the cases allocated to oneself
    SEE_ALL_CASES = "see_all_cases"  # every case of the inspection, not only one's own
    SEE_SCORES = "see_scores"  # scores and drill-downs, draft report, exports
    SEE_CASE_REFS = "see_case_refs"  # case references and notes in figures and exports (else pseudonyms)
    CHANGE_SAMPLE = "change_sample"  # import cases
    ALLOCATE = "allocate"
    CHANGE_TEAM = "change_team"
    ASSESS = "assess"  # answer and submit (one's own cases; see may_assess_case)
    REVIEW = "review"  # return, approve and reopen assessments
    JUDGE = "judge"  # record conclusions, comments and grades
    FINALISE = "finalise"
    REOPEN_SCORES = "reopen_scores"
    EDIT_REPORT = "edit_report"  # narrative, and asking for a rendering
    PUBLISH = "publish"
    START_REVISION = "start_revision"
    # Blind second marking (cases.second_marking).
    ASSIGN_SECOND_MARKING = "assign_second_marking"  # pick cases and their second markers
    SECOND_MARK = "second_mark"  # be a second marker (of the cases one is assigned; see may_second_mark)
    RECONCILE = "reconcile"  # decide which answer stands where the two markings disagree


LEADS = frozenset({Role.LEAD, ADMIN})
ASSESSORS = frozenset({Role.INSPECTOR, Role.LOCAL_ASSESSOR, Role.LEAD})
# Not leads or observers: they see every assessment, so their marking could not be blind.
SECOND_MARKERS = frozenset({Role.INSPECTOR, Role.LOCAL_ASSESSOR})

# Who may do each action. PUBLISH adds leads when settings.LEADS_MAY_PUBLISH is on.
RULES: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset({*Role.values, ADMIN}),
    Action.SEE_ALL_CASES: frozenset({Role.LEAD, Role.OBSERVER, ADMIN}),
    Action.SEE_SCORES: frozenset({Role.LEAD, Role.OBSERVER, ADMIN}),
    Action.SEE_CASE_REFS: LEADS,
    Action.CHANGE_SAMPLE: LEADS,
    Action.ALLOCATE: LEADS,
    Action.CHANGE_TEAM: frozenset({ADMIN}),
    Action.ASSESS: frozenset({*ASSESSORS, ADMIN}),
    Action.REVIEW: LEADS,
    Action.JUDGE: LEADS,
    Action.FINALISE: LEADS,
    Action.REOPEN_SCORES: LEADS,
    Action.EDIT_REPORT: LEADS,
    Action.PUBLISH: frozenset({ADMIN}),
    Action.START_REVISION: frozenset({ADMIN}),
    Action.ASSIGN_SECOND_MARKING: LEADS,
    Action.SECOND_MARK: SECOND_MARKERS,
    Action.RECONCILE: LEADS,
}

REFUSALS: dict[Action, str] = {
    Action.VIEW: "You are not a member of this inspection.",
    Action.SEE_ALL_CASES: "Only the lead inspector and observers see every case.",
    Action.SEE_SCORES: "Only the lead inspector and observers can see the scores and the draft report.",
    Action.SEE_CASE_REFS: "Only the lead inspector sees case references in figures and exports.",
    Action.CHANGE_SAMPLE: "Only the lead inspector can change the case sample.",
    Action.ALLOCATE: "Only the lead inspector can allocate cases.",
    Action.CHANGE_TEAM: "Only an administrator can change the inspection's team.",
    Action.ASSESS: "Only inspectors, local assessors and the lead inspector assess cases.",
    Action.REVIEW: "Only the lead inspector can review assessments.",
    Action.JUDGE: "Only the lead inspector can record judgements.",
    Action.FINALISE: "Only the lead inspector can finalise the scores.",
    Action.REOPEN_SCORES: "Only the lead inspector can reopen the scores.",
    Action.EDIT_REPORT: "Only the lead inspector can change the report.",
    Action.PUBLISH: "Only an administrator can publish reports.",
    Action.START_REVISION: "Only an administrator can start a revision of a published report.",
    Action.ASSIGN_SECOND_MARKING: "Only the lead inspector can choose cases for second marking.",
    Action.SECOND_MARK: "Only inspectors and local assessors second-mark cases.",
    Action.RECONCILE: "Only the lead inspector can reconcile second marking.",
}


def is_admin(user) -> bool:
    """The site-wide admin role (never implied by is_staff). None is the command-line operator.

    Held by superusers and by whoever has the `administer` permission, directly or through a group:
    one query, remembered on the user object (a request's user is loaded afresh for each request).
    """
    if user is None:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_site_admin", None)
    if cached is None:
        cached = _admin_permissions(user).exists()
        user._is_site_admin = cached
    return cached


def _admin_permissions(user) -> QuerySet:
    from django.contrib.auth.models import Permission

    app_label, codename = ADMIN_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)
    )


def roles_for(user, inspection: Inspection) -> frozenset[str]:
    roles: set[str] = set()
    if is_admin(user):
        roles.add(ADMIN)
    if user is not None and user.is_authenticated:
        role = _role(user, inspection)
        if role:
            roles.add(role)
    return frozenset(roles)


def _role(user, inspection: Inspection) -> str | None:
    # order_by(): the model's default ordering would join the inspection and user tables for nothing.
    return Membership.objects.filter(inspection=inspection, user=user).order_by().values_list("role", flat=True).first()


def allowed(action: Action, roles: frozenset[str]) -> bool:
    permitted = RULES[action]
    if action == Action.PUBLISH and getattr(settings, "LEADS_MAY_PUBLISH", False):
        permitted = permitted | {Role.LEAD}
    return bool(roles & permitted)


class Access:
    """A person's standing on one inspection: what they may do there.

    Whether they hold the admin role is looked up only when their membership does not settle the
    question (most requests come from members acting in their own role).
    """

    def __init__(self, inspection: Inspection, user: Any, role: str | None, admin: bool | None = None):
        self.inspection = inspection
        self.user = user
        self.role = role
        self._admin = admin

    @property
    def admin(self) -> bool:
        if self._admin is None:
            self._admin = is_admin(self.user)
        return self._admin

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({r for r in (self.role, ADMIN if self.admin else None) if r})

    def may(self, action: Action) -> bool:
        if self.role is not None and allowed(action, frozenset({self.role})):
            return True
        return allowed(action, self.roles)

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise NotAllowed(REFUSALS[action])

    # Shorthands templates use.
    @property
    def is_lead(self) -> bool:
        return self.may(Action.REVIEW)

    @property
    def sees_all_cases(self) -> bool:
        return self.may(Action.SEE_ALL_CASES)

    @property
    def sees_scores(self) -> bool:
        return self.may(Action.SEE_SCORES)

    @property
    def sees_case_refs(self) -> bool:
        return self.may(Action.SEE_CASE_REFS)

    @property
    def may_publish(self) -> bool:
        return self.may(Action.PUBLISH)


def visible_inspections(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("area", "framework").defer("framework__definition")
    if is_admin(user):
        return inspections
    if user is None or not user.is_authenticated:
        return inspections.none()
    return inspections.filter(memberships__user=user)


def access_for(user, slug: str) -> Access:
    """The inspection named by slug and the person's standing there; 404 for outsiders (members and
    admins see it, as visible_inspections says)."""
    inspection = (
        Inspection.objects.select_related("area", "framework").defer("framework__definition").filter(slug=slug).first()
    )
    if inspection is None:
        raise Http404("No such inspection")
    access = access_to(user, inspection)
    if access.role is None and not access.admin:
        raise Http404("No such inspection")
    return access


def access_to(user, inspection: Inspection) -> Access:
    """The person's standing on an inspection already in hand (no visibility check): their role
    there and whether they hold the admin role, found together in one query."""
    if user is None or not user.is_authenticated:
        return Access(inspection, user, None)
    if user.is_superuser or getattr(user, "_is_site_admin", None) is not None:
        return Access(inspection, user, _role(user, inspection))
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef, Subquery

    roles = Membership.objects.filter(inspection=inspection, user=OuterRef("pk")).order_by().values("role")[:1]
    role, admin = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(role=Subquery(roles), admin=Exists(_admin_permissions(OuterRef("pk"))))
        .values_list("role", "admin")
        .get()
    )
    user._is_site_admin = bool(admin) and user.is_active
    return Access(inspection, user, role, user._is_site_admin)


def require(user, inspection: Inspection, action: Action) -> Access:
    access = access_to(user, inspection)
    access.require(action)
    return access


def may_assess_case(user, case, access: Access) -> bool:
    """The person the case is allocated to (in a role that assesses), and leads and admins, who may
    correct while moderating."""
    allocated = (
        user is not None
        and case.assessor_id == getattr(user, "pk", None)
        and access.role in ASSESSORS
        and access.may(Action.ASSESS)
    )
    return allocated or access.may(Action.REVIEW)


def may_second_mark(user, second_marking, access: Access) -> bool:
    """The second marker assigned to the case, in a role that may second-mark; nobody else, not even
    the lead, answers for them (the marking is blind and theirs)."""
    return user is not None and second_marking.marker_id == getattr(user, "pk", None) and access.may(Action.SECOND_MARK)


# ------------------------------------------------------------------------------------ programmes
# A programme is every inspection of one framework (by code, across its versions), compared.
#
# Who sees it: admins, and the people "of the programme": anyone whose role on at least one
# inspection of the framework lets them see its scores (its leads and observers, by RULES).
# What they see: published inspections (their reports are public documents), and, when asked for,
# the unpublished ones whose scores they may already see in the browser (admins: all). Only leads
# and admins are offered the unpublished ones on the programme page.


def _roles_that_may(action: Action) -> set[str]:
    return {role for role in Role.values if allowed(action, frozenset({role}))}


def _member_of_programme(user, framework_code: str, action: Action) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, inspection__framework__code=framework_code, role__in=_roles_that_may(action)
    ).exists()


def may_see_programme(user, framework_code: str) -> bool:
    """Admins, and the leads and observers of at least one inspection of the framework."""
    return is_admin(user) or _member_of_programme(user, framework_code, Action.SEE_SCORES)


def may_include_unpublished(user, framework_code: str) -> bool:
    """Admins and leads of the programme may add finalised, not yet published inspections."""
    return is_admin(user) or _member_of_programme(user, framework_code, Action.REVIEW)


def programme_inspections(user, framework_code: str, *, include_unpublished: bool) -> QuerySet[Inspection]:
    """The inspections of the framework whose figures the person may see in the programme (before
    any filter on finalised scores); none for someone not of the programme."""
    inspections = Inspection.objects.filter(framework__code=framework_code)
    if not may_see_programme(user, framework_code):
        return inspections.none()
    published = Q(published_reports__isnull=False)
    if not include_unpublished:
        return inspections.filter(published).distinct()
    if is_admin(user):
        return inspections
    own = Q(memberships__user=user, memberships__role__in=_roles_that_may(Action.SEE_SCORES))
    return inspections.filter(published | own).distinct()


def sees_case_ref(user, case, access: Access) -> bool:
    """Whether this person sees the case's real reference and evidence notes: those who may see case
    references (SEE_CASE_REFS), and the person the case is allocated to. Everyone else sees a pseudonym."""
    return access.sees_case_refs or (user is not None and case.assessor_id == getattr(user, "pk", None))
