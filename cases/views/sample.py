"""The case sample of an inspection: its composition against the framework's rules, and the CSV upload."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.importing import ImportRefused, import_case_sample
from cases.sample import compose_sample
from inspections.describe import value_label
from inspections.errors import Refused
from inspections.input_rules import file_size_problem, import_limits
from inspections.policy import Action, access_for


class SampleFileForm(forms.Form):
    file = forms.FileField(
        error_messages={
            "required": "Select a CSV file of the case sample",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file of the case sample",
        }
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        too_big = file_size_problem(upload.size)
        if too_big:
            raise forms.ValidationError(f"The selected file is too big: {too_big}")
        return upload


@login_required
def sample_composition(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user, slug)
    inspection = access.inspection
    definition = inspection.framework.definition
    case_attributes = list(inspection.cases.values_list("attributes", flat=True))
    composition = compose_sample(definition["sample"], definition["case_attributes"], case_attributes)
    return render(
        request,
        "cases/sample_composition.html",
        {"inspection": inspection, "composition": composition, "can_import": access.may(Action.CHANGE_SAMPLE)},
    )


@login_required
def import_sample(request: HttpRequest, slug: str) -> HttpResponse:
    """Add cases from a CSV file; every problem in the file is listed and nothing is written."""
    access = access_for(request.user, slug)
    access.require(Action.CHANGE_SAMPLE)
    inspection = access.inspection
    # Bound on every POST: a POST without a file must say so, not show a fresh form.
    form = SampleFileForm(request.POST, request.FILES) if request.method == "POST" else SampleFileForm()
    problems: list[str] = []
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_case_sample(inspection, upload.read(), upload.name, user=request.user)
        except ImportRefused as refused:
            problems = refused.messages
        except Refused as error:
            problems = [str(error)]
        else:
            messages.success(request, result.summary())
            return redirect("sample_composition", slug=inspection.slug)
    limits = import_limits()
    attributes = [
        {
            **attribute,
            "choice_text": ", ".join(_choice_text(attribute, choice) for choice in attribute.get("choices", [])),
        }
        for attribute in inspection.framework.definition["case_attributes"]
    ]
    return render(
        request,
        "cases/import_sample.html",
        {
            "inspection": inspection,
            "form": form,
            "problems": problems,
            "attributes": attributes,
            "case_count": inspection.cases.count(),
            "limits": {"max_cases": limits.max_cases, "max_megabytes": round(limits.max_bytes / 1_000_000)},
        },
    )


def _choice_text(attribute: dict, choice) -> str:
    """The code to type in the file, with its label when that says more."""
    code = str(choice).lower() if isinstance(choice, bool) else str(choice)
    label = value_label(attribute, choice)
    return code if label in (code, code.replace("_", " ")) else f"{code} ({label})"
