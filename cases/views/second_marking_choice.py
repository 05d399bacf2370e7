"""The lead's second-marking page: the cases being second-marked, and choosing more (a random share,
targeted cases suggested by boundary sensitivity, or any the lead picks) with their second marker."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.forms import person_name
from cases.models import SecondMarking
from cases.second_marking import SecondMarkingError, assign_second_marking
from cases.second_marking_selection import random_share, ready_cases, targeted_suggestions
from inspections import policy
from inspections.models import Inspection
from inspections.policy import Action

Selection = SecondMarking.Selection
DEFAULT_SHARE = 10


def second_markers(inspection: Inspection):
    """Members who may second-mark (inspectors and local assessors), by name."""
    return (
        get_user_model()
        .objects.filter(memberships__inspection=inspection, memberships__role__in=policy.SECOND_MARKERS)
        .order_by("first_name", "last_name", "username")
    )


class DrawForm(forms.Form):
    """The random share to draw (GET)."""

    share = forms.IntegerField(
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the share of cases to draw, as a percentage",
            "invalid": "Enter the share as a whole number, like 10",
            "min_value": "The share must be at least 1%",
            "max_value": "The share cannot be more than 100%",
        },
    )


class AssignForm(forms.Form):
    cases = forms.MultipleChoiceField(error_messages={"required": "Choose at least one case to second-mark"})
    marker = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": "Choose the second marker",
            "invalid_choice": "Choose a second marker from the list",
        },
    )
    drawn = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, refs: list[str], markers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(ref, ref) for ref in refs]
        self.fields["cases"].choices = choices
        self.fields["cases"].error_messages["invalid_choice"] = (
            "%(value)s cannot be chosen: it is not ready for second marking (or was chosen meanwhile)"
        )
        self.fields["drawn"].choices = choices
        self.fields["marker"].queryset = markers


def _page(request, access: policy.Access, form: AssignForm | None = None, status: int = 200) -> HttpResponse:
    inspection = access.inspection
    ready = list(ready_cases(inspection))
    refs = [case.case_ref for case in ready]
    suggestions = {s.case_ref: s for s in targeted_suggestions(inspection, set(refs))}
    draw = DrawForm(request.GET if "share" in request.GET else None, initial={"share": DEFAULT_SHARE})
    drawn: list[str] = []
    if draw.is_bound and draw.is_valid():
        drawn = random_share(refs, draw.cleaned_data["share"])
    checked = set(form.data.getlist("cases")) if form is not None else set(drawn)
    if form is None and request.GET.get("pick") == "targeted":
        checked |= set(suggestions)
    if form is not None:
        drawn = form.data.getlist("drawn")
    markings = (
        SecondMarking.objects.filter(case__inspection=inspection)
        .select_related("case", "marker", "first_assessor")
        .order_by("case__case_ref")
    )
    errors = {}
    if form is not None:
        errors = {("cases" if name == "__all__" else name): error[0] for name, error in form.errors.items()}
    if draw.is_bound and not draw.is_valid():
        errors["share"] = draw.errors["share"][0]
    return render(
        request,
        "cases/second_marking/choose.html",
        {
            "inspection": inspection,
            "markings": markings,
            "ready": [
                {
                    "case": case,
                    "first_assessor": person_name(case.assessor),
                    "suggestion": suggestions.get(case.case_ref),
                }
                for case in ready
            ],
            "suggested": len(suggestions),
            "checked": checked,
            "drawn": drawn,
            "draw": draw,
            "markers": second_markers(inspection),
            "marker": form.data.get("marker", "") if form is not None else "",
            "errors": errors,
        },
        status=status,
    )


@login_required
def second_marking(request: HttpRequest, slug: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    access.require(Action.ASSIGN_SECOND_MARKING)
    return _page(request, access)


@login_required
@require_POST
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    access = policy.access_for(request.user, slug)
    access.require(Action.ASSIGN_SECOND_MARKING)
    inspection = access.inspection
    refs = list(ready_cases(inspection).values_list("case_ref", flat=True))
    form = AssignForm(request.POST, refs=refs, markers=second_markers(inspection))
    if not form.is_valid():
        return _page(request, access, form, status=400)
    chosen = form.cleaned_data["cases"]
    suggested = {s.case_ref for s in targeted_suggestions(inspection, set(refs))}
    drawn = set(form.cleaned_data["drawn"])
    selections = {
        ref: Selection.TARGETED if ref in suggested else Selection.RANDOM if ref in drawn else Selection.CHOSEN
        for ref in chosen
    }
    marker = form.cleaned_data["marker"]
    try:
        assign_second_marking(
            user=request.user,
            inspection=inspection,
            cases=list(inspection.cases.filter(case_ref__in=chosen)),
            marker=marker,
            selections=selections,
        )
    except SecondMarkingError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _page(request, access, form, status=400)
    count = len(chosen)
    messages.success(
        request, f"{count} case{'s' if count != 1 else ''} given to {person_name(marker)} for blind second marking."
    )
    return redirect("second_marking", slug)
