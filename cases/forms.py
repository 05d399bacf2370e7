"""Forms of the case pages: they validate input and turn it into domain values for the views."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce

from cases.models import Assessment, Case
from inspections.input_rules import TextRule
from inspections.models import Inspection, Membership
from inspections.policy import ASSESSORS

State = Assessment.State
UNALLOCATED = "unallocated"


def person_name(user) -> str:
    if user is None:
        return "Unallocated"
    return user.get_full_name() or user.get_username()


def assessing_members(inspection: Inspection) -> QuerySet:
    """Team members who may be allocated cases, each with `team_role` (their role on this inspection)."""
    # One membership per person and inspection, so the join yields one row per person.
    return (
        get_user_model()
        .objects.filter(memberships__inspection=inspection, memberships__role__in=ASSESSORS)
        .annotate(team_role=F("memberships__role"))
        .order_by("first_name", "last_name", "username")
    )


def with_state(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `state`: a case whose assessment has not been created yet is not started."""
    return cases.annotate(state=Coalesce(F("assessment__state"), Value(State.NOT_STARTED)))


@dataclass(frozen=True)
class AssessorOption:
    """One radio of the "allocate to" question."""

    value: str
    name: str
    hint: str


class AssessorField(forms.ModelChoiceField):
    """A team member who assesses, or "unallocated" (cleaned to None) to take cases back."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, empty_label=None, **kwargs)

    def clean(self, value):
        if value == UNALLOCATED:
            return None
        return super().clean(value)


class AllocationForm(forms.Form):
    """Cases of one inspection and the person to allocate them to (moving any already allocated)."""

    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one case",
            "invalid_choice": "Select cases from this inspection's sample",
            "invalid_pk_value": "Select cases from this inspection's sample",
            "invalid_list": "Select at least one case",
        },
    )
    assessor = AssessorField(
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": "Select who to allocate the cases to",
            "invalid_choice": "Select someone on this inspection's team",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        strip=True,
        validators=[TextRule(300, multiline=False)],
        error_messages={"max_length": "Reason must be 300 characters or fewer"},
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.fields["cases"].queryset = inspection.cases.all()
        self.fields["assessor"].queryset = assessing_members(inspection)

    def assessor_options(self, people) -> list[AssessorOption]:
        """The radios, from the already-fetched team list; local assessors carry a warning hint."""
        options = []
        for person in people:
            role = Membership.Role(person.team_role)
            hint = role.label
            if role == Membership.Role.LOCAL_ASSESSOR:
                hint = "Local assessor: staff of the area being inspected"
            options.append(AssessorOption(str(person.pk), person_name(person), hint))
        options.append(AssessorOption(UNALLOCATED, "Unallocated", "Take the cases back from whoever has them"))
        return options

    @property
    def selected_case_ids(self) -> set[str]:
        if not self.is_bound:
            return set()
        return set(self.data.getlist("cases"))

    @property
    def selected_assessor(self) -> str:
        return self.data.get("assessor", "") if self.is_bound else ""

    def success_message(self, changed: int) -> str:
        chosen = len(self.cleaned_data["cases"])
        assessor = self.cleaned_data["assessor"]
        cases = f"{changed} case{'s' if changed != 1 else ''}"
        if assessor is None:
            message = f"{cases} unallocated"
        else:
            message = f"{cases} allocated to {person_name(assessor)}"
        unchanged = chosen - changed
        if unchanged:
            already = "unallocated" if assessor is None else "with them"
            message += f" ({unchanged} {'was' if unchanged == 1 else 'were'} already {already})"
        return message


class CaseFilterForm(forms.Form):
    """Filters of a list of cases (GET): by who has them and by the state of their assessment."""

    assessor = forms.ChoiceField(required=False, label="Allocated to")
    state = forms.ChoiceField(required=False, label="State", choices=[("", "Any state"), *State.choices])

    def __init__(self, data, *, people):
        super().__init__(data, auto_id="filter-%s")
        self.fields["assessor"].choices = [
            ("", "Anyone"),
            (UNALLOCATED, "Unallocated"),
            *((str(person.pk), person_name(person)) for person in people),
        ]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters: an unknown value (a hand-edited URL) is ignored."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        """Filter cases annotated by with_state()."""
        filters = self.filters()
        assessor = filters.get("assessor")
        if assessor == UNALLOCATED:
            cases = cases.filter(assessor__isnull=True)
        elif assessor:
            cases = cases.filter(assessor_id=int(assessor))
        if "state" in filters:
            cases = cases.filter(state=filters["state"])
        return cases
