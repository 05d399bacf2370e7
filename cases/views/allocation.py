"""The lead inspector's allocation page: the team's workload, and allocating cases to people."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.forms import AllocationForm, CaseFilterForm, assessing_members, person_name, with_state
from cases.models import Assessment, Case
from cases.services import allocate
from inspections.errors import Refused
from inspections.models import Inspection, Membership
from inspections.policy import Access, Action, access_for

State = Assessment.State
# Shown beside each case when the framework has them: what a lead weighs when allocating.
KEY_ATTRIBUTES = ("case_type", "rosh")


@dataclass
class WorkloadRow:
    name: str
    role: str
    total: int = 0
    states: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> list[int]:
        return [self.states.get(state, 0) for state in State.values]


def _state_filter(state: str) -> Q:
    if state == State.NOT_STARTED:
        # The assessment row is created with the first answer.
        return Q(assessment__isnull=True) | Q(assessment__state=state)
    return Q(assessment__state=state)


def workload(inspection: Inspection, people: list) -> tuple[list[WorkloadRow], int]:
    """One row per person who assesses, and the number of unallocated cases: one aggregate query."""
    tallies = {
        tally.pop("assessor"): tally
        for tally in Case.objects.filter(inspection=inspection)
        .values("assessor")
        .annotate(total=Count("pk"), **{state: Count("pk", filter=_state_filter(state)) for state in State.values})
        .order_by()
    }
    unallocated = tallies.pop(None, {}).get("total", 0)
    rows = []
    for person in people:
        tally = tallies.pop(person.pk, {"total": 0})
        total = tally.pop("total")
        rows.append(WorkloadRow(person_name(person), Membership.Role(person.team_role).label, total, tally))
    if tallies:
        # Cases still with someone who has left the team (allocate() allows only current members).
        left = WorkloadRow("People no longer on the team", "", 0, {})
        for tally in tallies.values():
            left.total += tally.pop("total")
            for state, count in tally.items():
                left.states[state] = left.states.get(state, 0) + count
        rows.append(left)
    return rows, unallocated


def key_attributes(inspection: Inspection) -> list:
    return list(inspection.framework.case_attributes.filter(code__in=KEY_ATTRIBUTES))


def attribute_labels(case: Case, attributes: list) -> list[str]:
    labels = []
    for attribute in attributes:
        value = case.attributes.get(attribute.code)
        labels.append("Not recorded" if value in (None, "", []) else attribute.label_for(value))
    return labels


def _render_page(request: HttpRequest, access: Access, form: AllocationForm) -> HttpResponse:
    inspection = access.inspection
    people = list(assessing_members(inspection))
    filters = CaseFilterForm(request.GET, people=people)
    cases = list(
        filters.apply(with_state(Case.objects.filter(inspection=inspection)))
        .select_related("assessor")
        .order_by("case_ref")
    )
    attributes = key_attributes(inspection)
    for case in cases:
        case.key_labels = attribute_labels(case, attributes)
    rows, unallocated = workload(inspection, people)
    return render(
        request,
        "cases/allocation.html",
        {
            "inspection": inspection,
            "form": form,
            "filters": filters,
            "query": request.GET.urlencode(),
            "workload": rows,
            "states": State.choices,
            "unallocated": unallocated,
            "cases": cases,
            "attributes": attributes,
            "options": form.assessor_options(people),
            "has_local_assessors": any(person.team_role == Membership.Role.LOCAL_ASSESSOR for person in people),
            "selected_cases": form.selected_case_ids,
            "selected_assessor": form.selected_assessor,
        },
    )


@login_required
def allocation(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.ALLOCATE)
    return _render_page(request, access, AllocationForm(inspection=access.inspection))


@login_required
@require_POST
def allocate_cases(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    access.require(Action.ALLOCATE)
    form = AllocationForm(request.POST, inspection=access.inspection)
    if form.is_valid():
        try:
            changed = allocate(
                user=request.user,
                cases=list(form.cleaned_data["cases"]),
                assessor=form.cleaned_data["assessor"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, form.success_message(changed))
            query = request.GET.urlencode()
            return redirect(reverse("allocation", args=[slug]) + (f"?{query}" if query else ""))
    return _render_page(request, access, form)
